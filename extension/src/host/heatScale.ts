/** The heatmap's colour scale (pure: the legend and the unit tests use it too). */
type Rgba = [number, number, number, number];

/**
 * The lesion-probability scale from the operating point up: transparent → yellow → orange → red.
 * It never goes white, so the hottest core stays visible on bright lung; alpha rises with p.
 */
const HEATMAP_STOPS: Rgba[] = [
  [255, 235, 59, 0.35],
  [255, 152, 0, 0.7],
  [229, 57, 53, 0.95],
];

/** RGBA of probability p (0..1) given the operating point; below it, fully transparent. */
export function heatColor(p: number, threshold: number): Rgba {
  if (p < threshold || p <= 0) return [0, 0, 0, 0];
  const x = threshold >= 1 ? 1 : (p - threshold) / (1 - threshold);
  const pos = x * (HEATMAP_STOPS.length - 1);
  const i = Math.min(HEATMAP_STOPS.length - 2, Math.floor(pos));
  const f = pos - i;
  return HEATMAP_STOPS[i].map((v, c) => v + (HEATMAP_STOPS[i + 1][c] - v) * f) as Rgba;
}

/** The CSS gradient of the legend, the same stops as the image. */
export function heatmapLegendCss(): string {
  const n = HEATMAP_STOPS.length - 1;
  const stops = HEATMAP_STOPS.map(([r, g, b, a], i) => `rgba(${r},${g},${b},${a}) ${(i / n) * 100}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

import { heatColor } from './heatScale';

export { heatmapLegendCss } from './heatScale';

let threshold: Promise<number> | null = null;
/** The lesion model's operating point from GET /status (api.md 3); 0.5 if the server does not say. */
export function operatingPoint(apiBase: string): Promise<number> {
  threshold ??= fetch(`${apiBase}/status`, { credentials: 'same-origin' })
    .then((r) => (r.ok ? r.json() : null))
    .then(
      (s: { models?: { task?: string; operatingPoint?: { threshold: number } | null }[] } | null) =>
        s?.models?.find((m) => m.task === 'lesion')?.operatingPoint?.threshold ?? 0.5,
    )
    .catch(() => 0.5);
  return threshold;
}

/**
 * Fetches the server's greyscale probability PNG (api.md 7: value = 255·p) and colours it with the
 * scale above, masking everything under the operating point. Returns a data URL for an SVG <image>.
 */
export async function loadHeatmap(url: string, thresholdP: number): Promise<string> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`heatmap HTTP ${res.status}`);
  const bitmap = await createImageBitmap(await res.blob());
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no 2d context');
  g.drawImage(bitmap, 0, 0);
  const img = g.getImageData(0, 0, canvas.width, canvas.height);
  const table = Array.from({ length: 256 }, (_, v) => heatColor(v / 255, thresholdP));
  const px = img.data;
  for (let i = 0; i < px.length; i += 4) {
    const [r, gr, b, a] = table[px[i]];
    px[i] = r;
    px[i + 1] = gr;
    px[i + 2] = b;
    px[i + 3] = Math.round(a * 255);
  }
  g.putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
}

/** Label text: the style's colour mixed half with white, ≥ 5:1 on the near-black box for any colour. */
export function labelColor(css: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(css.trim());
  if (!m) return '#f2f5ff';
  const n = parseInt(m[1], 16);
  const mix = (v: number) => Math.round((v + 255) / 2);
  return `rgb(${mix(n >> 16)}, ${mix((n >> 8) & 255)}, ${mix(n & 255)})`;
}

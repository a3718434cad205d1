/**
 * The display frame an analysis keeps (issue 11.5): at most `maxSide` px on its longest side, so a
 * 7000² upload does not become a 200 MB cache file. Larger frames are block-averaged by the
 * smallest integer factor s that fits; geometry stays in image px and the consumers map it
 * (refine: cropImage / sampleFull with `scale` = s). Blocks at the right and bottom edges average
 * only the pixels that exist.
 */
export interface StoredFrame {
  width: number;
  height: number;
  display: Float32Array;
  scale: number;
}

export function boundedFrame(display: Float32Array, width: number, height: number, maxSide: number): StoredFrame {
  if (!(maxSide >= 1)) return { width, height, display, scale: 1 };
  const s = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  if (s === 1) return { width, height, display, scale: 1 };
  const w = Math.ceil(width / s),
    h = Math.ceil(height / s);
  const frame = new Float32Array(w * h);
  const sums = new Float64Array(w);
  // one band of s image rows at a time: sum each s×s block, then divide by the pixels it has
  for (let by = 0; by < h; by++) {
    sums.fill(0);
    const y0 = by * s,
      y1 = Math.min(height, y0 + s);
    for (let y = y0; y < y1; y++) {
      const row = y * width;
      for (let bx = 0, x = 0; bx < w; bx++) {
        const xe = Math.min(width, x + s);
        let acc = 0;
        for (; x < xe; x++) acc += display[row + x]!;
        sums[bx] += acc;
      }
    }
    const rows = y1 - y0,
      out = by * w;
    for (let bx = 0; bx < w; bx++) frame[out + bx] = sums[bx]! / (rows * (Math.min(width, (bx + 1) * s) - bx * s));
  }
  return { width: w, height: h, display: frame, scale: s };
}

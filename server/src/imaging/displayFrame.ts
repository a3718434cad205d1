/**
 * The display frame an analysis keeps (issue 11.5): at most `maxSide` px on its longest side, so a
 * 7000² upload does not become a 200 MB cache file. Larger frames are block-averaged by the
 * smallest integer factor s that fits; geometry stays in image px and the consumers map it
 * (refine: cropImage / sampleFull with `scale` = s). Blocks at the right and bottom edges average
 * only the pixels that exist.
 */
export interface StoredFrame { width: number; height: number; display: Float32Array; scale: number }

export function boundedFrame(display: Float32Array, width: number, height: number, maxSide: number): StoredFrame {
  if (!(maxSide >= 1)) return { width, height, display, scale: 1 };
  const s = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  if (s === 1) return { width, height, display, scale: 1 };
  const w = Math.ceil(width / s), h = Math.ceil(height / s);
  const sum = new Float64Array(w * h);
  const count = new Uint32Array(w * h);
  for (let y = 0; y < height; y++) {
    const row = y * width, out = Math.floor(y / s) * w;
    for (let x = 0; x < width; x++) {
      const k = out + Math.floor(x / s);
      sum[k] += display[row + x]!;
      count[k]++;
    }
  }
  const frame = new Float32Array(w * h);
  for (let k = 0; k < frame.length; k++) frame[k] = sum[k]! / count[k]!;
  return { width: w, height: h, display: frame, scale: s };
}

/** The lesion heatmap PNG (api.md 7): 8-bit grey, full image size, value = round(255 × p). */
import sharp from 'sharp';

/**
 * Bilinear upsampling of an S×S probability map to width×height (pixel-centre aligned,
 * as for the masks), then round(255·p). Returns PNG bytes (colour type 0, not interlaced).
 */
export function upsampleToBytes(map: Float32Array, size: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const fx = size / width,
    fy = size / height;
  const xi0 = new Int32Array(width),
    xi1 = new Int32Array(width),
    xa = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const s = Math.min(size - 1, Math.max(0, (x + 0.5) * fx - 0.5));
    xi0[x] = Math.floor(s);
    xi1[x] = Math.min(size - 1, xi0[x]! + 1);
    xa[x] = s - xi0[x]!;
  }
  for (let y = 0; y < height; y++) {
    const s = Math.min(size - 1, Math.max(0, (y + 0.5) * fy - 0.5));
    const y0 = Math.floor(s),
      y1 = Math.min(size - 1, y0 + 1),
      ay = s - y0;
    const r0 = y0 * size,
      r1 = y1 * size,
      o = y * width;
    for (let x = 0; x < width; x++) {
      const a = xa[x]!,
        i0 = xi0[x]!,
        i1 = xi1[x]!;
      const top = map[r0 + i0]! * (1 - a) + map[r0 + i1]! * a;
      const bot = map[r1 + i0]! * (1 - a) + map[r1 + i1]! * a;
      const p = top * (1 - ay) + bot * ay;
      out[o + x] = Math.round(255 * Math.min(1, Math.max(0, p)));
    }
  }
  return out;
}

export async function renderHeatmapPng(
  nodule: Float32Array,
  size: number,
  width: number,
  height: number,
): Promise<Buffer> {
  if (nodule.length !== size * size) throw new Error(`heatmap: expected ${size}x${size} values, got ${nodule.length}`);
  const bytes = upsampleToBytes(nodule, size, width, height);
  return sharp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 6, adaptiveFiltering: false, progressive: false })
    .toBuffer();
}

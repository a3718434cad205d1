import sharp from 'sharp';

/**
 * A chest-radiograph-like 8-bit grey image: dark lung fields, a bright mediastinum and
 * diaphragm, faint ribs and one round nodule — enough for decoding and measuring tests.
 */
export function chestLikeGrey(width: number, height: number): Uint8Array {
  const px = new Uint8Array(width * height);
  const cx = width / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x - cx) / (width / 2), v = y / height;
      let g = 200;
      const inLung = Math.abs(u) > 0.12 && Math.abs(u) < 0.85 && v > 0.1 && v < 0.78 - 0.1 * Math.abs(u);
      if (inLung) g = 60 + 25 * Math.sin(v * 40) ** 8;
      if (Math.abs(u) < 0.12) g = 215;
      const nx = x - width * 0.3, ny = y - height * 0.45, r = width * 0.03;
      if (nx * nx + ny * ny < r * r) g = 170;
      px[y * width + x] = g;
    }
  }
  return px;
}

export async function chestPng(width = 256, height = 256): Promise<Buffer> {
  return sharp(Buffer.from(chestLikeGrey(width, height)), { raw: { width, height, channels: 1 } }).png().toBuffer();
}

export async function chestJpeg(width = 256, height = 256): Promise<Buffer> {
  return sharp(Buffer.from(chestLikeGrey(width, height)), { raw: { width, height, channels: 1 } }).jpeg({ quality: 90 }).toBuffer();
}

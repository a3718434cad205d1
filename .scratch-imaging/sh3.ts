import sharp from 'sharp';
import { readFileSync } from 'node:fs';
(async () => {
  const png = readFileSync('/tmp/fx/g16.png');
  const r = await sharp(png).toColourspace('grey16').raw({ depth: 'ushort' } as any).toBuffer({ resolveWithObject: true });
  console.log(r.info, [...new Uint16Array(r.data.buffer, r.data.byteOffset, 8)]);
  const r2 = await sharp(png).raw({ depth: 'ushort' } as any).toBuffer({ resolveWithObject: true });
  console.log(r2.info.channels, [...new Uint16Array(r2.data.buffer, r2.data.byteOffset, 8)]);
  // write 16-bit png from raw ushort
  const p = new Uint16Array([7, 1007, 2007, 3007, 4007, 5007, 6007, 7007]);
  const out = await sharp(Buffer.from(p.buffer), { raw: { width: 4, height: 2, channels: 1, depth: 'ushort' } as any }).toColourspace('grey16').png().toBuffer();
  const r3 = await sharp(out).toColourspace('grey16').raw({ depth: 'ushort' } as any).toBuffer({ resolveWithObject: true });
  console.log([...new Uint16Array(r3.data.buffer, r3.data.byteOffset, 8)]);
})();

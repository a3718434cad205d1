import sharp from 'sharp';
(async () => {
  const p = new Uint16Array([7, 1007, 2007, 3007, 4007, 5007, 6007, 7007]);
  const out = await sharp(p as any, { raw: { width: 4, height: 2, channels: 1 } }).toColourspace('grey16').png().toBuffer();
  const r3 = await sharp(out).toColourspace('grey16').raw({ depth: 'ushort' } as any).toBuffer({ resolveWithObject: true });
  console.log([...new Uint16Array(r3.data.buffer, r3.data.byteOffset, 8)]);
})();

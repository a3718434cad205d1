import sharp from 'sharp';
(async () => {
  const w = 4, h = 2; const p = Buffer.alloc(w * h * 2); for (let i = 0; i < w * h; i++) p.writeUInt16LE(1000 * i + 7, i * 2);
  const png = await sharp(p, { raw: { width: w, height: h, channels: 1, depth: 'ushort' } as any }).toColourspace('grey16').png().toBuffer();
  const m = await sharp(png).metadata(); console.log(m.channels, m.depth, m.space);
  const r = await sharp(png).toColourspace('grey16').raw({ depth: 'ushort' } as any).toBuffer({ resolveWithObject: true });
  console.log(r.info.channels, r.info.depth, [...new Uint16Array(r.data.buffer, r.data.byteOffset, w * h)]);
  const p8 = Buffer.from([0, 10, 20, 30, 40, 50, 60, 255]);
  const png8 = await sharp(p8, { raw: { width: w, height: h, channels: 1 } }).toColourspace('b-w').png().toBuffer();
  const m8 = await sharp(png8).metadata(); console.log(m8.channels, m8.depth, m8.space);
  const r8 = await sharp(png8).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true }); console.log(r8.info.channels, [...r8.data]);
  const ga = await sharp(png8).ensureAlpha().png().toBuffer(); const mga = await sharp(ga).metadata(); console.log('ga', mga.channels, mga.space, mga.hasAlpha);
  const rga = await sharp(ga).raw().toBuffer({ resolveWithObject: true }); console.log(rga.info.channels, [...rga.data.subarray(0,8)]);
})();

import sharp from 'sharp';
import { readFileSync } from 'node:fs';
(async () => {
  for (const f of ['/tmp/fx/out/chest.png', '/tmp/fx/out/chest16.png']) {
    const b = readFileSync(f);
    const m = await sharp(b).metadata();
    console.log(m.format, m.width, m.height, m.channels, m.depth, m.space, m.hasAlpha, m.bitsPerSample);
    const r = await sharp(b).raw({ depth: m.depth === 'ushort' ? 'ushort' : 'uchar' } as any).toBuffer({ resolveWithObject: true });
    console.log(r.info, r.data.length, r.data.readUInt16LE(0), r.data[0], r.data[1]);
  }
  const rgb16 = await sharp(readFileSync('/tmp/fx/out/chest16.png')).toColourspace('rgb16').png().toBuffer();
  const m = await sharp(rgb16).metadata(); console.log(m.channels, m.depth, m.space);
  const r = await sharp(rgb16).raw({ depth: 'ushort' } as any).toBuffer({ resolveWithObject: true }); console.log(r.info, r.data.readUInt16LE(0));
  const jp = await sharp(readFileSync('/tmp/fx/out/chest.png')).jpeg().toBuffer();
  const mj = await sharp(jp).metadata(); console.log(mj.format, mj.channels, mj.space, mj.depth);
  try { await sharp(jp.subarray(0, 2000)).raw().toBuffer(); console.log('trunc ok?'); } catch (e) { console.log('trunc err', String(e).slice(0,100)); }
  try { await sharp(jp.subarray(0, 2000), {failOn:'truncated'}).raw().toBuffer(); console.log('trunc ok?'); } catch (e) { console.log('trunc err', String(e).slice(0,100)); }
  try { await sharp(Buffer.from('89504e470d0a1a0a0000', 'hex')).metadata(); } catch (e) { console.log('bad png', String(e).slice(0,100)); }
})();

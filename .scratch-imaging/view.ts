import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { decodeImage } from '../server/src/imaging/decode';
import { DEFAULT_LIMITS } from '../server/src/config';
(async () => {
  for (const [n, p] of [['rg1', '/work/shared/data/samples/rg1-cr-chest-j2k.dcm'], ['syn', '/tmp/fx/out/mono1.dcm'], ['crm', '/tmp/fx/out/crMono1Wrapped.dcm']]) {
    const r = await decodeImage(readFileSync(p), 'application/dicom', {}, DEFAULT_LIMITS);
    const g = Buffer.alloc(r.display.length); for (let i = 0; i < g.length; i++) g[i] = Math.round(r.display[i] * 255);
    await sharp(g, { raw: { width: r.width, height: r.height, channels: 1 } }).resize(256).png().toFile(`/tmp/fx/${n}.png`);
  }
})();

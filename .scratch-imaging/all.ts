import { readFileSync } from 'node:fs';
import { decodeImage } from '../server/src/imaging/decode';
import { DEFAULT_LIMITS } from '../server/src/config';
import { makeFixtures } from '../tests/support/dicomFixtures';
(async () => {
  const f = await makeFixtures('/tmp/fx/out');
  for (const [name, p] of Object.entries(f.paths)) {
    const buf = readFileSync(p);
    const mt = p.endsWith('.png') ? 'image/png' : 'application/dicom';
    const t = performance.now();
    try {
      const r = await decodeImage(buf, mt as any, {}, DEFAULT_LIMITS);
      let m = 0; for (const v of r.display) m += v; m /= r.display.length;
      console.log(name.padEnd(26), (performance.now() - t).toFixed(0).padStart(4), 'ms', r.width, r.height, r.info.pixelDataSha256.slice(0, 10), 'mean', m.toFixed(3), r.info.spacingSource, r.info.voi.used, r.warnings.map((w) => w.code).join(','));
    } catch (e: any) {
      console.log(name.padEnd(26), (performance.now() - t).toFixed(0).padStart(4), 'ms', 'ERR', e.code, e.message, JSON.stringify(e.details ?? {}).slice(0, 80));
    }
  }
})();

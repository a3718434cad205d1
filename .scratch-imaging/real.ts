import { readFileSync } from 'node:fs';
import { decodeImage } from '../server/src/imaging/decode';
import { DEFAULT_LIMITS } from '../server/src/config';
(async () => {
  for (const n of ['siim-cr-chest', 'rg1-cr-chest-j2k', 'cr-mono1-10-chest']) {
    const b = readFileSync(`/work/shared/data/samples/${n}.dcm`);
    const t = performance.now();
    try {
      const r = await decodeImage(b, 'application/dicom', {}, DEFAULT_LIMITS);
      let m = 0; for (const v of r.display) m += v; m /= r.display.length;
      const { pixelDataSha256, ...rest } = r.info;
      console.log(n, (performance.now() - t).toFixed(0), 'ms mean', m.toFixed(3), JSON.stringify(rest), r.warnings.map((w) => w.code));
    } catch (e: any) { console.log(n, 'ERR', e.code, e.message); }
  }
})();

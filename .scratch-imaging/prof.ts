import { readFileSync } from 'node:fs';
import { prescan } from '../server/src/imaging/prescan';
import { parseDicom } from '../server/src/imaging/parse';
import { storedValues, sha256Hex } from '../server/src/imaging/pixels';
import { toDisplay } from '../server/src/imaging/voi';
import { DEFAULT_LIMITS } from '../server/src/config';
const b = readFileSync('/tmp/fx/big.dcm');
for (let k = 0; k < 4; k++) {
  let t = performance.now(); const lap = (s: string) => { const n = performance.now(); process.stdout.write(`${s}=${(n - t).toFixed(1)} `); t = n; };
  const pre = prescan(b, DEFAULT_LIMITS); lap('prescan');
  const h = parseDicom(pre); lap('parse');
  const bytes = new Uint8Array(h.pixelData![0]);
  const v = storedValues(bytes, 16, 12, 0, false); lap('stored');
  const s = sha256Hex(v); lap('sha');
  const d = toDisplay({ values: v, bitsStored: 12, signed: false, invert: false, slope: 1, intercept: 0, modalityLut: null, window: null, voiLut: null }); lap('display');
  console.log();
}

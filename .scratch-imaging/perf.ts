import { writeFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { decodeImage } from '../server/src/imaging/decode';
import { DEFAULT_LIMITS } from '../server/src/config';
import { chestDataset, writePart10 } from '../tests/support/dicomFixtures';
(async () => {
  const t0 = performance.now();
  writeFileSync('/tmp/fx/big.dcm', writePart10(chestDataset({ width: 2048, height: 2048, extra: { WindowCenter: undefined, WindowWidth: undefined } })));
  console.log('gen', (performance.now() - t0).toFixed(0));
  execFileSync('dcmcrle', ['/tmp/fx/big.dcm', '/tmp/fx/big-rle.dcm']);
  execFileSync('dcmcjpeg', ['+e1', '/tmp/fx/big.dcm', '/tmp/fx/big-70.dcm']);
  execFileSync('dcmcjpls', ['+el', '/tmp/fx/big.dcm', '/tmp/fx/big-ls.dcm']);
  for (const n of ['big', 'big', 'big', 'big-rle', 'big-70', 'big-ls']) {
    const b = readFileSync(`/tmp/fx/${n}.dcm`);
    const t = performance.now();
    const r = await decodeImage(b, 'application/dicom', {}, DEFAULT_LIMITS);
    console.log(n, (performance.now() - t).toFixed(0), 'ms', r.info.voi.used, r.info.pixelDataSha256.slice(0, 8));
  }
})();

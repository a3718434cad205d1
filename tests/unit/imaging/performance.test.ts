import assert from 'node:assert/strict';
import { decodeImage } from '../../../server/src/imaging/decode';
import { chestDataset, writePart10 } from '../../support/dicomFixtures';
import { LIMITS } from './helpers';

// Target: well under 300 ms on an idle core. The bound here is loose because test machines are shared.
test('a 2048×2048 16-bit native image decodes in well under 1.5 s (smoke)', async () => {
  const buf = writePart10(
    chestDataset({ width: 2048, height: 2048, extra: { WindowCenter: undefined, WindowWidth: undefined } }),
  );
  await decodeImage(buf, 'application/dicom', {}, LIMITS); // warm-up (JIT)
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const d = await decodeImage(buf, 'application/dicom', {}, LIMITS);
    best = Math.min(best, performance.now() - t);
    assert.equal(d.display.length, 2048 * 2048);
  }
  assert.ok(best < 1500, `best of 3: ${best.toFixed(0)} ms`);
});

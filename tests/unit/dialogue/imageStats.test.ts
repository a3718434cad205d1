// The image statistics the follow-up intents use take image coordinates; for a bounded display
// frame (images over MAX_DISPLAY_SIDE, `scale` > 1) they must read the same place of the image.
import assert from 'node:assert/strict';
import type { Point } from '../../../server/src/contract';
import { discMean, regionStats, ringMean } from '../../../server/src/dialogue/intents/imageStats';

function frame(size: number, scale: number) {
  const display = new Float32Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      // A bright disc of radius 30 image px at (150, 90) image px, on a 0.2 background.
      display[y * size + x] = Math.hypot((x + 0.5) * scale - 150, (y + 0.5) * scale - 90) <= 30 ? 0.9 : 0.2;
    }
  return { display, width: size, height: size, scale };
}

test('disc, ring and polygon statistics read the same image place at scale 1 and 2', () => {
  const full = frame(400, 1),
    half = frame(200, 2);
  const c: Point = [150, 90];
  for (const px of [full, half]) {
    assert.ok(Math.abs(discMean(px, c, 20) - 0.9) < 0.01, `disc inside the bright spot at scale ${px.scale}`);
    assert.ok(Math.abs(ringMean(px, c, 40, 60) - 0.2) < 0.01, `ring outside it at scale ${px.scale}`);
    const square: Point[] = [
      [135, 75],
      [165, 75],
      [165, 105],
      [135, 105],
    ];
    assert.ok(Math.abs(regionStats(px, square).mean - 0.9) < 0.02, `polygon inside it at scale ${px.scale}`);
  }
});

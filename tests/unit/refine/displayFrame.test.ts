/**
 * Issue 11.5: an image larger than MAX_DISPLAY_SIDE is kept as a block-averaged display frame
 * (imaging/displayFrame.ts); the focused re-analysis on that frame must measure what it measures
 * on the full-resolution image, in image px and mm.
 */
import assert from 'node:assert/strict';
import type { Point, SpacingSource } from '../../../server/src/contract';
import { refineRegion } from '../../../server/src/analysis/refine';
import { boundedFrame } from '../../../server/src/imaging/displayFrame';
import { coarseOutline, renderLesion, rng, syntheticBackground, type LesionSpec } from './synth';

describe('bounded display frame', () => {
  test(
    'frames within the bound are kept as they are; larger ' + 'ones are block-averaged by the smallest integer factor',
    () => {
      const small = new Float32Array(100 * 50).fill(0.5);
      const kept = boundedFrame(small, 100, 50, 100);
      assert.equal(kept.scale, 1);
      assert.equal(kept.display, small);
      const W = 7,
        H = 5;
      const d = Float32Array.from({ length: W * H }, (_, i) => i);
      const f = boundedFrame(d, W, H, 3); // ceil(7 / 3) = 3
      assert.deepEqual([f.width, f.height, f.scale], [3, 2, 3]);
      // block (0,0): rows 0..2, cols 0..2 → mean of 0,1,2,7,8,9,14,15,16 = 8
      assert.equal(f.display[0], 8);
      // edge block (2,1): rows 3..4, col 6 → mean of 27 and 34
      assert.equal(f.display[1 * 3 + 2], (27 + 34) / 2);
    },
  );

  test('a 7000² frame is kept at 3500² with MAX_DISPLAY_SIDE 4096 (49 MB instead of 196 MB)', () => {
    const f = boundedFrame(new Float32Array(7000 * 7000), 7000, 7000, 4096);
    assert.deepEqual([f.width, f.height, f.scale], [3500, 3500, 2]);
    assert.equal(f.display.byteLength, 3500 * 3500 * 4);
  });
});

describe('focused re-analysis on a stored frame of half resolution', () => {
  const W = 960,
    H = 960,
    C: Point = [480, 470];
  const MM = 0.175;
  const spacing = { mm: [MM, MM] as [number, number], source: 'PixelSpacing' as SpacingSource };
  for (const cls of ['smooth', 'lobulated'] as const) {
    test(`${cls}: diameter, centre and outline agree with the full-resolution result`, () => {
      const s: LesionSpec = { cls, center: C, radius: 80, aspect: 1.15, rotation: 0.4, contrast: 0.08, blur: 1.4 };
      const display = syntheticBackground(W, H, 21, { noise: 0.003 });
      renderLesion(display, W, H, s);
      const contour = coarseOutline(s, rng(5), 1.2, 0.05);
      const full = refineRegion({ display, width: W, height: H, contour, spacing });
      const f = boundedFrame(display, W, H, 480);
      assert.equal(f.scale, 2);
      const half = refineRegion({
        display: f.display,
        width: f.width,
        height: f.height,
        scale: f.scale,
        contour,
        spacing,
      });
      const dia = (r: typeof full) => r.measurements.find((m) => m.name === 'diameter')!;
      const dFull = dia(full).valueMm!,
        dHalf = dia(half).valueMm!;
      console.log(
        `${cls}: diameter ${dHalf.toFixed(2)} mm on the half frame vs ${dFull.toFixed(2)} mm at full resolution`,
      );
      assert.ok(
        Math.abs(dHalf - dFull) <= Math.max(0.5, 0.05 * dFull),
        `diameter ${dHalf.toFixed(2)} vs ${dFull.toFixed(2)} mm`,
      );
      assert.ok(
        Math.hypot(half.center[0] - full.center[0], half.center[1] - full.center[1]) <= 3,
        'centre within 3 image px',
      );
      // the outline is in image px: its extent matches the full-resolution one
      const xs = (r: typeof full) => r.contour.map((p) => p[0]);
      assert.ok(Math.abs(Math.max(...xs(half)) - Math.max(...xs(full))) <= 6);
      assert.ok(half.cropBox[2] <= W && half.cropBox[3] <= H);
    });
  }
});

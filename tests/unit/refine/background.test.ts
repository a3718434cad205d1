import assert from 'node:assert/strict';
import { blendBackground, directionalInpaint, edgeOrientation } from '../../../server/src/analysis/refine/background';
import { shapeOf } from '../../../server/src/analysis/refine/features';
import { inpaintRegion } from '../../../server/src/analysis/refine/segment';

// a 30 px wide bright band at 20° crossing a 40 px disc: the rib-aware fill keeps the band
const W = 160,
  H = 160,
  th = (20 * Math.PI) / 180;
function bandImage() {
  const img = new Float32Array(W * H),
    mask = new Uint8Array(W * H);
  const nx = -Math.sin(th),
    ny = Math.cos(th);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const d = (x - 80) * nx + (y - 80) * ny;
      img[y * W + x] = 0.3 + (Math.abs(d) < 15 ? 0.08 : 0);
      if (Math.hypot(x - 80, y - 80) < 40) mask[y * W + x] = 1;
    }
  return { img, mask };
}

test('edgeOrientation finds the direction of a straight band', () => {
  const { img } = bandImage();
  const o = edgeOrientation(img, W, H, [80, 80], 44, 75);
  let d = Math.abs(o.theta - th) % Math.PI;
  d = Math.min(d, Math.PI - d);
  assert.ok(d < 0.12, `theta ${o.theta}`);
  assert.ok(o.coherence > 0.6);
});

test('directional in-painting carries a rib band through the region; harmonic fill leaves residue', () => {
  const { img, mask } = bandImage();
  const dir = directionalInpaint(img, W, H, mask, th);
  const harm = inpaintRegion(img, W, H, mask);
  let eDir = 0,
    eHarm = 0,
    n = 0;
  for (let i = 0; i < mask.length; i++)
    if (mask[i]) {
      eDir += Math.abs(dir[i]! - img[i]!);
      eHarm += Math.abs(harm[i]! - img[i]!);
      n++;
    }
  assert.ok(eDir / n < 0.004, `directional residue ${eDir / n}`);
  assert.ok(eHarm / n > 2 * (eDir / n));
  // incoherent surroundings: the blend keeps the harmonic fill
  const same = blendBackground(harm, img, W, H, mask, { theta: th, coherence: 0.1 }, 0.2, 0.5);
  assert.equal(same, harm);
});

test('shapeOf: a straight band is elongated, a disc is not', () => {
  const band = { pixels: [] as number[], area: 0, cx: 0, cy: 0, touchesBorder: false, borderCount: 0 };
  const disc = { ...band, pixels: [] as number[] };
  for (let y = 0; y < 40; y++)
    for (let x = 0; x < 40; x++) {
      if (y >= 18 && y < 22) band.pixels.push(y * 40 + x);
      if (Math.hypot(x - 20, y - 20) < 10) disc.pixels.push(y * 40 + x);
    }
  assert.ok(shapeOf(band, 40).elong > 5);
  assert.ok(Math.abs(shapeOf(band, 40).length - 40) < 3);
  assert.ok(shapeOf(disc, 40).elong < 1.2);
});

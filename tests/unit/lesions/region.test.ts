import assert from 'node:assert/strict';
import type { ImageInfo, Location } from '../../../server/src/contract';
import { extractFindings } from '../../../server/src/analysis/lesions';
import { convexHull, inThoracicRegion, thoracicRegion } from '../../../server/src/analysis/lesions/region';

// A 100×100 grid standing for a 1000×1000 image: two "lungs" (rectangles with a dome-shaped
// lower edge), the right lung on the image left (x 15..40), the left lung (x 60..85), apices at
// y 15, lower edges at y 70 laterally rising to 60 medially (the domes) — heart in between.
const G = 100;
function lungs(): { r: Float32Array; l: Float32Array } {
  const r = new Float32Array(G * G),
    l = new Float32Array(G * G);
  for (let y = 0; y < G; y++)
    for (let x = 0; x < G; x++) {
      if (x >= 15 && x <= 40 && y >= 15 && y <= 70 - Math.round(((x - 15) * 10) / 25)) r[y * G + x] = 0.9;
      if (x >= 60 && x <= 85 && y >= 15 && y <= 60 + Math.round(((x - 60) * 10) / 25)) l[y * G + x] = 0.9;
    }
  return { r, l };
}
const region = () => {
  const { r, l } = lungs();
  return thoracicRegion({ gridWidth: G, gridHeight: G, columns: 1000, rows: 1000, lungRight: r, lungLeft: l })!;
};

test('convex hull of a square with an inner point', () => {
  const h = convexHull([
    [0, 0],
    [2, 0],
    [2, 2],
    [0, 2],
    [1, 1],
  ]);
  assert.equal(h.length, 4);
});

test(
  'thoracic region: lungs, the retrocardiac part between them, a ' +
    'little below the domes; not the neck, abdomen or beyond the ribs',
  () => {
    const reg = region();
    const at = (x: number, y: number) => inThoracicRegion(reg, [x * 10 + 5, y * 10 + 5]);
    assert.ok(at(25, 40) && at(75, 40), 'inside both lungs');
    assert.ok(at(50, 50), 'between the lungs (behind the heart / mediastinum)');
    assert.ok(at(50, 62), 'behind the heart, down to the cardiophrenic angles');
    assert.ok(at(30, 67), 'just below the dome (posterior sulcus)');
    assert.ok(!at(50, 5), 'the neck above the apices');
    assert.ok(!at(25, 90) && !at(75, 90) && !at(50, 90), 'the upper abdomen below the bases');
    assert.ok(!at(3, 40) && !at(97, 40), 'beyond the lateral chest wall');
    assert.ok(!inThoracicRegion(reg, [-5, 400]) && !inThoracicRegion(reg, [400, 1200]), 'outside the image');
  },
);

test('no lungs → no region', () => {
  assert.equal(
    thoracicRegion({
      gridWidth: G,
      gridHeight: G,
      columns: 1000,
      rows: 1000,
      lungRight: new Float32Array(G * G),
      lungLeft: null,
    }),
    null,
  );
});

test('extractFindings drops candidates outside the region and never describes them', () => {
  const S = 100;
  const nodule = new Float32Array(S * S),
    opacity = new Float32Array(S * S);
  const blob = (cx: number, cy: number, peak: number) => {
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) / 3;
        if (d <= 1) nodule[y * S + x] = Math.max(nodule[y * S + x]!, peak * (1 - 0.5 * d));
      }
  };
  blob(25, 40, 0.9); // in the right lung
  blob(75, 90, 0.97); // bowel gas under the left dome
  blob(50, 6, 0.95); // neck
  const info = {
    rows: 1000,
    columns: 1000,
    pixelSpacingMm: [0.35, 0.35],
    spacingSource: 'PixelSpacing',
  } as unknown as ImageInfo;
  const loc = (): Location =>
    ({
      side: 'right',
      zone: 'middle',
      band: 'middle',
      lobe: null,
      lobeProbabilities: null,
      text: { zh: '右肺', en: 'right lung' },
    }) as unknown as Location;
  const image = { width: 1000, height: 1000, info };
  const all = extractFindings({ nodule, opacity, size: S }, image, 0.5, loc);
  assert.equal(all.length, 3, 'without a region every candidate is a finding');
  const gated = extractFindings({ nodule, opacity, size: S }, image, 0.5, loc, { region: region() });
  assert.equal(gated.length, 1);
  assert.ok(Math.abs(gated[0]!.center[0] - 250) < 15 && Math.abs(gated[0]!.center[1] - 400) < 15);
  assert.equal(gated[0]!.id, 'F1');
  const high = extractFindings({ nodule, opacity, size: S }, image, 0.5, loc, { region: region(), minScore: 0.95 });
  assert.equal(high.length, 0, 'out of domain: only the high-confidence band');
});

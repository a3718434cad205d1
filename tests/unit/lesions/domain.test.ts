/**
 * The image-domain check (api.md 4.3) and the thoracic-region gate (6.1) through the real analysis
 * path with the shipped models: a synthetic knee and a noise image get the out-of-domain answer and
 * no finding; a real chest (JSRT, when ../shared/data is present) is in domain.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { buildAnalysers, type ModelRuntime } from '../../../server/src/analysis/buildAnalysers';
import { runAnalysis } from '../../../server/src/analysis/pipeline';
import { assessDomain, type DomainFeatures } from '../../../server/src/analysis/domain';
import { DEFAULT_LIMITS, loadConfig } from '../../../server/src/config';
import { createLogger } from '../../../server/src/logger';
import { mulberry32 } from '../../support/rng';

const ROOT = path.resolve(__dirname, '../../..');
const JSRT = path.resolve(ROOT, '../shared/data/jsrt-train/images/JPCLN001.png');
const haveModels =
  existsSync(path.join(ROOT, 'models/cxr-anatomy/1/model.onnx')) &&
  existsSync(path.join(ROOT, 'models/cxr-lesion/1/model.onnx'));
const skip = haveModels ? false : 'the shipped models are absent';
let rt: ModelRuntime;

beforeAll(async () => {
  if (!haveModels) return;
  rt = await buildAnalysers(
    loadConfig({ LOG_LEVEL: 'error' }, ROOT),
    createLogger('error', () => {}),
  );
});
afterAll(async () => {
  await rt?.close();
});

async function png(w: number, h: number, f: (x: number, y: number) => number): Promise<Buffer> {
  const px = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) px[y * w + x] = Math.max(0, Math.min(255, Math.round(255 * f(x, y))));
  return sharp(px, { raw: { width: w, height: h, channels: 1 } })
    .png()
    .toBuffer();
}

/** A frontal knee: soft tissue, femur above and tibia + fibula below a joint space, bright cortices. */
function knee(x: number, y: number): number {
  const W = 768;
  const soft = Math.abs(x - W / 2) < 300 ? 0.35 : 0.05;
  const bone = (cx: number, hw: number) => {
    const d = Math.abs(x - cx) / hw;
    return d < 1 ? 0.55 + 0.3 * d * d : 0;
  };
  let v = soft;
  if (y < 360) v = Math.max(v, bone(W / 2, 110 + Math.max(0, y - 250) * 0.8));
  if (y > 400) {
    v = Math.max(v, bone(W / 2 - 10, 120 - Math.min(40, (y - 400) * 0.3)));
    v = Math.max(v, bone(W / 2 + 170, 28));
  }
  return v;
}

const analyse = (bytes: Buffer, mediaType: 'image/png', spacing: [number, number] | null = null) =>
  runAnalysis(
    { bytes, mediaType, sourceKind: 'upload', fetchMs: null, pixelSpacingMm: spacing, viewPosition: null },
    rt.analysers,
    DEFAULT_LIMITS,
    60_000,
  );

(skip ? test.skip : test)('a synthetic knee: out of domain, no finding', async () => {
  const e = await analyse(await png(768, 768, knee), 'image/png', [0.2, 0.2]);
  const a = e.analysis;
  assert.ok(a.domain, 'domain populated');
  assert.equal(a.domain!.inDomain, false);
  assert.ok(a.domain!.reasons.length > 0 && a.domain!.reasons.every((r) => r.zh && r.en));
  assert.deepEqual(a.findings, [], 'never a nodule on a knee');
});

(skip ? test.skip : test)('uniform noise: out of domain, no finding', async () => {
  const r = mulberry32(7);
  const a = (await analyse(await png(512, 512, () => r()), 'image/png')).analysis;
  assert.equal(a.domain!.inDomain, false);
  assert.deepEqual(a.findings, []);
});

(skip || (existsSync(JSRT) ? false : `${JSRT} is absent (CI has ../shared)`) ? test.skip : test)(
  'a real JSRT chest: in domain, findings inside the thoracic region',
  async () => {
    const a = (await analyse(readFileSync(JSRT), 'image/png', [0.35, 0.35])).analysis;
    assert.equal(a.domain!.inDomain, true, JSON.stringify(a.domain));
    assert.ok(a.domain!.score > 0.9);
    assert.ok(a.domain!.validatedOn.length >= 2);
    assert.ok(a.findings.length >= 1, 'the obvious JPCLN001 nodule is found');
  },
);

test('assessDomain: paediatric proportions, one lung, flat exposure, lateral', () => {
  const adult: DomainFeatures = {
    anatomyAvailable: true,
    lateral: false,
    lungFraction: 0.28,
    lungBalance: 0.85,
    envelopeWidthFraction: 0.78,
    envelopeAspect: 0.95,
    thoraxWidthMm: 290,
    heartWidthRatio: 0.45,
    lungMean: 0.55,
    centralMean: 0.75,
    saturated: 0.01,
    displayStd: 0.19,
  };
  assert.equal(assessDomain(adult).domain.inDomain, true);
  const child = assessDomain({ ...adult, thoraxWidthMm: 160, heartWidthRatio: 0.56 });
  assert.equal(child.domain.inDomain, false);
  assert.match(child.domain.reasons[0]!.en, /paediatric/);
  assert.equal(child.notChest, false, 'a child is still a chest: the high-confidence band is reported');
  assert.equal(
    assessDomain({ ...adult, thoraxWidthMm: 160 }).domain.inDomain,
    true,
    'narrow by (possibly wrong) spacing alone is not paediatric',
  );
  assert.match(assessDomain({ ...adult, lungBalance: 0.1 }).domain.reasons[0]!.en, /one lung/);
  assert.match(assessDomain({ ...adult, centralMean: 0.56 }).domain.reasons[0]!.en, /exposure/);
  const lat = assessDomain({ ...adult, lateral: true });
  assert.equal(lat.notChest, true);
  assert.equal(lat.domain.score, 0);
});

import assert from 'node:assert/strict';
import sharp from 'sharp';
import { buildAnatomy, locate, renderMaskPng } from '../../../server/src/analysis/anatomy';
import { pointInAnyPolygon } from '../../../server/src/geometry';
import { SKIP_JSRT, imageInfo, jsrtNodules, jsrtProbabilities } from './jsrtFixture';

const CASES = ['JPCLN001', 'JPCNN005', 'JPCLN050'];

(SKIP_JSRT ? test.skip : test)(
  'anatomy from ground-truth SCR masks: structures, landmarks, zones, bands, lobes, CTR',
  async () => {
    for (const id of CASES) {
      const { anatomy, warnings } = buildAnatomy(await jsrtProbabilities(id), imageInfo(), {
        analysisId: 'an_test000001',
        modelRef: 'gt@0',
      });
      assert.equal(anatomy.available, true);
      const ids = anatomy.structures.map((s) => s.id);
      assert.deepEqual(ids, ['lung_right', 'lung_left', 'heart', 'clavicle_right', 'clavicle_left'], id);
      for (const s of anatomy.structures) {
        assert.ok(s.contours.length >= 1 && s.contours.every((c) => c.length >= 3 && c.length <= 512));
        assert.ok(
          s.areaMm2! > 0 && s.confidence > 0.5 && s.maskUrl === `/api/v1/analyses/an_test000001/masks/${s.id}.png`,
        );
      }
      const lr = anatomy.structures.find((s) => s.id === 'lung_right')!,
        ll = anatomy.structures.find((s) => s.id === 'lung_left')!;
      assert.ok(lr.bbox[0] < ll.bbox[0], 'patient right lung on the image left');
      assert.ok(lr.areaPx > 60000 && lr.areaPx < 250000, `${lr.areaPx}`);
      const lm = Object.fromEntries(anatomy.landmarks.map((l) => [l.id, l]));
      for (const k of [
        'hilum_right',
        'hilum_left',
        'carina',
        'apex_right',
        'apex_left',
        'costophrenic_angle_right',
        'costophrenic_angle_left',
        'cardiophrenic_angle_right',
        'cardiophrenic_angle_left',
        'hemidiaphragm_right',
        'hemidiaphragm_left',
        'heart_border_right',
        'heart_border_left',
        'midline',
      ]) {
        assert.ok(lm[k], `${id} ${k}`);
      }
      assert.ok(lm.hilum_left!.point[1] <= lm.hilum_right!.point[1], `${id} left hilum not above right`);
      assert.ok(lm.hilum_right!.region!.length >= 3 && lm.hilum_right!.confidence > 0);
      assert.ok(
        lm.apex_right!.point[1] < lm.hilum_right!.point[1] &&
          lm.hilum_right!.point[1] < lm.costophrenic_angle_right!.point[1],
      );
      assert.ok(
        lm.costophrenic_angle_right!.point[0] < lm.cardiophrenic_angle_right!.point[0],
        'CP angle lateral (image left) on the right',
      );
      assert.ok(lm.hemidiaphragm_right!.polyline!.length >= 2);
      assert.equal(anatomy.zones.length, 6);
      assert.equal(anatomy.bands.length, 6);
      const zr = anatomy.zones.find((z) => z.id === 'zone_right_middle')!;
      assert.ok(Math.abs(zr.yRange[1] - zr.yRange[0] - (lr.bbox[3] - lr.bbox[1]) / 3) < 0.05);
      assert.ok(
        anatomy.lobes!.regions.some((r) => r.id === 'RUL') && anatomy.lobes!.regions.some((r) => r.id === 'LLL'),
      );
      const ctr = anatomy.cardiothoracicRatio!;
      assert.ok(ctr.value > 0.3 && ctr.value < 0.65, `${id} CTR ${ctr.value}`);
      assert.equal(ctr.reliable, true);
      assert.equal(ctr.cardiacWidth.measurement.unit, 'cm');
      assert.equal(ctr.cardiacWidth.measurement.estimate, true);
      assert.deepEqual(warnings, []);
    }
  },
);

(SKIP_JSRT ? test.skip : test)('CTR unreliable outside PA, mm fields null without spacing', async () => {
  const img = imageInfo({ viewPosition: 'AP', spacingSource: 'none', pixelSpacingMm: null });
  const { anatomy } = buildAnatomy(await jsrtProbabilities('JPCNN005'), img, { analysisId: 'an_x', modelRef: null });
  assert.equal(anatomy.cardiothoracicRatio!.reliable, false);
  assert.match(anatomy.cardiothoracicRatio!.note!.zh, /AP/);
  assert.equal(anatomy.cardiothoracicRatio!.cardiacWidth.measurement.unit, 'px');
  assert.ok(anatomy.structures.every((s) => s.areaMm2 === null));
  const lateral = buildAnatomy(await jsrtProbabilities('JPCNN005'), imageInfo({ viewPosition: 'LL' }), {
    analysisId: 'an_x',
    modelRef: null,
  });
  assert.equal(lateral.anatomy.unavailableReason, 'not_frontal');
});

(SKIP_JSRT ? test.skip : test)('mirrored film: sides follow Patient Orientation', async () => {
  const p = await jsrtProbabilities('JPCNN005');
  // flip the probabilities horizontally; a model naming lungs by image side keeps channel order
  const n = p.width * p.height,
    d = new Float32Array(p.data.length);
  for (let c = 0; c < p.labels.length; c++)
    for (let y = 0; y < p.height; y++)
      for (let x = 0; x < p.width; x++) d[c * n + y * p.width + x] = p.data[c * n + y * p.width + (p.width - 1 - x)]!;
  const { anatomy, warnings } = buildAnatomy({ ...p, data: d }, imageInfo({ patientOrientation: ['R', 'F'] }), {
    analysisId: 'an_x',
    modelRef: null,
  });
  const lr = anatomy.structures.find((s) => s.id === 'lung_right')!,
    ll = anatomy.structures.find((s) => s.id === 'lung_left')!;
  assert.ok(lr.bbox[0] > ll.bbox[0], 'patient right lung on the image right');
  assert.deepEqual(warnings, []);
  const unflipped = buildAnatomy({ ...p, data: d }, imageInfo(), { analysisId: 'an_x', modelRef: null });
  assert.ok(unflipped.warnings.includes('situs_or_flip_suspected'));
});

(SKIP_JSRT ? test.skip : test)('JSRT RML nodules: zone, band, lobe', async () => {
  const rml = jsrtNodules().filter((n) => n.lobe === 'RML');
  assert.equal(rml.length, 9);
  let mentioned = 0,
    top = 0;
  for (const n of rml) {
    const { anatomy } = buildAnatomy(await jsrtProbabilities(n.id), imageInfo(), {
      analysisId: 'an_x',
      modelRef: null,
    });
    const loc = locate(anatomy, [n.x + 0.5, n.y + 0.5], imageInfo());
    assert.equal(loc.side, 'right', n.id);
    if (loc.inLung) {
      assert.ok(loc.zone === 'middle' || loc.zone === 'lower', `${n.id} zone ${loc.zone}`);
      assert.ok(loc.text.zh.startsWith(`右肺${loc.zone === 'middle' ? '中' : '下'}野`), loc.text.zh);
      assert.match(loc.text.en, /^right (mid|lower) zone, (inner|middle|outer) band \(projects over the right /);
    }
    if (loc.lobe === 'RML') top++;
    if (loc.lobe === 'RML' || (loc.lobeConfidence! < 0.5 && /中叶/.test(loc.text.zh))) mentioned++;
    assert.ok(Math.abs(Object.values(loc.lobeProbabilities!).reduce((a, b) => a + b!, 0) - 1) < 0.02);
  }
  assert.ok(top >= 5, `RML as most probable lobe in ${top}/9`);
  assert.ok(mentioned >= 7, `RML named in ${mentioned}/9`);
});

(SKIP_JSRT ? test.skip : test)('mask PNG: grey 8-bit, image size, 0/255, matches the contours', async () => {
  const img = imageInfo({ rows: 2048, columns: 2048, pixelSpacingMm: [0.175, 0.175] });
  const { anatomy, state } = buildAnatomy(await jsrtProbabilities('JPCNN005'), img, {
    analysisId: 'an_x',
    modelRef: null,
  });
  const png = await renderMaskPng(state, 'lung_right');
  assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  assert.equal(png[25], 0, 'colour type 0 (grey)');
  assert.equal(png[24], 8, 'bit depth 8');
  const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height, info.channels], [2048, 2048, 1]);
  assert.ok(data.every((v) => v === 0 || v === 255));
  const polys = anatomy.structures.find((s) => s.id === 'lung_right')!.contours;
  let agree = 0,
    total = 0;
  for (let y = 8; y < 2048; y += 37)
    for (let x = 8; x < 2048; x += 37) {
      total++;
      if ((data[y * 2048 + x] === 255) === pointInAnyPolygon([x + 0.5, y + 0.5], polys)) agree++;
    }
  assert.ok(agree / total > 0.995, `${agree}/${total}`);
  await assert.rejects(
    renderMaskPng(state, 'ribs'),
    (e: { details?: { reason?: string } }) => e.details?.reason === 'not_segmented',
  );
  await assert.rejects(renderMaskPng(state, 'kidney'), /No structure/);
  const lungs = await renderMaskPng(state, 'lungs');
  assert.ok(lungs.length > 0);
});

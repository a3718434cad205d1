import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { call, startTestServer, type TestServer } from '../support/server';
import { makeFixtures, wrapPngAsDicom } from '../support/dicomFixtures';

const MODEL = path.resolve(__dirname, '../../models/cxr-anatomy/1/model.onnx');
const JSRT = path.resolve(__dirname, '../../../shared/data/jsrt-train/images/JPCNN001.png');

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

/** A frontal chest image: a real JSRT normal when ../shared is present, else the synthetic chest. */
async function frontal(): Promise<Buffer> {
  if (existsSync(JSRT)) return wrapPngAsDicom(readFileSync(JSRT));
  return readFileSync((await makeFixtures()).paths.explicit);
}

(!existsSync(MODEL) && 'models/cxr-anatomy is not installed' ? test.skip : test)(
  'with the anatomy model installed: map, masks, anatomy turns',
  async () => {
    const status = await call(`${srv.url}/api/v1/status`);
    const m = status.body.models.find((x: any) => x.name === 'cxr-anatomy');
    assert.ok(m?.loaded, 'anatomy model loaded');
    assert.equal(m.provider, 'cpu');
    assert.match(m.sha256, /^[0-9a-f]{64}$/);

    const a = await call(`${srv.url}/api/v1/analyses`, {
      method: 'POST',
      headers: { 'content-type': 'application/dicom' },
      body: await frontal(),
    });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    const an = a.body.anatomy;
    assert.equal(an.available, true);
    assert.deepEqual(
      a.body.models.map((x: any) => x.name),
      ['cxr-anatomy', ...(a.body.models.length > 1 ? ['cxr-lesion'] : [])],
    );
    for (const id of ['lung_right', 'lung_left', 'heart'])
      assert.ok(
        an.structures.some((s: any) => s.id === id),
        id,
      );
    assert.equal(an.zones.length, 6);
    assert.equal(an.bands.length, 6);
    assert.ok(an.landmarks.some((l: any) => l.id === 'hilum_right'));

    for (const id of ['lungs', 'heart', 'clavicles']) {
      const res = await fetch(`${srv.url}/api/v1/analyses/${a.body.id}/masks/${id}.png`);
      assert.equal(res.status, 200, id);
      const png = Buffer.from(await res.arrayBuffer());
      assert.equal(png[24], 8, 'bit depth 8');
      assert.equal(png[25], 0, 'colour type 0 (grey)');
      assert.equal(png[28], 0, 'not interlaced');
      const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      assert.equal(info.width, a.body.image.columns);
      assert.equal(info.height, a.body.image.rows);
      assert.ok(
        data.every((v) => v === 0 || v === 255),
        'binary mask',
      );
    }
    const ribs = await call(`${srv.url}/api/v1/analyses/${a.body.id}/masks/ribs.png`);
    assert.equal(ribs.status, 404);
    assert.equal(ribs.body.error.details.reason, 'not_segmented');

    const s = await call(`${srv.url}/api/v1/sessions`, { method: 'POST', json: { analysisId: a.body.id } });
    const show = await call(`${srv.url}/api/v1/sessions/${s.body.id}/turns`, {
      method: 'POST',
      json: { text: '显示双肺和心脏' },
    });
    assert.equal(show.body.understanding.intent, 'show_anatomy');
    const outlined = new Set(
      show.body.annotations.filter((n: any) => n.kind === 'outline').map((n: any) => n.structureId),
    );
    assert.deepEqual([...outlined].sort(), ['heart', 'lung_left', 'lung_right']);
    const ctr = await call(`${srv.url}/api/v1/sessions/${s.body.id}/turns`, {
      method: 'POST',
      json: { text: 'What is the cardiothoracic ratio?' },
    });
    assert.equal(ctr.body.understanding.intent, 'cardiothoracic_ratio');
    const links = ctr.body.annotations.filter((n: any) => n.kind === 'link');
    if (an.cardiothoracicRatio) {
      assert.deepEqual(links.map((l: any) => l.measurement.name).sort(), ['cardiacWidth', 'thoracicWidth']);
      for (const l of links) assert.equal(l.points[0][1], l.points[1][1], 'width lines are horizontal');
    } else {
      // The synthetic chest (no ../shared) may give no measurable heart: then nothing is drawn or invented.
      assert.deepEqual(links, []);
      assert.match(ctr.body.answer.headline, /cannot|not/i);
    }
    const hilum = await call(`${srv.url}/api/v1/sessions/${s.body.id}/turns`, {
      method: 'POST',
      json: { text: '右肺门在哪里?' },
    });
    assert.equal(hilum.body.understanding.intent, 'location');
    assert.ok(hilum.body.annotations.some((n: any) => n.kind === 'points' && n.markers[0].kind === 'landmark'));
    const lm = (await call(`${srv.url}/api/v1/sessions/${s.body.id}`)).body.anchors.find(
      (x: any) => x.kind === 'landmark',
    );
    assert.equal(lm.landmarkId, 'hilum_right');
    const loc = await call(
      `${srv.url}/api/v1/analyses/${a.body.id}/location?x=${a.body.image.columns * 0.3}&y=${a.body.image.rows * 0.45}`,
    );
    assert.equal(loc.body.location.side, 'right');
  },
);

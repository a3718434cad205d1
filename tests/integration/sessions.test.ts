import assert from 'node:assert/strict';
import { call, startTestServer, type TestServer } from '../support/server';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeChestPng } from '../support/dicomFixtures';

const chestPng = (w: number, h: number) => makeChestPng(w, h);

let srv: TestServer;
// Measuring needs no model: this suite runs with an empty MODELS_DIR.
beforeAll(async () => {
  srv = await startTestServer({ MODELS_DIR: mkdtempSync(path.join(tmpdir(), 'cxr-nomodels-')) });
});
afterAll(async () => {
  await srv.close();
});

async function pngAnalysis(spacing = '0.5,0.5'): Promise<any> {
  const r = await call(`${srv.url}/api/v1/analyses?pixelSpacingMm=${spacing}&viewPosition=PA`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: await chestPng(256, 256),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function session(analysisId: string, language?: 'zh' | 'en'): Promise<any> {
  const r = await call(`${srv.url}/api/v1/sessions`, { method: 'POST', json: { analysisId, language } });
  assert.equal(r.status, 201);
  assert.match(r.headers.get('location') ?? '', /^\/api\/v1\/sessions\/ss_[0-9a-z]+$/);
  return r.body;
}

const anchor = (sid: string, geometry: unknown) =>
  call(`${srv.url}/api/v1/sessions/${sid}/anchors`, { method: 'POST', json: { geometry } });
const turn = (sid: string, body: unknown) =>
  call(`${srv.url}/api/v1/sessions/${sid}/turns`, { method: 'POST', json: body });

describe('analysis without models', () => {
  test('PNG upload: spacing from the request, no invented anatomy or findings', async () => {
    const a = await pngAnalysis();
    assert.match(a.id, /^an_[0-9a-z]{10,32}$/);
    assert.equal(a.image.spacingSource, 'PixelSpacing');
    assert.equal(a.image.spacingDetail.origin, 'request');
    assert.deepEqual(a.image.pixelSpacingMm, [0.5, 0.5]);
    assert.equal(a.anatomy.available, false);
    assert.deepEqual(a.findings, []);
    assert.deepEqual(a.models, []);
    const got = await call(`${srv.url}/api/v1/analyses/${a.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.id, a.id);
    assert.equal(got.headers.get('cache-control'), 'no-store');
    assert.ok(got.headers.get('x-request-id'));
  });

  test('location of a point without anatomy gives the side only', async () => {
    const a = await pngAnalysis();
    const left = await call(`${srv.url}/api/v1/analyses/${a.id}/location?x=40&y=100`);
    assert.equal(left.status, 200);
    assert.equal(left.body.location.side, 'right');
    assert.equal(left.body.location.inLung, false);
    const out = await call(`${srv.url}/api/v1/analyses/${a.id}/location?x=400&y=100`);
    assert.equal(out.status, 400);
    assert.equal(out.body.error.code, 'invalid_request');
  });
});

describe('sessions, user anchors and measuring turns', () => {
  const cases = [
    { lang: 'zh' as const, text: '这两个点相距多远?', unit: /约\d+\.\d (cm|mm)/ },
    { lang: 'en' as const, text: 'How far apart are these two points?', unit: /\d+\.\d (cm|mm)/ },
  ];
  for (const c of cases) {
    test(`distance between two drawn points (${c.lang})`, async () => {
      const a = await pngAnalysis();
      const s = await session(a.id, c.lang);
      assert.deepEqual(s.anchors, []);
      const p1 = await anchor(s.id, { type: 'point', point: [50, 60] });
      const p2 = await anchor(s.id, { type: 'point', point: [110, 140] });
      assert.equal(p1.status, 201);
      assert.equal(p1.body.kind, 'user');
      assert.equal(p1.body.id, 'A1');
      assert.equal(p2.body.id, 'A2');
      const t = await turn(s.id, { text: c.text });
      assert.equal(t.status, 201, JSON.stringify(t.body));
      assert.equal(t.body.understanding.intent, 'distance');
      assert.equal(t.body.language, c.lang);
      assert.deepEqual(
        t.body.resolvedAnchors.map((r: any) => r.anchorId),
        ['A1', 'A2'],
      );
      assert.equal(t.body.resolvedAnchors[0].reason, 'recent_anchors');
      const link = t.body.annotations.find((n: any) => n.kind === 'link');
      assert.ok(link, 'a link annotation');
      assert.equal(link.style.lineDash, 'dashed');
      // 0.5 mm/px: sqrt(60² + 80²) px = 100 px = 50 mm = 5.0 cm.
      assert.equal(link.measurement.name, 'centerDistance');
      assert.equal(link.measurement.valueMm, 50);
      assert.equal(link.measurement.unit, 'cm');
      assert.equal(link.measurement.value, 5);
      assert.equal(link.measurement.estimate, true);
      assert.equal(link.measurement.spacingSource, 'PixelSpacing');
      assert.match(t.body.answer.headline, c.unit);
      assert.equal(t.body.createdAnchorIds.length, 1);
      const m = t.body.createdAnchorIds[0];
      const ma = await call(`${srv.url}/api/v1/sessions/${s.id}/anchors/${m}`);
      assert.equal(ma.body.kind, 'measurement');
      assert.equal(ma.body.relation.fromAnchorId, 'A1');
      assert.equal(ma.body.relation.toAnchorId, 'A2');
      const full = await call(`${srv.url}/api/v1/sessions/${s.id}`);
      assert.deepEqual(
        full.body.annotations.map((n: any) => n.id),
        t.body.annotations.map((n: any) => n.id),
      );
    });
  }

  test('size of an ellipse region, in Chinese; a point has no size', async () => {
    const a = await pngAnalysis();
    const s = await session(a.id);
    const e = await anchor(s.id, { type: 'ellipse', center: [128, 128], radii: [20, 10], rotationDeg: 0 });
    assert.equal(e.status, 201);
    const area = e.body.measurements.find((m: any) => m.name === 'area');
    assert.ok(Math.abs(area.valueMm - Math.PI * 20 * 10 * 0.25) < 0.01);
    const t = await turn(s.id, { text: '这个区域有多大?' });
    assert.equal(t.body.understanding.intent, 'size');
    assert.equal(t.body.resolvedAnchors[0].anchorId, 'A1');
    const links = t.body.annotations.filter((n: any) => n.kind === 'link');
    assert.equal(links.length, 2);
    assert.deepEqual(links.map((l: any) => l.measurement.name).sort(), ['longAxis', 'shortAxis']);
    assert.equal(links.find((l: any) => l.measurement.name === 'longAxis').measurement.valueMm, 20);
    assert.match(t.body.answer.headline, /约2\.0 cm/);
    await anchor(s.id, { type: 'point', point: [10, 10] });
    const t2 = await turn(s.id, { text: 'How big is this?' });
    assert.equal(t2.body.understanding.intent, 'size');
    assert.equal(t2.body.language, 'en');
    assert.match(t2.body.answer.headline, /no size/);
  });

  test('where is a point, and help, in both languages', async () => {
    const a = await pngAnalysis();
    const s = await session(a.id);
    await anchor(s.id, { type: 'point', point: [200, 100] });
    const t = await turn(s.id, { text: '这个点在哪里?' });
    assert.equal(t.body.understanding.intent, 'location');
    assert.match(t.body.answer.headline, /A1/);
    assert.ok(t.body.annotations.some((n: any) => n.kind === 'points'));
    const h = await turn(s.id, { text: 'What can I ask?' });
    assert.equal(h.body.understanding.intent, 'help');
    assert.equal(h.body.answer.sections[0].id, 'help');
    const u = await turn(s.id, { text: '今天天气怎么样?' });
    assert.equal(u.body.understanding.intent, 'unknown');
  });

  test('uncalibrated image: px units, null mm', async () => {
    const r = await call(`${srv.url}/api/v1/analyses`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: await chestPng(128, 128),
    });
    assert.equal(r.body.image.spacingSource, 'none');
    const s = await session(r.body.id, 'en');
    await anchor(s.id, { type: 'point', point: [10, 10] });
    await anchor(s.id, { type: 'point', point: [13, 14] });
    const t = await turn(s.id, { text: 'distance between these two points' });
    const link = t.body.annotations.find((n: any) => n.kind === 'link');
    assert.equal(link.measurement.unit, 'px');
    assert.equal(link.measurement.valueMm, null);
    assert.equal(link.measurement.value, 5);
  });

  test('deleting a user anchor removes its measurement and annotations', async () => {
    const a = await pngAnalysis();
    const s = await session(a.id, 'en');
    await anchor(s.id, { type: 'point', point: [10, 10] });
    await anchor(s.id, { type: 'point', point: [50, 50] });
    await turn(s.id, { text: 'How far apart are A1 and A2?' });
    const del = await call(`${srv.url}/api/v1/sessions/${s.id}/anchors/A1`, { method: 'DELETE' });
    assert.equal(del.status, 204);
    const full = await call(`${srv.url}/api/v1/sessions/${s.id}`);
    assert.deepEqual(
      full.body.anchors.map((x: any) => x.id),
      ['A2'],
    );
    assert.deepEqual(full.body.annotations, []);
    const again = await anchor(s.id, { type: 'point', point: [20, 20] });
    assert.equal(again.body.id, 'A4', 'anchor ids are never reused');
  });
});

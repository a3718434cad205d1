/**
 * Prior comparison through the real HTTP API and models (issue 17, api.md 8.4 / 10.7 compare_prior):
 * synthetic prior/current pairs made from JSRT normal films (tests/support/priorPair.ts) with a known
 * nodule change and a pose change; PUT/DELETE prior and its 4xx cases; zh/en answers checked against
 * the truth; the report's comparison section; the SR through dsrdump.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { call, startTestServer, type TestServer } from '../support/server';
import {
  applyPose,
  JSRT_DIR,
  greyToDicom,
  makePairImages,
  readGreyPng,
  type PairImages,
  type PairSpec,
} from '../support/priorPair';

const HAVE_DATA = existsSync(path.join(JSRT_DIR, 'images', 'JPCNN001.png'));
const d = HAVE_DATA ? describe : describe.skip;
const MM = 0.35;
const DAY = 20400;
const INTERVAL = 731;

let srv: TestServer;
const api = (p: string, init?: RequestInit & { json?: unknown }) => call(`${srv.url}${p}`, init);

async function postImage(img: PairImages['prior'], day: number, viewPosition?: string): Promise<any> {
  const body = greyToDicom(img, {
    pixelSpacingMm: MM,
    patientId: 'IT-PRIOR',
    patientName: 'IT^PRIOR',
    day,
    viewPosition,
  });
  const r = await api('/api/v1/analyses', { method: 'POST', headers: { 'content-type': 'application/dicom' }, body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

/**
 * A deterministic pair on a JSRT normal film: a nodule of the given diameters (mm; null = absent) at a
 * fixed mid-lung place, a 2° / 2 % / (6, −4) px pose change and a 5 % contrast change.
 */
async function pairOf(film: string, center: [number, number], priorMm: number | null, currentMm: number | null) {
  const spec: PairSpec = {
    center,
    priorDiameterMm: priorMm,
    currentDiameterMm: currentMm,
    contrast: 50,
    pose: { rotationDeg: 2, scale: 1.02, tx: 6, ty: -4 },
    contrastGain: 1.05,
    contrastOffset: 0,
    pixelSpacingMm: MM,
  };
  return makePairImages(await readGreyPng(path.join(JSRT_DIR, 'images', `${film}.png`)), spec);
}

async function session(analysisId: string, language: 'zh' | 'en' = 'zh'): Promise<string> {
  const r = await api('/api/v1/sessions', { method: 'POST', json: { analysisId, language } });
  assert.equal(r.status, 201);
  return r.body.id;
}

const ask = async (sid: string, text: string) => {
  const r = await api(`/api/v1/sessions/${sid}/turns`, { method: 'POST', json: { text } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};

const ev = (item: any, name: string) => item?.evidence.find((e: any) => e.name === name)?.value ?? null;

/** The finding anchor at the nodule's true current place. */
function anchorAt(sess: any, center: [number, number]): any {
  const near = sess.anchors
    .filter((a: any) => a.kind === 'finding')
    .map((a: any) => ({ a, dist: Math.hypot(a.center[0] - center[0], a.center[1] - center[1]) }))
    .sort((x: any, y: any) => x.dist - y.dist)[0];
  assert.ok(near && near.dist * MM < 10, 'the synthetic nodule is detected on the current film');
  return near.a;
}

beforeAll(async () => {
  srv = await startTestServer({ LOG_LEVEL: 'error' });
});
afterAll(async () => {
  await srv.close();
});

d('compare_prior with a grown nodule (2 years, pose change)', () => {
  let pair: PairImages;
  let prior: any;
  let current: any;
  let sid = '';

  beforeAll(async () => {
    pair = await pairOf('JPCNN001', [307, 461], 8, 12);
    prior = await postImage(pair.prior, DAY - INTERVAL);
    current = await postImage(pair.current, DAY);
    sid = await session(current.id);
  });

  test('without a prior the answer says none is attached and how to attach one (zh and en)', async () => {
    const zh = await ask(sid, '和上次的片子比有没有变大?');
    assert.equal(zh.understanding.intent, 'compare_prior');
    assert.match(zh.answer.headline, /没有附加前片/);
    assert.ok(zh.answer.sections.some((s: any) => s.items.some((i: any) => /与既往片比较/.test(i.text))));
    const en = await ask(sid, 'Has A1 grown since the prior?');
    assert.equal(en.understanding.intent, 'compare_prior');
    assert.match(en.answer.headline, /No prior radiograph is attached/);
  });

  test('4xx: unknown analysis 404, bad body 400, later film 422 prior_not_earlier, same image 422', async () => {
    const put = (json: unknown) => api(`/api/v1/sessions/${sid}/prior`, { method: 'PUT', json });
    assert.equal((await put({ analysisId: 'an_doesnotexist0000' })).status, 404);
    assert.equal((await put({})).status, 400);
    assert.equal((await put({ analysisId: 42 })).status, 400);
    const text = await api(`/api/v1/sessions/${sid}/prior`, {
      method: 'PUT',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(text.status, 415);
    const same = await put({ analysisId: current.id });
    assert.equal(same.status, 422);
    assert.equal(same.body.error.code, 'prior_not_earlier');
    // the "prior" acquired after the current film
    const later = await postImage(pair.prior, DAY + 30);
    const r = await put({ analysisId: later.id });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'prior_not_earlier');
    assert.equal(r.body.error.details.reason, 'acquired_later');
    const missing = await api('/api/v1/sessions/ss_nosuchsession00/prior', {
      method: 'PUT',
      json: { analysisId: prior.id },
    });
    assert.equal(missing.status, 404);
  });

  test('a lateral film is refused as prior with 422 prior_not_frontal', async () => {
    const lateral = await postImage(pair.prior, DAY - 100, 'LL');
    const r = await api(`/api/v1/sessions/${sid}/prior`, { method: 'PUT', json: { analysisId: lateral.id } });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'prior_not_frontal');
  });

  test('PUT prior → 200 Session with the interval only, never a date', async () => {
    const r = await api(`/api/v1/sessions/${sid}/prior`, { method: 'PUT', json: { analysisId: prior.id } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.prior, { analysisId: prior.id, acquiredAt: `P${INTERVAL}D`, intervalDays: INTERVAL });
    assert.doesNotMatch(JSON.stringify(r.body), /\b(19|20)\d{6}\b|\b(19|20)\d\d-\d\d-\d\d(?!T)/);
    assert.deepEqual((await api(`/api/v1/sessions/${sid}`)).body.prior.intervalDays, INTERVAL);
  });

  test('zh: change within 2 mm of truth; solid current + dashed prior outline; a measurement anchor', async () => {
    const t = await ask(sid, '和上次的片子比有没有变大?');
    assert.equal(t.understanding.intent, 'compare_prior');
    const sess = (await api(`/api/v1/sessions/${sid}`)).body;
    const a = anchorAt(sess, pair.truth.current!.center);
    const item = t.answer.sections
      .find((s: any) => s.id === 'comparison')
      .items.find((i: any) => i.anchorIds.includes(a.id));
    assert.ok(item, 'the nodule has a comparison item');
    assert.equal(ev(item, 'status'), 'matched');
    const truth = pair.truth.current!.diameterMm - pair.truth.prior!.diameterMm;
    assert.ok(
      Math.abs(ev(item, 'changeMm') - truth) <= 2,
      `change ${ev(item, 'changeMm')} vs truth ${truth.toFixed(1)}`,
    );
    assert.match(item.text, /与约2年前片/);
    assert.match(item.text, /间隔 731 天/);
    const dashed = t.annotations.filter((n: any) => n.kind === 'outline' && n.style.lineDash === 'dashed');
    const solid = t.annotations.filter((n: any) => n.kind === 'outline' && n.style.lineDash === 'solid');
    assert.equal(dashed.length, 1);
    assert.ok(solid.length >= 1);
    assert.ok(t.annotations.some((n: any) => n.kind === 'label' && /mm/.test(n.text)));
    const m = sess.anchors.find((x: any) => x.kind === 'measurement' && x.parentId === a.id);
    assert.ok(m, 'a measurement anchor for the pair');
    assert.equal(m.id, dashed[0].anchorId);
    assert.equal(m.measurements.filter((x: any) => x.name === 'diameter').length, 2);
  });

  test('en: "Has A1 grown since the prior?" answers for A1 with both sizes, the change and the interval', async () => {
    const t = await ask(sid, 'Has A1 grown since the prior?');
    assert.equal(t.understanding.intent, 'compare_prior');
    assert.match(t.answer.headline, /^A1: compared with the film from about 2 years earlier/);
    assert.match(t.answer.headline, /interval 731 days/);
    assert.match(t.answer.headline, /prior [\d.]+ × [\d.]+ mm .* now [\d.]+ × [\d.]+ mm/);
  });

  test('report: comparison section by interval only; the SR passes dsrdump and references the prior', async () => {
    const json = (await api(`/api/v1/sessions/${sid}/report?format=json&lang=zh`)).body;
    assert.ok(json.comparison.length >= 2);
    assert.match(json.comparison[0].text, /^与约2年前片比较/);
    const text = await fetch(`${srv.url}/api/v1/sessions/${sid}/report?format=text&lang=en`).then((r) => r.text());
    assert.match(text, /\nComparison\n {2}Compared with the film from about 2 years earlier/);
    assert.doesNotMatch(text, /\b(19|20)\d{6}\b/);
    const res = await fetch(`${srv.url}/api/v1/sessions/${sid}/report?format=dicom-sr`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cxr-prior-sr-')), 'sr.dcm');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const out = spawnSync('dsrdump', ['+Pc', '+Pu', '+U8', file], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    assert.doesNotMatch(`${out.stdout}\n${out.stderr}`, /^E:|error/im);
    assert.match(out.stdout, /\(CXRT03,99CXRC,"Comparison with prior study"\)/);
    assert.ok(out.stdout.includes(prior.image.sopInstanceUID), 'the prior image is referenced');
    assert.match(out.stdout, /inferred from IMAGE/);
  });

  test('DELETE prior → 204; the next compare_prior says none is attached', async () => {
    const r = await api(`/api/v1/sessions/${sid}/prior`, { method: 'DELETE' });
    assert.equal(r.status, 204);
    assert.equal((await api(`/api/v1/sessions/${sid}`)).body.prior, null);
    const t = await ask(sid, 'Has A1 grown since the prior?');
    assert.match(t.answer.headline, /No prior radiograph is attached/);
  });
});

d('compare_prior with a new nodule', () => {
  test('"有没有新发病灶?" and "Is anything new?" call the nodule new', async () => {
    const pair = await pairOf('JPCNN003', [700, 560], null, 12);
    const prior = await postImage(pair.prior, DAY - 400);
    const current = await postImage(pair.current, DAY);
    const sid = await session(current.id);
    const put = await api(`/api/v1/sessions/${sid}/prior`, { method: 'PUT', json: { analysisId: prior.id } });
    assert.equal(put.body.prior.intervalDays, 400);
    for (const q of ['有没有新发病灶?', 'Is anything new?']) {
      const t = await ask(sid, q);
      assert.equal(t.understanding.intent, 'compare_prior', q);
      const sess = (await api(`/api/v1/sessions/${sid}`)).body;
      const a = anchorAt(sess, pair.truth.current!.center);
      const item = t.answer.sections
        .find((s: any) => s.id === 'comparison')
        .items.find((i: any) => i.anchorIds.includes(a.id));
      assert.equal(ev(item, 'status'), 'new', `${q} ${JSON.stringify(item.evidence)}`);
    }
  });
});

d('compare_prior with a nodule gone from the current film', () => {
  test('the prior finding is listed as not seen now, with its registered outline dashed', async () => {
    const pair = await pairOf('JPCNN001', [307, 461], 12, null);
    const prior = await postImage(pair.prior, DAY - 500);
    const current = await postImage(pair.current, DAY);
    const pf = prior.findings.find((f: any) => Math.hypot(f.center[0] - 307, f.center[1] - 461) * MM < 10);
    assert.ok(pf, 'the prior nodule is detected on the prior film');
    const sid = await session(current.id, 'en');
    await api(`/api/v1/sessions/${sid}/prior`, { method: 'PUT', json: { analysisId: prior.id } });
    const t = await ask(sid, 'Is anything new?');
    const items = t.answer.sections.find((s: any) => s.id === 'comparison').items;
    assert.ok(
      items.some(
        (i: any) => i.text.startsWith(`Prior ${pf.id} `) && /not seen at the corresponding place/.test(i.text),
      ),
      JSON.stringify(items.map((i: any) => i.text)),
    );
    const dashed = t.annotations.filter((n: any) => n.kind === 'outline' && n.style.lineDash === 'dashed');
    assert.equal(dashed.length, 1);
    assert.equal(dashed[0].anchorId, null);
    const c = dashed[0].geometry.points.reduce((s: number[], p: number[]) => [s[0] + p[0], s[1] + p[1]], [0, 0]);
    const n = dashed[0].geometry.points.length;
    const there = applyPose(pair.truth.pose, [307, 461], pair.prior.width, pair.prior.height);
    assert.ok(Math.hypot(c[0] / n - there[0], c[1] / n - there[1]) * MM < 5, 'drawn at the registered place');
  });
});

import assert from 'node:assert/strict';
import { call, startTestServer, type TestServer } from '../support/server';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ STORE: 'memory' });
});
afterAll(async () => {
  await srv.close();
});

test('GET /ontology/signs serves ≥ 217 bilingual signs, filterable by category', async () => {
  const all = await call(`${srv.url}/api/v1/ontology/signs`);
  assert.equal(all.status, 200);
  assert.ok(all.body.count >= 217, `count ${all.body.count}`);
  assert.equal(all.body.count, all.body.signs.length);
  for (const s of all.body.signs) assert.ok(s.name.zh && s.name.en, s.id);
  const pleura = await call(`${srv.url}/api/v1/ontology/signs?category=pleura`);
  assert.ok(pleura.body.signs.length > 0 && pleura.body.signs.every((s: any) => s.category === 'pleura'));
  const one = await call(`${srv.url}/api/v1/ontology/signs/margin_spiculated`);
  assert.equal(one.body.name.zh, '毛刺征');
  assert.equal(one.body.measurableBy, 'spiculation');
  const none = await call(`${srv.url}/api/v1/ontology/signs/no_such_sign`);
  assert.equal(none.status, 404);
  assert.equal(none.body.error.details.resource, 'sign');
});

test('GET /ontology/lexicon?q= resolves colloquial phrasings to one region', async () => {
  for (const q of ['右肺中叶', 'right middle lobe', 'RML', '右中叶']) {
    const r = await call(`${srv.url}/api/v1/ontology/lexicon?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.entries[0]?.target, { type: 'lobe', id: 'RML' }, q);
    assert.ok(r.body.entries[0].matchedTerm, q);
  }
  const full = await call(`${srv.url}/api/v1/ontology/lexicon`);
  assert.ok(full.body.entries.length >= 50);
});

test('GET /ontology/checklists lists the five checklists; each item ties to a sign', async () => {
  const list = await call(`${srv.url}/api/v1/ontology/checklists`);
  assert.deepEqual(list.body.checklists.map((c: any) => c.id).sort(), [
    'benign_nodule',
    'cardiomegaly',
    'early_lung_cancer',
    'pleural_effusion',
    'pneumothorax',
  ]);
  const elc = await call(`${srv.url}/api/v1/ontology/checklists/early_lung_cancer`);
  assert.equal(elc.body.scope, 'finding');
  const signs = new Set((await call(`${srv.url}/api/v1/ontology/signs`)).body.signs.map((s: any) => s.id));
  for (const item of elc.body.items) assert.ok(signs.has(item.signId), item.signId);
  assert.equal((await call(`${srv.url}/api/v1/ontology/checklists/nope`)).status, 404);
});

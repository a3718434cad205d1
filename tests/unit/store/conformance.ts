import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { AsyncStores } from '../../../server/src/store/asyncTypes';
import { cacheKeyOf, modelsKeyOf, variantOf } from '../../../server/src/store/pixelCache';
import { annotation, anchor, applyTurn, fakeAnalysis, newSession } from './fixtures';

export interface TestStores extends AsyncStores {
  dropCaches(): void;
  sweep(): void | Promise<void>;
}

/**
 * The behaviour every durable store shares, run against SQLite (through asyncFromSync) and
 * PostgreSQL. `open(now)` opens a store on the same database and DATA_DIR each time it is called
 * (a "restart"); `clock.t` drives time for the TTL tests.
 */
export function storeConformance(
  name: string,
  open: (now: () => number) => Promise<TestStores>,
  dataDir: () => string,
  skip?: () => string | false,
): void {
  const clock = { t: Date.now() };
  const now = () => clock.t;
  const def = (title: string, fn: () => Promise<void>) =>
    test(title, async () => {
      const why = skip?.();
      if (why) {
        console.warn('skipped:', why);
        return;
      }
      await fn();
    });

  def(`${name}: analysis and its pixels survive a restart`, async () => {
    const s1 = await open(now);
    const e = fakeAnalysis();
    await s1.analysisStore.put(e);
    await s1.close();
    const s2 = await open(now);
    try {
      const got = await s2.analysisStore.get(e.analysis.id);
      assert.ok(got);
      assert.deepEqual(got.analysis, e.analysis);
      assert.equal(got.pixels.width, e.pixels.width);
      assert.ok(got.pixels.display instanceof Float32Array);
      assert.deepEqual([...got.pixels.display], [...e.pixels.display]);
      assert.deepEqual(got.pixels.anatomyState, e.pixels.anatomyState);
      const frame = s2.loadFrame(e.analysis.image.pixelDataSha256, modelsKeyOf(e.analysis.models));
      assert.ok(frame);
      assert.equal(frame.display.length, e.pixels.display.length);
      assert.equal(s2.loadFrame(e.analysis.image.pixelDataSha256, 'other-model@9'), null);
      assert.ok(
        s2.loadFrame(
          e.analysis.image.pixelDataSha256,
          modelsKeyOf(e.analysis.models),
          variantOf(e.analysis.image as never),
        ),
      );
      assert.equal(await s2.analysisStore.get('an_doesnotexist000'), null);
    } finally {
      await s2.close();
    }
  });

  def(`${name}: a session is saved whole and read back the same after a restart`, async () => {
    const s1 = await open(now);
    const e = fakeAnalysis();
    await s1.analysisStore.put(e);
    let st = newSession(e.analysis.id);
    await s1.sessionStore.save(st);
    for (let i = 0; i < 5; i++) {
      st = applyTurn(st);
      await s1.sessionStore.save(st);
    }
    // Edits the diff must catch: an anchor changed in place, an annotation replaced and one removed,
    // a refinement added then removed, an anchor deleted.
    st = structuredClone(st);
    st.session.anchors[0] = { ...st.session.anchors[0]!, refinedBy: 'A9' };
    st.session.annotations = st.session.annotations.filter((n) => n.id !== 'ann_2');
    st.session.annotations[0] = { ...annotation(1, 'A3'), text: 'replaced' } as never;
    st.refinements = {
      A1: {
        contour: [
          [1, 2],
          [3, 4],
        ],
        signs: ['spiculated'],
      },
      A2: { x: 1 },
    };
    await s1.sessionStore.save(st);
    st = structuredClone(st);
    delete st.refinements.A2;
    st.session.anchors = st.session.anchors.filter((a) => a.id !== 'A4');
    st.session.anchors.push(anchor(10, 'measurement'));
    st.counters.anchor = 10;
    await s1.sessionStore.save(st);
    const same = await s1.sessionStore.get(st.session.id);
    assert.deepEqual(same, st);
    await s1.close();

    const s2 = await open(now);
    try {
      const got = await s2.sessionStore.get(st.session.id);
      assert.deepEqual(got, st);
      assert.deepEqual(Object.keys(got!.session), Object.keys(st.session), 'key order of Session kept');
      assert.deepEqual(
        got!.session.turns.map((t) => t.id),
        ['T1', 'T2', 'T3', 'T4', 'T5'],
      );
      assert.deepEqual(got!.counters, { anchor: 10, annotation: 5, turn: 5 });
      // Counters persisted: the next turn after a restart takes fresh ids.
      const next = applyTurn(got!);
      await s2.sessionStore.save(next);
      assert.equal(next.session.turns.at(-1)!.id, 'T6');
      assert.equal(next.session.anchors.at(-1)!.id, 'A11');
      assert.deepEqual(await s2.sessionStore.byAnalysis(e.analysis.id), [st.session.id]);
      assert.ok((await s2.sessionStore.count()) >= 1);
    } finally {
      await s2.close();
    }
  });

  def(`${name}: update serialises concurrent turns on one session and writes nothing when it throws`, async () => {
    const s = await open(now);
    try {
      const e = fakeAnalysis();
      await s.analysisStore.put(e);
      const st0 = newSession(e.analysis.id);
      await s.sessionStore.save(st0);
      const id = st0.session.id;
      const runs = Array.from({ length: 12 }, (_, i) =>
        s.sessionStore.update(id, async (st) => {
          assert.ok(st);
          const w = applyTurn(st, `q${i}`);
          await new Promise((r) => setTimeout(r, 2)); // give another turn a chance to interleave
          return { save: w, result: w.session.turns.at(-1)!.id };
        }),
      );
      const ids = await Promise.all(runs);
      assert.equal(new Set(ids).size, 12, 'every turn got its own id');
      await assert.rejects(
        s.sessionStore.update(id, (st) => {
          st!.session.turns.push({ id: 'T99' } as never);
          throw new Error('boom');
        }),
        /boom/,
      );
      s.dropCaches();
      const got = await s.sessionStore.get(id);
      assert.equal(got!.session.turns.length, 12);
      assert.deepEqual(
        got!.session.turns.map((t) => t.index),
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      assert.equal(got!.counters.turn, 12);
      assert.equal(await s.sessionStore.update('ss_unknown0000000', (st) => ({ save: null, result: st })), null);
    } finally {
      await s.close();
    }
  });

  def(
    `${name}: DELETE of an analysis removes its sessions, rows and pixels (kept while another analysis shares them)`,
    async () => {
      const s = await open(now);
      try {
        const a = fakeAnalysis();
        const b = fakeAnalysis({ sha: a.analysis.image.pixelDataSha256 }); // same image uploaded twice
        await s.analysisStore.put(a);
        await s.analysisStore.put(b);
        const key = cacheKeyOf(a.analysis);
        assert.equal(key, cacheKeyOf(b.analysis));
        const file = path.join(dataDir(), 'cache', key.slice(0, 2), `${key}.v8`);
        assert.ok(existsSync(file), file);
        const st = applyTurn(newSession(a.analysis.id));
        await s.sessionStore.save(st);
        assert.equal(await s.analysisStore.delete(a.analysis.id), true);
        assert.equal(await s.sessionStore.get(st.session.id), null);
        assert.deepEqual(await s.sessionStore.byAnalysis(a.analysis.id), []);
        assert.ok(existsSync(file), 'still used by b');
        assert.equal(await s.analysisStore.delete(a.analysis.id), false);
        assert.equal(await s.analysisStore.delete(b.analysis.id), true);
        assert.ok(!existsSync(file), 'pixels removed with the last analysis using them');
        assert.equal(await s.sessionStore.delete(st.session.id), false);
      } finally {
        await s.close();
      }
    },
  );

  def(`${name}: TTL since last access; a live session keeps its analysis; expiry removes pixels`, async () => {
    const s = await open(now);
    try {
      const ttl = 10_000;
      const a = fakeAnalysis(),
        b = fakeAnalysis();
      await s.analysisStore.put(a);
      await s.analysisStore.put(b);
      const st = newSession(a.analysis.id);
      await s.sessionStore.save(st);
      for (let i = 0; i < 4; i++) {
        clock.t += ttl * 0.6;
        assert.ok(await s.sessionStore.get(st.session.id), `read ${i}`);
      }
      assert.ok(await s.analysisStore.get(a.analysis.id), 'kept alive by its session');
      assert.equal(await s.analysisStore.get(b.analysis.id), null, 'b idle past the TTL');
      await s.sweep();
      const keyB = cacheKeyOf(b.analysis);
      assert.ok(!existsSync(path.join(dataDir(), 'cache', keyB.slice(0, 2), `${keyB}.v8`)), 'b pixels gone');
      clock.t += ttl * 1.5;
      assert.equal(await s.sessionStore.get(st.session.id), null);
      await s.sweep();
      assert.equal(await s.analysisStore.get(a.analysis.id), null);
      const keyA = cacheKeyOf(a.analysis);
      assert.ok(!existsSync(path.join(dataDir(), 'cache', keyA.slice(0, 2), `${keyA}.v8`)), 'a pixels gone');
    } finally {
      await s.close();
    }
  });

  def(`${name}: schema migrations are recorded and not re-applied`, async () => {
    const s1 = await open(now);
    const v1 = s1.describe();
    await s1.close();
    const s2 = await open(now);
    const v2 = s2.describe();
    await s2.close();
    assert.equal(v1.durable, true);
    assert.ok((v1.schemaVersion ?? 0) >= 1);
    assert.equal(v2.schemaVersion, v1.schemaVersion);
    assert.ok(readdirSync(dataDir()).includes('cache'));
  });
}

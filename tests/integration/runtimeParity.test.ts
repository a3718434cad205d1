/**
 * Issue 18: the analysis core gives the same results on onnxruntime-node and on onnxruntime-web's
 * WASM backend (the browser's CPU path). Each runtime runs the real server in a child process
 * (tests/support/parityRun.ts: onnxruntime-web loads its WASM glue with a dynamic import(), which
 * jest's sandbox refuses) on a JSRT nodule case and a real CR sample, with a four-turn zh
 * conversation on the first. Compared: per-structure mask Dice ≥ 0.99, the same findings (count,
 * ids, type; diameter within 0.5 mm, score within 0.01), the same anchors, intents and resolved
 * anchors, and the same answer text — where the text carries numbers, each may differ by one unit
 * of its last shown digit (a rounding boundary), the words may not.
 */
import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SAMPLES_DIR } from '../support/dicomFixtures';
import type { ParityFilm, ParityOutput } from '../support/parityRun';

const ROOT = path.resolve(__dirname, '../..');
const JSRT_CASE = path.resolve(ROOT, '../shared/data/jsrt-train/images/JPCLN015.png');
const SAMPLE = path.join(SAMPLES_DIR, 'fuji-cr-mono1-explicit-le.dcm');
const haveModels = ['cxr-anatomy', 'cxr-lesion'].every((m) =>
  existsSync(path.join(ROOT, 'models', m, '1', 'model.onnx')),
);
const why = !haveModels
  ? 'the shipped models are absent'
  : !existsSync(JSRT_CASE)
    ? `reads ${JSRT_CASE}, which is absent on this machine (CI has it)`
    : null;
if (why) console.warn(`runtime parity skipped: ${why}`);

/** Runs one runtime's side in a child process and reads its JSON. */
async function side(runtime: 'node' | 'wasm', dir: string): Promise<ParityOutput> {
  const out = path.join(dir, `${runtime}.json`);
  const films = [JSRT_CASE, ...(existsSync(SAMPLE) ? [SAMPLE] : [])];
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tests/support/parityRun.ts'), runtime, out, ...films],
    { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test' }, maxBuffer: 1 << 24 },
  );
  return JSON.parse(readFileSync(out, 'utf8')) as ParityOutput;
}

function dice(a: ParityFilm['masks'][string], b: ParityFilm['masks'][string]): number {
  if (!a || !b) return a === b ? 1 : 0;
  expect([b.width, b.height]).toEqual([a.width, a.height]);
  const x = Buffer.from(a.bits, 'base64'),
    y = Buffer.from(b.bits, 'base64');
  let inter = 0,
    total = 0;
  for (let i = 0; i < x.length; i++) {
    inter += x[i]! & y[i]!;
    total += x[i]! + y[i]!;
  }
  return total ? (2 * inter) / total : 1;
}

const NUMBER = /\d+(?:\.\d+)?/g;
/** Same words; each number within one unit of its last shown digit. */
function sameUpToRounding(a: string, b: string): boolean {
  if (a.replace(NUMBER, '#') !== b.replace(NUMBER, '#')) return false;
  const na = a.match(NUMBER) ?? [],
    nb = b.match(NUMBER) ?? [];
  return na.every((s, i) => {
    const unit = 10 ** -(s.split('.')[1]?.length ?? 0);
    return Math.abs(Number(s) - Number(nb[i])) <= unit + 1e-9;
  });
}

(why ? describe.skip : describe)('runtime parity: onnxruntime-node vs onnxruntime-web (WASM)', () => {
  test('same masks, findings, anchors and zh answers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cxr-parity-'));
    try {
      const [node, wasm] = await Promise.all([side('node', dir), side('wasm', dir)]);
      expect(wasm.models).toEqual(node.models);
      expect(node.models.length).toBe(2);
      expect(wasm.films.length).toBe(node.films.length);
      const report: string[] = [];
      node.films.forEach((n, k) => {
        const w = wasm.films[k]!;
        for (const s of Object.keys(n.masks)) {
          const d = dice(n.masks[s]!, w.masks[s]!);
          report.push(`${n.file} ${s} Dice ${d.toFixed(5)}`);
          expect(d).toBeGreaterThanOrEqual(0.99);
        }
        expect(w.findings.map((f) => [f.id, f.type])).toEqual(n.findings.map((f) => [f.id, f.type]));
        n.findings.forEach((f, i) => {
          const g = w.findings[i]!;
          report.push(`${n.file} ${f.id} ${f.diameterMm} / ${g.diameterMm} mm, score ${f.score} / ${g.score}`);
          if (f.diameterMm === null) expect(g.diameterMm).toBeNull();
          else expect(Math.abs(f.diameterMm - g.diameterMm!)).toBeLessThanOrEqual(0.5);
          expect(Math.abs(f.score - g.score)).toBeLessThanOrEqual(0.01);
        });
        expect(w.anchors).toEqual(n.anchors);
        expect(w.turns.map((t) => [t.intent, t.anchorIds])).toEqual(n.turns.map((t) => [t.intent, t.anchorIds]));
        n.turns.forEach((t, i) => {
          const identical = t.text === w.turns[i]!.text;
          report.push(`${n.file} turn ${i + 1} ${t.intent}: text ${identical ? 'identical' : 'differs in numbers'}`);
          expect(sameUpToRounding(t.text, w.turns[i]!.text)).toBe(true);
        });
      });
      expect(node.films[0]!.turns.length).toBe(4);
      expect(node.films[0]!.findings.length).toBeGreaterThan(0);
      console.log(report.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

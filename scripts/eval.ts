/**
 * `npm run eval`: the four-turn conversation of the product brief, in Chinese and in English, on
 * real JSRT nodule images (right middle lobe nodules) through the real server. Prints each turn's
 * intent, resolved anchor, headline and measurements, and checks what the contract requires.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../server/src/app';
import type { Analysis, Finding, Turn } from '../server/src/contract';
import { loadConfig } from '../server/src/config';
import { createLogger } from '../server/src/logger';
import { BRIEF_CONVERSATION, BRIEF_INTENTS } from './lib/briefConversation';
import { wrapPngAsDicom } from './lib/dicomFixtures';

const DATA = path.resolve(__dirname, '../../shared/data/jsrt-train');
const CASES = (process.env.EVAL_CASES ?? 'JPCLN015,JPCLN023,JPCLN048').split(',');
const CONVERSATIONS = BRIEF_CONVERSATION;
const EXPECTED: readonly string[] = BRIEF_INTENTS;

type Check = (ok: boolean, what: string) => void;
type Post = <T>(url: string, body: unknown, type?: string) => Promise<{ status: number; body: T }>;
interface Truth {
  x: number;
  y: number;
  diameterMm: number;
  lobe: string | undefined;
}

/** What the contract requires of turn `i` of the brief's conversation. */
function checkTurn(i: number, turn: Turn, analysis: Analysis, hit: Finding | undefined, check: Check): void {
  const subj = turn.resolvedAnchors[0];
  check(turn.understanding.intent === EXPECTED[i], `T${i + 1} intent ${turn.understanding.intent} ≠ ${EXPECTED[i]}`);
  if (i === 1 && hit && hit.location.lobe === 'RML')
    check(
      subj?.anchorId === `A${hit.priority}` &&
        ['anatomy_descriptor_match', 'only_candidate', 'best_match'].includes(subj?.reason),
      `T2 resolves the RML finding (got ${subj?.anchorId} ${subj?.reason})`,
    );
  if (i === 1 && !analysis.findings.some((f) => f.location.lobe === 'RML'))
    check(subj?.anchorId === null, `T2 never substitutes a lesion outside the RML (got ${subj?.anchorId})`);
  if (i === 2 && hit)
    check(
      turn.annotations.some(
        (n) => n.kind === 'link' && n.style.lineDash === 'dashed' && n.measurement?.name === 'centerDistance',
      ),
      'T3 draws a dashed centre-to-hilum link with its distance',
    );
  if (i === 3 && hit) check(turn.checklist !== null && turn.checklist.total > 0, 'T4 returns a checklist with a count');
}

/** One turn's line: intent, resolved anchor, time, headline, and the measurements drawn. */
function printTurn(i: number, turn: Turn): void {
  const subj = turn.resolvedAnchors[0];
  const ms = turn.annotations.flatMap((n) =>
    n.measurement ? [`${n.measurement.name}=${n.measurement.value}${n.measurement.unit}`] : [],
  );
  const who = `${subj?.anchorId ?? '-'} (${subj?.reason})`;
  console.log(
    `   T${i + 1} ${turn.understanding.intent.padEnd(18)} ${who} ${turn.timingsMs.total} ms | ${turn.answer.headline}`,
  );
  if (ms.length) console.log(`      measurements: ${ms.join(', ')}`);
}

/** One JSRT case: analyse, then the four turns in each language. */
async function evalCase(id: string, truth: Truth, post: Post, check: Check): Promise<void> {
  const dicom = await wrapPngAsDicom(readFileSync(path.join(DATA, 'images', `${id}.png`)));
  const a = await post<Analysis>('/api/v1/analyses', dicom, 'application/dicom');
  if (a.status !== 201) {
    console.log(id, 'analysis failed', a.body);
    return;
  }
  const analysis = a.body;
  const hit = analysis.findings.find(
    (f) => Math.hypot(f.center[0] - truth.x, f.center[1] - truth.y) <= truth.diameterMm / 0.35 / 2 + 5,
  );
  const detected = hit ? `${hit.id} (${hit.location.lobe ?? '?'}, ${hit.diameterMm?.toFixed(1)} mm)` : 'no';
  console.log(
    `\n${id}: true nodule ${truth.diameterMm} mm in ${truth.lobe} at (${truth.x}, ${truth.y}); ` +
      `${analysis.findings.length} findings; detected: ${detected}; total ${analysis.timingsMs.total} ms`,
  );
  for (const lang of ['zh', 'en'] as const) {
    const s = await post<{ id: string }>('/api/v1/sessions', { analysisId: analysis.id, language: lang });
    console.log(`  [${lang}]`);
    for (const [i, text] of CONVERSATIONS[lang].entries()) {
      const t = await post<Turn>(`/api/v1/sessions/${s.body.id}/turns`, { text });
      if (t.status !== 201) {
        check(false, `turn ${i + 1} HTTP ${t.status}`);
        continue;
      }
      printTurn(i, t.body);
      checkTurn(i, t.body, analysis, hit, check);
    }
  }
}

async function main(): Promise<void> {
  if (!existsSync(DATA)) {
    console.log('eval: ../shared/data/jsrt-train is absent; nothing to evaluate');
    return;
  }
  const config = loadConfig(
    { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    path.resolve(__dirname, '..'),
  );
  const server = await startServer(config, createLogger('warn'));
  const post: Post = async <T>(url: string, body: unknown, type = 'application/json') => {
    const res = await fetch(server.url + url, {
      method: 'POST',
      headers: { 'content-type': type },
      body: type === 'application/json' ? JSON.stringify(body) : (body as Buffer),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const nodules = readFileSync(path.join(DATA, 'nodules.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  let checks = 0,
    passed = 0;
  const check: Check = (ok, what) => {
    checks++;
    if (ok) passed++;
    else console.log(`    ✗ ${what}`);
  };
  for (const id of CASES) {
    const row = nodules.find((r) => r[0] === id)!;
    const truth = { x: Number(row[1]), y: Number(row[2]), diameterMm: Number(row[5]), lobe: row[8] };
    await evalCase(id, truth, post, check);
  }
  await server.close();
  console.log(`\neval: ${passed} passed, ${checks - passed} failed`);
  if (passed !== checks) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

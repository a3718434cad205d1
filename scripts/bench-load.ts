/**
 * `npm run bench:load [-- --analyses-s 40 --turn-s 25 --levels 1,8,32 --json out.json]`
 *
 * Load test on loopback, bounded in time (defaults: about 2.5 minutes in all). Starts the real
 * server as a child process (`node --import tsx server/src/main.ts`, PORT=0, a temp DATA_DIR,
 * the models in models/, and whatever store the environment selects: STORE, DATABASE_URL pass
 * through), then measures with a small client of its own (fetch, keep-alive):
 *
 *  1. sustained analyses per minute of 2048×2048 16-bit radiographs, with twice as many clients
 *     as `maxConcurrentAnalyses` (503 busy is expected and counted; a busy client waits Retry-After);
 *  2. turns at 1, 8 and 32 concurrent sessions (each session: two point anchors, then turns
 *     cycling "这两个点相距多远?", "这个区域有多大?", "你能做什么?"): turns/s and p50/p95/p99;
 *  3. after each level, every acknowledged (201) turn is read back from GET /sessions/:id;
 *  4. error counts by status and code, and the server's RSS (sampled every 250 ms; peak per phase
 *     and VmHWM at the end).
 * Bars (issue 8): no 5xx other than busy, no lost turn, RSS ≤ 1.5 GiB at 32 sessions.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listeningUrl, requestJson, type JsonReply } from './lib/childServer';
import { chestDataset, writePart10 } from './lib/dicomFixtures';

const { values: args } = parseArgs({
  options: {
    'analyses-s': { type: 'string', default: '40' },
    'turn-s': { type: 'string', default: '25' },
    levels: { type: 'string', default: '1,8,32' },
    json: { type: 'string', default: '' },
  },
});
const ANALYSES_S = Number(args['analyses-s']);
const TURN_S = Number(args['turn-s']);
const LEVELS = args.levels.split(',').map(Number);
const JSON_OUT = args.json;
const ROOT = path.resolve(__dirname, '..');
const QUESTIONS = ['这两个点相距多远?', '这个区域有多大?', '你能做什么?'];

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssOf(pid: number): { rss: number; hwm: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}
const mib = (b: number) => Math.round(b / 1048576);

class Counter {
  byStatus: Record<string, number> = {};
  add(status: number | string, code?: string) {
    const k = code ? `${status} ${code}` : String(status);
    this.byStatus[k] = (this.byStatus[k] ?? 0) + 1;
  }
}

/** The members of the server's replies the bench reads (all optional: a reply may be an error or not JSON). */
interface Body {
  id?: string;
  error?: { code?: string };
  turns?: { id: string }[];
  limits?: { maxConcurrentAnalyses?: number };
  models?: { name: string; version: string; provider: string }[];
  store?: string;
}
type Reply = Omit<JsonReply<Body>, 'body'> & { body: Body };

async function req(url: string, init: RequestInit & { json?: unknown } = {}): Promise<Reply> {
  const r = await requestJson<Body>(url, init);
  return { ...r, body: r.body ?? {} };
}

async function startServer(
  dataDir: string,
): Promise<{ url: string; pid: number; stop(): Promise<void>; stderr: string[] }> {
  // Every simulated client comes from the same loopback address: the per-client session quota would
  // measure itself, so it is raised to MAX_SESSIONS (config clamps it) unless set.
  // likewise the per-client analysis rate limit and the live-analyses cap (issue 11.5): one client here
  const env: NodeJS.ProcessEnv = {
    MAX_SESSIONS_PER_CLIENT: '1000000',
    RATE_LIMIT_ANALYSES_PER_MIN: '1000000',
    MAX_ANALYSES: '1000000',
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => {
    stderr.push(d.toString());
    if (stderr.length > 200) stderr.shift();
  });
  const url = await listeningUrl(child, stderr);
  return {
    url,
    pid: child.pid!,
    stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

type Server = Awaited<ReturnType<typeof startServer>>;

/** Peak RSS of the server, overall and since the current phase began. */
class RssSampler {
  peak = 0;
  phasePeak = 0;
  private timer: NodeJS.Timeout;
  constructor(private pid: number) {
    this.timer = setInterval(() => {
      const r = rssOf(pid).rss;
      this.peak = Math.max(this.peak, r);
      this.phasePeak = Math.max(this.phasePeak, r);
    }, 250);
  }
  startPhase(): void {
    this.phasePeak = 0;
  }
  stop(): number {
    clearInterval(this.timer);
    return Math.max(this.peak, rssOf(this.pid).hwm);
  }
}

/** Phase 1: sustained analyses with twice as many clients as the server runs at once. */
async function analysesPhase(srv: Server, big: Buffer, maxConc: number, rss: RssSampler) {
  rss.startPhase();
  const count = new Counter();
  const lat: number[] = [];
  let created = 0;
  const analysisIds: string[] = [];
  const until = Date.now() + ANALYSES_S * 1000;
  const clients = maxConc * 2;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const r = await req(`${srv.url}/api/v1/analyses`, {
          method: 'POST',
          body: big,
          headers: { 'content-type': 'application/dicom' },
        });
        count.add(r.status, r.status >= 400 ? r.body?.error?.code : undefined);
        if (r.status === 201) {
          created++;
          lat.push(r.ms);
          if (analysisIds.length < 4 && r.body.id) analysisIds.push(r.body.id);
        } else if (r.status === 503) await sleep(Number(r.headers.get('retry-after') ?? 1) * 1000 * 0.25);
        else await sleep(100);
      }
    }),
  );
  const wall = (Date.now() - (until - ANALYSES_S * 1000)) / 1000;
  const summary = {
    clients,
    wallS: Math.round(wall),
    created,
    perMinute: Math.round((created / wall) * 60 * 10) / 10,
    latencyMs: { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99) },
    byStatus: count.byStatus,
    peakRssMiB: mib(rss.phasePeak),
  };
  return { summary, analysisIds };
}

/** A session on one of the analyses with two point anchors; null (counted) when refused. */
async function newBenchSession(srv: Server, analysisId: string, count: Counter): Promise<string | null> {
  const s = await req(`${srv.url}/api/v1/sessions`, { method: 'POST', json: { analysisId } });
  if (s.status !== 201) {
    count.add(s.status, s.body?.error?.code);
    return null;
  }
  const id = s.body.id!;
  for (const point of [
    [700, 900],
    [1300, 1100],
  ]) {
    const a = await req(`${srv.url}/api/v1/sessions/${id}/anchors`, {
      method: 'POST',
      json: { geometry: { type: 'point', point } },
    });
    if (a.status !== 201) count.add(a.status, a.body?.error?.code);
  }
  return id;
}

/** Reads every session back and counts the acknowledged turns it does not list. */
async function lostTurns(srv: Server, acked: Map<string, Set<string>>): Promise<{ checked: number; lost: number }> {
  let lost = 0,
    checked = 0;
  for (const [id, ids] of acked) {
    const s = await req(`${srv.url}/api/v1/sessions/${id}`);
    const have = new Set<string>((s.body.turns ?? []).map((t) => t.id));
    for (const t of ids) {
      checked++;
      if (!have.has(t)) lost++;
    }
  }
  return { checked, lost };
}

/** Phase 2: `level` concurrent sessions asking in turn for TURN_S seconds, then the read-back. */
async function turnLevel(srv: Server, level: number, analysisIds: string[], rss: RssSampler) {
  rss.startPhase();
  const count = new Counter();
  const lat: number[] = [];
  const acked = new Map<string, Set<string>>();
  const session = async (i: number) => {
    const id = await newBenchSession(srv, analysisIds[i % analysisIds.length]!, count);
    if (id) acked.set(id, new Set());
    return id;
  };
  const start = Date.now();
  const stop = start + TURN_S * 1000;
  let turns = 0;
  await Promise.all(
    Array.from({ length: level }, async (_, i) => {
      let id = await session(i);
      let n = 0;
      while (id && Date.now() < stop) {
        if (acked.get(id)!.size >= 450) {
          id = await session(i);
          if (!id) break;
        }
        const r = await req(`${srv.url}/api/v1/sessions/${id}/turns`, {
          method: 'POST',
          json: { text: QUESTIONS[n++ % QUESTIONS.length] },
        });
        count.add(r.status, r.status >= 400 ? r.body?.error?.code : undefined);
        if (r.status === 201) {
          lat.push(r.ms);
          turns++;
          acked.get(id)!.add(r.body.id!);
        } else await sleep(50);
      }
    }),
  );
  const wall = (Date.now() - start) / 1000;
  const { checked, lost } = await lostTurns(srv, acked);
  return {
    sessions: level,
    wallS: Math.round(wall * 10) / 10,
    turns,
    turnsPerS: Math.round((turns / wall) * 10) / 10,
    latencyMs: { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99) },
    byStatus: count.byStatus,
    ackedChecked: checked,
    lostTurns: lost,
    peakRssMiB: mib(rss.phasePeak),
  };
}

type TurnRow = Awaited<ReturnType<typeof turnLevel>>;
type AnalysesRow = Awaited<ReturnType<typeof analysesPhase>>['summary'];

/** The bars of issue 8: no 5xx but busy, no lost turn, RSS ≤ 1.5 GiB at 32 sessions. */
function bars(analyses: AnalysesRow | undefined, turns: TurnRow[]) {
  const fiveXX = [analyses, ...turns]
    .flatMap((r) => Object.entries(r?.byStatus ?? {}))
    .filter(([k]) => k.startsWith('5') && k !== '503 busy')
    .reduce((n, [, c]) => n + c, 0);
  const lost = turns.reduce((n, r) => n + r.lostTurns, 0);
  const rss32 = turns.find((r) => r.sessions === 32)?.peakRssMiB ?? null;
  return {
    non_busy_5xx: fiveXX,
    lostTurns: lost,
    rssAt32MiB: rss32,
    pass: fiveXX === 0 && lost === 0 && (rss32 === null || rss32 <= 1536),
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cxr-bench-'));
  const t0 = Date.now();
  console.log(
    `bench:load — ${cpus().length} CPUs visible, loopback, ` +
      `analyses ${ANALYSES_S} s, turns ${TURN_S} s per level ${LEVELS.join('/')}`,
  );
  const big = writePart10(chestDataset({ width: 2048, height: 2048 }));
  console.log(`2048² DICOM: ${(big.length / 1048576).toFixed(1)} MiB`);
  const srv = await startServer(dataDir);
  const rss = new RssSampler(srv.pid);
  const result: Record<string, unknown> = {};
  let analyses: AnalysesRow | undefined;
  const turns: TurnRow[] = [];
  try {
    const status = (await req(`${srv.url}/api/v1/status`)).body;
    const maxConc = Number(status.limits?.maxConcurrentAnalyses ?? 2);
    result.server = {
      models: (status.models ?? []).map((m) => `${m.name}@${m.version}:${m.provider}`),
      store: status.store ?? 'memory (no store field in /status)',
      maxConcurrentAnalyses: maxConc,
    };
    console.log('server:', JSON.stringify(result.server));
    const phase1 = await analysesPhase(srv, big, maxConc, rss);
    analyses = result.analyses = phase1.summary;
    console.log('analyses:', JSON.stringify(analyses));
    if (phase1.analysisIds.length === 0) throw new Error('no analysis succeeded');
    for (const level of LEVELS) {
      const row = await turnLevel(srv, level, phase1.analysisIds, rss);
      turns.push(row);
      console.log(`turns @${level}:`, JSON.stringify(row));
    }
    result.turns = turns;
  } finally {
    result.peakRssMiB = mib(rss.stop());
    await srv.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  result.totalS = Math.round((Date.now() - t0) / 1000);
  const verdict = bars(analyses, turns);
  result.bars = verdict;
  console.log('\nsummary:', JSON.stringify(result, null, 2));
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(result, null, 2));
  process.exit(verdict.pass ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

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
import { chestDataset, writePart10 } from '../tests/support/dicomFixtures';

const argv = process.argv.slice(2);
const flag = (n: string, d: string) => {
  const i = argv.indexOf(n);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : d;
};
const ANALYSES_S = Number(flag('--analyses-s', '40'));
const TURN_S = Number(flag('--turn-s', '25'));
const LEVELS = flag('--levels', '1,8,32').split(',').map(Number);
const JSON_OUT = flag('--json', '');
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

async function req(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ status: number; body: any; headers: Headers; ms: number }> {
  const t = performance.now();
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: json !== undefined ? { 'content-type': 'application/json' } : rest.headers,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers, ms: performance.now() - t };
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
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`server did not start in 60 s: ${stderr.join('')}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
    child.once('exit', (c) => {
      clearTimeout(t);
      reject(new Error(`server exited ${c}: ${stderr.join('')}`));
    });
  });
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

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cxr-bench-'));
  const t0 = Date.now();
  console.log(
    `bench:load — ${cpus().length} CPUs visible, loopback, analyses ${ANALYSES_S} s, turns ${TURN_S} s per level ${LEVELS.join('/')}`,
  );
  const big = writePart10(chestDataset({ width: 2048, height: 2048 }));
  console.log(`2048² DICOM: ${(big.length / 1048576).toFixed(1)} MiB`);
  const srv = await startServer(dataDir);
  let peak = 0,
    phasePeak = 0;
  const sampler = setInterval(() => {
    const r = rssOf(srv.pid).rss;
    peak = Math.max(peak, r);
    phasePeak = Math.max(phasePeak, r);
  }, 250);
  const result: Record<string, unknown> = {};
  try {
    const status = (await req(`${srv.url}/api/v1/status`)).body;
    const maxConc = Number(status.limits?.maxConcurrentAnalyses ?? 2);
    result.server = {
      models: (status.models ?? []).map((m: any) => `${m.name}@${m.version}:${m.provider}`),
      store: status.store ?? 'memory (no store field in /status)',
      maxConcurrentAnalyses: maxConc,
    };
    console.log('server:', JSON.stringify(result.server));

    // ---------------------------------------------------------------- 1. analyses
    phasePeak = 0;
    const aCount = new Counter();
    const aLat: number[] = [];
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
          aCount.add(r.status, r.status >= 400 ? r.body?.error?.code : undefined);
          if (r.status === 201) {
            created++;
            aLat.push(r.ms);
            if (analysisIds.length < 4) analysisIds.push(r.body.id);
          } else if (r.status === 503) await sleep(Number(r.headers.get('retry-after') ?? 1) * 1000 * 0.25);
          else await sleep(100);
        }
      }),
    );
    const aWall = (Date.now() - (until - ANALYSES_S * 1000)) / 1000;
    result.analyses = {
      clients,
      wallS: Math.round(aWall),
      created,
      perMinute: Math.round((created / aWall) * 60 * 10) / 10,
      latencyMs: { p50: pct(aLat, 50), p95: pct(aLat, 95), p99: pct(aLat, 99) },
      byStatus: aCount.byStatus,
      peakRssMiB: mib(phasePeak),
    };
    console.log('analyses:', JSON.stringify(result.analyses));
    if (analysisIds.length === 0) throw new Error('no analysis succeeded');

    // ---------------------------------------------------------------- 2. turns
    const levels: Record<string, unknown>[] = [];
    for (const level of LEVELS) {
      phasePeak = 0;
      const count = new Counter();
      const lat: number[] = [];
      const acked = new Map<string, Set<string>>();
      const newSession = async (i: number) => {
        const s = await req(`${srv.url}/api/v1/sessions`, {
          method: 'POST',
          json: { analysisId: analysisIds[i % analysisIds.length] },
        });
        if (s.status !== 201) {
          count.add(s.status, s.body?.error?.code);
          return null;
        }
        const id = s.body.id as string;
        acked.set(id, new Set());
        for (const p of [
          [700, 900],
          [1300, 1100],
        ]) {
          const a = await req(`${srv.url}/api/v1/sessions/${id}/anchors`, {
            method: 'POST',
            json: { geometry: { type: 'point', point: p } },
          });
          if (a.status !== 201) count.add(a.status, a.body?.error?.code);
        }
        return id;
      };
      const start = Date.now();
      const stop = start + TURN_S * 1000;
      let turns = 0;
      await Promise.all(
        Array.from({ length: level }, async (_, i) => {
          let id = await newSession(i);
          let n = 0;
          while (id && Date.now() < stop) {
            if (acked.get(id)!.size >= 450) {
              id = await newSession(i);
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
              acked.get(id)!.add(r.body.id);
            } else await sleep(50);
          }
        }),
      );
      const wall = (Date.now() - start) / 1000;
      // Every acknowledged turn is there.
      let lost = 0,
        checked = 0;
      for (const [id, ids] of acked) {
        const s = await req(`${srv.url}/api/v1/sessions/${id}`);
        const have = new Set<string>((s.body?.turns ?? []).map((t: { id: string }) => t.id));
        for (const t of ids) {
          checked++;
          if (!have.has(t)) lost++;
        }
      }
      const row = {
        sessions: level,
        wallS: Math.round(wall * 10) / 10,
        turns,
        turnsPerS: Math.round((turns / wall) * 10) / 10,
        latencyMs: { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99) },
        byStatus: count.byStatus,
        ackedChecked: checked,
        lostTurns: lost,
        peakRssMiB: mib(phasePeak),
      };
      levels.push(row);
      console.log(`turns @${level}:`, JSON.stringify(row));
    }
    result.turns = levels;
  } finally {
    clearInterval(sampler);
    const end = rssOf(srv.pid);
    result.peakRssMiB = mib(Math.max(peak, end.hwm));
    await srv.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  result.totalS = Math.round((Date.now() - t0) / 1000);
  const fiveXX = [result.analyses, ...((result.turns as Record<string, unknown>[]) ?? [])]
    .flatMap((r) => Object.entries((r as { byStatus: Record<string, number> })?.byStatus ?? {}))
    .filter(([k]) => k.startsWith('5') && k !== '503 busy')
    .reduce((n, [, c]) => n + c, 0);
  const lost = ((result.turns as { lostTurns: number }[]) ?? []).reduce((n, r) => n + r.lostTurns, 0);
  const rss32 =
    ((result.turns as { sessions: number; peakRssMiB: number }[]) ?? []).find((r) => r.sessions === 32)?.peakRssMiB ??
    null;
  result.bars = {
    non_busy_5xx: fiveXX,
    lostTurns: lost,
    rssAt32MiB: rss32,
    pass: fiveXX === 0 && lost === 0 && (rss32 === null || rss32 <= 1536),
  };
  console.log('\nsummary:', JSON.stringify(result, null, 2));
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(result, null, 2));
  process.exit((result.bars as { pass: boolean }).pass ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

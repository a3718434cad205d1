/**
 * `npm run fuzz -- <count> [--seed N] [--mode http|direct|both] [--http-sample N] [--concurrency N]`
 *
 * Mutates the test fixtures (scripts/lib/dicomFixtures.ts) with a fixed seed — bit flips,
 * truncations, corrupted length fields, deep nesting, huge Rows/Columns/Bits values, spliced and
 * zeroed regions, swapped transfer syntaxes — and checks that every mutant is answered with a 4xx
 * (or 201 when the mutation left a valid image) within 2 s: never a 500, a hang or a crash.
 *
 *  - `http`: POSTs each mutant to a server started in this process (startTestServer) on
 *    127.0.0.1, with MODELS_DIR pointing at an empty folder so that what is measured is the
 *    decoder, not the models.
 *  - `direct`: calls decodeImage in a child process with a 2 s watchdog (a hang kills and
 *    restarts the child and counts as a failure); rejections are mapped to their HTTP status.
 *  - `both`: every mutant direct, the first `--http-sample` (default 1,000) also over HTTP.
 * Default `http`: on loopback it runs at about 70 mutants/s with 2 clients (measured on 2 shared
 * cores), so 10,000 mutants take under 3 minutes and nothing needs the direct shortcut.
 * In `http` mode every 20th mutant is a codec bomb of issue 11 (scripts/lib/bombs.ts: J2K with
 * 16,384 components, J2K with 16×16 tiles and 3,000 components, a JPEG with one scan repeated 2,000
 * times as image/jpeg and inside DICOM, a 650 KB deflated file inflating to 360 MB, a 7000² PNG),
 * plain or lightly mutated; bombs must be answered 4xx or 201 within 30 s (ANALYSIS_TIMEOUT_MS)
 * (`--no-bombs` leaves them out). Throughout the run /api/v1/status is polled every 50 ms (bar:
 * every answer within 200 ms) and the process RSS is sampled (bar: peak under 1.5 GiB); the report
 * gives both and the 5xx count.
 * Mutant i depends only on (seed, i): `--only i` replays one. Failing mutants are written to
 * $TMPDIR/cxr-fuzz-failures/. Exit code 1 when anything failed or a bar was missed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeFixtures, SENTINEL_TOKEN, TS, withNesting } from './lib/dicomFixtures';
import { mulberry32 } from './lib/rng';

export const TIME_LIMIT_MS = 2000;
/** Codec bombs (issue 11) may take longer to be refused or accepted, but never 5xx, never a blocked server. */
export const BOMB_TIME_LIMIT_MS = 30_000;
/** Every BOMB_EVERY-th mutant (index % BOMB_EVERY === BOMB_PHASE) is a codec bomb, plain or lightly mutated. */
export const BOMB_EVERY = 20;
const BOMB_PHASE = 7;
/** Bars of issue 11 for the whole run: /api/v1/status latency and peak RSS. */
export const STATUS_LIMIT_MS = 200;
export const RSS_LIMIT_BYTES = 1.5 * 1024 ** 3;

// ------------------------------------------------------------------ deterministic randomness

/** The i-th case's own PRNG stream, so any single case can be replayed. */
export function rngFor(seed: number, i: number): () => number {
  return mulberry32((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
}
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

// ------------------------------------------------------------------ DICOM structure, roughly

const LONG_VR = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const isVr = (b: Buffer, o: number) => b[o]! >= 0x41 && b[o]! <= 0x5a && b[o + 1]! >= 0x41 && b[o + 1]! <= 0x5a;

/** Offsets and sizes of element length fields, from the DICM marker (explicit or implicit LE; into sequences). */
export function lengthFields(b: Buffer, max = 400): { at: number; size: 2 | 4; value: number }[] {
  const out: { at: number; size: 2 | 4; value: number }[] = [];
  let o = 132;
  while (o + 8 <= b.length && out.length < max) {
    const group = b.readUInt16LE(o),
      element = b.readUInt16LE(o + 2);
    if (group === 0xfffe) {
      // item / delimiters: 4-byte length, no VR
      out.push({ at: o + 4, size: 4, value: b.readUInt32LE(o + 4) });
      void element;
      o += 8; // descend into the item
      continue;
    }
    if (isVr(b, o + 4)) {
      const vr = b.toString('latin1', o + 4, o + 6);
      if (LONG_VR.has(vr)) {
        if (o + 12 > b.length) break;
        const len = b.readUInt32LE(o + 8);
        out.push({ at: o + 8, size: 4, value: len });
        o += 12 + (len === 0xffffffff || vr === 'SQ' ? 0 : len);
      } else {
        const len = b.readUInt16LE(o + 6);
        out.push({ at: o + 6, size: 2, value: len });
        o += 8 + len;
      }
    } else {
      const len = b.readUInt32LE(o + 4);
      out.push({ at: o + 4, size: 4, value: len });
      o += 8 + (len === 0xffffffff ? 0 : len);
    }
  }
  return out;
}

/** Offsets of the value of a US element (group 0028) in explicit or implicit LE. */
function usValueAt(b: Buffer, element: number): number[] {
  const tag = Buffer.from([0x28, 0x00, element & 0xff, element >> 8]);
  const out: number[] = [];
  let from = 132;
  for (;;) {
    const o = b.indexOf(tag, from);
    if (o < 0 || o + 10 > b.length) break;
    out.push(isVr(b, o + 4) ? o + 8 : o + 8);
    from = o + 1;
  }
  return out;
}

// ------------------------------------------------------------------ mutations

export type Base = { name: string; bytes: Buffer; mediaType: 'application/dicom' | 'image/png' | 'image/jpeg' };

const MUTATIONS = [
  'bitflip',
  'bytes',
  'truncate',
  'length',
  'nesting',
  'huge',
  'splice',
  'zero',
  'duplicate',
  'transferSyntax',
  'insert',
] as const;
export type MutationKind = (typeof MUTATIONS)[number];

type Mutator = (b: Buffer, r: () => number, other: Buffer) => Buffer;

function mutateOnce(kind: MutationKind, b: Buffer, r: () => number, other: Buffer): Buffer {
  return MUTATORS[kind](b, r, other);
}

/** A length field set to a boundary value (0, 1, max, ±1, doubled, the file length …). */
function mutateLength(b: Buffer, r: () => number, other: Buffer): Buffer {
  const n = b.length;
  const fields = lengthFields(b);
  if (fields.length === 0) return mutateOnce('bitflip', b, r, other);
  const f = pick(r, fields);
  const c = Buffer.from(b);
  const max = f.size === 2 ? 0xffff : 0xffffffff;
  const boundary = [0, 1, max, max - 1, f.value + 1, Math.max(0, f.value - 1), f.value * 2];
  const v = pick(r, [...boundary, int(r, 0, max), 0x7fffffff, n, n * 4]);
  if (f.size === 2) c.writeUInt16LE(Math.min(0xffff, Math.max(0, (v >>> 0) & 0xffff)), f.at);
  else c.writeUInt32LE(Math.min(0xffffffff, Math.max(0, v)) >>> 0, f.at);
  return c;
}

/** A transfer syntax UID near the start replaced by another (or a bogus one), padded to its length. */
function mutateTransferSyntax(b: Buffer, r: () => number, other: Buffer): Buffer {
  const uids = Object.values(TS) as string[];
  const cur = uids.map((u) => ({ u, at: b.indexOf(Buffer.from(u, 'latin1')) })).filter((x) => x.at >= 0 && x.at < 1024);
  if (cur.length === 0) return mutateOnce('bitflip', b, r, other);
  const { u, at } = pick(r, cur);
  const repl = Buffer.alloc(u.length, 0x20);
  Buffer.from(pick(r, [...uids, '1.2.840.10008.1.2.4.100', '1.2.3', '']).slice(0, u.length), 'latin1').copy(repl);
  const c = Buffer.from(b);
  repl.copy(c, at);
  return c;
}

/** Rows, columns, bits, samples, planar configuration or pixel representation set to an extreme. */
function mutateHuge(b: Buffer, r: () => number, other: Buffer): Buffer {
  const c = Buffer.from(b);
  const el = pick(r, [0x0010, 0x0011, 0x0100, 0x0101, 0x0102, 0x0002, 0x0006, 0x0103]);
  const at = usValueAt(c, el);
  if (at.length === 0) return mutateOnce('bytes', b, r, other);
  const o = pick(r, at);
  if (o + 2 <= c.length) c.writeUInt16LE(pick(r, [0, 1, 3, 7, 9, 17, 32, 64, 0x7fff, 0xffff, 8193, 50001]), o);
  return c;
}

const MUTATORS: Record<MutationKind, Mutator> = {
  bitflip: (b, r) => {
    const c = Buffer.from(b);
    for (let k = int(r, 1, 16); k > 0; k--) {
      const at = int(r, 0, b.length - 1);
      c[at] = c[at]! ^ (1 << int(r, 0, 7));
    }
    return c;
  },
  bytes: (b, r) => {
    const n = b.length;
    const c = Buffer.from(b);
    const at = r() < 0.7 ? int(r, 0, Math.min(n - 1, 2048)) : int(r, 0, n - 1);
    for (let k = int(r, 1, 8); k > 0 && at + k < n; k--) c[at + k] = pick(r, [0x00, 0xff, 0x7f, 0x80, int(r, 0, 255)]);
    return c;
  },
  truncate: (b, r) => b.subarray(0, r() < 0.5 ? int(r, 0, Math.min(b.length, 1200)) : int(r, 0, b.length)),
  length: mutateLength,
  nesting: (b, r, other) => {
    try {
      return withNesting(b, pick(r, [1, 2, 8, 15, 16, 17, 40, 300, int(r, 1, 2000)]));
    } catch {
      return mutateOnce('truncate', b, r, other);
    }
  },
  huge: mutateHuge,
  splice: (b, r, other) => {
    const cut = int(r, 0, b.length);
    const from = int(r, 0, Math.max(0, other.length - 1));
    return Buffer.concat([b.subarray(0, cut), other.subarray(from, from + int(r, 1, 65536))]);
  },
  zero: (b, r) => {
    const c = Buffer.from(b);
    const at = int(r, 0, b.length - 1);
    c.fill(r() < 0.5 ? 0 : 0xff, at, Math.min(b.length, at + int(r, 1, 4096)));
    return c;
  },
  duplicate: (b, r) => {
    const at = int(r, 0, b.length - 1),
      len = int(r, 1, 2048);
    return Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
  },
  transferSyntax: mutateTransferSyntax,
  insert: (b, r) => {
    const at = int(r, 0, b.length);
    const junk = Buffer.alloc(int(r, 1, 64));
    for (let k = 0; k < junk.length; k++) junk[k] = int(r, 0, 255);
    return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
  },
};

export interface Mutant {
  index: number;
  base: string;
  kinds: MutationKind[];
  bytes: Buffer;
  mediaType: Base['mediaType'];
  bomb?: boolean;
}

const LIGHT_MUTATIONS = ['bitflip', 'bytes', 'truncate', 'zero'] as const;

/** Mutant i; with `bombs`, every BOMB_EVERY-th one is a codec bomb (half of them lightly mutated). */
export function makeMutant(bases: Base[], seed: number, index: number, bombs?: Base[]): Mutant {
  const r = rngFor(seed, index);
  if (bombs?.length && index % BOMB_EVERY === BOMB_PHASE) {
    const base = bombs[Math.floor(index / BOMB_EVERY) % bombs.length]!;
    const kinds: MutationKind[] = r() < 0.5 ? [pick(r, LIGHT_MUTATIONS)] : [];
    const bytes = kinds.length ? mutateOnce(kinds[0]!, base.bytes, r, base.bytes) : base.bytes;
    return { index, base: base.name, kinds, bytes, mediaType: base.mediaType, bomb: true };
  }
  const base = pick(r, bases);
  const other = pick(r, bases).bytes;
  const kinds: MutationKind[] = [];
  let bytes = base.bytes;
  for (let k = int(r, 1, 3); k > 0; k--) {
    const kind =
      base.mediaType === 'image/png' && r() < 0.6
        ? pick(r, ['bitflip', 'truncate', 'bytes', 'zero', 'insert'] as const)
        : pick(r, MUTATIONS);
    kinds.push(kind);
    bytes = mutateOnce(kind, bytes, r, other);
  }
  return { index, base: base.name, kinds, bytes, mediaType: base.mediaType };
}

export async function loadBases(): Promise<Base[]> {
  const fx = await makeFixtures();
  return Object.entries(fx.paths)
    .filter(([name]) => name !== 'badDeep100k') // 4 MB; its class is covered by the nesting mutation
    .map(([name, p]) => ({
      name,
      bytes: readFileSync(p),
      mediaType: p.endsWith('.png') ? ('image/png' as const) : ('application/dicom' as const),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The codec bombs of issue 11 (scripts/lib/bombs.ts): J2K component/tile bombs, JPEG scan bombs,
 * a deflate bomb, huge-PNG amplification.
 */
export async function loadBombs(): Promise<Base[]> {
  const b = await import('./lib/bombs');
  return [
    { name: 'bomb:j2k-16384-components', bytes: await b.j2kComponentBomb(), mediaType: 'application/dicom' },
    { name: 'bomb:j2k-16x16-tiles-3000-components', bytes: await b.j2kTileBomb(), mediaType: 'application/dicom' },
    { name: 'bomb:jpeg-2000-scans', bytes: await b.progressiveScanBomb(), mediaType: 'image/jpeg' },
    { name: 'bomb:dicom-jpeg-2000-scans', bytes: await b.progressiveScanBombDicom(), mediaType: 'application/dicom' },
    { name: 'bomb:deflate-360MB', bytes: await b.deflateBomb(360), mediaType: 'application/dicom' },
    { name: 'bomb:png-7000x7000', bytes: await b.hugePng(7000), mediaType: 'image/png' },
  ];
}

// ------------------------------------------------------------------ running

export interface Outcome {
  index: number;
  status: number | 'timeout' | 'crash' | 'network';
  code: string;
  ms: number;
  bomb?: boolean;
}
export interface FuzzReport {
  mode: 'http' | 'direct';
  count: number;
  wallMs: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  failures: (Outcome & { base: string; kinds: string[]; file: string })[];
  slowest: (Outcome & { base: string; kinds: string[] })[];
  sentinelInLogs: number;
  /** HTTP mode: GET /api/v1/status polled every 50 ms throughout the run. */
  statusPolls?: {
    count: number;
    maxMs: number;
    p99Ms: number;
    over: number;
    loopDelayMaxMs: number;
    loopDelayP99Ms: number;
  };
  /** HTTP mode: peak resident set of the process (server, its decode workers and the client), sampled every 100 ms. */
  peakRssBytes?: number;
  bombs?: number;
}

const ok = (o: Outcome) =>
  o.ms <= (o.bomb ? BOMB_TIME_LIMIT_MS : TIME_LIMIT_MS) &&
  typeof o.status === 'number' &&
  (o.status === 201 || (o.status >= 400 && o.status < 500));

function summarise(
  mode: FuzzReport['mode'],
  outcomes: Outcome[],
  mutants: Map<number, Mutant>,
  wallMs: number,
  sentinelInLogs = 0,
): FuzzReport {
  const byStatus: Record<string, number> = {},
    byCode: Record<string, number> = {};
  for (const o of outcomes) {
    byStatus[String(o.status)] = (byStatus[String(o.status)] ?? 0) + 1;
    byCode[o.code] = (byCode[o.code] ?? 0) + 1;
  }
  const failDir = path.join(tmpdir(), 'cxr-fuzz-failures');
  const failures = outcomes
    .filter((o) => !ok(o))
    .map((o) => {
      const m = mutants.get(o.index);
      let file = '';
      if (m) {
        mkdirSync(failDir, { recursive: true });
        file = path.join(failDir, `mutant-${o.index}.bin`);
        writeFileSync(file, m.bytes);
      }
      return { ...o, base: m?.base ?? '?', kinds: m?.kinds ?? [], file };
    });
  const slowest = [...outcomes]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((o) => ({ ...o, base: mutants.get(o.index)?.base ?? '?', kinds: mutants.get(o.index)?.kinds ?? [] }));
  return { mode, count: outcomes.length, wallMs, byStatus, byCode, failures, slowest, sentinelInLogs };
}

type Answer = Pick<Outcome, 'status' | 'code' | 'ms'>;

/** One POST of a mutant: its status and error code (and deletes the analysis of a valid one). */
async function postOnce(url: string, m: Mutant): Promise<Answer & { retryAfterS: number }> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(`${url}/api/v1/analyses`, {
      method: 'POST',
      body: m.bytes,
      headers: { 'content-type': m.mediaType },
      signal: AbortSignal.timeout((m.bomb ? BOMB_TIME_LIMIT_MS : TIME_LIMIT_MS) + 3000),
    });
    const text = await res.text();
    const retryAfterS = Number(res.headers.get('retry-after') ?? 1) || 1;
    type Reply = { id?: string; error?: { code?: string } };
    let parsed: Reply | null = null;
    try {
      parsed = JSON.parse(text) as Reply;
    } catch {
      return { status: res.status, code: 'not_json', ms: ms(), retryAfterS };
    }
    const code = parsed.error?.code ?? (res.status === 201 ? 'created' : 'no_code');
    // Keep the server's memory flat: a valid mutant's analysis is not needed afterwards.
    if (res.status === 201 && parsed.id)
      await fetch(`${url}/api/v1/analyses/${parsed.id}`, { method: 'DELETE' })
        .then((d) => d.arrayBuffer())
        .catch(() => undefined);
    return { status: res.status, code, ms: ms(), retryAfterS };
  } catch (e) {
    const status = (e as Error).name === 'TimeoutError' ? 'timeout' : 'network';
    return { status, code: (e as Error).name, ms: ms(), retryAfterS: 1 };
  }
}

/**
 * 503 busy is back-pressure, not a verdict: retry as Retry-After says, for up to a minute; the
 * time that counts is that of the attempt that got an answer.
 */
async function postMutant(url: string, m: Mutant): Promise<Answer> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const { retryAfterS, ...answer } = await postOnce(url, m);
    if (!(answer.status === 503 && answer.code === 'busy') || performance.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, Math.min(1000, retryAfterS * 1000)));
  }
}

/** POSTs mutants [0, count) to an in-process server. Mutants are kept only for failures/slowest. */
export async function fuzzHttp(opts: {
  count: number;
  seed: number;
  concurrency?: number;
  indices?: number[];
  bombs?: boolean;
}): Promise<FuzzReport> {
  const { startTestServer } = await import('./lib/testServer');
  const bases = await loadBases();
  const bombs = opts.bombs === false ? undefined : await loadBombs();
  const emptyModels = mkdtempSync(path.join(tmpdir(), 'cxr-fuzz-models-'));
  const srv = await startTestServer({
    MODELS_DIR: emptyModels,
    MAX_BODY_BYTES: String(16 * 1024 * 1024),
    LOG_LEVEL: 'info',
    MAX_CONCURRENT_ANALYSES: String(Math.max(2, opts.concurrency ?? 2)),
    // one client sends everything here: the per-client rate limit and the live-analyses cap are not under test
    RATE_LIMIT_ANALYSES_PER_MIN: '1000000',
    MAX_ANALYSES: '1000000',
  });
  const monitor = watchServer(srv.url);
  const indices = opts.indices ?? Array.from({ length: opts.count }, (_, i) => i);
  const outcomes: Outcome[] = [];
  const keep = new Map<number, Mutant>();
  const t0 = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < indices.length) {
      const index = indices[next++]!;
      const m = makeMutant(bases, opts.seed, index, bombs);
      const o: Outcome = { index, ...(await postMutant(srv.url, m)), bomb: m.bomb };
      outcomes.push(o);
      if (!ok(o)) keep.set(index, m);
    }
  };
  let watched: Awaited<ReturnType<typeof monitor.stop>>;
  try {
    await Promise.all(Array.from({ length: opts.concurrency ?? 2 }, worker));
  } finally {
    watched = await monitor.stop();
    await srv.close();
    rmSync(emptyModels, { recursive: true, force: true });
  }
  const sentinel = srv.logs.filter((l) => l.includes(SENTINEL_TOKEN)).length;
  for (const o of [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 5))
    if (!keep.has(o.index)) keep.set(o.index, makeMutant(bases, opts.seed, o.index, bombs));
  const report = summarise('http', outcomes, keep, Date.now() - t0, sentinel);
  return { ...report, ...watched, bombs: outcomes.filter((o) => o.bomb).length };
}

/**
 * Polls GET /api/v1/status every 50 ms and samples the process RSS every 100 ms until stopped: the
 * server runs in this process, so a blocked event loop shows as a slow poll.
 */
function watchServer(url: string): {
  stop(): Promise<{ statusPolls: NonNullable<FuzzReport['statusPolls']>; peakRssBytes: number }>;
} {
  const polls: number[] = [];
  let running = true;
  let peak = process.memoryUsage().rss;
  // event-loop delay tells a blocked loop (our fault) from a starved process (a busy machine)
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const rss = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      try {
        await (await fetch(`${url}/api/v1/status`)).arrayBuffer();
      } catch {
        /* counted as slow below */
      }
      polls.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      clearInterval(rss);
      loopDelay.disable();
      const sorted = [...polls].sort((a, b) => a - b);
      const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? 0;
      return {
        statusPolls: {
          count: polls.length,
          maxMs: Math.round(q(1)),
          p99Ms: Math.round(q(0.99)),
          over: polls.filter((p) => p > STATUS_LIMIT_MS).length,
          loopDelayMaxMs: Math.round(loopDelay.max / 1e6),
          loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e6),
        },
        peakRssBytes: Math.max(peak, process.memoryUsage().rss),
      };
    },
  };
}

/** Decodes mutants in a child process with a watchdog. */
export async function fuzzDirect(opts: { count: number; seed: number; indices?: number[] }): Promise<FuzzReport> {
  const bases = await loadBases();
  const indices = opts.indices ?? Array.from({ length: opts.count }, (_, i) => i);
  const outcomes: Outcome[] = [];
  const keep = new Map<number, Mutant>();
  const t0 = Date.now();
  let child: ChildProcess | null = null;
  const spawnChild = () =>
    fork(__filename, ['--child', String(opts.seed)], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  const ask = (c: ChildProcess, m: Mutant) =>
    new Promise<{ status: Outcome['status']; code: string; ms: number }>((resolve) => {
      const t = setTimeout(() => {
        cleanup();
        c.kill('SIGKILL');
        resolve({ status: 'timeout', code: 'hang', ms: TIME_LIMIT_MS });
      }, TIME_LIMIT_MS + 1000);
      const onMsg = (msg: { status: number; code: string; ms: number }) => {
        cleanup();
        resolve(msg);
      };
      const onExit = () => {
        cleanup();
        resolve({ status: 'crash', code: 'child_exit', ms: 0 });
      };
      const cleanup = () => {
        clearTimeout(t);
        c.off('message', onMsg);
        c.off('exit', onExit);
      };
      c.on('message', onMsg);
      c.once('exit', onExit);
      c.send({ index: m.index });
    });
  for (const index of indices) {
    if (!child || child.exitCode !== null || child.killed) child = spawnChild();
    const m = makeMutant(bases, opts.seed, index);
    const r = await ask(child, m);
    if (r.status === 'timeout' || r.status === 'crash') child = null;
    const o: Outcome = { index, ...r };
    outcomes.push(o);
    if (!ok(o)) keep.set(index, m);
  }
  child?.kill();
  for (const o of [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 5))
    if (!keep.has(o.index)) keep.set(o.index, makeMutant(bases, opts.seed, o.index));
  return summarise('direct', outcomes, keep, Date.now() - t0);
}

/** The child side of `direct`: rebuilds mutant i itself (no big IPC messages) and decodes it. */
async function childMain(seed: number): Promise<void> {
  const { decodeImage } = await import('../server/src/imaging/decode');
  const { DEFAULT_LIMITS } = await import('../server/src/config');
  const { ApiError } = await import('../server/src/errors');
  const bases = await loadBases();
  const limits = { ...DEFAULT_LIMITS, maxBodyBytes: 16 * 1024 * 1024 };
  process.on('message', (msg: { index: number }) => {
    const m = makeMutant(bases, seed, msg.index);
    const t = performance.now();
    void decodeImage(m.bytes, m.mediaType, {}, limits).then(
      () => process.send!({ status: 201, code: 'created', ms: Math.round(performance.now() - t) }),
      (e: unknown) =>
        process.send!(
          e instanceof ApiError
            ? { status: e.status, code: e.code, ms: Math.round(performance.now() - t) }
            : {
                status: 500,
                code: `internal:${(e as Error)?.name ?? typeof e}`,
                ms: Math.round(performance.now() - t),
              },
        ),
    );
  });
}

export function printReport(r: FuzzReport): void {
  const rate = r.count / Math.max(0.001, r.wallMs / 1000);
  console.log(`\n== fuzz (${r.mode}): ${r.count} mutants in ${(r.wallMs / 1000).toFixed(1)} s (${rate.toFixed(1)}/s)`);
  console.log('by status:', JSON.stringify(r.byStatus));
  console.log('by code:  ', JSON.stringify(Object.fromEntries(Object.entries(r.byCode).sort((a, b) => b[1] - a[1]))));
  console.log(
    'slowest:  ',
    r.slowest
      .map((s) => `#${s.index} ${s.base}[${s.kinds.join('+')}] ${s.ms} ms → ${s.status} ${s.code}`)
      .join('\n           '),
  );
  if (r.mode === 'http') console.log(`log lines with the sentinel: ${r.sentinelInLogs}`);
  const fiveXX = Object.entries(r.byStatus)
    .filter(([s]) => s.startsWith('5'))
    .reduce((n, [, c]) => n + c, 0);
  if (r.bombs !== undefined)
    console.log(
      `codec bombs: ${r.bombs} (J2K component/tile, JPEG scans, deflate, 7000² PNG; plain or lightly mutated)`,
    );
  console.log(`5xx:        ${fiveXX}`);
  if (r.statusPolls) {
    const p = r.statusPolls;
    console.log(
      `/api/v1/status polled ${p.count}× every 50 ms: max ${p.maxMs} ms, p99 ${p.p99Ms} ms, ` +
        `${p.over} over ${STATUS_LIMIT_MS} ms; event-loop delay max ${p.loopDelayMaxMs} ms, p99 ${p.loopDelayP99Ms} ms`,
    );
    console.log(
      `load average at the end: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} on ${cpus().length} cores`,
    );
  }
  if (r.peakRssBytes !== undefined)
    console.log(`peak RSS:   ${(r.peakRssBytes / 1024 ** 3).toFixed(2)} GiB (bar ${RSS_LIMIT_BYTES / 1024 ** 3} GiB)`);
  console.log(
    r.failures.length === 0
      ? 'failures:  none'
      : `FAILURES (${r.failures.length}):\n` +
          r.failures
            .slice(0, 30)
            .map(
              (f) => `  #${f.index} ${f.base}[${f.kinds.join('+')}] → ${f.status} ${f.code} in ${f.ms} ms  (${f.file})`,
            )
            .join('\n'),
  );
}

async function main(): Promise<void> {
  const { values: flags, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      child: { type: 'string' },
      seed: { type: 'string', default: String(0xc0ffee) },
      only: { type: 'string' },
      mode: { type: 'string', default: 'http' },
      'http-sample': { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '2' },
      'no-bombs': { type: 'boolean', default: false },
    },
  });
  if (flags.child !== undefined) {
    await childMain(Number(flags.child));
    return;
  }
  const count = Number(positionals.find((a) => /^\d+$/.test(a)) ?? 10000);
  const seed = Number(flags.seed);
  const mode = flags.mode as 'http' | 'direct' | 'both';
  const httpSample = Number(flags['http-sample']);
  const concurrency = Number(flags.concurrency);
  const indices = flags.only !== undefined ? flags.only.split(',').map(Number) : undefined;
  console.log(`fuzz: ${indices ? `mutants ${indices.join(',')}` : `${count} mutants`}, seed ${seed}, mode ${mode}`);
  const reports: FuzzReport[] = [];
  if (mode === 'direct' || mode === 'both') reports.push(await fuzzDirect({ count, seed, indices }));
  const bombs = !flags['no-bombs'];
  if (mode === 'http' || mode === 'both')
    reports.push(
      await fuzzHttp({
        count: mode === 'both' ? Math.min(count, httpSample) : count,
        seed,
        concurrency,
        indices,
        bombs,
      }),
    );
  for (const r of reports) printReport(r);
  const bad = reports.some(
    (r) =>
      r.failures.length > 0 ||
      r.sentinelInLogs > 0 ||
      (r.statusPolls?.over ?? 0) > 0 ||
      (r.peakRssBytes ?? 0) > RSS_LIMIT_BYTES,
  );
  process.exit(bad ? 1 : 0);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}

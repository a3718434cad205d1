/**
 * `npm run bench`: first-analysis latency (decode, anatomy, lesion, total) on 1024² and 2048²
 * radiographs, follow-up turn latency per intent, and the server's RSS. Runs the real server
 * in-process on loopback; then the same first analyses with INFERENCE_RUNTIME=wasm (onnxruntime-web's
 * WASM backend in Node, one thread: the browser's WASM path, not a browser measurement; BENCH_WASM=0
 * skips it). Uses JSRT images from ../shared/data when present, else synthetic ones.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startServer, type RunningServer } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import type { Analysis, Session, Turn } from '../server/src/contract';
import { createLogger } from '../server/src/logger';
import { chestDataset, makeChestPixels, writePart10 } from './lib/dicomFixtures';

const JSRT = path.resolve(__dirname, '../../shared/data/jsrt-train/images');
const N = Number(process.env.BENCH_N ?? 7);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
interface Stats {
  p50: number;
  p95: number;
  n: number;
}
const stats = (xs: number[]): Stats => ({ p50: Math.round(pct(xs, 50)), p95: Math.round(pct(xs, 95)), n: xs.length });

/** First-analysis figures per image side: stage → stats. */
type AnalysisFigures = Record<string, Record<string, Stats>>;
interface BenchOut {
  models: string[];
  analyses: AnalysisFigures;
  turns?: Record<string, { server: Stats; roundTrip: Stats } | string>;
  peakRssMiB?: number;
  cpus?: number;
  wasm?: { label: string; threads: number; analyses: AnalysisFigures };
}

/** A 12-bit CR of `size`², from a JSRT image (bilinear-resized) or the synthetic chest. */
async function radiograph(size: number, index: number): Promise<Buffer> {
  let px: Uint16Array;
  const files = existsSync(JSRT)
    ? readdirSync(JSRT)
        .filter((f) => f.endsWith('.png'))
        .sort()
    : [];
  if (files.length) {
    const raw = await sharp(readFileSync(path.join(JSRT, files[index % files.length])))
      .greyscale()
      .resize(size, size, { kernel: 'cubic' })
      .raw()
      .toBuffer();
    px = new Uint16Array(size * size);
    for (let i = 0; i < px.length; i++) px[i] = raw[i] << 4;
  } else {
    px = makeChestPixels(size, size);
  }
  const mm = (0.35 * 1024) / size;
  return writePart10(
    chestDataset({ width: size, height: size, extra: { PixelData: [px.buffer], PixelSpacing: [mm, mm] } }),
  );
}

/** The analysis rows of one runtime's figures. */
function analysisRows(figures: AnalysisFigures, label: string): string[] {
  const rows: string[] = [];
  for (const [size, stages] of Object.entries(figures)) {
    for (const [k, v] of Object.entries(stages))
      rows.push(`| ${label}analysis ${size}² ${k} | ${v.p50} | ${v.p95} | ${v.n} |`);
  }
  return rows;
}

/** The same figures as a Markdown table (ms, p50 / p95). */
function table(out: BenchOut): string {
  const rows = ['| measure | p50 ms | p95 ms | n |', '|---|---|---|---|', ...analysisRows(out.analyses, '')];
  for (const [k, v] of Object.entries(out.turns ?? {})) {
    if (typeof v === 'object') {
      const [sv, rt] = [v.server, v.roundTrip];
      rows.push(`| turn ${k} (server / round trip) | ${sv.p50} / ${rt.p50} | ${sv.p95} / ${rt.p95} | ${sv.n} |`);
    }
  }
  rows.push(`| peak RSS | ${out.peakRssMiB} MiB | | |`);
  if (out.wasm) {
    rows.push(`| **${WASM_LABEL}** | | | |`);
    rows.push(...analysisRows(out.wasm.analyses, 'WASM '));
  }
  return rows.join('\n');
}

const WASM_LABEL = "onnxruntime-web WASM in Node — the browser's WASM path (not a browser measurement)";

/** POSTs JSON (or a DICOM body) and returns the parsed response; throws on an error status. */
type Post = <T>(url: string, body: unknown, type?: string) => Promise<T>;

/** The real server on loopback with `runtime` running the models, and a JSON POST helper. */
async function startBenchServer(runtime: 'node' | 'wasm'): Promise<{ server: RunningServer; post: Post }> {
  // one client posts every analysis here: the per-client rate limit (issue 11.5) is not what is measured
  const config = loadConfig(
    {
      RATE_LIMIT_ANALYSES_PER_MIN: '1000000',
      ...process.env,
      INFERENCE_RUNTIME: runtime,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    path.resolve(__dirname, '..'),
  );
  const server = await startServer(config, createLogger('warn'));
  const post: Post = async <T>(url: string, body: unknown, type = 'application/json'): Promise<T> => {
    const res = await fetch(server.url + url, {
      method: 'POST',
      headers: { 'content-type': type },
      body: type === 'application/json' ? JSON.stringify(body) : (body as Buffer),
    });
    const json = (await res.json()) as T & { error?: unknown };
    if (res.status >= 400) throw new Error(`${url}: ${res.status} ${JSON.stringify(json.error)}`);
    return json;
  };
  return { server, post };
}

/** First-analysis timings at 1024² and 2048² into `out`; returns the last analysis id. */
async function benchAnalyses(post: Post, out: AnalysisFigures): Promise<string> {
  let lastAnalysis = '';
  for (const size of [1024, 2048]) {
    const t = {
      total: [] as number[],
      decode: [] as number[],
      anatomy: [] as number[],
      lesion: [] as number[],
      roundTrip: [] as number[],
    };
    for (let i = 0; i < N; i++) {
      const body = await radiograph(size, i);
      const t0 = performance.now();
      const a = await post<Analysis>('/api/v1/analyses', body, 'application/dicom');
      t.roundTrip.push(performance.now() - t0);
      t.total.push(a.timingsMs.total);
      t.decode.push(a.timingsMs.decode);
      if (a.timingsMs.anatomy !== null) t.anatomy.push(a.timingsMs.anatomy);
      if (a.timingsMs.lesion !== null) t.lesion.push(a.timingsMs.lesion);
      lastAnalysis = a.id;
    }
    out[size] = Object.fromEntries(
      Object.entries(t)
        .filter(([, v]) => v.length)
        .map(([k, v]) => [k, stats(v)]),
    );
  }
  return lastAnalysis;
}

const QUESTIONS: [string, string][] = [
  ['overview', '肺部是否有异常?'],
  ['margin', 'A1边缘是否规则?'],
  ['density', 'A1内部有钙化吗?'],
  ['relation_landmark', 'A1距离右肺门有多远?'],
  ['checklist', '如果A1是早期肺癌,典型X线表现有哪些?'],
  ['size', '这个区域有多大?'],
  ['distance', '这两个点相距多远?'],
  ['location', '右肺门在哪里?'],
  ['show_anatomy', '显示双肺和心脏'],
  ['cardiothoracic_ratio', '心胸比是多少?'],
  ['help', '你能做什么?'],
  ['differential', 'A2会不会是血管断面?'],
  ['recommendation', 'A2下一步建议怎么做?'],
  ['compare_side', 'A2和对侧同一位置比较一下'],
  ['compare_prior', '和上次的片子比有没有变大?'],
  ['explain', '什么是毛刺征?'],
];

/** Follow-up turn latency per intent on an analysis (two drawn anchors). */
async function benchTurns(post: Post, analysisId: string): Promise<BenchOut['turns']> {
  const session = await post<Session>('/api/v1/sessions', { analysisId, language: 'zh' });
  await post(`/api/v1/sessions/${session.id}/anchors`, { geometry: { type: 'point', point: [600, 900] } });
  await post(`/api/v1/sessions/${session.id}/anchors`, {
    geometry: { type: 'ellipse', center: [1400, 900], radii: [60, 40], rotationDeg: 0 },
  });
  const turns: NonNullable<BenchOut['turns']> = {};
  for (const [intent, text] of QUESTIONS) {
    const server: number[] = [],
      client: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const turn = await post<Turn>(`/api/v1/sessions/${session.id}/turns`, { text });
      client.push(performance.now() - t0);
      server.push(turn.timingsMs.total);
      if (i === 0 && turn.understanding.intent !== intent)
        turns[`${intent}_note`] = `understood as ${turn.understanding.intent}`;
    }
    turns[intent] = { server: stats(server), roundTrip: stats(client) };
  }
  return turns;
}

async function main(): Promise<void> {
  const { server, post } = await startBenchServer('node');
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const out: BenchOut = {
    models: server.services.modelStatus().map((m) => `${m.name}@${m.version} (${m.provider})`),
    analyses: {},
  };
  // Follow-up turns on the last 2048² analysis.
  out.turns = await benchTurns(post, await benchAnalyses(post, out.analyses));
  clearInterval(sample);
  out.peakRssMiB = Math.round(peakRss / 1048576);
  out.cpus = (await import('node:os')).cpus().length;
  await server.close();
  // Browser mode (issue 18): the same analyses with onnxruntime-web's WASM backend (BENCH_WASM=0 skips)
  if (process.env.BENCH_WASM !== '0') {
    const wasm = await startBenchServer('wasm');
    const w = { label: WASM_LABEL, threads: 1, analyses: {} };
    await benchAnalyses(wasm.post, w.analyses);
    await wasm.server.close();
    out.wasm = w;
  }
  process.stdout.write(JSON.stringify(out) + '\n\n' + table(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + (e?.cause ? `\ncause: ${e.cause?.stack ?? e.cause}` : '') + '\n');
  process.exit(1);
});

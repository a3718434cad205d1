/**
 * `npm run bench`: first-analysis latency (decode, anatomy, lesion, total) on 1024² and 2048²
 * radiographs, follow-up turn latency per intent, and the server's RSS. Runs the real server
 * in-process on loopback. Uses JSRT images from ../shared/data when present, else synthetic ones.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startServer } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { createLogger } from '../server/src/logger';
import { chestDataset, makeChestPixels, writePart10 } from '../tests/support/dicomFixtures';

const JSRT = path.resolve(__dirname, '../../shared/data/jsrt-train/images');
const N = Number(process.env.BENCH_N ?? 7);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const stats = (xs: number[]) => ({ p50: Math.round(pct(xs, 50)), p95: Math.round(pct(xs, 95)), n: xs.length });

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

/** The same figures as a Markdown table (ms, p50 / p95). */
function table(out: Record<string, any>): string {
  const rows = ['| measure | p50 ms | p95 ms | n |', '|---|---|---|---|'];
  for (const size of [1024, 2048]) {
    for (const [k, v] of Object.entries(out[`analysis_${size}`] ?? {}) as [string, any][])
      rows.push(`| analysis ${size}² ${k} | ${v.p50} | ${v.p95} | ${v.n} |`);
  }
  for (const [k, v] of Object.entries(out.turns ?? {}) as [string, any][]) {
    if (typeof v === 'object')
      rows.push(
        `| turn ${k} (server / round trip) | ${v.server.p50} / ${v.roundTrip.p50} | ${v.server.p95} / ${v.roundTrip.p95} | ${v.server.n} |`,
      );
  }
  rows.push(`| peak RSS | ${out.peakRssMiB} MiB | | |`);
  return rows.join('\n');
}

async function main(): Promise<void> {
  // one client posts every analysis here: the per-client rate limit (issue 11.5) is not what is measured
  const config = loadConfig(
    { RATE_LIMIT_ANALYSES_PER_MIN: '1000000', ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    path.resolve(__dirname, '..'),
  );
  const server = await startServer(config, createLogger('warn'));
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const post = async (url: string, body: unknown, type = 'application/json') => {
    const res = await fetch(server.url + url, {
      method: 'POST',
      headers: { 'content-type': type },
      body: type === 'application/json' ? JSON.stringify(body) : (body as Buffer),
    });
    const json = (await res.json()) as any;
    if (res.status >= 400) throw new Error(`${url}: ${res.status} ${JSON.stringify(json.error)}`);
    return json;
  };
  const out: Record<string, unknown> = {
    models: server.services.modelStatus().map((m) => `${m.name}@${m.version} (${m.provider})`),
  };
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
      const a = await post('/api/v1/analyses', body, 'application/dicom');
      t.roundTrip.push(performance.now() - t0);
      t.total.push(a.timingsMs.total);
      t.decode.push(a.timingsMs.decode);
      if (a.timingsMs.anatomy !== null) t.anatomy.push(a.timingsMs.anatomy);
      if (a.timingsMs.lesion !== null) t.lesion.push(a.timingsMs.lesion);
      lastAnalysis = a.id;
    }
    out[`analysis_${size}`] = Object.fromEntries(
      Object.entries(t)
        .filter(([, v]) => v.length)
        .map(([k, v]) => [k, stats(v)]),
    );
  }
  // Follow-up turns on the last 2048² analysis.
  const session = await post('/api/v1/sessions', { analysisId: lastAnalysis, language: 'zh' });
  await post(`/api/v1/sessions/${session.id}/anchors`, { geometry: { type: 'point', point: [600, 900] } });
  await post(`/api/v1/sessions/${session.id}/anchors`, {
    geometry: { type: 'ellipse', center: [1400, 900], radii: [60, 40], rotationDeg: 0 },
  });
  const questions: [string, string][] = [
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
  const turns: Record<string, unknown> = {};
  for (const [intent, text] of questions) {
    const server: number[] = [],
      client: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const turn = await post(`/api/v1/sessions/${session.id}/turns`, { text });
      client.push(performance.now() - t0);
      server.push(turn.timingsMs.total);
      if (i === 0 && turn.understanding.intent !== intent)
        turns[`${intent}_note`] = `understood as ${turn.understanding.intent}`;
    }
    turns[intent] = { server: stats(server), roundTrip: stats(client) };
  }
  out.turns = turns;
  clearInterval(sample);
  out.peakRssMiB = Math.round(peakRss / 1048576);
  out.cpus = (await import('node:os')).cpus().length;
  await server.close();
  process.stdout.write(JSON.stringify(out) + '\n\n' + table(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});

/**
 * One side of the runtime parity check (tests/integration/runtimeParity.test.ts, scripts/bench.ts):
 * runs the real server in this process with INFERENCE_RUNTIME=<node|wasm>, analyses the given
 * films, reads their structure masks, holds a zh conversation on the first one, and writes what the
 * user would see as JSON. A separate process because onnxruntime-web loads its WASM glue with a
 * dynamic import(), which jest's module sandbox does not allow.
 *
 *   node --import tsx tests/support/parityRun.ts <node|wasm> <out.json> <film.dcm|jsrt.png>...
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startServer } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';
import { wrapPngAsDicom } from './dicomFixtures';
import { STRUCTURE_IDS } from '../../server/src/analysis/anatomy/labels';

export const PARITY_STRUCTURES = STRUCTURE_IDS;

/** The four-turn conversation of the product brief (tests/e2e/conversation.test.ts), in Chinese. */
export const PARITY_QUESTIONS = [
  '肺部是否有异常?',
  '右肺中叶那个圆形影,边缘是否规则?',
  '这个病灶距离右肺门有多远?是否与肺门结构相连?',
  '如果这是早期肺癌,典型X线表现应该有哪些?当前影像符合几条?',
];

export interface ParityFilm {
  file: string;
  findings: { id: string; type: string; score: number; diameterMm: number | null; center: [number, number] }[];
  /** Foreground (mask value ≥ 128) per structure as a 0/1 string of base64 bytes, with the mask size. */
  masks: Record<string, { width: number; height: number; bits: string } | null>;
  anchors: string[];
  turns: { intent: string; anchorIds: string[]; text: string }[];
  analysisMs: { anatomy: number | null; lesion: number | null; total: number };
}

export interface ParityOutput {
  runtime: string;
  models: string[];
  films: ParityFilm[];
}

type Post = (url: string, body: unknown, type?: string) => Promise<any>;

async function maskBits(url: string): Promise<ParityFilm['masks'][string]> {
  const res = await fetch(url);
  if (res.status !== 200) return null;
  const { data, info } = await sharp(Buffer.from(await res.arrayBuffer()))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const bits = new Uint8Array(info.width * info.height);
  for (let i = 0; i < bits.length; i++) bits[i] = data[i * info.channels]! >= 128 ? 1 : 0;
  return { width: info.width, height: info.height, bits: Buffer.from(bits).toString('base64') };
}

/** Headline and every section item, one per line: the text a user reads. */
const answerText = (turn: any): string =>
  [turn.answer.headline, ...turn.answer.sections.flatMap((s: any) => [s.title, ...s.items.map((i: any) => i.text)])]
    .filter(Boolean)
    .join('\n');

async function film(base: string, post: Post, file: string, talk: boolean): Promise<ParityFilm> {
  // a JSRT PNG (1024², 0.35 mm) goes in as the CR the viewer would send
  const bytes = file.endsWith('.png') ? await wrapPngAsDicom(readFileSync(file)) : readFileSync(file);
  const a = await post('/api/v1/analyses', bytes, 'application/dicom');
  const masks: ParityFilm['masks'] = {};
  for (const s of PARITY_STRUCTURES) masks[s] = await maskBits(`${base}/api/v1/analyses/${a.id}/masks/${s}.png`);
  const session = await post('/api/v1/sessions', { analysisId: a.id, language: 'zh' });
  const turns: ParityFilm['turns'] = [];
  for (const text of talk ? PARITY_QUESTIONS : []) {
    const t = await post(`/api/v1/sessions/${session.id}/turns`, { text });
    turns.push({
      intent: t.understanding.intent,
      anchorIds: t.resolvedAnchors.map((r: any) => r.anchorId),
      text: answerText(t),
    });
  }
  return {
    file: path.basename(file),
    findings: a.findings.map((f: any) => ({
      id: f.id,
      type: f.type,
      score: f.score,
      diameterMm: f.diameterMm,
      center: f.center,
    })),
    masks,
    anchors: session.anchors.map((x: any) => x.id),
    turns,
    analysisMs: { anatomy: a.timingsMs.anatomy, lesion: a.timingsMs.lesion, total: a.timingsMs.total },
  };
}

export async function runParity(runtime: string, files: string[]): Promise<ParityOutput> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cxr-parity-'));
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, STORE: 'memory', LOG_LEVEL: 'error' };
  const config = loadConfig({ ...env, INFERENCE_RUNTIME: runtime }, path.resolve(__dirname, '../..'));
  const server = await startServer(config, createLogger('error'));
  const post: Post = async (url, body, type = 'application/json') => {
    const res = await fetch(server.url + url, {
      method: 'POST',
      headers: { 'content-type': type },
      body: type === 'application/json' ? JSON.stringify(body) : (body as Buffer),
    });
    const json = (await res.json()) as any;
    if (res.status >= 400) throw new Error(`${url}: ${res.status} ${JSON.stringify(json.error)}`);
    return json;
  };
  try {
    const films: ParityFilm[] = [];
    for (const [i, f] of files.entries()) films.push(await film(server.url, post, f, i === 0));
    const models = server.services.modelStatus().map((m) => `${m.name}@${m.version} (${m.provider})`);
    return { runtime, models, films };
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [runtime, out, ...files] = process.argv.slice(2);
  runParity(runtime!, files)
    .then((r) => writeFileSync(out!, JSON.stringify(r)))
    .catch((e) => {
      process.stderr.write(String(e?.stack ?? e) + '\n');
      process.exit(1);
    });
}

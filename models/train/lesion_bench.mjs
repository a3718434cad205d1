// Checks the exported cxr-lesion ONNX against the PyTorch output and times CPU inference with
// onnxruntime-node (the server's runtime). Usage: node models/train/lesion_bench.mjs [threads]
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';

const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, '..', '.work', 'lesion');
function npy(p) {
  const b = readFileSync(p);
  const hl = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + hl).toString();
  const shape = header.match(/\(([^)]*)\)/)[1].split(',').filter((s) => s.trim()).map(Number);
  const data = new Float32Array(b.buffer.slice(b.byteOffset + 10 + hl, b.byteOffset + b.length));
  return { shape, data };
}
const threads = Number(process.argv[2] ?? 2);
const sess = await ort.InferenceSession.create(process.env.LESION_ONNX ?? join(here, '..', 'cxr-lesion', '1', 'model.onnx'),
  { intraOpNumThreads: threads, interOpNumThreads: 1, executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
const x = npy(join(work, 'export_check_input.npy'));
const ref = npy(join(work, 'export_check_output.npy'));
const feeds = { image: new ort.Tensor('float32', x.data, x.shape) };
let out = await sess.run(feeds);
const p = out.probs.data;
let maxd = 0;
for (let i = 0; i < p.length; i++) maxd = Math.max(maxd, Math.abs(p[i] - ref.data[i]));
const times = [];
for (let k = 0; k < 10; k++) { const t = performance.now(); out = await sess.run(feeds); times.push(performance.now() - t); }
times.sort((a, b) => a - b);
console.log(JSON.stringify({ outputDims: out.probs.dims, maxAbsDiffVsTorch: maxd, threads, msMedian: times[5], msMin: times[0], msMax: times[9] }));

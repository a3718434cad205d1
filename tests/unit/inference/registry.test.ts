import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadModels, parsePbtxt, readTritonConfig, resizeGrey, anatomyInput } from '../../../server/src/inference';
import { createLogger } from '../../../server/src/logger';
import { tinyAnatomyOnnx, tinyConfig } from './tinyOnnx';

const S = 16;
function modelsDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cxr-models-'));
  const m = path.join(dir, 'cxr-anatomy');
  for (const v of ['1', '2', 'notes']) mkdirSync(path.join(m, v), { recursive: true });
  writeFileSync(path.join(m, 'config.pbtxt'), tinyConfig(S));
  writeFileSync(
    path.join(m, 'labels.txt'),
    'lung_right\nlung_left\nheart\nclavicle_right\nclavicle_left\ncardiomediastinum\ntrachea\n',
  );
  writeFileSync(path.join(m, '1', 'model.onnx'), Buffer.from('not a model'));
  writeFileSync(path.join(m, '2', 'model.onnx'), tinyAnatomyOnnx(S));
  return dir;
}

test('config.pbtxt parser', () => {
  const c = readTritonConfig(tinyConfig(256));
  assert.equal(c.name, 'cxr-anatomy');
  assert.deepEqual(c.inputs, [{ name: 'image', dataType: 'TYPE_FP32', dims: [1, 1, 256, 256] }]);
  assert.equal(c.outputs[0]!.name, 'probs');
  assert.equal(c.labelFilename, 'labels.txt');
  assert.deepEqual(c.parameters, { task: 'anatomy', normalisation: 'per-image z-score' });
  assert.deepEqual(parsePbtxt('a: 1 b: "x" "y" c { d: [2, 3] } c { d: 4 }'), {
    a: [1],
    b: ['xy'],
    c: [{ d: [2, 3] }, { d: [4] }],
  });
});

test('preprocessing: area resize and z-score', () => {
  const src = new Float32Array(16).map((_, i) => i);
  assert.deepEqual([...resizeGrey(src, 4, 4, 2, 2)], [2.5, 4.5, 10.5, 12.5]);
  const z = anatomyInput(src, 4, 4, 4);
  const mean = z.reduce((a, b) => a + b, 0) / z.length;
  const sd = Math.sqrt(z.reduce((a, b) => a + b * b, 0) / z.length);
  assert.ok(Math.abs(mean) < 1e-5 && Math.abs(sd - 1) < 1e-4);
  assert.ok(
    anatomyInput(new Float32Array(9).fill(0.3), 3, 3, 4).every((v) => v === 0),
    'constant image: std floor',
  );
});

test('registry: newest version, status, anatomy run, cpu fallback', async () => {
  const dir = modelsDir();
  const lines: string[] = [];
  try {
    const reg = await loadModels(
      { modelsDir: dir, executionProvider: 'cpu', lesionThreshold: null },
      createLogger('info', (l) => lines.push(l)),
    );
    const st = reg.status();
    assert.equal(st.length, 1);
    assert.equal(st[0]!.version, '2');
    assert.equal(st[0]!.loaded, true);
    assert.equal(st[0]!.task, 'anatomy');
    assert.deepEqual(st[0]!.inputSize, [S, S]);
    assert.match(st[0]!.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(reg.ref('anatomy'), { name: 'cxr-anatomy', version: '2', provider: 'cpu' });
    const img = new Float32Array(64 * 48).map((_, i) => (i % 64) / 64);
    const p = await reg.runAnatomy(img, 64, 48);
    assert.equal(p.width, S);
    assert.equal(p.data.length, 7 * S * S);
    assert.equal(p.labels[6], 'trachea');
    assert.ok(p.data[0]! < 0.5 && p.data[S - 1]! > 0.5, 'sigmoid of a left-to-right ramp');
    await reg.close();

    const gpu = await loadModels(
      { modelsDir: dir, executionProvider: 'webgpu', lesionThreshold: null },
      createLogger('info', (l) => lines.push(l)),
    );
    const ep = gpu.executionProvider();
    assert.equal(ep.requested, 'webgpu');
    if (ep.active === 'cpu') {
      assert.ok(ep.fallbackReason && ep.fallbackReason.length > 0);
      assert.equal(lines.filter((l) => l.includes('execution provider fallback')).length, 1);
    }
    assert.equal(gpu.status()[0]!.loaded, true);
    await gpu.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('registry: missing folder → no models, no crash', async () => {
  const reg = await loadModels(
    { modelsDir: path.join(tmpdir(), 'no-such-models-dir'), executionProvider: 'cpu', lesionThreshold: null },
    createLogger('error', () => {}),
  );
  assert.deepEqual(reg.status(), []);
  assert.equal(reg.hasAnatomy(), false);
  await assert.rejects(reg.runAnatomy(new Float32Array(4), 2, 2));
});

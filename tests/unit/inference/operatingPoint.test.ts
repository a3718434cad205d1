import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadModels, operatingPoint } from '../../../server/src/inference';
import { analysersOf } from '../../../server/src/analysis/buildAnalysers';
import { createLogger } from '../../../server/src/logger';
import { tinyAnatomyOnnx, tinyConfig } from './tinyOnnx';

const S = 16;
const param = (key: string, value: string) => `parameters { key: "${key}" value: { string_value: "${value}" } }\n`;
/** A lesion model folder whose config names its threshold `operating_point` (as the shipped cxr-lesion does). */
function lesionDir(params: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cxr-lesion-'));
  const m = path.join(dir, 'cxr-lesion');
  mkdirSync(path.join(m, '1'), { recursive: true });
  writeFileSync(
    path.join(m, 'config.pbtxt'),
    tinyConfig(S)
      .replace('name: "cxr-anatomy"', 'name: "cxr-lesion"')
      .replace(
        'parameters { key: "task" value: { string_value: "anatomy" } }',
        `parameters { key: "task" value: { string_value: "lesion" } }\n${params}`,
      ),
  );
  writeFileSync(path.join(m, 'labels.txt'), 'nodule\nopacity\n');
  writeFileSync(path.join(m, '1', 'model.onnx'), tinyAnatomyOnnx(S));
  return dir;
}

test('status shows the lesion operating point stored as "operating_point" (was null)', async () => {
  const dir = lesionDir(param('operating_point', '0.858') + param('operating_point_note', 'validation note'));
  try {
    const reg = await loadModels(
      { modelsDir: dir, executionProvider: 'cpu', lesionThreshold: null },
      createLogger('error', () => {}),
    );
    const st = reg.status();
    assert.equal(st[0]!.task, 'lesion');
    assert.deepEqual(st[0]!.operatingPoint, { threshold: 0.858, note: 'validation note' });
    await reg.close();
    const over = await loadModels(
      { modelsDir: dir, executionProvider: 'cpu', lesionThreshold: 0.7 },
      createLogger('error', () => {}),
    );
    assert.equal(over.status()[0]!.operatingPoint!.threshold, 0.7, 'LESION_THRESHOLD overrides the config');
    await over.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('status still reads the legacy "threshold" key', async () => {
  const dir = lesionDir('parameters { key: "threshold" value: { string_value: "0.6" } }');
  try {
    const reg = await loadModels(
      { modelsDir: dir, executionProvider: 'cpu', lesionThreshold: null },
      createLogger('error', () => {}),
    );
    assert.equal(reg.status()[0]!.operatingPoint!.threshold, 0.6);
    await reg.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the analyser thresholds at the operating point that status reports', async () => {
  const dir = lesionDir(param('operating_point', '0.858') + param('high_confidence', '0.97'));
  try {
    for (const override of [null, 0.7]) {
      const reg = await loadModels(
        { modelsDir: dir, executionProvider: 'cpu', lesionThreshold: override },
        createLogger('error', () => {}),
      );
      const rt = analysersOf(reg);
      const reported = rt.status()[0]!.operatingPoint!.threshold;
      assert.equal(reported, override ?? 0.858);
      assert.equal(rt.analysers.lesion!.threshold, reported);
      assert.equal(rt.analysers.lesion!.highConfidence, 0.97);
      await rt.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('operatingPoint: override, operating_point, legacy threshold, default', () => {
  assert.deepEqual(operatingPoint({ operating_point: '0.9', operating_point_note: 'n' }, null), {
    threshold: 0.9,
    note: 'n',
  });
  assert.equal(operatingPoint({ operating_point: '0.9' }, 0.6).threshold, 0.6);
  assert.equal(operatingPoint({ threshold: '0.4' }, null).threshold, 0.4);
  assert.equal(operatingPoint({ operating_point: 'n/a', threshold: '0.4' }, null).threshold, 0.4);
  assert.deepEqual(operatingPoint({}, null), {
    threshold: 0.5,
    note: 'default: the model config names no operating point',
  });
});

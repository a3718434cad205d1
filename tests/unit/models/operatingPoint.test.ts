import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadModels } from '../../../server/src/models';
import { createLogger } from '../../../server/src/logger';
import { tinyAnatomyOnnx, tinyConfig } from './tinyOnnx';

const S = 16;
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
  const dir = lesionDir(
    'parameters { key: "operating_point" value: { string_value: "0.858" } }\nparameters { key: "operating_point_note" value: { string_value: "validation note" } }',
  );
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

/**
 * Issue 16: GET /api/v1/status reports the shipped lesion model's real operating point (it was null:
 * the status read `threshold`, the model config names it `operating_point`), and the analyser
 * reports findings at that same threshold.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { call, startTestServer, type TestServer } from '../support/server';

const LESION = path.resolve(__dirname, '../../models/cxr-lesion');
const haveLesion = existsSync(path.join(LESION, '1', 'model.onnx'));
if (!haveLesion) console.warn('skipped: models/cxr-lesion is not installed');

/** The operating point written in the model's own config.pbtxt, read without the server's parser. */
function configuredOperatingPoint(): number {
  const text = readFileSync(path.join(LESION, 'config.pbtxt'), 'utf8');
  const m = /key:\s*"operating_point"\s*value:\s*\{\s*string_value:\s*"([^"]+)"/.exec(text);
  if (!m) throw new Error('models/cxr-lesion/config.pbtxt names no operating_point');
  return Number(m[1]);
}

(haveLesion ? describe : describe.skip)('GET /api/v1/status: lesion operating point', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ STORE: 'memory', LOG_LEVEL: 'error' });
  });
  afterAll(async () => {
    await server?.close();
  });

  test('is the number in models/cxr-lesion/config.pbtxt, and the analyser uses it', async () => {
    const expected = configuredOperatingPoint();
    expect(Number.isFinite(expected)).toBe(true);
    const r = await call(`${server.url}/api/v1/status`);
    expect(r.status).toBe(200);
    const lesion = r.body.models.find((m: any) => m.task === 'lesion');
    expect(lesion.loaded).toBe(true);
    expect(lesion.operatingPoint.threshold).toBe(expected);
    expect(typeof lesion.operatingPoint.note).toBe('string');
    expect(server.running.services.analysers.lesion!.threshold).toBe(expected);
    const anatomy = r.body.models.find((m: any) => m.task === 'anatomy');
    expect(anatomy.operatingPoint).toBeNull();
  });

  test('LESION_THRESHOLD overrides it in status and analyser alike', async () => {
    const other = await startTestServer({ STORE: 'memory', LOG_LEVEL: 'error', LESION_THRESHOLD: '0.8' });
    try {
      const lesion = (await call(`${other.url}/api/v1/status`)).body.models.find((m: any) => m.task === 'lesion');
      expect(lesion.operatingPoint.threshold).toBe(0.8);
      expect(other.running.services.analysers.lesion!.threshold).toBe(0.8);
    } finally {
      await other.close();
    }
  });
});

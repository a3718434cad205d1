import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';

export interface TestServer {
  url: string;
  logs: string[];
  running: RunningServer;
  close(): Promise<void>;
}

/** Starts the real server on 127.0.0.1:0 with a temp DATA_DIR, capturing every log line. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const root = path.resolve(__dirname, '../..');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cxr-test-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...env }, root);
  const logs: string[] = [];
  const running = await startServer(
    config,
    createLogger(config.logLevel, (l) => logs.push(l)),
  );
  return { url: running.url, logs, running, close: () => running.close() };
}

/** fetch + JSON with the status, for terse assertions. */
export async function call(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: json !== undefined ? { 'content-type': 'application/json', ...(rest.headers ?? {}) } : rest.headers,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}

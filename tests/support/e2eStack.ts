import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';
import { launchBrowser } from './browser';
import { startOrthanc, type Orthanc } from './orthanc';

export const ROOT = path.resolve(__dirname, '../..');
export const OUT = path.join(ROOT, 'tests', '.out');

/** Everything a browser test runs against: Orthanc, our server proxying it, and Chromium. */
export interface E2EStack {
  orthanc: Orthanc;
  server: RunningServer;
  browser: Browser;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts Orthanc on loopback, our server on port 0 with DICOMWEB_URL pointing at it, and Chromium. */
export async function startStack(prefix: string): Promise<E2EStack> {
  mkdirSync(OUT, { recursive: true });
  const orthanc = await startOrthanc();
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  const config = loadConfig(
    { PORT: '0', HOST: '127.0.0.1', DICOMWEB_URL: orthanc.dicomwebUrl, DATA_DIR: dataDir, LOG_LEVEL: 'error' },
    ROOT,
  );
  const server = await startServer(
    config,
    createLogger('error', () => undefined),
  );
  const browser = await launchBrowser();
  return {
    orthanc,
    server,
    browser,
    dataDir,
    async stop() {
      await browser.close();
      await server.close();
      await orthanc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';
import { browserAvailable, launchBrowser } from './browser';
import { orthancAvailable, startOrthanc, type Orthanc } from './orthanc';

export const ROOT = path.resolve(__dirname, '../..');
export const OUT = path.join(ROOT, 'tests', '.out');

/** What a browser test needs beyond Orthanc, Chromium and the built viewer. */
export interface E2ENeeds {
  /** A data folder (e.g. JSRT in ../shared): without it the test is skipped, under CI too. */
  data?: { dir: string; name: string };
  /** Both ONNX models installed (skipped without them, under CI too). */
  models?: boolean;
  /** dcmtk's dsrdump, to check a stored SR. */
  dsrdump?: boolean;
}

const modelsInstalled = (): boolean =>
  ['cxr-anatomy', 'cxr-lesion'].every((m) => existsSync(path.join(ROOT, 'models', m, '1', 'model.onnx')));
const viewerBuilt = (): boolean =>
  existsSync(path.join(ROOT, '.viewer/plugins/cxr-extension.js')) &&
  existsSync(path.join(ROOT, '.viewer/dist/index.html'));

/**
 * Why a browser test cannot run on this machine, or null. Missing data or models skip it anywhere;
 * under CI a missing tool or an unbuilt viewer fails the run instead of skipping it.
 */
export function e2eSkipReason(needs: E2ENeeds = {}): string | null {
  if (needs.data && !existsSync(needs.data.dir)) return `no ${needs.data.name}`;
  if (needs.models && !modelsInstalled()) return 'the anatomy and lesion models are not both installed';
  if (process.env.CI) return null;
  if (!orthancAvailable()) return 'Orthanc with the DICOMweb plugin is not installed';
  if (!browserAvailable()) return 'Chromium is not installed';
  if (needs.dsrdump && !existsSync('/usr/bin/dsrdump')) return 'dcmtk (dsrdump) is not installed';
  if (!viewerBuilt()) return 'the viewer is not built (npm run build:viewer)';
  return null;
}

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

/**
 * A private Orthanc (Debian package, with its DICOMweb plugin) for tests: loopback only, a free
 * HTTP port, no DICOM port, storage in a temporary directory that is removed on stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Orthanc {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** DICOMweb root, e.g. http://127.0.0.1:40123/dicom-web */
  dicomwebUrl: string;
  /** Stores one Part 10 file; returns Orthanc's answer (ID, ParentStudy, Status …). */
  upload(file: Buffer): Promise<{ ID: string; ParentStudy: string; Status: string }>;
  stop(): Promise<void>;
  /** Orthanc's own log (for failure messages). */
  log(): string;
}

const PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

export function orthancAvailable(): boolean {
  return existsSync('/usr/sbin/Orthanc') && existsSync(PLUGIN);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts Orthanc and waits until GET /system answers (usually < 3 s). */
export async function startOrthanc(timeoutMs = 30000): Promise<Orthanc> {
  if (!orthancAvailable())
    throw new Error('Orthanc or its DICOMweb plugin is not installed (apt-get install orthanc orthanc-dicomweb)');
  const dir = mkdtempSync(path.join(tmpdir(), 'cxr-orthanc-'));
  const port = await freePort();
  const config = {
    Name: 'cxr-test',
    StorageDirectory: path.join(dir, 'db'),
    IndexDirectory: path.join(dir, 'db'),
    HttpPort: port,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomServerEnabled: false,
    HttpsVerifyPeers: false,
    Plugins: [PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: true, WadoRoot: '/wado', Ssl: false },
  };
  writeFileSync(path.join(dir, 'orthanc.json'), JSON.stringify(config, null, 2));
  let output = '';
  const child: ChildProcess = spawn('/usr/sbin/Orthanc', [dir + '/'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Orthanc exited early:\n${output.slice(-2000)}`);
    }
    try {
      const r = await fetch(`${url}/system`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Orthanc did not start in ${timeoutMs} ms:\n${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dicomwebUrl: `${url}/dicom-web`,
    async upload(file) {
      const r = await fetch(`${url}/instances`, {
        method: 'POST',
        body: file,
        headers: { 'Content-Type': 'application/dicom' },
      });
      const body = (await r.json()) as { ID: string; ParentStudy: string; Status: string };
      if (!r.ok || !['Success', 'AlreadyStored'].includes(body.Status))
        throw new Error(`Orthanc upload failed: ${r.status} ${JSON.stringify(body)}`);
      return body;
    },
    stop,
    log: () => output,
  };
}

import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1 in a temp dir (initdb + pg_ctl), for the store
 * tests. As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
 * `startPgCluster()` resolves to null, with the reason in `pgUnavailableReason`, when the
 * binaries are missing, so tests can skip with a clear message.
 */

export interface PgCluster {
  url: string;
  port: number;
  dir: string;
  stop(): void;
}

export let pgUnavailableReason = '';

function findBin(name: string): string | null {
  const candidates = [process.env.PG_BIN ? path.join(process.env.PG_BIN, name) : '', `/usr/local/bin/${name}`];
  for (const v of ['17', '16', '15', '14', '13']) candidates.push(`/usr/lib/postgresql/${v}/bin/${name}`);
  for (const c of candidates) if (c && existsSync(c)) return c;
  const w = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return w.status === 0 && w.stdout.trim() ? w.stdout.trim() : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export async function startPgCluster(): Promise<PgCluster | null> {
  const initdb = findBin('initdb'),
    pgCtl = findBin('pg_ctl');
  if (!initdb || !pgCtl) {
    pgUnavailableReason =
      'PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install -y postgresql, or set PG_BIN';
    return null;
  }
  const isRoot = process.getuid?.() === 0;
  let uid: number | null = null,
    gid: number | null = null;
  if (isRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) {
      pgUnavailableReason = 'running as root and there is no `postgres` user to run PostgreSQL as';
      return null;
    }
    uid = Number(id.stdout.trim());
    gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'cxr-pg-'));
  if (uid !== null && gid !== null) chownSync(dir, uid, gid);
  const as = (bin: string, args: string[]) =>
    (isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]) as [string, string[]];
  const data = path.join(dir, 'data');
  const port = await freePort();
  try {
    execFileSync(
      ...as(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']),
      { stdio: 'pipe' },
    );
    execFileSync(
      ...as(pgCtl, [
        '-D',
        data,
        '-l',
        path.join(dir, 'log'),
        '-w',
        '-t',
        '60',
        'start',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60 -c shared_buffers=16MB`,
      ]),
      { stdio: 'pipe' },
    );
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    pgUnavailableReason = `could not start PostgreSQL: ${err.stderr?.toString().trim() || err.message}`;
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop() {
      if (stopped) return;
      stopped = true;
      spawnSync(...as(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Builds everything the server serves at "/" and "/ohif-plugins/":
//   .viewer/dist     the prebuilt @ohif/app@3.13.2 dist, verified against a pinned integrity
//   .viewer/plugins  our two ES-module bundles (cxr-extension.js, cxr-mode.js), built by webpack
// Idempotent: each step writes a stamp of its inputs and is skipped when the stamp matches, so a
// rerun with nothing changed takes well under a second. `--if-needed` (used by `npm start`) is the
// same thing but quiet; `--force` rebuilds both; `--keep-all` skips the pruning of unused folders.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  createReadStream,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const VIEWER = join(ROOT, '.viewer');
const CACHE = join(VIEWER, 'cache');
const DIST = join(VIEWER, 'dist');
const PLUGINS = join(VIEWER, 'plugins');
const OHIF = { name: '@ohif/app', version: '3.13.2', tarball: 'ohif-app-3.13.2.tgz' };
// npm's published integrity for @ohif/app@3.13.2; a different tarball must never be served.
const INTEGRITY = 'sha512-WZdxmpmG7rqFgW9ZJLcbgr3XCtLi1KDNPoMaeY5PPe6j4G4fjEjjkycZM6C6Zk2F87BKxFfpq+jd5xXZB9E8EA==';
// Lazily loaded by features our mode never uses (onnxruntime for OHIF's SAM tools, the whole-slide
// microscopy viewer): 156 MB of 204. The e2e test fails on any 404 the viewer requests.
const PRUNE = ['ort', 'dicom-microscopy-viewer'];
const PLUGIN_INPUTS = ['extension', 'mode', 'webpack.config.js', 'package-lock.json'];

const args = new Set(process.argv.slice(2));
const quiet = args.has('--if-needed');
const force = args.has('--force');
const prune = !args.has('--keep-all');
const log = (...m) => {
  if (!quiet) console.log('[build-viewer]', ...m);
};
const fail = (msg) => {
  console.error(`[build-viewer] ERROR: ${msg}`);
  process.exit(1);
};

const readStamp = (p) => (existsSync(p) ? readFileSync(p, 'utf8').trim() : null);

async function sha512(file) {
  const h = createHash('sha512');
  for await (const chunk of createReadStream(file)) h.update(chunk);
  return `sha512-${h.digest('base64')}`;
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', ...opts });
  if (r.error) fail(`${cmd} failed to start: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${argv.join(' ')} exited with ${r.status}`);
}

/** Step 1: the verified OHIF dist. */
async function ensureDist() {
  const stamp = `${OHIF.name}@${OHIF.version} ${INTEGRITY} prune=${prune ? PRUNE.join(',') : 'none'}`;
  const stampFile = join(DIST, '.cxr-stamp');
  if (!force && readStamp(stampFile) === stamp && existsSync(join(DIST, 'index.html'))) {
    log('OHIF dist up to date');
    return false;
  }
  mkdirSync(CACHE, { recursive: true });
  const tgz = join(CACHE, OHIF.tarball);
  if (!existsSync(tgz)) {
    console.log(`[build-viewer] downloading ${OHIF.name}@${OHIF.version} (~50 MB) with npm pack …`);
    run('npm', ['pack', `${OHIF.name}@${OHIF.version}`, '--pack-destination', CACHE, '--silent']);
  }
  const actual = await sha512(tgz);
  if (actual !== INTEGRITY) {
    rmSync(tgz, { force: true }); // never keep a bad tarball around for the next run
    fail(
      `integrity mismatch for ${OHIF.tarball}\n  expected ${INTEGRITY}\n  actual   ${actual}\n` +
        'The cached tarball was deleted; rerun to download it again.',
    );
  }
  log('tarball integrity verified');
  const tmp = join(VIEWER, `extract-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  run('tar', ['xzf', tgz, '-C', tmp, 'package/dist']);
  const fresh = join(tmp, 'package', 'dist');
  if (!existsSync(join(fresh, 'index.html'))) fail('the tarball has no package/dist/index.html');
  if (prune) for (const d of PRUNE) rmSync(join(fresh, d), { recursive: true, force: true });
  // The stock app-config.js points at a public server; keep it only for reference.
  renameSync(join(fresh, 'app-config.js'), join(fresh, 'app-config.stock.js'));
  rmSync(DIST, { recursive: true, force: true });
  renameSync(fresh, DIST);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(stampFile, stamp + '\n');
  log(`extracted to ${relative(ROOT, DIST)}${prune ? ` (pruned ${PRUNE.join(', ')})` : ''}`);
  return true;
}

/** A hash over every file of the plugin sources, so any edit triggers a rebuild. */
function hashInputs() {
  const h = createHash('sha256');
  const add = (p) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort())
        if (name !== 'node_modules' && !name.startsWith('.')) add(join(p, name));
    } else {
      h.update(relative(ROOT, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  for (const p of PLUGIN_INPUTS) add(join(ROOT, p));
  return h.digest('hex');
}

/** Step 2: our extension and mode bundles. */
function ensurePlugins() {
  const stamp = hashInputs();
  const stampFile = join(PLUGINS, '.cxr-stamp');
  const outputs = ['cxr-extension.js', 'cxr-mode.js'].map((f) => join(PLUGINS, f));
  if (!force && readStamp(stampFile) === stamp && outputs.every((f) => existsSync(f))) {
    log('plugins up to date');
    return;
  }
  log('building plugins with webpack …');
  run(process.execPath, [
    join(ROOT, 'node_modules', 'webpack-cli', 'bin', 'cli.js'),
    '--mode',
    'production',
    '--output-path',
    PLUGINS,
  ]);
  for (const f of outputs) if (!existsSync(f)) fail(`webpack did not produce ${relative(ROOT, f)}`);
  writeFileSync(stampFile, stamp + '\n');
  log('plugins built');
}

/** Step 3: a static default app-config.js (the server generates its own from runtime config). */
function writeDefaultAppConfig() {
  const file = join(DIST, 'app-config.js');
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      "import('./server/src/http/viewer.ts').then((m) => " +
        'process.stdout.write((m.renderAppConfig ?? m.default.renderAppConfig)({ dicomweb: true })))',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (r.status !== 0 || !r.stdout.includes('window.config')) fail(`could not render app-config.js: ${r.stderr}`);
  if (readStamp(file) !== r.stdout.trim()) writeFileSync(file, r.stdout);
}

const t0 = Date.now();
await ensureDist();
ensurePlugins();
writeDefaultAppConfig();
log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

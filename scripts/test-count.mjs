/**
 * Test counts per file (pass, fail, skip, todo), so that a change of runner can be checked test by test
 * ("no test lost in the move", issue 16).
 *
 *  - as a jest reporter (jest.config.js): prints the totals after a run; TEST_COUNT_JSON=<file> also
 *    writes the per-file counts as JSON;
 *  - scripts/test-count-node.mjs is the same count as a node:test reporter;
 *  - `node scripts/test-count.mjs compare before.json after.json` prints the files whose number of tests
 *    differs and exits 1 when any file has fewer tests after than before (options: see compare).
 */
import fs from 'node:fs';
import path from 'node:path';

const KINDS = ['pass', 'fail', 'skip', 'todo'];
const JEST_KIND = { passed: 'pass', failed: 'fail', pending: 'skip', skipped: 'skip', disabled: 'skip', todo: 'todo' };

const total = (c) => KINDS.reduce((s, k) => s + (c[k] ?? 0), 0);

function sum(files) {
  const all = { pass: 0, fail: 0, skip: 0, todo: 0 };
  for (const c of Object.values(files)) for (const k of KINDS) all[k] += c[k] ?? 0;
  return all;
}

export function format(files, runner) {
  const a = sum(files);
  return (
    `test count (${runner}): ${total(a)} tests in ${Object.keys(files).length} files: ` +
    `${a.pass} pass, ${a.fail} fail, ${a.skip} skip, ${a.todo} todo\n`
  );
}

export default class TestCountReporter {
  onRunComplete(_contexts, results) {
    const files = {};
    for (const r of results.testResults) {
      const c = { pass: 0, fail: 0, skip: 0, todo: 0 };
      for (const t of r.testResults) c[JEST_KIND[t.status] ?? 'fail']++;
      // A file that failed to load has no test results: count it as one failure, never as zero tests.
      if (r.testExecError && total(c) === 0) c.fail = 1;
      files[path.relative(process.cwd(), r.testFilePath)] = c;
    }
    if (process.env.TEST_COUNT_JSON) fs.writeFileSync(process.env.TEST_COUNT_JSON, JSON.stringify(files, null, 1));
    process.stderr.write(format(files, 'jest'));
  }
}

/**
 * `--rename old=new`: a path prefix renamed between the runs (before's keys are mapped). `--helper f`: a
 * helper that defines tests for its callers (node:test counts them where they are defined, jest in the
 * calling file); its tests must reappear as a gain in other files.
 */
function compare(beforePath, afterPath, opts) {
  const before = {};
  for (const [f, c] of Object.entries(JSON.parse(fs.readFileSync(beforePath, 'utf8')))) {
    const r = opts.renames.find(([from]) => f.startsWith(from));
    before[r ? r[1] + f.slice(r[0].length) : f] = c;
  }
  const after = JSON.parse(fs.readFileSync(afterPath, 'utf8'));
  let helperTests = 0;
  for (const h of opts.helpers) {
    helperTests += before[h] ? total(before[h]) : 0;
    delete before[h];
  }
  const gained = Object.keys(before).reduce((n, f) => n + Math.max(0, total(after[f] ?? {}) - total(before[f])), 0);
  if (gained < helperTests) console.log(`helpers defined ${helperTests} tests; only ${gained} gained elsewhere`);
  let lost = 0;
  const show = (c) => (c ? `${total(c)} (${KINDS.map((k) => `${c[k]} ${k}`).join(', ')})` : 'absent');
  for (const f of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const b = before[f];
    const a = after[f];
    if (b && a && KINDS.every((k) => b[k] === a[k])) continue;
    if (b && (!a || total(a) < total(b))) lost++;
    console.log(`${f}: ${show(b)} → ${show(a)}`);
  }
  process.stdout.write(
    `before ${format(before, path.basename(beforePath))}after  ${format(after, path.basename(afterPath))}`,
  );
  if (gained < helperTests) lost++;
  console.log(lost ? `${lost} file(s) lost tests` : 'no test lost');
  return lost ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opts = { renames: [], helpers: [] };
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--rename') opts.renames.push(args[++i].split('='));
    else if (args[i] === '--helper') opts.helpers.push(args[++i]);
    else files.push(args[i]);
  }
  const [cmd, a, b] = files;
  if (cmd !== 'compare' || !a || !b) {
    console.error('usage: node scripts/test-count.mjs compare before.json after.json [--rename old=new] [--helper f]');
    process.exit(2);
  }
  process.exit(compare(a, b, opts));
}

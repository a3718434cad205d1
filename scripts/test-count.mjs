/**
 * Test counts per file (pass, fail, skip, todo), so that a change of runner can be checked test by test
 * ("no test lost in the move", issue 16).
 *
 *  - as a jest reporter (jest.config.js): prints the totals after a run; TEST_COUNT_JSON=<file> also
 *    writes the per-file counts as JSON;
 *  - scripts/test-count-node.mjs is the same count as a node:test reporter;
 *  - `node scripts/test-count.mjs compare before.json after.json` prints the files whose number of tests
 *    differs and exits 1 when any file has fewer tests after than before.
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

function compare(beforePath, afterPath) {
  const before = JSON.parse(fs.readFileSync(beforePath, 'utf8'));
  const after = JSON.parse(fs.readFileSync(afterPath, 'utf8'));
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
  console.log(lost ? `${lost} file(s) lost tests` : 'no test lost');
  return lost ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd, a, b] = process.argv.slice(2);
  if (cmd !== 'compare' || !a || !b) {
    console.error('usage: node scripts/test-count.mjs compare before.json after.json');
    process.exit(2);
  }
  process.exit(compare(a, b));
}

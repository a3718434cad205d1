/**
 * node:test reporter that counts tests per file (pass, fail, skip, todo), for checking that no test
 * was lost in the move to jest (issue 16): the same numbers as scripts/test-count.mjs prints for jest.
 *
 *   node --import tsx --test --test-reporter=spec --test-reporter-destination=stdout \
 *     --test-reporter=./scripts/test-count-node.mjs --test-reporter-destination=stderr <files>
 *
 * TEST_COUNT_JSON=<file> also writes the counts as JSON (compare with `node scripts/test-count.mjs
 * compare before.json after.json`).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from './test-count.mjs';

export default async function* countReporter(source) {
  const files = {};
  for await (const ev of source) {
    if (ev.type !== 'test:pass' && ev.type !== 'test:fail') continue;
    const d = ev.data;
    if (d.details?.type === 'suite') continue; // describe blocks are not tests, as in jest
    const file = d.file ? path.relative(process.cwd(), d.file) : '(unknown)';
    let kind = ev.type === 'test:pass' ? 'pass' : 'fail';
    if (d.skip !== undefined && d.skip !== false) kind = 'skip';
    else if (d.todo !== undefined && d.todo !== false) kind = 'todo';
    files[file] ??= { pass: 0, fail: 0, skip: 0, todo: 0 };
    files[file][kind]++;
  }
  if (process.env.TEST_COUNT_JSON) writeFileSync(process.env.TEST_COUNT_JSON, JSON.stringify(files, null, 1));
  yield format(files, 'node:test');
}

/**
 * jest's node environment, but the test files run in node's own realm (as they did under node:test)
 * instead of a vm context of their own.
 *
 * Why: in a separate context, everything node makes — arrays from fs.readdirSync, objects and typed
 * arrays from worker threads (the decode pool), from native modules (sharp, onnxruntime-node,
 * better-sqlite3) — has the other realm's prototypes, so node:assert's deepStrictEqual and
 * `instanceof Float32Array` fail on equal values. And every global lookup (Math, Map, Float32Array…)
 * in a vm context goes through an interceptor, which made the CPU-bound suites (dialogue
 * understanding, refinement) 3–4 times slower than under node:test.
 *
 * How: jest still creates its context (it owns the jest object, fake timers and mocks), but `global`
 * is node's global, so jest's test/describe/expect globals are installed there; and the module wrapper
 * scripts jest runs "in" this environment's context are run in this context instead. Each jest worker
 * runs one test file at a time, so the globals of one file are replaced, not shared, by the next.
 * process.env is the real one: a test that changes it restores it (as under node:test, where a file
 * had its process to itself, a leak would only have stayed within the file).
 */
import vm from 'node:vm';
import NodeEnvironment from 'jest-environment-node';

const singleRealm = new WeakSet();
const runInContext = vm.Script.prototype.runInContext;
if (!runInContext.singleRealm) {
  const patched = function (context, options) {
    return singleRealm.has(context) ? this.runInThisContext(options) : runInContext.call(this, context, options);
  };
  patched.singleRealm = true;
  vm.Script.prototype.runInContext = patched;
}

export default class SingleRealmEnvironment extends NodeEnvironment.TestEnvironment {
  constructor(config, context) {
    super(config, context);
    singleRealm.add(this.getVmContext());
    this.global = globalThis;
  }
}

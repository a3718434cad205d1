#!/usr/bin/env node
/**
 * Codemod: node:test → jest (issue 16). Rewrites every test file that still imports from 'node:test'
 * so that it runs under jest with its globals; assertions (node:assert/strict) are kept as they are.
 *
 *   node scripts/codemods/node-test-to-jest.mjs [--dry-run] [--check] [file|dir ...]
 *
 * Default paths: tests/unit tests/integration (tests/e2e stays on node:test). Files without a
 * 'node:test' import are left untouched, so the codemod is idempotent and may be rerun at any time
 * over a tree where some files are already converted. --check only lists files still to convert
 * (exit 1 if any). The result is formatted with prettier when prettier is available.
 *
 * What it rewrites (the subset of node:test the suites use, plus the common rest):
 *  - import {…} from 'node:test' removed (jest globals; types from tests/jest.d.ts)
 *  - before/after → beforeAll/afterAll; beforeEach/afterEach stay; suite → describe; hook { timeout }
 *    option → jest's timeout argument
 *  - test(name, { skip, todo, timeout, concurrency, only }, fn): skip → (cond ? test.skip : test),
 *    timeout → third argument, todo → `if (todo) test.todo(name); else test(name, fn)` (jest's todo does
 *    not run the body), concurrency dropped (jest runs a file's tests in order, as node:test did)
 *  - test.todo(name, fn) → test.todo(name)
 *  - the test context `t`: t.skip(msg) → console.warn + the test ends as passed (jest has no run-time
 *    skip), t.todo(msg) → console.warn, t.diagnostic(msg) → console.log, t.name → the jest test name,
 *    t.test(name, fn) → fn run inline, t.mock.* as mock.*; the parameter is then removed, since jest
 *    reads a parameter as a `done` callback
 *  - mock.fn → jest.fn, mock.method(o, m, impl) → jest.spyOn(o, m).mockImplementation(impl),
 *    mock.restoreAll → jest.restoreAllMocks, mock.reset → jest.resetAllMocks, f.mock.callCount() →
 *    f.mock.calls.length, f.mock.calls[i].arguments → f.mock.calls[i]
 * Anything else is reported as a warning with file:line and the exit code is 2.
 */
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import ts from 'typescript';

const NAME_MAP = {
  test: 'test',
  it: 'it',
  describe: 'describe',
  suite: 'describe',
  before: 'beforeAll',
  after: 'afterAll',
  beforeEach: 'beforeEach',
  afterEach: 'afterEach',
  mock: 'mock',
};
const TEST_KINDS = new Set(['test', 'it']);
const HOOKS = new Set(['beforeAll', 'afterAll', 'beforeEach', 'afterEach']);

const isNodeTestImport = (st) =>
  ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === 'node:test';

/** Local name → node:test export name, from the file's import declarations. */
function importedNames(sf, warn) {
  const names = new Map();
  for (const st of sf.statements) {
    if (!isNodeTestImport(st) || !st.importClause) continue;
    const c = st.importClause;
    if (c.name) names.set(c.name.text, 'test'); // default export is test
    const b = c.namedBindings;
    if (b && ts.isNamespaceImport(b)) warn(st, `namespace import of node:test (${b.name.text}) is not converted`);
    if (b && ts.isNamedImports(b))
      for (const el of b.elements) names.set(el.name.text, (el.propertyName ?? el.name).text);
  }
  return names;
}

/** The options object literal → { prop name: expression text }. */
function readOptions(sf, obj, warn) {
  const o = {};
  for (const p of obj.properties) {
    if (ts.isShorthandPropertyAssignment(p)) o[p.name.text] = p.name.text;
    else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
      o[p.name.text] = p.initializer.getText(sf);
    else warn(p, `option ${p.getText(sf)} is not converted`);
  }
  return o;
}

const isFn = (n) => n && (ts.isArrowFunction(n) || ts.isFunctionExpression(n));
const isTrue = (e) => e === 'true' || /^(['"`]).*\1$/s.test(e);
const isFalse = (e) => e === 'false' || e === 'undefined' || e === 'null' || e === "''" || e === '""';

class Rewriter {
  constructor(file, text) {
    this.file = file;
    this.text = text;
    this.sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    this.edits = [];
    this.warnings = [];
    this.names = importedNames(this.sf, (n, m) => this.warn(n, m));
  }

  warn(node, msg) {
    const { line } = this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf));
    this.warnings.push(`${this.file}:${line + 1}: ${msg}`);
  }

  edit(start, end, text) {
    this.edits.push({ start, end, text });
  }

  replaceNode(node, text) {
    this.edit(node.getStart(this.sf), node.end, text);
  }

  src(node) {
    return node.getText(this.sf);
  }

  /** The node:test export a callee refers to: `test`, `test.skip` → ['test', 'skip'], else null. */
  calleeOf(expr) {
    if (ts.isIdentifier(expr) && this.names.has(expr.text)) return [this.names.get(expr.text), null, expr];
    if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression) && this.names.has(expr.expression.text))
      return [this.names.get(expr.expression.text), expr.name.text, expr.expression];
    return null;
  }

  run() {
    // The import goes with its line; comments above it (often the file's own header) stay.
    for (const st of this.sf.statements)
      if (isNodeTestImport(st)) this.edit(st.getStart(this.sf), st.end + (this.text[st.end] === '\n' ? 1 : 0), '');
    const visit = (node) => {
      if (ts.isCallExpression(node)) this.call(node);
      ts.forEachChild(node, visit);
    };
    visit(this.sf);
    return this.apply();
  }

  call(node) {
    const c = this.calleeOf(node.expression);
    if (!c) return this.mockUse(node);
    const [exp, member, ident] = c;
    const jestName = NAME_MAP[exp];
    if (!jestName) return this.warn(node, `node:test export ${exp} is not converted`);
    if (exp === 'mock') return this.mockCall(node, member);
    if (ident.text !== jestName) this.replaceNode(ident, jestName);
    if (member === 'todo' && node.arguments.length > 1)
      this.edit(node.arguments[0].end, node.arguments[node.arguments.length - 1].end, '');
    const fn = node.arguments.find(isFn);
    if (fn) this.contextParam(fn, jestName);
    if (HOOKS.has(jestName)) return this.hookOptions(node);
    if (node.arguments.length >= 3 && ts.isObjectLiteralExpression(node.arguments[1]))
      this.options(node, jestName, member);
    else if (node.arguments.length >= 3) this.warn(node, 'options that are not an object literal are not converted');
  }

  /** before(fn, { timeout }) → beforeAll(fn, timeout). */
  hookOptions(node) {
    const [fn, opts] = node.arguments;
    if (!opts) return;
    if (!ts.isObjectLiteralExpression(opts)) return this.warn(node, 'hook options are not an object literal');
    const o = readOptions(this.sf, opts, (n, m) => this.warn(n, m));
    this.edit(fn.end, opts.end, o.timeout ? `, ${o.timeout}` : '');
  }

  options(node, jestName, member) {
    const [nameArg, optsArg, fn] = node.arguments;
    const o = readOptions(this.sf, optsArg, (n, m) => this.warn(n, m));
    for (const k of Object.keys(o))
      if (!['skip', 'todo', 'timeout', 'concurrency', 'only'].includes(k)) this.warn(optsArg, `option ${k} dropped`);
    const isTest = TEST_KINDS.has(jestName);
    const skip = o.skip && !isFalse(o.skip) ? o.skip : null;
    const todo = o.todo && !isFalse(o.todo) && isTest ? o.todo : null;
    if (todo && isTrue(todo) && !skip) {
      // Always a todo: jest's todo takes the name only (and does not run the body).
      this.dropEditsWithin(node);
      return this.replaceNode(node, `${jestName}.todo(${this.src(nameArg)})`);
    }
    // Drop the options argument; jest's timeout is the argument after the function (tests only).
    this.edit(nameArg.end, optsArg.end, '');
    if (o.timeout && isTest) this.edit(fn.end, fn.end, `, ${o.timeout}`);
    else if (o.timeout) this.warn(optsArg, 'a describe timeout has no jest equivalent; dropped');
    const plain = member ? `${jestName}.${member}` : jestName;
    const callee = this.foldedCallee(jestName, member, plain, skip, o.only);
    if (callee !== plain) {
      this.dropEditsWithin(node.expression); // a rename inside the callee
      this.replaceNode(node.expression, callee);
    }
    if (todo) this.conditionalTodo(node, jestName, nameArg, todo, skip);
  }

  /** test with { only, skip } folded in: test.only, test.skip or (cond ? test.skip : test). */
  foldedCallee(jestName, member, plain, skip, only) {
    const callee = only && isTrue(only) && !member ? `${jestName}.only` : plain;
    if (!skip) return callee;
    // The condition keeps its own parentheses (it may be a conditional itself); prettier drops spare ones.
    return isTrue(skip) ? `${jestName}.skip` : `((${skip}) ? ${jestName}.skip : ${callee})`;
  }

  /** `test(name, { todo: cond }, fn)` → `if (cond) test.todo(name); else test(name, fn);` */
  conditionalTodo(node, jestName, nameArg, todo, skip) {
    const stmt = node.parent;
    if (!ts.isExpressionStatement(stmt) || stmt.expression !== node)
      return this.warn(node, 'a conditional todo that is not a statement is not converted');
    const cond = skip ? `(${todo}) && !(${skip})` : todo;
    const at = stmt.getStart(this.sf);
    this.edit(at, at, `if (${cond}) ${jestName}.todo(${this.src(nameArg)});\nelse `);
  }

  dropEditsWithin(node) {
    const [s, e] = [node.getStart(this.sf), node.end];
    this.edits = this.edits.filter((x) => x.start < s || x.end > e);
  }

  /** The test context parameter: convert its uses, then drop it (jest would read it as `done`). */
  contextParam(fn, jestName) {
    if (fn.parameters.length === 0) return;
    const p = fn.parameters[0];
    if (!ts.isIdentifier(p.name)) return this.warn(p, 'destructured test context is not converted');
    const t = p.name.text;
    let left = 0;
    const visit = (n) => {
      if (ts.isIdentifier(n) && n.text === t && n !== p.name && !this.contextUse(n, t, jestName)) left++;
      ts.forEachChild(n, visit);
    };
    visit(fn.body);
    if (left > 0) return this.warn(p, `test context ${t} has ${left} use(s) left; parameter kept`);
    if (fn.parameters.length > 1) this.warn(fn.parameters[1], 'a done callback is not converted');
    const start = p.getStart(this.sf);
    const hasParens = this.text.slice(fn.getStart(this.sf), start).includes('(');
    this.edit(start, fn.parameters[fn.parameters.length - 1].end, hasParens ? '' : '()');
  }

  /** One use of the test context; true when converted. */
  contextUse(id, t, jestName) {
    const pa = id.parent;
    if (!ts.isPropertyAccessExpression(pa) || pa.expression !== id) return false;
    const m = pa.name.text;
    const call = ts.isCallExpression(pa.parent) && pa.parent.expression === pa ? pa.parent : null;
    if (m === 'name') return (this.replaceNode(pa, 'expect.getState().currentTestName'), true);
    if (m === 'mock') return (this.mockMember(pa), true);
    if (!call) return false;
    // Only the callee and a label change: the arguments may hold converted uses of their own.
    const label = { skip: 'skipped', todo: 'todo' }[m];
    if (label) {
      this.replaceNode(pa, 'console.warn');
      const at = call.arguments.pos;
      return (this.edit(at, at, call.arguments.length ? `'${label}:', ` : `'${label}'`), true);
    }
    if (m === 'diagnostic') return (this.replaceNode(pa, 'console.log'), true);
    if (m === 'test') {
      // A subtest runs inline: jest cannot add tests while one runs.
      const fn = call.arguments.find(isFn);
      if (!fn) return false;
      this.edit(call.getStart(this.sf), fn.getStart(this.sf), '(');
      this.edit(fn.end, call.end, ')()');
      this.contextParam(fn, jestName);
      return true;
    }
    return false;
  }

  /** t.mock.fn(…) → jest.fn(…) and so on. */
  mockMember(pa) {
    const outer = pa.parent;
    if (ts.isPropertyAccessExpression(outer) && ts.isCallExpression(outer.parent)) {
      this.mockCall(outer.parent, outer.name.text, pa); // replaces from `t` on
    } else this.warn(pa, 'use of t.mock is not converted');
  }

  mockCall(node, member, base = node.expression.expression) {
    const args = node.arguments.map((a) => this.src(a));
    const start = base.getStart(this.sf);
    const simple = { fn: 'jest.fn', restoreAll: 'jest.restoreAllMocks', reset: 'jest.resetAllMocks' };
    if (simple[member]) return this.edit(start, node.expression.end, simple[member]);
    if (member === 'method' && args.length >= 2) {
      const impl = args[2] ? `.mockImplementation(${args[2]})` : '';
      return this.edit(start, node.end, `jest.spyOn(${args[0]}, ${args[1]})${impl}`);
    }
    this.warn(node, `mock.${member} is not converted`);
  }

  /** f.mock.callCount() → f.mock.calls.length; f.mock.calls[i].arguments → f.mock.calls[i]. */
  mockUse(node) {
    const e = node.expression;
    if (
      ts.isPropertyAccessExpression(e) &&
      e.name.text === 'callCount' &&
      ts.isPropertyAccessExpression(e.expression) &&
      e.expression.name.text === 'mock' &&
      this.names.has('mock')
    )
      this.edit(e.name.getStart(this.sf), node.end, 'calls.length');
  }

  apply() {
    const sorted = [...this.edits].sort((a, b) => b.start - a.start || b.end - a.end);
    let out = this.text;
    let floor = Infinity;
    for (const e of sorted) {
      if (e.end > floor && e.start !== e.end) throw new Error(`${this.file}: overlapping edits at ${e.start}`);
      out = out.slice(0, e.start) + e.text + out.slice(e.end);
      floor = Math.min(floor, e.start);
    }
    if (this.names.has('mock')) out = out.replace(/(\.mock\.calls\[[^\]]+\])\.arguments\b/g, '$1');
    return out;
  }
}

function collect(paths) {
  const files = [];
  const walk = (p) => {
    if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) walk(join(p, n));
    else if (/\.tsx?$/.test(p)) files.push(p);
  };
  for (const p of paths) if (existsSync(p)) walk(p);
  return files;
}

export function convert(file, text) {
  const r = new Rewriter(file, text);
  if (!r.sf.statements.some(isNodeTestImport)) return { changed: false, text, warnings: [] };
  return { changed: true, text: r.run(), warnings: r.warnings };
}

function main() {
  const argv = process.argv.slice(2);
  const dry = argv.includes('--dry-run');
  const check = argv.includes('--check');
  const paths = argv.filter((a) => !a.startsWith('--'));
  const files = collect(paths.length ? paths : ['tests/unit', 'tests/integration']);
  const changed = [];
  const warnings = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const r = convert(f, text);
    if (!r.changed) continue;
    changed.push(f);
    warnings.push(...r.warnings);
    if (!dry && !check) writeFileSync(f, r.text);
  }
  if (check) {
    for (const f of changed) console.log(`still on node:test: ${f}`);
    process.exit(changed.length ? 1 : 0);
  }
  if (!dry && changed.length) {
    const p = spawnSync('npx', ['prettier', '--log-level', 'warn', '--write', ...changed], { stdio: 'inherit' });
    if (p.status !== 0) console.warn('prettier did not run; format the converted files by hand');
  }
  for (const w of warnings) console.warn(`warning: ${w}`);
  console.log(`${dry ? 'would convert' : 'converted'} ${changed.length} of ${files.length} file(s)`);
  for (const f of changed) console.log(`  ${f}`);
  process.exit(warnings.length ? 2 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) main();

/** JSON Schema validation of the ontology files (ontology/schemas, draft 2020-12, ajv). */
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';

export type SchemaName =
  | 'sign-file'
  | 'lexicon'
  | 'checklist'
  | 'findings'
  | 'ontology'
  | 'sign'
  | 'dialogue-typos'
  | 'dialogue-mimics'
  | 'dialogue-cues'
  | 'dialogue-paraphrases';

export interface OntologyValidators {
  validate(schema: SchemaName, data: unknown, file: string): string[];
}

const BASE = 'https://cxr-copilot.local/ontology/schemas/';

/** Compiles every schema of `<ontologyDir>/schemas`. */
export function createValidators(ontologyDir: string): OntologyValidators {
  const dir = path.join(ontologyDir, 'schemas');
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()) {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as object);
  }
  const cache = new Map<SchemaName, ValidateFunction>();
  const get = (name: SchemaName): ValidateFunction => {
    let v = cache.get(name);
    if (!v) {
      v = ajv.getSchema(`${BASE}${name}.schema.json`);
      if (!v) throw new Error(`ontology: schema ${name}.schema.json not found in ${dir}`);
      cache.set(name, v);
    }
    return v;
  };
  return {
    validate(schema, data, file) {
      const v = get(schema);
      return v(data) ? [] : formatErrors(file, v.errors ?? [], data);
    },
  };
}

/** One line per error, naming the file, the JSON pointer, the owning id and the offending value. */
function formatErrors(file: string, errors: ErrorObject[], data: unknown): string[] {
  // a failed oneOf (lexicon targets, nullable note/rule) also reports every branch's failure: keep only the oneOf
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
  const shown = errors
    .filter(
      (e) =>
        e.keyword === 'oneOf' || !oneOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)),
    )
    .slice(0, 20);
  return shown.map((e) => {
    const owner = idAt(data, e.instancePath);
    const params = e.params as { additionalProperty?: string; allowedValues?: unknown[] };
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${String(params.additionalProperty)})`
        : e.keyword === 'enum'
          ? ` ${JSON.stringify(params.allowedValues)}`
          : e.keyword === 'oneOf'
            ? ` (got ${JSON.stringify(valueAt(data, e.instancePath))?.slice(0, 120)})`
            : '';
    return `${file}${e.instancePath || '/'}${owner ? ` [${owner}]` : ''}: ${e.message ?? e.keyword}${extra}`;
  });
}

function valueAt(data: unknown, pointer: string): unknown {
  let node: unknown = data;
  for (const p of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** The `id` of the outermost object below the root that has one (a sign, a lexicon entry, a checklist item). */
function idAt(data: unknown, pointer: string): string | null {
  const parts = pointer.split('/').slice(1);
  let node: unknown = data;
  let found: string | null = null;
  for (const p of parts) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<string, unknown>)[p];
    if (found === null && node && typeof node === 'object' && typeof (node as { id?: unknown }).id === 'string')
      found = (node as { id: string }).id;
  }
  return found;
}

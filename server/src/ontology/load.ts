/** Reads, validates and indexes the ontology directory once, at startup. */
import fs from 'node:fs';
import path from 'node:path';
import { checkConsistency, type OntologyParts } from './consistency';
import { createValidators, type SchemaName } from './schemas';
import { TermMatcher, type TermSpec } from './termMatcher';
import type {
  ChecklistDefinition,
  ChecklistFile,
  FindingWords,
  LexiconEntry,
  LexiconFile,
  Ontology,
  OntologyManifest,
  Sign,
  SignFile,
} from './types';

export interface LoadOptions {
  /**
   * Accept references to signs that are not written yet (checklist sign ids, `related`, missing
   * fixed signs) and report them in `Ontology.unresolved` instead of throwing. Schema errors,
   * duplicates and inconsistent data always throw.
   */
  allowUnresolved?: boolean;
}

/** Thrown when the ontology does not load; `problems` has one line per problem. */
export class OntologyError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: string[],
  ) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    const more = problems.length > 40 ? `\n  … and ${problems.length - 40} more` : '';
    super(`ontology in ${dir} is invalid (${count}):\n  - ${problems.slice(0, 40).join('\n  - ')}${more}`);
    this.name = 'OntologyError';
  }
}

/** Reads every part of the ontology and validates each file against its schema. */
export function readOntologyParts(dir: string): {
  parts: OntologyParts;
  findingWords: FindingWords;
  schemaErrors: string[];
} {
  const validators = createValidators(dir);
  const schemaErrors: string[] = [];
  const read = <T>(rel: string, schema: Parameters<typeof validators.validate>[0]): T => {
    const file = path.join(dir, rel);
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      schemaErrors.push(`${rel}: ${(e as Error).message}`);
      return null as T;
    }
    schemaErrors.push(...validators.validate(schema, data, rel));
    return data as T;
  };
  const jsonFiles = (sub: string): string[] => {
    const d = path.join(dir, sub);
    return fs.existsSync(d)
      ? fs
          .readdirSync(d)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => `${sub}/${f}`)
      : [];
  };
  const manifest = read<OntologyManifest>('ontology.json', 'ontology');
  const lexicon = read<LexiconFile>('lexicon.json', 'lexicon');
  const signFiles = jsonFiles('signs').map((file) => ({ file, data: read<SignFile>(file, 'sign-file') }));
  const checklists = jsonFiles('checklists').map((file) => ({
    file,
    data: read<ChecklistDefinition>(file, 'checklist'),
  }));
  // The dialogue's word lists (dialogue/typos.json, mimics.json, cues.<lang>.json): schema-checked here,
  // read by server/src/dialogue.
  for (const file of jsonFiles('dialogue'))
    read<unknown>(file, `dialogue-${path.basename(file, '.json').replace(/\.\w+$/, '')}` as SchemaName);
  const findingWords = read<FindingWords>('findings.json', 'findings');
  return { parts: { manifest, lexicon, signFiles, checklists }, findingWords, schemaErrors };
}

/** Loads `dir` (the `ontology/` folder), validating with ajv; throws `OntologyError` with every problem. */
export function loadOntology(dir: string, options: LoadOptions = {}): Ontology {
  const abs = path.resolve(dir);
  if (!fs.existsSync(path.join(abs, 'ontology.json')))
    throw new OntologyError(abs, ['ontology.json not found (is ONTOLOGY_DIR right?)']);
  const { parts, findingWords, schemaErrors } = readOntologyParts(abs);
  if (schemaErrors.length) throw new OntologyError(abs, schemaErrors);
  const { errors, unresolved } = checkConsistency(parts);
  if (errors.length || (unresolved.length && !options.allowUnresolved))
    throw new OntologyError(abs, [...errors, ...unresolved]);
  return { ...buildOntology(abs, parts, unresolved), findingWords };
}

function buildOntology(dir: string, p: OntologyParts, unresolved: string[]): Omit<Ontology, 'findingWords'> {
  const signs: Sign[] = p.signFiles.flatMap((f) => f.data.signs);
  const lexicon: LexiconEntry[] = p.lexicon.entries.map(({ id, target, preferred, terms, abbreviations }) => ({
    id,
    target,
    preferred,
    terms,
    abbreviations,
  }));
  const checklists: ChecklistDefinition[] = p.checklists.map(({ data: { id, title, scope, items, sources } }) => ({
    id,
    title,
    scope,
    items,
    sources,
  }));
  const stopTerms = { zh: p.lexicon.stopTerms?.zh ?? [], en: p.lexicon.stopTerms?.en ?? [] };
  return {
    version: p.manifest.version,
    dir,
    manifest: p.manifest,
    sources: p.manifest.sources,
    signs,
    signById: new Map(signs.map((s) => [s.id, s])),
    lexicon,
    lexiconById: new Map(lexicon.map((e) => [e.id, e])),
    stopTerms,
    checklists,
    checklistById: new Map(checklists.map((c) => [c.id, c])),
    checklistDisclaimers: new Map(p.checklists.map(({ data }) => [data.id, (data as ChecklistFile).disclaimer])),
    unresolved,
    anatomyMatcher: new TermMatcher(anatomySpecs(lexicon, stopTerms)),
    signMatcher: new TermMatcher(signSpecs(signs)),
  };
}

function anatomySpecs(entries: LexiconEntry[], stop: { zh: string[]; en: string[] }): TermSpec<LexiconEntry>[] {
  const specs: TermSpec<LexiconEntry>[] = [];
  for (const e of entries) {
    for (const term of [e.preferred.zh, e.preferred.en, ...e.terms.zh, ...e.terms.en, ...e.abbreviations])
      specs.push({ term, payload: e });
  }
  for (const term of [...stop.zh, ...stop.en]) specs.push({ term, payload: null });
  return specs;
}

function signSpecs(signs: Sign[]): TermSpec<Sign>[] {
  return signs.flatMap((s) =>
    [s.name.zh, s.name.en, ...s.synonyms.zh, ...s.synonyms.en].map((term) => ({ term, payload: s })),
  );
}

/**
 * Cross-file checks the schemas cannot express: unique ids and terms, references that resolve,
 * one citation per source id. Problems are split into `errors` (the data is wrong) and
 * `unresolved` (something referenced is not written yet, e.g. a sign the sign writers still owe).
 */
import { foldText } from './normalize';
import {
  CHECKLIST_IDS,
  FIXED_SIGNS,
  type ChecklistDefinition,
  type LexiconFile,
  type OntologyManifest,
  type SignFile,
} from './types';

export interface OntologyParts {
  manifest: OntologyManifest;
  signFiles: { file: string; data: SignFile }[];
  lexicon: LexiconFile;
  checklists: { file: string; data: ChecklistDefinition }[];
}

export interface ConsistencyReport {
  errors: string[];
  unresolved: string[];
}

/** Runs every cross-reference check over already schema-valid parts. */
export function checkConsistency(p: OntologyParts): ConsistencyReport {
  const report: ConsistencyReport = { errors: [], unresolved: [] };
  const signs = p.signFiles.flatMap((f) => f.data.signs.map((s) => ({ sign: s, file: f.file })));
  checkSignFiles(p, report);
  const signIds = checkSigns(signs, report);
  const lexTermOwner = checkLexicon(p.lexicon, report);
  checkSignTerms(signs, lexTermOwner, report);
  checkChecklists(p.checklists, signIds, report);
  checkSources(p, signs, report);
  return report;
}

type SignEntry = { sign: SignFile['signs'][number]; file: string };

const baseName = (file: string): string => file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');

/** Each sign file is named after its category, and every sign in it has that category. */
function checkSignFiles(p: OntologyParts, { errors }: ConsistencyReport): void {
  for (const f of p.signFiles) {
    if (baseName(f.file) !== f.data.category)
      errors.push(`${f.file}: file name must be <category>.json (category is ${f.data.category})`);
    for (const s of f.data.signs) {
      if (s.category !== f.data.category)
        errors.push(`${f.file} [${s.id}]: category ${s.category} differs from the file's ${f.data.category}`);
    }
  }
}

/** Unique sign ids, related signs that exist, the analyser signs' fixed measurableBy; returns the ids. */
function checkSigns(signs: SignEntry[], { errors, unresolved }: ConsistencyReport): Set<string> {
  const signIds = new Set<string>();
  for (const { sign, file } of signs) {
    if (signIds.has(sign.id)) errors.push(`${file} [${sign.id}]: duplicate sign id`);
    signIds.add(sign.id);
  }
  for (const { sign, file } of signs) {
    for (const r of sign.related) {
      if (r === sign.id) errors.push(`${file} [${sign.id}]: related lists the sign itself`);
      else if (!signIds.has(r)) unresolved.push(`${file} [${sign.id}]: related sign "${r}" does not exist`);
    }
    const fixed = FIXED_SIGNS[sign.id];
    if (fixed !== undefined && sign.measurableBy !== fixed) {
      const found = JSON.stringify(sign.measurableBy);
      errors.push(`${file} [${sign.id}]: measurableBy must be "${fixed}" (api.md 9.2), found ${found}`);
    }
  }
  for (const id of Object.keys(FIXED_SIGNS))
    if (!signIds.has(id)) unresolved.push(`signs: fixed analyser sign "${id}" is missing (api.md 9.2)`);
  return signIds;
}

/** Lexicon: unique ids, one entry per target, each folded term owned by one entry; returns term → entry id. */
function checkLexicon(lexicon: LexiconFile, { errors }: ConsistencyReport): Map<string, string> {
  const lexTermOwner = new Map<string, string>();
  const entryIds = new Set<string>();
  const targets = new Map<string, string>();
  for (const e of lexicon.entries) {
    if (entryIds.has(e.id)) errors.push(`lexicon [${e.id}]: duplicate entry id`);
    entryIds.add(e.id);
    const tk = `${e.target.type}:${e.target.id}`;
    if (targets.has(tk)) errors.push(`lexicon [${e.id}]: target ${tk} already has entry ${targets.get(tk)}`);
    targets.set(tk, e.id);
    const own = new Set<string>();
    for (const t of [e.preferred.zh, e.preferred.en, ...e.terms.zh, ...e.terms.en, ...e.abbreviations]) {
      const k = foldText(t).trim();
      if (own.has(k)) continue;
      own.add(k);
      const prev = lexTermOwner.get(k);
      if (prev && prev !== e.id)
        errors.push(`lexicon [${e.id}]: term "${t}" also belongs to ${prev} (each term maps to one target)`);
      else lexTermOwner.set(k, e.id);
    }
  }
  for (const t of [...(lexicon.stopTerms?.zh ?? []), ...(lexicon.stopTerms?.en ?? [])]) {
    const owner = lexTermOwner.get(foldText(t).trim());
    if (owner) errors.push(`lexicon: stop term "${t}" is also a term of ${owner}`);
  }
  return lexTermOwner;
}

/** Sign names and synonyms: unique per language across signs, and not anatomy lexicon terms. */
function checkSignTerms(signs: SignEntry[], lexTermOwner: Map<string, string>, { errors }: ConsistencyReport): void {
  for (const lang of ['zh', 'en'] as const) {
    const owner = new Map<string, string>();
    for (const { sign, file } of signs) {
      const own = new Set<string>();
      for (const t of [sign.name[lang], ...sign.synonyms[lang]]) {
        const k = foldText(t).trim();
        if (own.has(k)) continue;
        own.add(k);
        const prev = owner.get(k);
        if (prev) errors.push(`${file} [${sign.id}]: ${lang} term "${t}" is also a name or synonym of ${prev}`);
        else owner.set(k, sign.id);
        const lex = lexTermOwner.get(k);
        if (lex) errors.push(`${file} [${sign.id}]: ${lang} term "${t}" is an anatomy lexicon term (${lex})`);
      }
    }
  }
}

/** Checklists: file names, unique ids, scope, items' signs and sources; every required checklist present. */
function checkChecklists(
  checklists: OntologyParts['checklists'],
  signIds: Set<string>,
  report: ConsistencyReport,
): void {
  const { errors } = report;
  const seenChecklists = new Set<string>();
  for (const { file, data: c } of checklists) {
    if (baseName(file) !== c.id) errors.push(`${file}: file name must be ${c.id}.json`);
    if (seenChecklists.has(c.id)) errors.push(`${file}: duplicate checklist id ${c.id}`);
    seenChecklists.add(c.id);
    const wantScope = c.id === 'early_lung_cancer' || c.id === 'benign_nodule' ? 'finding' : 'image';
    if (c.scope !== wantScope) errors.push(`${file}: scope must be "${wantScope}" (api.md 13.3)`);
    checkChecklistItems(file, c, signIds, report);
  }
  for (const id of CHECKLIST_IDS) if (!seenChecklists.has(id)) errors.push(`checklists: ${id}.json is missing`);
}

function checkChecklistItems(
  file: string,
  c: ChecklistDefinition,
  signIds: Set<string>,
  { errors, unresolved }: ConsistencyReport,
): void {
  const itemIds = new Set<string>();
  const localSources = new Set(c.sources.map((s) => s.id));
  for (const it of c.items) {
    if (itemIds.has(it.id)) errors.push(`${file} [${it.id}]: duplicate item id`);
    itemIds.add(it.id);
    for (const sid of [it.signId, ...it.relatedSignIds]) {
      if (!signIds.has(sid))
        unresolved.push(`${file} [${it.id}]: sign "${sid}" does not exist (listed in checklists/REQUIRED_SIGN_IDS.md)`);
    }
    if (it.relatedSignIds.includes(it.signId)) errors.push(`${file} [${it.id}]: relatedSignIds repeats signId`);
    for (const src of it.sources)
      if (!localSources.has(src)) errors.push(`${file} [${it.id}]: source "${src}" is not in the checklist's sources`);
  }
}

/** Sources: one citation per id across the ontology; unique ids in the manifest. */
function checkSources(p: OntologyParts, signs: SignEntry[], { errors }: ConsistencyReport): void {
  const citation = new Map<string, { text: string; where: string }>();
  const note = (id: string, text: string, where: string): void => {
    const prev = citation.get(id);
    if (prev && prev.text !== text)
      errors.push(`${where}: source "${id}" has a different citation than in ${prev.where}`);
    else if (!prev) citation.set(id, { text, where });
  };
  for (const s of p.manifest.sources) note(s.id, s.citation, 'ontology.json');
  for (const { file, data } of p.checklists) for (const s of data.sources) note(s.id, s.citation, file);
  for (const { sign, file } of signs) for (const s of sign.sources) note(s.id, s.citation, `${file} [${sign.id}]`);
  const manifestIds = new Set<string>();
  for (const s of p.manifest.sources) {
    if (manifestIds.has(s.id)) errors.push(`ontology.json: duplicate source id ${s.id}`);
    manifestIds.add(s.id);
  }
}

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
  const errors: string[] = [];
  const unresolved: string[] = [];
  const signs = p.signFiles.flatMap((f) => f.data.signs.map((s) => ({ sign: s, file: f.file })));
  const signIds = new Set<string>();

  // signs: ids, categories, relations
  for (const f of p.signFiles) {
    const expected = f.file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
    if (expected !== f.data.category)
      errors.push(`${f.file}: file name must be <category>.json (category is ${f.data.category})`);
    for (const s of f.data.signs) {
      if (s.category !== f.data.category)
        errors.push(`${f.file} [${s.id}]: category ${s.category} differs from the file's ${f.data.category}`);
    }
  }
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
    if (fixed !== undefined && sign.measurableBy !== fixed)
      errors.push(
        `${file} [${sign.id}]: measurableBy must be "${fixed}" (api.md 9.2), found ${JSON.stringify(sign.measurableBy)}`,
      );
  }
  for (const id of Object.keys(FIXED_SIGNS))
    if (!signIds.has(id)) unresolved.push(`signs: fixed analyser sign "${id}" is missing (api.md 9.2)`);

  // lexicon: ids, one entry per target, every term owned by one entry
  const lexTermOwner = new Map<string, string>();
  const entryIds = new Set<string>();
  const targets = new Map<string, string>();
  for (const e of p.lexicon.entries) {
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
  for (const t of [...(p.lexicon.stopTerms?.zh ?? []), ...(p.lexicon.stopTerms?.en ?? [])]) {
    const owner = lexTermOwner.get(foldText(t).trim());
    if (owner) errors.push(`lexicon: stop term "${t}" is also a term of ${owner}`);
  }

  // sign names and synonyms: unique per language across signs, and not anatomy terms
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

  // checklists
  const seenChecklists = new Set<string>();
  for (const { file, data: c } of p.checklists) {
    const expected = file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
    if (expected !== c.id) errors.push(`${file}: file name must be ${c.id}.json`);
    if (seenChecklists.has(c.id)) errors.push(`${file}: duplicate checklist id ${c.id}`);
    seenChecklists.add(c.id);
    const wantScope = c.id === 'early_lung_cancer' || c.id === 'benign_nodule' ? 'finding' : 'image';
    if (c.scope !== wantScope) errors.push(`${file}: scope must be "${wantScope}" (api.md 13.3)`);
    const itemIds = new Set<string>();
    const localSources = new Set(c.sources.map((s) => s.id));
    for (const it of c.items) {
      if (itemIds.has(it.id)) errors.push(`${file} [${it.id}]: duplicate item id`);
      itemIds.add(it.id);
      for (const sid of [it.signId, ...it.relatedSignIds]) {
        if (!signIds.has(sid))
          unresolved.push(
            `${file} [${it.id}]: sign "${sid}" does not exist (listed in checklists/REQUIRED_SIGN_IDS.md)`,
          );
      }
      if (it.relatedSignIds.includes(it.signId)) errors.push(`${file} [${it.id}]: relatedSignIds repeats signId`);
      for (const src of it.sources)
        if (!localSources.has(src))
          errors.push(`${file} [${it.id}]: source "${src}" is not in the checklist's sources`);
    }
  }
  for (const id of CHECKLIST_IDS) if (!seenChecklists.has(id)) errors.push(`checklists: ${id}.json is missing`);

  // sources: one citation per id across the ontology
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

  return { errors, unresolved };
}

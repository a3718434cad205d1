/** Types of the ontology as loaded (api.md 13); the wire types come from the contract. */
import type {
  Bilingual,
  ChecklistDefinition,
  Finding,
  ChecklistId,
  LexiconEntry,
  LexiconTargetType,
  Sign,
  SignCategory,
} from '../contract';
import type { TermMatcher } from './termMatcher';

export type { ChecklistDefinition, ChecklistId, LexiconEntry, LexiconTargetType, Sign, SignCategory };

export interface OntologySource {
  id: string;
  citation: string;
  url: string | null;
}
export type ChecklistItemDefinition = ChecklistDefinition['items'][number];
/** `ontology/findings.json`: the words for the detector's findings. */
export interface FindingWords {
  /** Per finding type: `name` in anchor labels (结节), `noun` in descriptions (结节影). */
  types: Record<
    Finding['type'],
    { name: Bilingual; noun: Bilingual; withShape?: { shape: Bilingual; noun: Bilingual } }
  >;
  shapes: Record<Finding['shape'], Bilingual>;
}

/** `ontology/checklists/<id>.json`: the API's definition plus what only the server reads. */
export type ChecklistFile = ChecklistDefinition & { disclaimer: Bilingual };

/** `ontology/ontology.json`. */
export interface OntologyManifest {
  version: string;
  name?: string;
  description?: string;
  languages?: ('zh' | 'en')[];
  files?: Record<string, string>;
  sources: OntologySource[];
}

/** `ontology/lexicon.json`. */
export interface LexiconFile {
  description?: string;
  /** Phrases that contain an anatomy term without naming it (支气管 contains 气管): matched, never reported. */
  stopTerms?: { zh: string[]; en: string[] };
  entries: LexiconEntry[];
}

/** `ontology/signs/<category>.json`. */
export interface SignFile {
  category: SignCategory;
  signs: Sign[];
}

/** One anatomy mention found in a question (api.md 10.3 `Understanding.anatomy`, plus the entry). */
export interface AnatomyMention {
  text: string; // the original text of the mention
  span: [number, number]; // [start, end) in UTF-16 units of the original text
  type: LexiconTargetType;
  id: string; // target id, e.g. "RML", "hilum_right", "hilum" (stem)
  entryId: string; // lexicon entry id, e.g. "lex_rml"
  matchedTerm: string; // the lexicon term or abbreviation that matched
  typos: number; // words matched with one edit (0 = exact)
}

/** One sign named in a question. */
export interface SignMention {
  text: string;
  span: [number, number];
  signId: string;
  matchedTerm: string;
  typos: number;
}

/** The loaded, validated ontology. */
export interface Ontology {
  version: string;
  dir: string;
  manifest: OntologyManifest;
  sources: OntologySource[];
  signs: Sign[];
  signById: ReadonlyMap<string, Sign>;
  lexicon: LexiconEntry[];
  lexiconById: ReadonlyMap<string, LexiconEntry>;
  stopTerms: { zh: string[]; en: string[] };
  checklists: ChecklistDefinition[];
  checklistById: ReadonlyMap<string, ChecklistDefinition>;
  findingWords: FindingWords;
  /** Each checklist's closing note (`disclaimer` of its file; not part of the API's ChecklistDefinition). */
  checklistDisclaimers: ReadonlyMap<string, Bilingual>;
  /** Problems tolerated because of `allowUnresolved` (empty when strict). */
  unresolved: string[];
  /** Matchers built once at load. */
  anatomyMatcher: TermMatcher<LexiconEntry>;
  signMatcher: TermMatcher<Sign>;
}

/** The 11 analyser signs (api.md 9.2) and the analyser that measures each. */
export const FIXED_SIGNS: Readonly<Record<string, NonNullable<Sign['measurableBy']>>> = {
  margin_smooth: 'margin',
  margin_lobulated: 'lobulation',
  margin_spiculated: 'spiculation',
  margin_ill_defined: 'margin',
  notch_sign: 'lobulation',
  calcification: 'density',
  cavitation: 'density',
  vacuole_sign: 'density',
  air_bronchogram: 'density',
  homogeneous_density: 'density',
  pleural_indentation: 'pleura',
};

export const CHECKLIST_IDS: readonly ChecklistId[] = [
  'early_lung_cancer',
  'benign_nodule',
  'pneumothorax',
  'pleural_effusion',
  'cardiomegaly',
];

export const SIGN_CATEGORIES: readonly SignCategory[] = [
  'margin_shape',
  'density_content',
  'distribution_pattern',
  'airways',
  'pleura',
  'mediastinum_hila',
  'heart_vessels',
  'chest_wall_diaphragm',
  'devices',
  'named_signs',
];

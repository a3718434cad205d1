// A throw-away copy of ontology/ with fixture signs, for tests that must not depend on the
// sign writers' progress.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sign } from '../../../server/src/ontology';

export const REPO_ONTOLOGY = path.resolve(__dirname, '../../../ontology');

const src = [
  {
    id: 'fleischner_2008',
    citation:
      'Hansell DM, Bankier AA, MacMahon H, McLoud TC, Müller NL, Remy J. Fleischner ' +
      'Society: glossary of terms for thoracic imaging. Radiology 2008;246(3):697–722.',
    url: 'https://doi.org/10.1148/radiol.2462070712',
  },
];

/** A schema-valid sign with the given id and names. */
export function fixtureSign(id: string, zh: string, en: string, extra: Partial<Sign> = {}): Sign {
  return {
    id,
    category: 'margin_shape',
    name: { zh, en },
    synonyms: { zh: [], en: [] },
    definition: { zh: `${zh}的定义`, en: `definition of ${en}` },
    appearance: { zh: `${zh}的表现`, en: `appearance of ${en}` },
    typicalLocations: [{ type: 'band', id: 'band_outer' }],
    significance: { zh: '意义', en: 'significance' },
    specificity: 50,
    radlexId: null,
    snomedCtId: null,
    measurableBy: null,
    cxrAssessable: 'limited',
    related: [],
    sources: src,
    ...extra,
  };
}

export const FIXTURE_SIGNS: Sign[] = [
  fixtureSign('margin_spiculated', '毛刺征', 'spiculated margin', {
    measurableBy: 'spiculation',
    radlexId: 'RID5713',
    synonyms: { zh: ['毛刺', '短毛刺'], en: ['spiculation', 'spiculated'] },
  }),
  fixtureSign('margin_lobulated', '分叶征', 'lobulated margin', {
    measurableBy: 'lobulation',
    related: ['notch_sign'],
    synonyms: { zh: ['分叶', '分叶状'], en: ['lobulation', 'lobulated'] },
  }),
  fixtureSign('notch_sign', '脐凹征', 'notch sign', {
    measurableBy: 'lobulation',
    related: ['margin_lobulated'],
    synonyms: { zh: ['切迹'], en: ['notch', 'notching'] },
  }),
  fixtureSign('air_bronchogram', '支气管充气征', 'air bronchogram', {
    category: 'margin_shape',
    measurableBy: 'density',
    synonyms: { zh: ['空气支气管征'], en: ['air bronchograms'] },
  }),
];

/** Copies ontology/ (schemas, manifest, lexicon, checklists) to a temp dir and writes `signs` as margin_shape.json. */
export function makeOntologyCopy(signs: unknown[] = FIXTURE_SIGNS, mutate?: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxr-ontology-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  for (const sub of ['schemas', 'checklists'])
    fs.cpSync(path.join(REPO_ONTOLOGY, sub), path.join(dir, sub), { recursive: true });
  for (const f of ['ontology.json', 'lexicon.json', 'findings.json'])
    fs.copyFileSync(path.join(REPO_ONTOLOGY, f), path.join(dir, f));
  fs.mkdirSync(path.join(dir, 'signs'));
  fs.writeFileSync(
    path.join(dir, 'signs', 'margin_shape.json'),
    JSON.stringify({ category: 'margin_shape', signs }, null, 1),
  );
  mutate?.(dir);
  return dir;
}

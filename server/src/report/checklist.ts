import type { Anchor, Checklist, ChecklistItem, Evidence, Lang, SignAssessment } from '../contract';
import type { ChecklistDefinition } from '../ontology';
import { evaluateRule, type EvidenceValues } from '../ontology/rules';

/** What a checklist is evaluated against: the subject's signs and the evidence values available. */
export interface ChecklistSubject {
  anchorId: string | null;
  signs: SignAssessment[];
  /** Evidence by name (band, diameterMm, cardiothoracicRatio, every sign's evidence …). */
  values: Record<string, { value: number | string | boolean; evidence: Evidence }>;
}

/** Flattens an anchor's (or its refinement's) location, size and sign evidence into rule inputs. */
export function subjectValues(root: Anchor | null, refined: Anchor | null, extra: Evidence[] = []): ChecklistSubject['values'] {
  const out: ChecklistSubject['values'] = {};
  const put = (e: Evidence) => { out[e.name] = { value: e.value, evidence: e }; };
  const loc = root?.location;
  if (loc?.band) put({ name: 'band', value: loc.band, unit: null });
  if (loc?.zone) put({ name: 'zone', value: loc.zone, unit: null });
  if (loc?.lobe) put({ name: 'lobe', value: loc.lobe, unit: null });
  if (loc?.side) put({ name: 'side', value: loc.side, unit: null });
  const src = refined ?? root;
  for (const m of src?.measurements ?? []) {
    if (m.valueMm !== null && m.spacingSource) put({ name: `${m.name}Mm`, value: m.valueMm, unit: 'mm', estimate: true, spacingSource: m.spacingSource });
  }
  for (const s of src?.signs ?? []) for (const e of s.evidence) if (!(e.name in out)) put(e);
  for (const e of extra) put(e);
  return out;
}

function ruleEvidence(rule: string, values: ChecklistSubject['values']): Evidence[] {
  const names = rule.split(/\s+and\s+/).map((c) => c.trim().split(/\s/)[0]);
  return names.map((n) => values[n]?.evidence).filter((e): e is Evidence => !!e);
}

/**
 * Evaluates a checklist definition (api.md 10.9 status rule): the item's sign (or a related one)
 * present → met if expected present, else not met; absent → the opposite; anything weaker, or an
 * item a radiograph cannot show → indeterminate. An expected-absent sign merely "not seen" where
 * the radiograph is `limited` stays indeterminate.
 */
export function evaluateChecklist(def: ChecklistDefinition, subject: ChecklistSubject, lang: Lang): Checklist {
  const items: ChecklistItem[] = def.items.map((d) => {
    let signStatus: SignAssessment['status'] | 'not_assessed' = 'not_assessed';
    let confidence = 0.5;
    let evidence: Evidence[] = [];
    if (d.rule) {
      const flat: EvidenceValues = Object.fromEntries(Object.entries(subject.values).map(([k, v]) => [k, v.value]));
      const r = evaluateRule(d.rule, flat);
      evidence = ruleEvidence(d.rule, subject.values);
      if (r !== null) { signStatus = r ? 'present' : 'absent'; confidence = 0.9; }
    } else {
      const related = [d.signId, ...d.relatedSignIds].map((id) => subject.signs.find((s) => s.signId === id)).filter((s): s is SignAssessment => !!s);
      const present = related.filter((s) => s.status === 'present').sort((a, b) => b.confidence - a.confidence)[0];
      if (present) { signStatus = 'present'; confidence = present.confidence; evidence = present.evidence; }
      else if (related.length && related.every((s) => s.status === 'absent')) { signStatus = 'absent'; confidence = Math.min(...related.map((s) => s.confidence)); evidence = related[0].evidence; }
      else if (related.length) { signStatus = 'indeterminate'; confidence = related[0].confidence; evidence = related[0].evidence; }
    }
    let status: ChecklistItem['status'] = 'indeterminate';
    if (d.cxrAssessable !== 'no' && (signStatus === 'present' || signStatus === 'absent')) {
      const matches = (signStatus === 'present') === (d.expect === 'present');
      status = matches ? 'met' : 'not_met';
      if (d.expect === 'absent' && signStatus === 'absent' && d.cxrAssessable === 'limited') status = 'indeterminate';
    }
    const note = d.note?.[lang] ?? (signStatus === 'not_assessed'
      ? (lang === 'zh' ? '当前版本的分析器未评估此项' : 'not assessed by this version\'s analysers')
      : null);
    return {
      id: d.id, signId: d.signId, relatedSignIds: d.relatedSignIds, expect: d.expect, label: d.label[lang], status,
      confidence: Math.round(confidence * 100) / 100, evidence, cxrAssessable: d.cxrAssessable,
      note: status === 'indeterminate' ? note : d.note?.[lang] ?? null,
    };
  });
  const met = items.filter((i) => i.status === 'met').length;
  const notMet = items.filter((i) => i.status === 'not_met').length;
  const ind = items.length - met - notMet;
  return {
    id: def.id, title: def.title[lang], anchorId: subject.anchorId, items,
    metCount: met, notMetCount: notMet, indeterminateCount: ind, total: items.length,
    summary: lang === 'zh' ? `符合 ${met}/${items.length} 条;${ind} 条 X 线难以判断` : `${met} of ${items.length} met; ${ind} cannot be judged on this radiograph`,
    disclaimer: lang === 'zh'
      ? '本清单仅用于辅助阅片,不构成诊断;X线发现的肺结节建议胸部CT进一步评估。'
      : 'This checklist supports a reader and is not a diagnosis; a nodule seen on a radiograph warrants chest CT for characterisation.',
  };
}

import type { Analysis, Anchor, Checklist, ChecklistItem, Evidence, Lang, Session, SignAssessment } from '../contract';
import { getOntology, type ChecklistDefinition, type ChecklistItemDefinition, type Ontology } from '../ontology';
import { evaluateRule, type EvidenceValues } from '../ontology/rules';
import { round1 } from '../geometry';

/** What a checklist is evaluated against: the subject's signs and the evidence values available. */
export interface ChecklistSubject {
  anchorId: string | null;
  signs: SignAssessment[];
  /** Evidence by name (band, diameterMm, cardiothoracicRatio, every sign's evidence …). */
  values: Record<string, { value: number | string | boolean; evidence: Evidence }>;
}

/** Flattens an anchor's (or its refinement's) location, size and sign evidence into rule inputs. */
export function subjectValues(
  root: Anchor | null,
  refined: Anchor | null,
  extra: Evidence[] = [],
): ChecklistSubject['values'] {
  const out: ChecklistSubject['values'] = {};
  const put = (e: Evidence) => {
    out[e.name] = { value: e.value, evidence: e };
  };
  const loc = root?.location;
  for (const name of ['band', 'zone', 'lobe', 'side'] as const) {
    const value = loc?.[name];
    if (value) put({ name, value, unit: null });
  }
  const src = refined ?? root;
  for (const m of src?.measurements ?? []) {
    if (m.valueMm !== null && m.spacingSource)
      put({ name: `${m.name}Mm`, value: m.valueMm, unit: 'mm', estimate: true, spacingSource: m.spacingSource });
  }
  for (const s of src?.signs ?? []) for (const e of s.evidence) if (!(e.name in out)) put(e);
  for (const e of extra) put(e);
  return out;
}

/**
 * Evidence a finding checklist's rules need beyond the signs: the finding's `shape` and
 * `hilumDistanceMm` — the projected distance from the lesion's edge to the hilum of its side (the
 * session's hilum relation when one was measured, else the hilum landmark minus half the long axis).
 */
export function lesionRuleEvidence(
  analysis: Analysis,
  session: Session,
  root: Anchor,
  refined: Anchor | null,
): Evidence[] {
  const out: Evidence[] = [];
  const f = root.findingId ? analysis.findings.find((x) => x.id === root.findingId) : undefined;
  if (f) out.push({ name: 'shape', value: f.shape, unit: null });
  const src = analysis.image.spacingSource;
  if (!analysis.image.pixelSpacingMm || src === 'none') return out;
  const mm = measuredHilumGap(session, root) ?? estimatedHilumGap(analysis, root, refined, f);
  if (mm != null)
    out.push({ name: 'hilumDistanceMm', value: round1(mm), unit: 'mm', estimate: true, spacingSource: src });
  return out;
}

/** The edge gap of a measured relation from `root` to a hilum, if the session has one. */
function measuredHilumGap(session: Session, root: Anchor): number | null {
  const rel = session.anchors.find(
    (a) => a.kind === 'measurement' && a.relation?.fromAnchorId === root.id && a.relation?.toTarget.type === 'hilum',
  );
  return rel?.measurements.find((m) => m.name === 'edgeGap')?.valueMm ?? null;
}

/** Centre-to-hilum distance of the lesion less half its long axis (mm); null without a hilum or a size. */
function estimatedHilumGap(
  analysis: Analysis,
  root: Anchor,
  refined: Anchor | null,
  f: Analysis['findings'][number] | undefined,
): number | null {
  const spacing = analysis.image.pixelSpacingMm!;
  const side = root.location?.side;
  const hilum =
    side === 'right' || side === 'left' ? analysis.anatomy.landmarks.find((l) => l.id === `hilum_${side}`) : undefined;
  if (!hilum) return null;
  const sized = refined ?? root;
  const long =
    sized.measurements.find((m) => m.name === 'longAxis')?.valueMm ??
    sized.measurements.find((m) => m.name === 'diameter')?.valueMm ??
    f?.diameterMm ??
    null;
  if (long == null) return null;
  const c = refined?.center ?? root.center;
  const dx = (c[0] - hilum.point[0]) * spacing[1],
    dy = (c[1] - hilum.point[1]) * spacing[0];
  return Math.max(0, Math.hypot(dx, dy) - long / 2);
}

/** What a checklist's closing note says: its own advice (its file's `disclaimer`), never another checklist's. */
export function checklistDisclaimer(id: string, lang: Lang, ontology: Ontology = getOntology()): string {
  const own = ontology.checklistDisclaimers.get(id);
  if (own) return own[lang];
  return lang === 'zh'
    ? '本清单仅用于辅助阅片,不构成诊断。'
    : 'This checklist supports a reader and is not a diagnosis.';
}

function ruleEvidence(rule: string, values: ChecklistSubject['values']): Evidence[] {
  const names = rule.split(/\s+and\s+/).map((c) => c.trim().split(/\s/)[0]);
  return names.map((n) => values[n]?.evidence).filter((e): e is Evidence => !!e);
}

type SignStatus = SignAssessment['status'] | 'not_assessed';
interface ItemReading {
  signStatus: SignStatus;
  confidence: number;
  evidence: Evidence[];
}

/** An item with a rule: the rule over the evidence values (a failed rule on an indeterminate sign stays so). */
function readByRule(d: ChecklistItemDefinition, rule: string, subject: ChecklistSubject): ItemReading {
  const flat: EvidenceValues = Object.fromEntries(Object.entries(subject.values).map(([k, v]) => [k, v.value]));
  const r = evaluateRule(rule, flat);
  const evidence = ruleEvidence(rule, subject.values);
  // A rule that fails on a sign the analyser left indeterminate (calcium a radiograph cannot
  // exclude) does not make the sign absent.
  const own = subject.signs.find((s) => s.signId === d.signId);
  if (r === false && own?.status === 'indeterminate')
    return { signStatus: 'indeterminate', confidence: own.confidence, evidence };
  if (r === null) return { signStatus: 'not_assessed', confidence: 0.5, evidence };
  return { signStatus: r ? 'present' : 'absent', confidence: 0.9, evidence };
}

/** An item without a rule: its sign or a related one present, else all absent, else indeterminate. */
function readBySigns(d: ChecklistItemDefinition, subject: ChecklistSubject): ItemReading {
  const related = [d.signId, ...d.relatedSignIds]
    .map((id) => subject.signs.find((s) => s.signId === id))
    .filter((s): s is SignAssessment => !!s);
  const present = related.filter((s) => s.status === 'present').sort((a, b) => b.confidence - a.confidence)[0];
  if (present) return { signStatus: 'present', confidence: present.confidence, evidence: present.evidence };
  if (!related.length) return { signStatus: 'not_assessed', confidence: 0.5, evidence: [] };
  if (related.every((s) => s.status === 'absent'))
    return {
      signStatus: 'absent',
      confidence: Math.min(...related.map((s) => s.confidence)),
      evidence: related[0].evidence,
    };
  return { signStatus: 'indeterminate', confidence: related[0].confidence, evidence: related[0].evidence };
}

/**
 * Met / not met when the sign is settled and a radiograph can show it; an expected absence on a
 * `limited` item stays open.
 */
function itemStatus(d: ChecklistItemDefinition, signStatus: SignStatus): ChecklistItem['status'] {
  if (d.cxrAssessable === 'no' || (signStatus !== 'present' && signStatus !== 'absent')) return 'indeterminate';
  if (d.expect === 'absent' && signStatus === 'absent' && d.cxrAssessable === 'limited') return 'indeterminate';
  return (signStatus === 'present') === (d.expect === 'present') ? 'met' : 'not_met';
}

function evaluateItem(d: ChecklistItemDefinition, subject: ChecklistSubject, lang: Lang): ChecklistItem {
  const { signStatus, confidence, evidence } = d.rule ? readByRule(d, d.rule, subject) : readBySigns(d, subject);
  const status = itemStatus(d, signStatus);
  const notAssessed = lang === 'zh' ? '当前版本的分析器未评估此项' : "not assessed by this version's analysers";
  const note = d.note?.[lang] ?? (status === 'indeterminate' && signStatus === 'not_assessed' ? notAssessed : null);
  return {
    id: d.id,
    signId: d.signId,
    relatedSignIds: d.relatedSignIds,
    expect: d.expect,
    label: d.label[lang],
    status,
    confidence: Math.round(confidence * 100) / 100,
    evidence,
    cxrAssessable: d.cxrAssessable,
    note,
  };
}

/**
 * Evaluates a checklist definition (api.md 10.9 status rule): the item's sign (or a related one)
 * present → met if expected present, else not met; absent → the opposite; anything weaker, or an
 * item a radiograph cannot show → indeterminate. An expected-absent sign merely "not seen" where
 * the radiograph is `limited` stays indeterminate.
 */
export function evaluateChecklist(def: ChecklistDefinition, subject: ChecklistSubject, lang: Lang): Checklist {
  const items = def.items.map((d) => evaluateItem(d, subject, lang));
  const met = items.filter((i) => i.status === 'met').length;
  const notMet = items.filter((i) => i.status === 'not_met').length;
  const ind = items.length - met - notMet;
  return {
    id: def.id,
    title: def.title[lang],
    anchorId: subject.anchorId,
    items,
    metCount: met,
    notMetCount: notMet,
    indeterminateCount: ind,
    total: items.length,
    summary:
      lang === 'zh'
        ? `符合 ${met}/${items.length} 条;${ind} 条 X 线难以判断`
        : `${met} of ${items.length} met; ${ind} cannot be judged on this radiograph`,
    disclaimer: checklistDisclaimer(def.id, lang),
  };
}

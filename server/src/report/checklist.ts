import type { Analysis, Anchor, Checklist, ChecklistItem, Evidence, Lang, Session, SignAssessment } from '../contract';
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
  if (loc?.band) put({ name: 'band', value: loc.band, unit: null });
  if (loc?.zone) put({ name: 'zone', value: loc.zone, unit: null });
  if (loc?.lobe) put({ name: 'lobe', value: loc.lobe, unit: null });
  if (loc?.side) put({ name: 'side', value: loc.side, unit: null });
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
  const spacing = analysis.image.pixelSpacingMm;
  const src = analysis.image.spacingSource;
  if (!spacing || src === 'none') return out;
  const rel = session.anchors.find(
    (a) => a.kind === 'measurement' && a.relation?.fromAnchorId === root.id && a.relation?.toTarget.type === 'hilum',
  );
  const gap = rel?.measurements.find((m) => m.name === 'edgeGap');
  if (gap?.valueMm != null) {
    out.push({
      name: 'hilumDistanceMm',
      value: Math.round(gap.valueMm * 10) / 10,
      unit: 'mm',
      estimate: true,
      spacingSource: src,
    });
    return out;
  }
  const side = root.location?.side;
  const hilum =
    side === 'right' || side === 'left' ? analysis.anatomy.landmarks.find((l) => l.id === `hilum_${side}`) : undefined;
  if (!hilum) return out;
  const src2 = refined ?? root;
  const long =
    src2.measurements.find((m) => m.name === 'longAxis')?.valueMm ??
    src2.measurements.find((m) => m.name === 'diameter')?.valueMm ??
    f?.diameterMm ??
    null;
  if (long == null) return out;
  const c = refined?.center ?? root.center;
  const dx = (c[0] - hilum.point[0]) * spacing[1],
    dy = (c[1] - hilum.point[1]) * spacing[0];
  const d = Math.max(0, Math.hypot(dx, dy) - long / 2);
  out.push({ name: 'hilumDistanceMm', value: Math.round(d * 10) / 10, unit: 'mm', estimate: true, spacingSource: src });
  return out;
}

/** What a checklist's closing note says: its own advice, never another checklist's. */
export function checklistDisclaimer(id: string, lang: Lang): string {
  const zh: Record<string, string> = {
    early_lung_cancer: '本清单仅用于辅助阅片,不构成诊断;X线发现的肺结节建议胸部CT进一步评估。',
    benign_nodule: '本清单仅用于辅助阅片,不构成诊断;X线难以确认良性钙化,肺结节建议胸部CT进一步评估。',
    pneumothorax: '本清单仅用于辅助阅片,不构成诊断;卧位片上气胸可仅表现为深沟征,临床怀疑时请结合临床复查立位片或行CT。',
    pleural_effusion: '本清单仅用于辅助阅片,不构成诊断;少量积液在正位片上可不显示,临床怀疑时可结合侧位片或超声。',
    cardiomegaly: '本清单仅用于辅助阅片,不构成诊断;心胸比仅在PA位片上可靠,0.50–0.55为临界。',
  };
  const en: Record<string, string> = {
    early_lung_cancer:
      'This checklist supports a reader and is not a diagnosis; a nodule seen on a radiograph warrants chest CT for characterisation.',
    benign_nodule:
      'This checklist supports a reader and is not a diagnosis; benign calcification is hard to confirm on a radiograph, and a nodule warrants chest CT for characterisation.',
    pneumothorax:
      'This checklist supports a reader and is not a diagnosis; on a supine film a pneumothorax may show only as a deep sulcus — if suspected clinically, an erect film or CT helps.',
    pleural_effusion:
      'This checklist supports a reader and is not a diagnosis; a small effusion may not show on a frontal film — a lateral film or ultrasound helps if suspected clinically.',
    cardiomegaly:
      'This checklist supports a reader and is not a diagnosis; the cardiothoracic ratio is reliable on PA films only, and 0.50–0.55 is borderline.',
  };
  const t = lang === 'zh' ? zh : en;
  return (
    t[id] ??
    (lang === 'zh' ? '本清单仅用于辅助阅片,不构成诊断。' : 'This checklist supports a reader and is not a diagnosis.')
  );
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
      if (r !== null) {
        signStatus = r ? 'present' : 'absent';
        confidence = 0.9;
      }
      // A rule that fails on a sign the analyser left indeterminate (calcium a radiograph cannot
      // exclude) does not make the sign absent.
      const own = subject.signs.find((s) => s.signId === d.signId);
      if (r === false && own?.status === 'indeterminate') {
        signStatus = 'indeterminate';
        confidence = own.confidence;
      }
    } else {
      const related = [d.signId, ...d.relatedSignIds]
        .map((id) => subject.signs.find((s) => s.signId === id))
        .filter((s): s is SignAssessment => !!s);
      const present = related.filter((s) => s.status === 'present').sort((a, b) => b.confidence - a.confidence)[0];
      if (present) {
        signStatus = 'present';
        confidence = present.confidence;
        evidence = present.evidence;
      } else if (related.length && related.every((s) => s.status === 'absent')) {
        signStatus = 'absent';
        confidence = Math.min(...related.map((s) => s.confidence));
        evidence = related[0].evidence;
      } else if (related.length) {
        signStatus = 'indeterminate';
        confidence = related[0].confidence;
        evidence = related[0].evidence;
      }
    }
    let status: ChecklistItem['status'] = 'indeterminate';
    if (d.cxrAssessable !== 'no' && (signStatus === 'present' || signStatus === 'absent')) {
      const matches = (signStatus === 'present') === (d.expect === 'present');
      status = matches ? 'met' : 'not_met';
      if (d.expect === 'absent' && signStatus === 'absent' && d.cxrAssessable === 'limited') status = 'indeterminate';
    }
    const note =
      d.note?.[lang] ??
      (signStatus === 'not_assessed'
        ? lang === 'zh'
          ? '当前版本的分析器未评估此项'
          : "not assessed by this version's analysers"
        : null);
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
      note: status === 'indeterminate' ? note : (d.note?.[lang] ?? null),
    };
  });
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

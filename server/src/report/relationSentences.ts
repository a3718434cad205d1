/** Findings sentences about measured relations (measurement anchors, api.md 8.2/12.2). */
import type { Analysis, Anchor, Bilingual, Evidence, Lang, Session } from '../contract';
import { compact, measurement, measurementEvidence, type Draft } from './draft';
import { measurementText } from './phrases';

const SURFACES: Record<string, Bilingual> = {
  pleura_right: { zh: '右侧胸膜', en: 'right pleural surface' },
  pleura_left: { zh: '左侧胸膜', en: 'left pleural surface' },
  chest_wall_right: { zh: '右侧胸壁', en: 'right chest wall' },
  chest_wall_left: { zh: '左侧胸壁', en: 'left chest wall' },
  hemidiaphragm_right: { zh: '右侧膈面', en: 'right hemidiaphragm' },
  hemidiaphragm_left: { zh: '左侧膈面', en: 'left hemidiaphragm' },
};

/** Name of a relation's target: another anchor's id, a landmark's label or a surface. */
function targetName(rel: NonNullable<Anchor['relation']>, analysis: Analysis, session: Session, lang: Lang): string {
  if (rel.toTarget.type === 'anchor') return rel.toAnchorId ?? rel.toTarget.id;
  const lm = analysis.anatomy.landmarks.find((l) => l.id === rel.toTarget.id);
  if (lm) return lm.label[lang];
  if (SURFACES[rel.toTarget.id]) return SURFACES[rel.toTarget.id][lang];
  const a = rel.toAnchorId ? session.anchors.find((x) => x.id === rel.toAnchorId) : undefined;
  return a ? a.label[lang].replace(/^A\d+\s*/, '') : rel.toTarget.id;
}

/** "A1中心距右肺门约4.7 cm,边缘最近处约3.1 cm,未见与右肺门相连。" */
export function relationSentence(m: Anchor, analysis: Analysis, session: Session, lang: Lang): Draft | null {
  const rel = m.relation;
  if (!rel) return null;
  const centre = measurement(m, 'centerDistance');
  const gap = measurement(m, 'edgeGap');
  if (!centre && !gap) return null;
  const from = rel.fromAnchorId;
  const toAnchor = rel.toTarget.type === 'anchor';
  const to = targetName(rel, analysis, session, lang);
  const parts: string[] = [];
  if (lang === 'zh') {
    if (centre)
      parts.push(
        toAnchor
          ? `${from}与${to}中心相距${measurementText(centre, lang)}`
          : `${from}中心距${to}${measurementText(centre, lang)}`,
      );
    if (gap) parts.push(gap.valuePx === 0 ? '边缘相互接触' : `边缘最近处相距${measurementText(gap, lang)}`);
    if (rel.connected === true) parts.push(`可见软组织影与${to}相连`);
    if (rel.connected === false) parts.push(`未见与${to}相连`);
  } else {
    if (centre)
      parts.push(
        toAnchor
          ? `The centres of ${from} and ${to} are ${measurementText(centre, lang)} apart`
          : `The centre of ${from} lies ${measurementText(centre, lang)} from the ${to}`,
      );
    if (gap)
      parts.push(gap.valuePx === 0 ? 'their edges touch' : `the nearest edges are ${measurementText(gap, lang)} apart`);
    if (rel.connected === true) parts.push(`a soft-tissue connection to the ${to} is seen`);
    if (rel.connected === false) parts.push(`no connection to the ${to} is seen`);
    if (!centre) parts[0] = parts[0].charAt(0).toUpperCase() + parts[0].slice(1);
  }
  const text = lang === 'zh' ? `${parts.join(',')}。` : `${parts.join('; ')}.`;
  const evidence: Evidence[] = compact([
    centre && measurementEvidence(centre),
    gap && measurementEvidence(gap),
    ...(rel.connected !== null ? rel.connectionEvidence : []),
  ]);
  const anchorIds = compact([from, rel.toAnchorId, m.id]).filter((v, i, xs) => xs.indexOf(v) === i);
  return { text, anchorIds, signIds: [], evidence };
}

/** Findings sentences about measured relations (measurement anchors, api.md 8.2/12.2). */
import type { Analysis, Anchor, Evidence, Lang, Measurement, Session } from '../contract';
import { compact, measurement, measurementEvidence, type Draft } from './draft';
import { cap, measurementText } from './phrases';
import { anatomyName } from '../ontology';

/** Name of a relation's target: another anchor's id, a landmark's label or a surface. */
function targetName(rel: NonNullable<Anchor['relation']>, analysis: Analysis, session: Session, lang: Lang): string {
  if (rel.toTarget.type === 'anchor') return rel.toAnchorId ?? rel.toTarget.id;
  const lm = analysis.anatomy.landmarks.find((l) => l.id === rel.toTarget.id);
  if (lm) return lm.label[lang];
  const surface = anatomyName(rel.toTarget.id);
  if (surface) return surface[lang];
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
  const words: RelationWords = {
    from: rel.fromAnchorId,
    to: targetName(rel, analysis, session, lang),
    toAnchor: rel.toTarget.type === 'anchor',
    centre,
    gap,
    connected: rel.connected,
  };
  const text = lang === 'zh' ? relationTextZh(words) : relationTextEn(words);
  const evidence: Evidence[] = compact([
    centre && measurementEvidence(centre),
    gap && measurementEvidence(gap),
    ...(rel.connected !== null ? rel.connectionEvidence : []),
  ]);
  const anchorIds = compact([rel.fromAnchorId, rel.toAnchorId, m.id]).filter((v, i, xs) => xs.indexOf(v) === i);
  return { text, anchorIds, signIds: [], evidence };
}

interface RelationWords {
  from: string;
  to: string;
  toAnchor: boolean;
  centre: Measurement | null;
  gap: Measurement | null;
  connected: boolean | null;
}

function relationTextZh({ from, to, toAnchor, centre, gap, connected }: RelationWords): string {
  const parts: string[] = [];
  if (centre) {
    const d = measurementText(centre, 'zh');
    parts.push(toAnchor ? `${from}与${to}中心相距${d}` : `${from}中心距${to}${d}`);
  }
  if (gap) parts.push(gap.valuePx === 0 ? '边缘相互接触' : `边缘最近处相距${measurementText(gap, 'zh')}`);
  if (connected === true) parts.push(`可见软组织影与${to}相连`);
  if (connected === false) parts.push(`未见与${to}相连`);
  return `${parts.join(',')}。`;
}

function relationTextEn({ from, to, toAnchor, centre, gap, connected }: RelationWords): string {
  const parts: string[] = [];
  if (centre) {
    const d = measurementText(centre, 'en');
    parts.push(
      toAnchor ? `The centres of ${from} and ${to} are ${d} apart` : `The centre of ${from} lies ${d} from the ${to}`,
    );
  }
  if (gap)
    parts.push(gap.valuePx === 0 ? 'their edges touch' : `the nearest edges are ${measurementText(gap, 'en')} apart`);
  if (connected === true) parts.push(`a soft-tissue connection to the ${to} is seen`);
  if (connected === false) parts.push(`no connection to the ${to} is seen`);
  return `${cap(parts.join('; '))}.`;
}

/**
 * Analysis-level statements: the cardiothoracic ratio and "nothing detected" in a lung. They rest
 * on the analysis itself (models, operating point, structures assessed), not on an anchor.
 */
import type { Analysis, Evidence, Lang } from '../contract';
import { compact, measurementEvidence, type Draft } from './draft';
import { lesionModelRan } from './input';

/** Models, operating point and structures assessed: the evidence of a normal statement. */
export function analysisEvidence(analysis: Analysis, lesionThreshold: number | null): Evidence[] {
  const out: Evidence[] = [{ name: 'models', value: analysis.models.map((m) => `${m.name}@${m.version}`).join(',') || 'none', unit: null }];
  if (lesionThreshold !== null) out.push({ name: 'lesionThreshold', value: lesionThreshold, unit: 'fraction' });
  out.push({ name: 'structuresAssessed', value: analysis.anatomy.structures.map((s) => s.id).join(',') || 'none', unit: null });
  return out;
}

/** The CTR sentence: interpreted only when reliable; otherwise stated with its note. */
export function ctrSentence(analysis: Analysis, lang: Lang): Draft | null {
  const ctr = analysis.anatomy.cardiothoracicRatio;
  if (!ctr) return null;
  const v = ctr.value.toFixed(2);
  const view = analysis.image.viewPosition ?? (lang === 'zh' ? '体位未注明' : 'view not stated');
  let text: string;
  if (!ctr.reliable) {
    const note = ctr.note?.[lang];
    text = lang === 'zh'
      ? `心胸比约${v}(${view}位),${note ?? '投照体位下心胸比不可靠'},不作判断。`
      : `Cardiothoracic ratio ${v} (${view}); ${note ?? 'not reliable in this projection'}, so it is not interpreted.`;
  } else if (ctr.value > 0.5) {
    text = lang === 'zh' ? `心影增大,心胸比约${v}(${view}位)。` : `The cardiac silhouette is enlarged: cardiothoracic ratio ${v} (${view}).`;
  } else {
    text = lang === 'zh' ? `心影大小在正常范围内,心胸比约${v}(${view}位)。` : `The cardiac silhouette is within normal limits: cardiothoracic ratio ${v} (${view}).`;
  }
  const evidence: Evidence[] = compact([
    { name: 'cardiothoracicRatio', value: ctr.value, unit: 'ratio' },
    measurementEvidence(ctr.cardiacWidth.measurement),
    measurementEvidence(ctr.thoracicWidth.measurement),
  ]);
  return { text, anchorIds: [], signIds: [], evidence };
}

/** "右肺未见明确结节、肿块或实变影。" — only when the lesion detector actually looked. */
export function lungClearSentence(analysis: Analysis, side: 'right' | 'left', lesionThreshold: number | null, lang: Lang): Draft | null {
  if (!lesionModelRan(analysis)) return null;
  const text = lang === 'zh'
    ? `${side === 'right' ? '右肺' : '左肺'}未检出明确结节、肿块或片状高密度影。`
    : `No nodule, mass or airspace opacity is detected in the ${side} lung.`;
  return { text, anchorIds: [], signIds: [], evidence: analysisEvidence(analysis, lesionThreshold) };
}

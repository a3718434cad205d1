/**
 * Analysis-level statements: the cardiothoracic ratio and "nothing detected" in a lung. They rest
 * on the analysis itself (models, operating point, structures assessed), not on an anchor.
 */
import type { Analysis, Evidence, Lang } from '../contract';
import { compact, measurementEvidence, type Draft } from './draft';
import { ctrStatement } from './ctr';
import { lesionModelRan } from './input';

/** Models, operating point and structures assessed: the evidence of a normal statement. */
export function analysisEvidence(analysis: Analysis, lesionThreshold: number | null): Evidence[] {
  const out: Evidence[] = [
    { name: 'models', value: analysis.models.map((m) => `${m.name}@${m.version}`).join(',') || 'none', unit: null },
  ];
  if (lesionThreshold !== null) out.push({ name: 'lesionThreshold', value: lesionThreshold, unit: 'fraction' });
  out.push({
    name: 'structuresAssessed',
    value: analysis.anatomy.structures.map((s) => s.id).join(',') || 'none',
    unit: null,
  });
  return out;
}

/** The CTR sentence: interpreted only when reliable; otherwise stated with its note. */
export function ctrSentence(analysis: Analysis, lang: Lang): Draft | null {
  const ctr = analysis.anatomy.cardiothoracicRatio;
  const st = ctrStatement(analysis);
  if (!ctr || !st) return null;
  const text = st.text[lang];
  const evidence: Evidence[] = compact([
    { name: 'cardiothoracicRatio', value: ctr.value, unit: 'ratio' },
    measurementEvidence(ctr.cardiacWidth.measurement),
    measurementEvidence(ctr.thoracicWidth.measurement),
  ]);
  return { text, anchorIds: [], signIds: [], evidence };
}

/** "右肺未见明确结节、肿块或实变影。" — only when the lesion detector actually looked. */
export function lungClearSentence(
  analysis: Analysis,
  side: 'right' | 'left',
  lesionThreshold: number | null,
  lang: Lang,
): Draft | null {
  if (!lesionModelRan(analysis)) return null;
  const text =
    lang === 'zh'
      ? `${side === 'right' ? '右肺' : '左肺'}未检出明确结节、肿块或片状高密度影。`
      : `No nodule, mass or airspace opacity is detected in the ${side} lung.`;
  return { text, anchorIds: [], signIds: [], evidence: analysisEvidence(analysis, lesionThreshold) };
}

const NOT_ASSESSED_HILA_EN = 'hilar size and density and the mediastinal contour are not assessed by this system.';

/**
 * The regions no model of this system assesses are stated, never silently absent (issue 13):
 * mediastinum (the hila only by position), pleura and costophrenic angles, bones, lines/tubes/devices.
 */
export function unassessedSentences(
  analysis: Analysis,
  lesionThreshold: number | null,
  lang: Lang,
): { region: 'mediastinum_hila' | 'pleura' | 'other'; draft: Draft }[] {
  const ev = analysisEvidence(analysis, lesionThreshold);
  const out: { region: 'mediastinum_hila' | 'pleura' | 'other'; draft: Draft }[] = [];
  const put = (region: 'mediastinum_hila' | 'pleura' | 'other', zh: string, en: string, evidence: Evidence[] = ev) =>
    out.push({ region, draft: { text: lang === 'zh' ? zh : en, anchorIds: [], signIds: [], evidence } });
  const hr = analysis.anatomy.landmarks.find((m) => m.id === 'hilum_right');
  const hl = analysis.anatomy.landmarks.find((m) => m.id === 'hilum_left');
  if (hr && hl) {
    const usual = hl.point[1] <= hr.point[1];
    const hev: Evidence[] = [
      ...ev,
      { name: 'hilumLeftY', value: Math.round(hl.point[1]), unit: 'px' },
      { name: 'hilumRightY', value: Math.round(hr.point[1]), unit: 'px' },
    ];
    put(
      'mediastinum_hila',
      usual
        ? '左肺门高于或平右肺门,肺门位置符合常见解剖关系;肺门大小及密度、纵隔轮廓未由本系统评估。'
        : '左肺门低于右肺门,与常见解剖关系不符,请阅片核实;肺门大小及密度、纵隔轮廓未由本系统评估。',
      usual
        ? 'The left hilum lies level with or above the right, the usual relation; ' + NOT_ASSESSED_HILA_EN
        : 'The left hilum lies below the right, unlike the usual relation — please check on the image; ' +
            NOT_ASSESSED_HILA_EN,
      hev,
    );
  } else {
    put('mediastinum_hila', '纵隔及肺门未由本系统评估。', 'The mediastinum and hila are not assessed by this system.');
  }
  put(
    'pleura',
    '胸膜及双侧肋膈角未由本系统评估(无胸腔积液或气胸检测模型)。',
    'The pleura and costophrenic angles are not assessed by this system (no effusion or pneumothorax model).',
  );
  put(
    'other',
    '骨骼(肋骨、锁骨、脊柱)未由本系统评估。',
    'The bones (ribs, clavicles, spine) are not assessed by this system.',
  );
  put(
    'other',
    '导管、引流管、起搏器等管线及植入装置未由本系统评估。',
    'Lines, tubes and devices (catheters, drains, pacemakers) are not assessed by this system.',
  );
  return out;
}

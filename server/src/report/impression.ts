/** Impression and recommendations (api.md 14.1). No CT-only category (Fleischner, Lung-RADS) ever. */
import type { Analysis, Lang, Session, Sign } from '../contract';
import { analysisEvidence } from './analysisSentences';
import { compact, measurement, measurementEvidence, type Draft } from './draft';
import { ctrStatement } from './ctr';
import { cardiomegalyByCtr } from './frameworks';
import { collectSubjects, lesionModelRan, type Subject } from './input';
import { DESCRIPTOR_SIGNS, findingNoun, joinList } from './phrases';
import { orderSigns, signPhrase } from './signs';
import { subjectAnchorIds } from './subjectSentences';
import { impressionPlace, lesionSize } from './story';

/** "右肺中叶结节影(约1.2 cm),可见分叶征及毛刺征,性质待定。" */
function findingImpression(
  s: Subject,
  analysis: Analysis,
  signById: ReadonlyMap<string, Sign>,
  lang: Lang,
): Draft | null {
  const f = analysis.findings.find((x) => x.id === s.root.findingId);
  if (!f) return null;
  const sz = lesionSize(s.root, s.refined, f);
  const size = sz.text[lang];
  // A lobe only at probability ≥ 0.7, else the zone with its candidate lobes (api.md 6.1).
  const place = impressionPlace(s.root.location)[lang];
  // Descriptors (smooth margin, homogeneous density) stay in Findings; the impression names the telling signs.
  const present = orderSigns(
    s.signs.filter((x) => x.status === 'present' && !DESCRIPTOR_SIGNS[x.signId]),
    signById,
  );
  const signs = present.map((x) => signPhrase(x, signById, lang).replace(/\s*[(（].*[)）]$/, ''));
  const noun = findingNoun(f.type)[lang];
  const nature =
    f.type === 'opacity'
      ? lang === 'zh'
        ? '请结合临床'
        : 'correlate clinically'
      : lang === 'zh'
        ? '性质待定'
        : 'nature indeterminate';
  const signList = joinList(signs, lang);
  const enSize = / px$/.test(size) ? size : `an estimated ${size}`;
  const enPlace = place ? place.charAt(0).toUpperCase() + place.slice(1) + ' ' : '';
  const text =
    lang === 'zh'
      ? `${place}${noun}(${size})${signs.length ? `,可见${signList}` : ''},${nature}。`
      : `${enPlace}${noun} (${enSize})${signs.length ? ` with ${signList}` : ''}; ${nature}.`;
  const evidence = compact([...sz.evidence, { name: 'score', value: f.score, unit: 'fraction' as const }]);
  return {
    text: text.charAt(0).toUpperCase() + text.slice(1),
    anchorIds: subjectAnchorIds(s),
    signIds: present.map((x) => x.signId),
    evidence,
  };
}

export function impressionSection(
  session: Session,
  analysis: Analysis,
  signById: ReadonlyMap<string, Sign>,
  lesionThreshold: number | null,
  lang: Lang,
): Draft[] {
  const subjects = collectSubjects(session, analysis);
  const out = compact(
    subjects.filter((s) => s.root.kind === 'finding').map((s) => findingImpression(s, analysis, signById, lang)),
  );
  const lesionImpressions = out.length;
  const heart = heartImpression(analysis, lang);
  if (lesionImpressions === 0 && heart.length) {
    // A heart that is not normal: the study is not "without abnormality"; say what the lungs show.
    if (lesionModelRan(analysis))
      out.push({
        text:
          lang === 'zh' ? '本次自动分析未检出明确肺内病灶。' : 'No lung lesion is detected by the automated analysis.',
        anchorIds: [],
        signIds: [],
        evidence: analysisEvidence(analysis, lesionThreshold),
      });
  }
  out.push(...heart);
  if (out.length === 0) out.push(nothingFoundImpression(analysis, lesionThreshold, lang));
  const users = userMarksImpression(subjects, lang);
  if (users) out.push(users);
  return out;
}

/** The heart's line of the impression: enlarged or borderline by the cardiothoracic ratio; none when normal. */
function heartImpression(analysis: Analysis, lang: Lang): Draft[] {
  const ctr = ctrStatement(analysis);
  if (ctr?.grade !== 'enlarged' && ctr?.grade !== 'borderline') return [];
  const v = ctr.value.toFixed(2);
  const text =
    ctr.grade === 'enlarged'
      ? lang === 'zh'
        ? `心影增大(心胸比约${v},PA位)。`
        : `Enlarged cardiac silhouette (cardiothoracic ratio ${v}, PA).`
      : lang === 'zh'
        ? `心影大小临界(心胸比约${v},PA位)。`
        : `Borderline heart size (cardiothoracic ratio ${v}, PA).`;
  return [{ text, anchorIds: [], signIds: [], evidence: ctr.evidence }];
}

/** The impression when nothing is found — which says whether the lesion model ran at all. */
function nothingFoundImpression(analysis: Analysis, lesionThreshold: number | null, lang: Lang): Draft {
  const ran = lesionModelRan(analysis);
  const zh = ran ? '本次自动分析未见明确异常。' : '未进行自动病灶检测(未加载病灶检测模型),无法给出病灶方面的印象。';
  const en = ran
    ? 'No abnormality is detected by the automated analysis.'
    : 'No automated lesion detection was run (no lesion model loaded), so no impression about lesions can be given.';
  return {
    text: lang === 'zh' ? zh : en,
    anchorIds: [],
    signIds: [],
    evidence: analysisEvidence(analysis, lesionThreshold),
  };
}

/** One line pointing to Findings for the user's own marks, with their diameters as evidence. */
function userMarksImpression(subjects: Subject[], lang: Lang): Draft | null {
  const users = subjects.filter((s) => s.root.kind === 'user');
  if (!users.length) return null;
  const ids = users.map((s) => s.root.id);
  return {
    text:
      lang === 'zh'
        ? `用户标注${ids.join('、')}的位置与测量见所见部分。`
        : `The locations and measurements of the user marks ${joinList(ids, lang)} are given under Findings.`,
    anchorIds: ids,
    signIds: [],
    evidence: users.flatMap((s) =>
      compact([measurement(s, 'diameter') && measurementEvidence(measurement(s, 'diameter')!)]),
    ),
  };
}

/** Nodule or mass → chest CT characterisation; opacity → clinical correlation; enlarged heart → echo. */
export function recommendationsSection(session: Session, analysis: Analysis, lang: Lang): Draft[] {
  const subjects = collectSubjects(session, analysis).filter((s) => s.root.kind === 'finding');
  const typeOf = (s: Subject) => analysis.findings.find((f) => f.id === s.root.findingId)?.type;
  const out: Draft[] = [];
  const nodular = subjects.filter((s) => typeOf(s) === 'nodule' || typeOf(s) === 'mass').map((s) => s.root.id);
  if (nodular.length) {
    out.push({
      text:
        lang === 'zh'
          ? `建议行胸部CT进一步定性评估(${nodular.join('、')})。`
          : `Chest CT is recommended to characterise ${nodular.length > 1 ? 'these lesions' : 'this lesion'} ` +
            `(${joinList(nodular, lang)}).`,
      anchorIds: nodular,
      signIds: [],
      evidence: [],
    });
  }
  const opac = subjects.filter((s) => typeOf(s) === 'opacity').map((s) => s.root.id);
  if (opac.length) {
    out.push({
      text:
        lang === 'zh'
          ? `建议结合临床,必要时短期复查胸片或行胸部CT(${opac.join('、')})。`
          : `Correlate clinically; follow-up radiography or chest CT as needed (${joinList(opac, lang)}).`,
      anchorIds: opac,
      signIds: [],
      evidence: [],
    });
  }
  // Echocardiography only for an enlarged heart (CTR > 0.55 on a PA film), never for borderline.
  if (cardiomegalyByCtr(analysis)) {
    out.push({
      text:
        lang === 'zh'
          ? '心影增大,建议结合临床,必要时行超声心动图检查。'
          : 'Enlarged cardiac silhouette: correlate clinically; echocardiography if indicated.',
      anchorIds: [],
      signIds: [],
      evidence: [],
    });
  }
  if (!out.length) {
    out.push({
      text: lang === 'zh' ? '如有临床症状,请结合临床进一步检查。' : 'If symptoms persist, correlate clinically.',
      anchorIds: [],
      signIds: [],
      evidence: [],
    });
  }
  return out;
}

/** Findings sentences about one finding or user anchor: what and where, then its signs. */
import type { Analysis, Evidence, Finding, Lang, Sign } from '../contract';
import type { Subject } from './input';
import { compact, locationEvidence, measurement, measurementEvidence, type Draft } from './draft';
import { article, measurementText, shapeAndNoun } from './phrases';
import { lesionSize, marginWords } from './story';
import { signClauses, signEvidence } from './signs';

const MARGIN_SIGNS = new Set([
  'margin_smooth',
  'margin_lobulated',
  'margin_spiculated',
  'margin_ill_defined',
  'notch_sign',
]);

/** The anchors a subject's sentences name: the root and its refinement. */
export const subjectAnchorIds = (s: Subject): string[] => compact([s.root.id, s.refined?.id]);

function placeText(s: Subject, lang: Lang): string {
  const t = s.root.location?.text[lang] ?? '';
  return t;
}

/** "右肺中野中带(投影于右肺中叶)可见一约1.2 cm圆形结节影,边界较清。" */
function findingSentence(s: Subject, f: Finding, lang: Lang): Draft {
  // One size (refined long × short axis once refined) and one margin wording (api.md 6.1).
  const sz = lesionSize(s.root, s.refined, f);
  const size = lang === 'zh' || / px$/.test(sz.text.en) ? sz.text[lang] : `an estimated ${sz.text.en}`;
  const place = placeText(s, lang);
  const marginAssessed = s.signs.some((x) => MARGIN_SIGNS.has(x.signId) && x.status !== 'indeterminate');
  const border = marginAssessed ? '' : (marginWords([], f)?.[lang] ?? '');
  // "斑片状" + "片状高密度影" would double the word: an opacity is "斑片状高密度影".
  const words = shapeAndNoun(f);
  const shape = words.shape[lang];
  const noun = words.noun[lang];
  let text: string;
  if (lang === 'zh') {
    text = `${place || '图像上'}可见一${size}${shape}${noun}${border ? `,${border}` : ''}。`;
  } else {
    const head = `${size} ${shape} ${noun}`;
    text = `${article(head)} ${head.replace(/^an? /, '')}${place ? ` in the ${place}` : ''}${border ? `, ${border}` : ''}.`;
  }
  const evidence: Evidence[] = compact([
    { name: 'score', value: f.score, unit: 'fraction' },
    ...sz.evidence,
    ...locationEvidence(s.root.location),
  ]);
  return { text, anchorIds: subjectAnchorIds(s), signIds: [], evidence };
}

/** "用户标注区域A2位于右肺中野外带,长径约1.5 cm,短径约1.0 cm。" / a user point. */
function userSentence(s: Subject, lang: Lang): Draft {
  const place = placeText(s, lang);
  const id = s.root.id;
  const evidence: Evidence[] = [...locationEvidence(s.root.location)];
  if (s.root.geometry.type === 'point') {
    const text =
      lang === 'zh'
        ? `用户标记点${id}位于${place || '图像上'}。`
        : `User-marked point ${id} lies ${place ? `in the ${place}` : 'on the image'}.`;
    if (!evidence.length)
      evidence.push(
        { name: 'pointX', value: s.root.center[0], unit: 'px' },
        { name: 'pointY', value: s.root.center[1], unit: 'px' },
      );
    return { text, anchorIds: subjectAnchorIds(s), signIds: [], evidence };
  }
  const long = measurement(s, 'longAxis');
  const short = measurement(s, 'shortAxis');
  evidence.push(...compact([long && measurementEvidence(long), short && measurementEvidence(short)]));
  const size =
    long && short
      ? lang === 'zh'
        ? `,长径${measurementText(long, lang)},短径${measurementText(short, lang)}`
        : `, long axis ${measurementText(long, lang)}, short axis ${measurementText(short, lang)}`
      : '';
  const text =
    lang === 'zh'
      ? `用户标注区域${id}位于${place || '图像上'}${size}。`
      : `User-marked region ${id} lies ${place ? `in the ${place}` : 'on the image'}${size}.`;
  return { text, anchorIds: subjectAnchorIds(s), signIds: [], evidence };
}

/** Every findings sentence about one subject, signs in ontology-specificity order. */
export function subjectSentences(
  s: Subject,
  analysis: Analysis,
  signById: ReadonlyMap<string, Sign>,
  lang: Lang,
): Draft[] {
  const f = s.root.findingId ? analysis.findings.find((x) => x.id === s.root.findingId) : undefined;
  const out: Draft[] = [f ? findingSentence(s, f, lang) : userSentence(s, lang)];
  for (const c of signClauses(s.signs, signById, lang)) {
    out.push({
      text: c.text,
      anchorIds: subjectAnchorIds(s),
      signIds: c.signs.map((x) => x.signId),
      evidence: signEvidence(c.signs),
    });
  }
  return out;
}

import type { Anchor, AnswerItem, Evidence, Finding, SignAssessment } from '../../contract';
import { lesionSize } from '../../report/story';
import { item, section, tr, type IntentResult, type TurnContext } from '../context';
import { signName } from './signs';
import { noSubject } from './subject';

/** Detector scores below this are reported as low confidence: check the image before any CT. */
export const LOW_SCORE = 0.5;
/** Signs that make a nodule more suspicious on a radiograph (each is named in the reasoning). */
const SUSPICIOUS = [
  'margin_spiculated',
  'margin_lobulated',
  'notch_sign',
  'pleural_indentation',
  'vacuole_sign',
  'air_bronchogram',
];
const BENIGN = ['calcification'];

/** The reader's responsibility: the last sentence of every recommendation (api.md 10.7). */
export function readerResponsibility(ctx: TurnContext): AnswerItem {
  return item(
    tr(
      ctx.lang,
      '以上仅为基于本片影像证据的参考,不是指南分级;是否随访或进一步检查由阅片医师结合病史和临床决定并负责。',
      'This is guidance from the image evidence only, not a guideline category; the reading physician decides on ' +
        'follow-up or further imaging with the clinical history and is responsible for that decision.',
    ),
  );
}

interface Facts {
  root: Anchor;
  finding: Finding | null;
  diameterMm: number | null;
  signs: SignAssessment[];
  inThorax: boolean;
  score: number | null;
}

function factsOf(ctx: TurnContext, root: Anchor): Facts {
  const finding = root.findingId ? (ctx.entry.analysis.findings.find((f) => f.id === root.findingId) ?? null) : null;
  const refined = root.refinedBy ? ctx.anchor(root.refinedBy) : undefined;
  // The one size of the lesion (api.md 6.1), the same the overview, label and report quote.
  const diameterMm = lesionSize(root, refined ?? null, finding ?? undefined).diameterMm;
  const signs = refined?.signs ?? finding?.signs ?? root.signs;
  const loc = root.location;
  // Without lung anatomy nothing is known to lie outside the chest: never claim it.
  const inThorax =
    !ctx.entry.analysis.anatomy.available ||
    !loc ||
    loc.inLung ||
    loc.retrocardiac ||
    loc.structureId === 'mediastinum' ||
    loc.structureId === 'heart';
  return { root, finding, diameterMm, signs, inThorax, score: finding?.score ?? null };
}

type Advice = { headline: string; items: AnswerItem[] };

/**
 * What is not a lesion to send on: a point, a drawn region the detector did not report, anything outside
 * the thorax.
 */
function notALesion(ctx: TurnContext, f: Facts, ev: Evidence[]): Advice | null {
  const l = ctx.lang;
  const id = f.root.id;
  if (f.root.geometry.type === 'point') {
    const h = tr(
      l,
      `${id}是一个点标记,没有可评估的病灶证据;请画出区域或针对检出的病灶提问。`,
      `${id} is a point mark with no lesion evidence to weigh; draw a region or ask about a detected finding.`,
    );
    return { headline: h, items: [item(h, [id])] };
  }
  if (f.root.kind === 'user' && !f.finding) {
    // A drawn region is not a detected lesion: say what was measured, never send it to CT on that basis.
    const present = f.signs.filter((s) => s.status === 'present');
    const seen = present.length
      ? tr(
          l,
          `精细分析可见${present.map((s) => signName(ctx, s.signId)).join('、')}`,
          `the detailed analysis shows ${present.map((s) => signName(ctx, s.signId)).join(', ')}`,
        )
      : f.root.refinedBy
        ? tr(l, '精细分析未见明确征象', 'the detailed analysis shows no definite sign')
        : tr(l, '尚未分析', 'it has not been analysed yet');
    const h = tr(
      l,
      `${id}是您画的区域,检测器在此未报告病灶;${seen}。是否需要进一步检查取决于阅片医师是否在此确认病灶;可先问“描述一下${id}”。`,
      `${id} is a region you drew and the detector reported no lesion there; ${seen}. Whether it needs further ` +
        `imaging depends on whether the reader confirms a lesion there; ask "Describe ${id}" first.`,
    );
    return { headline: h, items: [item(h, [id], ev, { status: 'indeterminate' })] };
  }
  if (!f.inThorax) {
    const h = tr(
      l,
      `${id}位于肺野/胸腔以外(${f.root.location?.text.zh ?? ''}),不按肺结节处理,不建议据此行胸部CT;请核对是否为体外物或胸壁软组织。`,
      `${id} lies outside the lung fields (${f.root.location?.text.en ?? ''}): it is not treated as a lung nodule ` +
        `and does not justify a chest CT; check for an external object or chest-wall soft tissue.`,
    );
    return { headline: h, items: [item(h, [id], [{ name: 'inLung', value: false, unit: null }])] };
  }
  return null;
}

/** A weak detection or an image unlike the detector's data: indeterminate, confirm first (the domain note leads). */
function weakEvidence(ctx: TurnContext, f: Facts, ev: Evidence[], items: AnswerItem[]): Advice | null {
  const l = ctx.lang;
  const id = f.root.id;
  const domain = ctx.entry.analysis.domain;
  if (domain && !domain.inDomain) {
    items.push(
      item(
        tr(
          l,
          `本片与检测模型验证的数据差异较大(域评分 ${domain.score.toFixed(2)}),检出结果可信度有限。`,
          `This image differs from the data the detector was validated on (domain score ${domain.score.toFixed(2)})` +
            `: findings are less reliable.`,
        ),
        [id],
        [{ name: 'domainScore', value: domain.score, unit: 'fraction' }],
      ),
    );
  }
  const weak = f.score !== null && f.score < LOW_SCORE;
  if (weak || (domain && !domain.inDomain)) {
    const why = weak
      ? tr(
          l,
          `${id}的证据较弱(检测置信度 ${f.score!.toFixed(2)})`,
          `The evidence for ${id} is weak (detector score ${f.score!.toFixed(2)})`,
        )
      : tr(
          l,
          `${id}是在与检测器验证数据不同的图像上检出的`,
          `${id} was detected on an image unlike the detector's validation data`,
        );
    const h = tr(
      l,
      `${why},属不确定:建议先由阅片医师在原图上复核,并与既往片对比;确认是真实病灶后再考虑CT。`,
      `${why}: indeterminate. Have the reader confirm it on the image and compare with prior films first; consider ` +
        `CT only once it is confirmed as real.`,
    );
    items.unshift(item(h, [id], ev, { status: 'indeterminate' }));
    return { headline: h, items };
  }
  return null;
}

type Names = (ss: SignAssessment[]) => string;
/**
 * The next step the evidence supports: a mass → contrast CT; suspicious signs → thin-section CT;
 * calcification → old films first; otherwise old films and consider CT.
 */
function nextStep(ctx: TurnContext, f: Facts, present: SignAssessment[], names: Names): string {
  const l = ctx.lang;
  const id = f.root.id;
  const suspicious = present.filter((s) => SUSPICIOUS.includes(s.signId));
  const benign = present.filter((s) => BENIGN.includes(s.signId));
  const mass = f.diameterMm !== null && f.diameterMm > 30;
  let h: string;
  if (mass) {
    h = tr(
      l,
      `${id}大于3 cm,属肿块:建议胸部增强CT进一步评估,并由临床决定是否转专科。`,
      `${id} is larger than 3 cm (a mass): a contrast-enhanced chest CT is the usual next step, with specialist ` +
        `referral decided clinically.`,
    );
  } else if (suspicious.length) {
    h = tr(
      l,
      `${id}有${names(suspicious)},X线无法定性:建议胸部CT(薄层)进一步评估。`,
      `${id} shows ${names(suspicious)}, which a radiograph cannot characterise: a chest CT (thin-section) is the ` +
        `usual next step.`,
    );
  } else if (benign.length) {
    h = tr(
      l,
      `${id}可见钙化,倾向良性但X线对钙化形态判断有限:建议先与既往片对比;如无旧片或有变化,再考虑CT。`,
      `${id} contains calcification, which favours a benign lesion, but radiographs judge its pattern poorly: ` +
        `compare with prior films first; consider CT if there are none or it has changed.`,
    );
  } else {
    h = tr(
      l,
      `${id}在X线上无法定性:建议与既往片对比,并考虑胸部CT明确性质。`,
      `${id} cannot be characterised on a radiograph: compare with prior films and consider a chest CT to ` +
        `characterise it.`,
    );
  }
  return h;
}

/** The reasoning for one anchor: what the evidence says and the next step it supports. */
function adviseOne(ctx: TurnContext, f: Facts): Advice {
  const l = ctx.lang;
  const id = f.root.id;
  const ev: Evidence[] = [];
  if (f.score !== null) ev.push({ name: 'score', value: Math.round(f.score * 100) / 100, unit: 'fraction' });
  const refined = f.root.refinedBy ? ctx.anchor(f.root.refinedBy) : undefined;
  const sz = lesionSize(f.root, refined ?? null, f.finding ?? undefined);
  const measured = sz.evidence.some((e) => typeof e.value === 'number' && e.value > 0);
  if (measured) ev.push(...sz.evidence);
  const items: AnswerItem[] = [];
  const early = notALesion(ctx, f, ev) ?? weakEvidence(ctx, f, ev, items);
  if (early) return early;
  const present = f.signs.filter((s) => s.status === 'present');
  const size = measured ? sz.text.en : null;
  const names = (ss: SignAssessment[]) => ss.map((s) => signName(ctx, s.signId)).join(l === 'zh' ? '、' : ', ');
  items.push(
    item(
      tr(
        l,
        `${id}:${size ? `大小${sz.text.zh}(估计值)` : '大小未能测量'}${present.length ? `;可见${names(present)}` : ';未见明确征象'}。`,
        `${id}: ${size ? `about ${size} (estimate)` : 'size not measured'}` +
          `${present.length ? `; ${names(present)} present` : '; no definite sign'}.`,
      ),
      [id],
      ev,
    ),
  );
  const h = nextStep(ctx, f, present, names);
  items.push(item(h, [id], ev));
  return { headline: h, items };
}

/**
 * "下一步建议怎么做? / should we get a CT?" (api.md 10.7 `recommendation`): the next step for an
 * anchor or the whole film, reasoned from size, signs and the detector's confidence and domain;
 * never a guideline category; always ending with the reader's responsibility.
 */
export function recommendation(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const named = ctx.resolved
    .map((r) => (r.anchorId ? ctx.anchor(r.anchorId) : undefined))
    .filter((a): a is NonNullable<typeof a> => !!a);
  const root = named.length === 1 ? named[0] : undefined;
  // "A3需要CT吗" when there is no A3: say so, never answer for the whole film instead.
  if (!named.length && ctx.resolved.some((r) => (r.reason === 'none' || r.reason === 'ambiguous') && r.explanation))
    return noSubject(ctx);
  const limits = section('limits', tr(l, '说明', 'Notes'), [readerResponsibility(ctx)]);
  const suggestions = [
    tr(l, '这个影会不会是血管断面?', 'Could this be a vessel seen end-on?'),
    tr(l, '和上次的片子比有没有变大?', 'Has it grown since the prior film?'),
  ];
  if (root) {
    const a = adviseOne(ctx, factsOf(ctx, root));
    return {
      headline: a.headline,
      sections: [section('findings', tr(l, '依据与建议', 'Reasoning and next step'), a.items), limits],
      suggestions,
      focusAnchorId: root.id,
    };
  }
  // "所有结节需要CT吗 / all of them": the anchors named; otherwise the film's findings.
  const findings = named.length > 1 ? named : ctx.state.session.anchors.filter((a) => a.kind === 'finding');
  if (!findings.length) {
    const h = tr(
      l,
      '本片未检出可疑病灶:单凭本片无需影像随访;如有症状或临床疑虑,由医师决定进一步检查。',
      'No suspicious finding was detected: this film alone does not call for imaging follow-up; symptoms or ' +
        'clinical concern decide any further tests.',
    );
    return {
      headline: h,
      sections: [
        section('findings', tr(l, '依据与建议', 'Reasoning and next step'), [item(h)]),
        section('limits', tr(l, '说明', 'Notes'), [
          item(tr(l, '检测模型可能漏检细小或被遮挡的病灶。', 'The detector can miss small or hidden lesions.')),
          readerResponsibility(ctx),
        ]),
      ],
      suggestions: [tr(l, '肺部是否有异常?', 'Is anything abnormal in the lungs?')],
    };
  }
  const parts = findings.slice(0, 3).map((f) => adviseOne(ctx, factsOf(ctx, f)));
  const h = tr(
    l,
    `全片共 ${findings.length} 处检出;首要:${parts[0]!.headline}`,
    `${findings.length} finding(s) on the film; first: ${parts[0]!.headline}`,
  );
  return {
    headline: h,
    sections: [
      section(
        'findings',
        tr(l, '依据与建议', 'Reasoning and next step'),
        parts.flatMap((p) => p.items),
      ),
      limits,
    ],
    suggestions,
  };
}

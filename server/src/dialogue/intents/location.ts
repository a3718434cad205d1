import type { Anchor, Annotation } from '../../contract';
import { item, section, sep, tr, type IntentResult, type TurnContext } from '../context';
import { COLORS, style } from '../palette';
import { findLandmark, landmarkAnchor, landmarkIdFor } from './landmarks';
import { noSubject } from './subject';

const LANDMARK_STEMS: Record<string, string> = {
  hilum: 'hilum',
  costophrenic_angle: 'costophrenic_angle',
  apex: 'apex',
  hemidiaphragm: 'hemidiaphragm',
  diaphragm: 'hemidiaphragm',
  carina: 'carina',
  cardiophrenic_angle: 'cardiophrenic_angle',
  heart_border: 'heart_border',
};

/** Which landmark the question names, if any (lexicon landmark or a relation target). */
function namedLandmark(ctx: TurnContext): string | null {
  const u = ctx.understanding;
  const side =
    u.anatomy.find((m) => m.type === 'side')?.id ??
    (/右|right/i.test(u.normalizedText) ? 'right' : /左|left/i.test(u.normalizedText) ? 'left' : null);
  for (const m of u.anatomy) {
    if (m.type !== 'landmark') continue;
    if (/_(right|left)$/.test(m.id) || m.id === 'carina' || m.id === 'aortic_knob' || m.id === 'midline') return m.id;
    const stem = LANDMARK_STEMS[m.id];
    if (stem && side && side !== 'both') return landmarkIdFor(stem, side as 'right' | 'left');
  }
  for (const t of u.targets) if (t.id && t.type !== 'pleura' && t.type !== 'chest_wall') return t.id;
  return null;
}

/** A landmark the anatomy map lacks (or no anatomy model): nothing is guessed. */
function landmarkNotFound(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  return {
    headline: tr(
      l,
      ctx.entry.analysis.anatomy.available
        ? '在本图的解剖图谱中未能定位该结构。'
        : '未安装解剖模型,无法定位该解剖结构。',
      ctx.entry.analysis.anatomy.available
        ? "That landmark could not be found on this image's anatomical map."
        : 'No anatomy model is installed, so anatomical landmarks cannot be located.',
    ),
    sections: [
      section('limits', tr(l, '限制', 'Limits'), [
        item(
          tr(
            l,
            '解剖标志由分割模型推算;未安装或未找到时不作推测。',
            'Landmarks are derived from the segmentation model; without it nothing is guessed.',
          ),
        ),
      ]),
    ],
    suggestions: [],
  };
}

/** A named landmark, marked and labelled as its own anchor. */
function landmarkLocation(ctx: TurnContext, lm: NonNullable<ReturnType<typeof findLandmark>>): IntentResult {
  const l = ctx.lang;
  const { anchor, created } = landmarkAnchor(ctx, lm);
  const annotations: Annotation[] = [
    {
      id: ctx.newAnnotationId(),
      anchorId: anchor.id,
      replaces: null,
      kind: 'points',
      markers: [{ point: lm.point, label: lm.label[l], kind: 'landmark', measurement: null }],
      style: style(COLORS.landmark),
      measurement: null,
    },
    {
      id: ctx.newAnnotationId(),
      anchorId: anchor.id,
      replaces: null,
      kind: 'label',
      point: lm.point,
      text: `${anchor.id} ${lm.label[l]}`,
      style: style(COLORS.landmark),
      measurement: null,
    },
  ];
  const ev = [{ name: 'landmarkConfidence', value: Math.round(lm.confidence * 100) / 100, unit: 'fraction' as const }];
  return {
    headline: tr(
      l,
      `${lm.label.zh}已在图上标出(${anchor.id},置信度${Math.round(lm.confidence * 100)}%)。`,
      `The ${lm.label.en} is marked on the image (${anchor.id}, confidence ${Math.round(lm.confidence * 100)}%).`,
    ),
    sections: [
      section('location', tr(l, '位置', 'Location'), [
        item(
          tr(
            l,
            `${anchor.id} ${lm.label.zh}:图像坐标 (${lm.point[0].toFixed(0)}, ${lm.point[1].toFixed(0)})`,
            `${anchor.id} ${lm.label.en}: image point (${lm.point[0].toFixed(0)}, ${lm.point[1].toFixed(0)})`,
          ),
          [anchor.id],
          ev,
        ),
        item(tr(l, `方法:${lm.methodNote}`, `Method: ${lm.methodNote}`), [anchor.id], ev),
      ]),
    ],
    suggestions: [tr(l, '这个病灶距离右肺门有多远?', 'How far is the lesion from the right hilum?')],
    annotations,
    createdAnchors: created ? [anchor] : [],
  };
}

/** Where is an anchor, a clicked point or a named landmark (api.md 10.7 `location`). */
export function location(ctx: TurnContext): IntentResult {
  const lmId = namedLandmark(ctx);
  if (lmId && !ctx.resolved[0]?.anchorId) {
    const lm = findLandmark(ctx, lmId);
    return lm ? landmarkLocation(ctx, lm) : landmarkNotFound(ctx);
  }
  const subject = ctx.resolved[0]?.anchorId ? ctx.anchor(ctx.resolved[0].anchorId) : undefined;
  if (!subject) return noSubject(ctx);
  return anchorLocation(ctx, subject);
}

function anchorLocation(ctx: TurnContext, a: Anchor): IntentResult {
  const l = ctx.lang;
  const loc = a.location;
  const text = loc?.text[l] ?? tr(l, '位置未知', 'unknown location');
  const ev = [
    ...(loc?.side ? [{ name: 'side', value: loc.side, unit: null }] : []),
    ...(loc?.zone ? [{ name: 'zone', value: loc.zone, unit: null }] : []),
    ...(loc?.band ? [{ name: 'band', value: loc.band, unit: null }] : []),
    ...(loc?.lobe
      ? [
          { name: 'lobe', value: loc.lobe, unit: null },
          { name: 'lobeConfidence', value: loc.lobeConfidence ?? 0, unit: 'fraction' as const },
        ]
      : []),
  ];
  const items = [item(`${a.id}${sep(l)}${text}`, [a.id], ev)];
  items.push(
    item(
      tr(
        l,
        `图像坐标 (${a.center[0].toFixed(0)}, ${a.center[1].toFixed(0)})`,
        `Image point (${a.center[0].toFixed(0)}, ${a.center[1].toFixed(0)})`,
      ),
      [a.id],
    ),
  );
  const limits = [];
  if (!ctx.entry.analysis.anatomy.available)
    limits.push(
      item(
        tr(
          l,
          '未安装解剖模型:仅按图像左右半判断侧别。',
          'No anatomy model: the side is judged from the image half only.',
        ),
      ),
    );
  else if (loc?.lobe)
    limits.push(
      item(
        tr(
          l,
          '正位片上肺叶互相重叠,肺叶为投影估计。',
          'Lobes overlap on a frontal film: the lobe is a projection estimate.',
        ),
      ),
    );
  return {
    headline: tr(l, `${a.id} 位于${text}。`, `${a.id} is in the ${text}.`),
    sections: [
      section('location', tr(l, '位置', 'Location'), items),
      ...(limits.length ? [section('limits', tr(l, '限制', 'Limits'), limits)] : []),
    ],
    suggestions: [tr(l, '它有多大?', 'How big is it?')],
    annotations: [
      {
        id: ctx.newAnnotationId(),
        anchorId: a.id,
        replaces: null,
        kind: 'points',
        markers: [{ point: a.center, label: a.id, kind: 'user', measurement: null }],
        style: style(COLORS.user),
        measurement: null,
      },
      {
        id: ctx.newAnnotationId(),
        anchorId: a.id,
        replaces: null,
        kind: 'label',
        point: a.center,
        text: `${a.id} ${text}`,
        style: style(COLORS.user),
        measurement: null,
      },
    ],
    focusAnchorId: a.id,
  };
}

import { item, section, tr, type IntentResult, type TurnContext } from '../context';

/** What can be asked: always available, lists what the loaded models allow. */
export function help(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const hasAnatomy = ctx.entry.analysis.anatomy.available;
  const hasLesion = ctx.analysers.lesion !== null;
  const lines = [
    tr(
      l,
      '测量:在图上画点、椭圆或自由区域后问"这个区域有多大?"或"这两个点相距多远?"',
      'Measure: draw points, ellipses or freehand regions, then ask "How big is this region?" or "How far apart ' +
        'are these two points?"',
    ),
    tr(l, '定位:"这个点在哪里?"、"A1在哪个肺叶?"', 'Locate: "Where is this point?", "Which lobe is A1 in?"'),
    hasAnatomy
      ? tr(
          l,
          '解剖:"显示双肺和心脏"、"心胸比是多少?"、"右肺门在哪里?"',
          'Anatomy: "Show the lungs and heart", "What is the cardiothoracic ratio?", "Where is the right hilum?"',
        )
      : null,
    hasLesion
      ? tr(
          l,
          '病灶:"肺部是否有异常?"、"A1边缘是否规则?"、"这个病灶距离右肺门有多远?"',
          'Findings: "Is anything abnormal in the lungs?", "Is A1\'s margin regular?", "How far is it from the ' +
            'right hilum?"',
        )
      : null,
    tr(
      l,
      '征象核对:"如果这是早期肺癌,典型X线表现有哪些?当前符合几条?"',
      'Checklists: "Which signs of early lung cancer does this image show?"',
    ),
    hasLesion
      ? tr(
          l,
          '鉴别与建议:"这个影会不会是血管断面?"、"和对侧同一位置比较一下"、"下一步建议怎么做?"',
          'Differential and next steps: "Could this be a vessel seen end-on?", "Compare it with the same area on ' +
            'the other side", "What do you recommend?"',
        )
      : null,
    tr(
      l,
      '学习:"什么是毛刺征?"(定义、X线表现、意义,并在本片上标出)',
      'Learn: "What is spiculation?" (definition, radiographic appearance, significance, shown on this film)',
    ),
  ].filter((x): x is string => x !== null);
  return {
    headline: tr(
      l,
      '您可以就这张胸片提问、测量和定位;所有长度均为估计值。',
      'You can question, measure and locate on this radiograph; every length is an estimate.',
    ),
    sections: [
      section(
        'help',
        tr(l, '可以问的问题', 'What you can ask'),
        lines.map((t) => item(t)),
      ),
    ],
    suggestions: [
      tr(l, '这两个点相距多远?', 'How far apart are these two points?'),
      tr(l, '这个区域有多大?', 'How big is this region?'),
    ],
  };
}

/** Outside the image's scope: a polite pointer to what can be asked. */
export function unknown(ctx: TurnContext): IntentResult {
  const r = help(ctx);
  return {
    ...r,
    headline: tr(
      ctx.lang,
      '这个问题超出了本工具对当前胸片的分析范围。',
      'That question is outside what this tool can answer about the current radiograph.',
    ),
  };
}

import { item, section, tr, type IntentResult, type TurnContext } from '../context';

/** The prior attached to the session (api.md 8.4), when that route has set one. */
type WithPrior = { prior?: { analysisId: string; acquiredAt: string | null; intervalDays: number | null } | null };

/**
 * "和上次的片子比有没有变大 / has it grown since the prior film" (api.md 10.7 `compare_prior`).
 * Without a prior the answer says none is attached and how to attach one; it never compares
 * two anchors of this film instead.
 */
export function comparePrior(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const prior = (ctx.state.session as WithPrior).prior ?? null;
  const subject = ctx.resolved[0]?.anchorId ?? null;
  const how = tr(
    l,
    '附加前片的方法:在查看器中载入该患者较早的正位胸片,并将其选为本会话的前片(查看器会调用 PUT /api/v1/sessions/{id}/prior,传入前片的分析 id);前片须早于本片且为正位胸片。',
    "To attach a prior: load the patient's earlier frontal chest radiograph in the viewer and choose it as this session's prior (the viewer calls PUT /api/v1/sessions/{id}/prior with that film's analysis id); the prior must be an earlier frontal chest film.",
  );
  if (!prior) {
    return {
      headline: tr(
        l,
        '本会话没有附加前片,无法判断变化。',
        'No prior radiograph is attached to this session, so change cannot be assessed.',
      ),
      sections: [
        section('comparison', tr(l, '如何附加前片', 'How to attach a prior'), [item(how)]),
        section('limits', tr(l, '说明', 'Notes'), [
          item(
            tr(
              l,
              '单张片子无法判断病灶是新发、增大还是稳定;与旧片对比通常是最简单的下一步。',
              'A single film cannot tell whether a finding is new, growing or stable; comparing with old films is usually the simplest next step.',
            ),
            subject ? [subject] : [],
          ),
        ]),
      ],
      suggestions: [
        tr(l, '下一步建议怎么做?', 'What do you recommend?'),
        tr(l, '描述一下这个病灶', 'Describe this lesion.'),
      ],
    };
  }
  const interval =
    prior.intervalDays !== null
      ? tr(l, `间隔约 ${prior.intervalDays} 天`, `about ${prior.intervalDays} days apart`)
      : tr(l, '间隔未知', 'interval unknown');
  return {
    headline: tr(
      l,
      `已附加前片(${interval});配准后的病灶配对见测量锚点。`,
      `A prior is attached (${interval}); the matched findings after registration are in the measurement anchors.`,
    ),
    sections: [
      section('comparison', tr(l, '与前片对比', 'Comparison with the prior'), [
        item(
          tr(l, `前片分析 ${prior.analysisId},${interval}。`, `Prior analysis ${prior.analysisId}, ${interval}.`),
          subject ? [subject] : [],
          prior.intervalDays !== null ? [{ name: 'intervalDays', value: prior.intervalDays, unit: 'count' }] : [],
        ),
      ]),
    ],
    suggestions: [tr(l, '下一步建议怎么做?', 'What do you recommend?')],
  };
}

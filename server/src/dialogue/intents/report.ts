import { generateReport } from '../../report/generate';
import { item, section, tr, type IntentResult, type TurnContext } from '../context';

/** "Write the report": the impression and recommendations inline, the full report by link (api.md 10.7 `report`). */
export function report(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const r = generateReport({
    session: ctx.state.session,
    analysis: ctx.entry.analysis,
    signById: ctx.ontology.signById,
    lesionThreshold: ctx.analysers.lesion?.threshold ?? null,
    lang: l,
  });
  const sid = ctx.state.session.id;
  const items = [...r.impression, ...r.recommendations].map((s) => item(s.text, s.anchorIds, s.evidence));
  return {
    headline: tr(
      l,
      '已生成结构化报告(印象与建议如下,完整报告见链接)。',
      'The structured report is ready: impression and recommendations below, the full report by link.',
    ),
    sections: [
      section('report', tr(l, '印象与建议', 'Impression and recommendations'), items),
      section('limits', tr(l, '说明', 'Notes'), [item(r.disclaimer)]),
    ],
    suggestions: [tr(l, '导出DICOM SR', 'Export as DICOM SR')],
    links: [
      { rel: 'report', href: `/api/v1/sessions/${sid}/report?format=json&lang=${l}`, type: 'application/json' },
      { rel: 'report', href: `/api/v1/sessions/${sid}/report?format=text&lang=${l}`, type: 'text/plain' },
      ...(ctx.entry.analysis.image.sourceFormat === 'dicom'
        ? [
            {
              rel: 'report' as const,
              href: `/api/v1/sessions/${sid}/report?format=dicom-sr&lang=${l}`,
              type: 'application/dicom',
            },
          ]
        : []),
    ],
  };
}

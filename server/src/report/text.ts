/** format=text (api.md 14.2): the JSON report as headed plain text, each sentence followed by [A1]. */
import type { Report, ReportSentence } from '../contract';

const HEAD = {
  zh: {
    title: '胸部X线报告(CXR Copilot)',
    technique: '检查技术',
    findings: '所见',
    comparison: '比较',
    impression: '印象',
    recommendations: '建议',
    limitations: '局限性',
    disclaimer: '声明',
  },
  en: {
    title: 'Chest radiograph report (CXR Copilot)',
    technique: 'Technique',
    findings: 'Findings',
    comparison: 'Comparison',
    impression: 'Impression',
    recommendations: 'Recommendations',
    limitations: 'Limitations',
    disclaimer: 'Disclaimer',
  },
} as const;

const line = (s: ReportSentence): string => (s.anchorIds.length ? `${s.text} [${s.anchorIds.join(', ')}]` : s.text);

/** Renders the report as text/plain. */
export function reportToText(r: Report): string {
  const h = HEAD[r.language];
  const out: string[] = [h.title, ''];
  const section = (title: string, sentences: ReportSentence[]) => {
    if (!sentences.length) return;
    out.push(title, ...sentences.map((s) => `  ${line(s)}`), '');
  };
  section(h.technique, r.technique);
  out.push(h.findings);
  for (const g of r.findings) {
    out.push(`  ${g.title}:`, ...g.sentences.map((s) => `    ${line(s)}`));
  }
  out.push('');
  section(h.comparison, r.comparison ?? []);
  section(h.impression, r.impression);
  section(h.recommendations, r.recommendations);
  section(h.limitations, r.limitations);
  out.push(h.disclaimer, `  ${r.disclaimer}`, '');
  return out.join('\n');
}

import assert from 'node:assert/strict';
import type { Report } from '../../../server/src/contract';
import { generateReport, reportFrameworks, reportToText } from '../../../server/src/report';
import { getOntology } from '../../../server/src/ontology';
import { makeAnalysis, makeInput } from './fixtures';

const allSentences = (r: Report) => [
  ...r.technique,
  ...r.findings.flatMap((f) => f.sentences),
  ...r.impression,
  ...r.recommendations,
  ...r.limitations,
];
const FORBIDDEN = /lung-?rads|fleischner/i;

describe('report frameworks', () => {
  test('nodule and mass → nodule_mass; normal CTR adds nothing', () => {
    assert.deepEqual(reportFrameworks(makeAnalysis()), ['nodule_mass']);
  });
  test('reliable CTR above 0.50 → cardiac_mediastinal; unreliable does not count', () => {
    assert.deepEqual(reportFrameworks(makeAnalysis({ ctr: 0.58 })), ['nodule_mass', 'cardiac_mediastinal']);
    assert.deepEqual(reportFrameworks(makeAnalysis({ ctr: 0.58, reliable: false })), ['nodule_mass']);
  });
  test('no findings and a normal heart → normal only', () => {
    assert.deepEqual(reportFrameworks(makeAnalysis({ findings: false })), ['normal']);
    assert.deepEqual(reportFrameworks(makeAnalysis({ findings: false, ctr: 0.55 })), ['cardiac_mediastinal']);
  });
});

for (const lang of ['zh', 'en'] as const) {
  describe(`report sentences (${lang})`, () => {
    const r = generateReport(makeInput(lang));

    test('findings are grouped by region in the fixed order', () => {
      assert.deepEqual(
        r.findings.map((f) => f.region),
        ['lung_right', 'lung_left', 'mediastinum_hila', 'heart', 'pleura', 'other'],
      );
      assert.equal(r.findings[0].title, lang === 'zh' ? '右肺' : 'Right lung');
    });

    test('every findings and impression sentence about an anchor names it and carries evidence', () => {
      for (const s of [...r.findings.flatMap((f) => f.sentences), ...r.impression]) {
        const analysisLevel = s.evidence.some((e) => e.name === 'cardiothoracicRatio' || e.name === 'models');
        if (!analysisLevel) assert.ok(s.anchorIds.length >= 1, `no anchor: ${s.text}`);
        assert.ok(s.evidence.length >= 1, `no evidence: ${s.text}`);
        for (const id of s.anchorIds) assert.match(id, /^A\d+$/);
      }
      const ids = allSentences(r).map((s) => s.id);
      assert.equal(new Set(ids).size, ids.length, 'sentence ids are unique');
    });

    test('the finding sentences come in priority order, refined signs by specificity', () => {
      const right = r.findings[0].sentences;
      assert.deepEqual(right[0].anchorIds, ['A1', 'A3']);
      const signed = right.filter((s) => s.signIds.length);
      const spec = (id: string) => getOntology().signById.get(id)?.specificity ?? 0;
      for (const s of signed) {
        const sp = s.signIds.map(spec);
        assert.deepEqual(
          sp,
          [...sp].sort((a, b) => b - a),
          `not by specificity: ${s.signIds}`,
        );
      }
      const present = signed.find((s) => s.signIds.includes('margin_spiculated'))!;
      assert.deepEqual(present.signIds, ['margin_spiculated', 'margin_lobulated', 'homogeneous_density']);
      assert.match(present.text, lang === 'zh' ? /毛刺征.*分叶征/ : /spiculated margin.*lobulated margin/i);
      assert.ok(present.evidence.some((e) => e.name === 'spiculeCount'));
    });

    test('indeterminate signs stay indeterminate', () => {
      const ind = r.findings[0].sentences.find((s) => s.signIds.includes('vacuole_sign'))!;
      assert.deepEqual([...ind.signIds].sort(), ['calcification', 'vacuole_sign']);
      assert.match(ind.text, lang === 'zh' ? /不确定|无法/ : /indeterminate/);
      const absent = r.findings[0].sentences.find((s) => s.signIds.includes('cavitation'))!;
      assert.ok(!absent.signIds.includes('calcification'), 'calcification is never reported absent here');
    });

    test('radiologist wording, estimates for lengths', () => {
      const first = r.findings[0].sentences[0].text;
      // One size per lesion (api.md 6.1): the refined long × short axis, not the detector's diameter.
      if (lang === 'zh') assert.match(first, /^右肺中野外带\(投影于右肺中叶\)可见一约1\.3 × 1\.1 cm圆形结节影/);
      else assert.match(first, /^An estimated 1\.3 × 1\.1 cm round nodule in the right mid zone/);
      assert.doesNotMatch(JSON.stringify(r), /1\.2 cm/, 'the detector size is never quoted beside the refined one');
      const rel = r.findings[0].sentences.find((s) => s.anchorIds.includes('A5'))!;
      assert.deepEqual(rel.anchorIds, ['A1', 'A4', 'A5']);
      assert.ok(
        rel.evidence.some(
          (e) => e.name === 'centerDistanceMm' && e.estimate === true && e.spacingSource === 'ImagerPixelSpacing',
        ),
      );
      assert.match(r.technique[0].text, lang === 'zh' ? /胸部正位\(PA\)片/ : /PA projection/);
    });

    test('user anchors are described with their ids', () => {
      const users = r.findings
        .flatMap((f) => f.sentences)
        .filter((s) => s.anchorIds.includes('A6') || s.anchorIds.includes('A7'));
      assert.equal(users.length, 2);
    });

    test('a nodule or mass gets chest CT; no CT-only category anywhere', () => {
      assert.match(r.recommendations[0].text, /CT/);
      assert.deepEqual(r.recommendations[0].anchorIds, ['A1', 'A2']);
      const json = JSON.stringify(r);
      assert.doesNotMatch(json, FORBIDDEN);
      assert.doesNotMatch(reportToText(r), FORBIDDEN);
      assert.match(r.disclaimer, lang === 'zh' ? /科研/ : /research use/);
    });

    test('text format: headed sections, sentences followed by anchor ids', () => {
      const t = reportToText(r);
      const heads =
        lang === 'zh'
          ? ['检查技术', '所见', '印象', '建议']
          : ['Technique', 'Findings', 'Impression', 'Recommendations'];
      for (const h of heads) assert.match(t, new RegExp(`^${h}$`, 'm'));
      assert.ok(t.includes(`${r.findings[0].sentences[0].text} [A1, A3]`));
    });
  });
}

describe('normal and model-less studies', () => {
  test('no findings with the lesion model: plainly normal, the analysis as evidence', () => {
    const r = generateReport(makeInput('zh', { findings: false }));
    assert.deepEqual(r.frameworks, ['normal']);
    const clear = r.findings.find((f) => f.region === 'lung_right')!.sentences[0];
    assert.match(clear.text, /未检出明确结节/);
    assert.deepEqual(clear.anchorIds, []);
    assert.ok(clear.evidence.some((e) => e.name === 'lesionThreshold' && e.value === 0.5));
    assert.ok(clear.evidence.some((e) => e.name === 'models'));
    assert.match(r.impression[0].text, /未见明确异常/);
    assert.doesNotMatch(JSON.stringify(r), FORBIDDEN);
  });

  test('no lesion model: nothing claimed about lesions', () => {
    const r = generateReport(makeInput('en', { findings: false, lesionModel: false }));
    const text = JSON.stringify(r);
    assert.doesNotMatch(text, /No nodule, mass or airspace opacity is detected/);
    assert.match(r.impression[0].text, /No automated lesion detection/);
    assert.ok(r.limitations.some((s) => /No lesion model/.test(s.text)));
  });

  test('enlarged heart on a reliable CTR: impression and recommendation', () => {
    const r = generateReport(makeInput('zh', { findings: false, ctr: 0.58 }));
    assert.ok(r.impression.some((s) => /心影增大/.test(s.text)));
    assert.ok(r.recommendations.some((s) => /超声心动图/.test(s.text)));
  });

  test('unreliable CTR is stated, not interpreted', () => {
    const r = generateReport(makeInput('zh', { ctr: 0.58, reliable: false }));
    const heart = r.findings.find((f) => f.region === 'heart')!.sentences[0];
    assert.match(heart.text, /无法评估/);
    assert.doesNotMatch(heart.text, /心影增大/);
  });
});

describe('one story: CTR grade, place, complete regions (issue 13)', () => {
  const table: { ctr: number; reliable: boolean; grade: RegExp; impression: RegExp | null; echo: boolean }[] = [
    { ctr: 0.48, reliable: true, grade: /小于0\.50,心影大小在正常范围内/, impression: null, echo: false },
    { ctr: 0.5, reliable: true, grade: /临界/, impression: /心影大小临界/, echo: false },
    { ctr: 0.53, reliable: true, grade: /临界/, impression: /心影大小临界/, echo: false },
    { ctr: 0.55, reliable: true, grade: /临界/, impression: /心影大小临界/, echo: false },
    { ctr: 0.56, reliable: true, grade: /大于0\.55,心影增大/, impression: /心影增大/, echo: true },
    { ctr: 0.62, reliable: false, grade: /无法评估/, impression: null, echo: false },
  ];
  for (const row of table) {
    test(`CTR ${row.ctr} (${row.reliable ? 'PA' : 'AP'}) is graded and echocardiography only when enlarged`, () => {
      const r = generateReport(makeInput('zh', { findings: false, ctr: row.ctr, reliable: row.reliable }));
      const heart = r.findings.find((f) => f.region === 'heart')!.sentences[0]!;
      assert.match(heart.text, row.grade);
      assert.match(heart.text, new RegExp(row.ctr.toFixed(2)));
      const imp = r.impression.map((s) => s.text).join(' ');
      if (row.impression) {
        assert.match(imp, row.impression);
        assert.doesNotMatch(imp, /未见明确异常/, 'a heart that is not normal is not "no abnormality"');
      } else assert.doesNotMatch(imp, /心影/);
      assert.equal(
        r.recommendations.some((s) => /超声心动图/.test(s.text)),
        row.echo,
      );
    });
  }

  test('the impression names a lobe only at probability ≥ 0.7, else the zone with candidate lobes', () => {
    const input = makeInput('zh');
    const root = input.session.anchors.find((a) => a.id === 'A1')!;
    root.location = { ...root.location!, lobeConfidence: 0.55, lobeProbabilities: { RML: 0.55, RLL: 0.4, RUL: 0.05 } };
    const imp = generateReport(input).impression[0]!.text;
    assert.match(imp, /^右中肺野\(右肺中叶或下叶\)结节影/);
    root.location = { ...root.location!, lobeConfidence: 0.8, lobeProbabilities: { RML: 0.8, RLL: 0.2 } };
    assert.match(generateReport(input).impression[0]!.text, /^右肺中叶结节影/);
    const en = generateReport({ ...input, lang: 'en' }).impression[0]!.text;
    assert.match(en, /^Right middle lobe nodule \(an estimated 1\.3 × 1\.1 cm\)/);
  });

  for (const lang of ['zh', 'en'] as const) {
    test(`pleura, mediastinum and hila, bones and devices are stated, never silently absent (${lang})`, () => {
      const r = generateReport(makeInput(lang));
      const text = (region: string) =>
        r.findings
          .find((f) => f.region === region)
          ?.sentences.map((s) => s.text)
          .join(' ') ?? '';
      const na = lang === 'zh' ? /未由本系统评估/ : /not assessed by this system/;
      assert.match(text('pleura'), lang === 'zh' ? /肋膈角/ : /costophrenic angles/);
      assert.match(text('pleura'), na);
      assert.match(text('mediastinum_hila'), lang === 'zh' ? /肺门/ : /hil/);
      assert.match(text('other'), lang === 'zh' ? /骨骼/ : /bones/);
      assert.match(text('other'), lang === 'zh' ? /管线/ : /[Ll]ines, tubes and devices/);
      for (const s of r.findings.flatMap((f) => f.sentences))
        assert.ok(s.evidence.length >= 1, `no evidence: ${s.text}`);
    });
  }
});

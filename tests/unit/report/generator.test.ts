import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Report } from '../../../server/src/contract';
import { generateReport, reportFrameworks, reportToText } from '../../../server/src/report';
import { getOntology } from '../../../server/src/ontology';
import { makeAnalysis, makeInput } from './fixtures';

const allSentences = (r: Report) => [...r.technique, ...r.findings.flatMap((f) => f.sentences), ...r.impression, ...r.recommendations, ...r.limitations];
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
      assert.deepEqual(r.findings.map((f) => f.region), ['lung_right', 'lung_left', 'heart']);
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
        assert.deepEqual(sp, [...sp].sort((a, b) => b - a), `not by specificity: ${s.signIds}`);
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
      if (lang === 'zh') assert.match(first, /^右肺中野外带\(投影于右肺中叶\)可见一约1\.2 cm圆形结节影/);
      else assert.match(first, /^An estimated 1\.2 cm round nodule in the right mid zone/);
      const rel = r.findings[0].sentences.find((s) => s.anchorIds.includes('A5'))!;
      assert.deepEqual(rel.anchorIds, ['A1', 'A4', 'A5']);
      assert.ok(rel.evidence.some((e) => e.name === 'centerDistanceMm' && e.estimate === true && e.spacingSource === 'ImagerPixelSpacing'));
      assert.match(r.technique[0].text, lang === 'zh' ? /胸部正位\(PA\)片/ : /PA projection/);
    });

    test('user anchors are described with their ids', () => {
      const users = r.findings.flatMap((f) => f.sentences).filter((s) => s.anchorIds.includes('A6') || s.anchorIds.includes('A7'));
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
      const heads = lang === 'zh' ? ['检查技术', '所见', '印象', '建议'] : ['Technique', 'Findings', 'Impression', 'Recommendations'];
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
    assert.match(heart.text, /不作判断/);
    assert.doesNotMatch(heart.text, /心影增大/);
  });
});

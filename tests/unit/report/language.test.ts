// Language lint over whole sessions (issue 13): the four-turn conversation and both reports, in
// Chinese and English, on many analyses — real JSRT films (nodules, normals, one relabelled AP)
// when ../shared/data is present, a real CR sample, and a synthetic chest — every sentence linted
// for program tokens, doubled words and raw numbers without units; every session checked for one
// size per lesion, one call per sign (answers, checklist, report), radiograph-insensitive signs never
// "absent", and a graded CTR in the overview.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { call, startTestServer, type TestServer } from '../../support/server';
import { chestDataset, SAMPLES_DIR, wrapPngAsDicom, writePart10 } from '../../support/dicomFixtures';
import { BRIEF_CONVERSATION } from '../../../scripts/lib/briefConversation';
import { lintSentence, sizeExpression } from './lint';

const JSRT = path.resolve(__dirname, '../../../../shared/data/jsrt-train');
const INSENSITIVE = new Set(['vacuole_sign', 'air_bronchogram', 'calcification']);
const CONVERSATION = BRIEF_CONVERSATION;
const MARGIN_FALLBACK = { zh: 'A1边缘是否规则?', en: "Is A1's margin regular?" } as const;
const DENSITY = {
  zh: 'A1内部有钙化、空泡或支气管充气征吗?',
  en: 'Does A1 contain calcification, vacuoles or an air bronchogram?',
} as const;

interface Case {
  name: string;
  dicom: () => Promise<Buffer>;
}

function cases(): Case[] {
  const out: Case[] = [
    { name: 'synthetic chest', dicom: async () => writePart10(chestDataset({ width: 1024, height: 1024 })) },
  ];
  if (existsSync(path.join(JSRT, 'images'))) {
    const png = (id: string) => readFileSync(path.join(JSRT, 'images', `${id}.png`));
    for (const id of ['JPCLN015', 'JPCLN022', 'JPCLN003', 'JPCLN059', 'JPCLN054', 'JPCLN120']) {
      if (existsSync(path.join(JSRT, 'images', `${id}.png`)))
        out.push({ name: id, dicom: () => wrapPngAsDicom(png(id)) });
    }
    const normals = readdirSync(path.join(JSRT, 'images'))
      .filter((f) => f.startsWith('JPCNN'))
      .sort()
      .slice(0, 2);
    for (const f of normals)
      out.push({ name: f.replace('.png', ''), dicom: () => wrapPngAsDicom(png(f.replace('.png', ''))) });
    if (existsSync(path.join(JSRT, 'images', 'JPCLN015.png'))) {
      out.push({
        name: 'JPCLN015 labelled AP',
        dicom: () => wrapPngAsDicom(png('JPCLN015'), { extra: { ViewPosition: 'AP' } }),
      });
    }
  }
  // LANG_LINT_MORE=<n>: also n more JSRT films and n NIH normals (PA and AP, per-axis spacing) — a wider sweep.
  const more = Number(process.env.LANG_LINT_MORE ?? 0);
  if (more > 0 && existsSync(path.join(JSRT, 'images'))) {
    const all = readdirSync(path.join(JSRT, 'images'))
      .sort()
      .filter((_, i) => i % 3 === 1)
      .slice(0, more);
    for (const f of all)
      out.push({
        name: `${f.replace('.png', '')} (sweep)`,
        dicom: () => wrapPngAsDicom(readFileSync(path.join(JSRT, 'images', f))),
      });
    const NIH = path.resolve(JSRT, '../nih-normals');
    if (existsSync(path.join(NIH, 'normals.csv'))) {
      const rows = readFileSync(path.join(NIH, 'normals.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','));
      for (const r of rows.slice(0, more)) {
        const file = path.join(NIH, 'images', `${r[0]}.jpg`);
        if (existsSync(file))
          out.push({
            name: `NIH ${r[0]} ${r[4]}`,
            dicom: () =>
              wrapPngAsDicom(readFileSync(file), {
                pixelSpacing: [Number(r[6]), Number(r[5])],
                extra: { ViewPosition: r[4] },
              }),
          });
      }
    }
  }
  const siim = path.join(SAMPLES_DIR, 'siim-cr-chest.dcm');
  if (existsSync(siim)) out.push({ name: 'SIIM CR sample', dicom: async () => readFileSync(siim) });
  return out;
}

interface Sentence {
  where: string;
  text: string;
  anchorIds: string[];
  evidence: { name: string }[];
  signId?: string | null;
  status?: string | null;
}

describe('the sentence linter', () => {
  const bad: [string, 'zh' | 'en'][] = [
    ['✓ 周围型结节或肿块:band middle', 'zh'],
    ['✗ 直径大于3 cm:diameterMm 约1.6 cm', 'zh'],
    ['右肺可见斑片状片状高密度影。', 'zh'],
    ['A1约2.1 cm约2.8 cm圆形结节影', 'zh'],
    ['lobe RML', 'en'],
    ['The the nodule', 'en'],
    ['calcification_pattern none', 'en'],
    ['A1 measures 0.58 across', 'en'],
    ['位于RML', 'zh'],
    ['size undefined', 'en'],
  ];
  const good: [string, 'zh' | 'en'][] = [
    ['右中肺野(右肺中叶或下叶)结节影(约1.9 × 1.5 cm),性质待定。', 'zh'],
    ['Cardiothoracic ratio 0.52 (PA), borderline (0.50–0.55): heart size at the upper limit of normal.', 'en'],
    ['A1 notch sign (脐凹征: a focal notch in the contour): present (notches 2, deepest 2.1 mm).', 'en'],
    ['测量依据:Pixel Spacing(像素间距),0.35 × 0.35 mm;所有长度与面积均为估计值。', 'zh'],
    ['A1边缘模糊:以边缘模糊为主(置信度0.54)。', 'zh'],
    ['Models: cxr-anatomy v1 (cpu); lesion detector operating point 0.86.', 'en'],
  ];
  for (const [text, lang] of bad) test(`flags: ${text}`, () => assert.ok(lintSentence(text, lang).length > 0));
  for (const [text, lang] of good) test(`passes: ${text}`, () => assert.deepEqual(lintSentence(text, lang), []));
  test('size expressions', () => {
    assert.equal(sizeExpression('可见一约1.9 × 1.5 cm圆形结节影'), '1.9 × 1.5 cm');
    assert.equal(sizeExpression('An estimated 2.1 cm round nodule'), '2.1 cm');
    assert.equal(sizeExpression('no size here'), null);
  });
});

describe('language lint over whole sessions (zh and en)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({
      LOG_LEVEL: 'warn',
      RATE_LIMIT_ANALYSES_PER_MIN: '100000',
      MAX_SESSIONS: '1000',
      MAX_SESSIONS_PER_CLIENT: '1000',
    });
  });
  afterAll(async () => {
    await srv?.close();
  });

  for (const c of cases()) {
    test(c.name, async () => {
      const a = await call(`${srv.url}/api/v1/analyses`, {
        method: 'POST',
        headers: { 'content-type': 'application/dicom' },
        body: (await c.dicom()) as unknown as Uint8Array,
      });
      assert.equal(a.status, 201, JSON.stringify(a.body).slice(0, 300));
      const analysis = a.body;
      const problems: string[] = [];
      for (const lang of ['zh', 'en'] as const) {
        const s = await call(`${srv.url}/api/v1/sessions`, {
          method: 'POST',
          json: { analysisId: analysis.id, language: lang },
        });
        assert.equal(s.status, 201);
        const sid = s.body.id;
        const sentences: Sentence[] = [];
        const checklists: any[] = [];
        const hasRml = analysis.findings.some((f: any) => f.location?.lobe === 'RML');
        const texts: string[] = [...CONVERSATION[lang]];
        if (!hasRml && analysis.findings.length) texts[1] = MARGIN_FALLBACK[lang];
        if (analysis.findings.length) texts.push(DENSITY[lang]);
        for (const [i, text] of texts.entries()) {
          const t = await call(`${srv.url}/api/v1/sessions/${sid}/turns`, { method: 'POST', json: { text } });
          assert.equal(t.status, 201, `${lang} T${i + 1}: ${JSON.stringify(t.body).slice(0, 300)}`);
          const ans = t.body.answer;
          sentences.push({ where: `${lang} T${i + 1} headline`, text: ans.headline, anchorIds: [], evidence: [] });
          for (const sec of ans.sections)
            for (const it of sec.items) sentences.push({ where: `${lang} T${i + 1} ${sec.id}`, ...it });
          if (t.body.checklist) checklists.push(t.body.checklist);
          if (i === 0) {
            // The overview always states the CTR with its grade; "nothing suspicious" never sits beside an enlarged
            // heart.
            const all = [ans.headline, ...ans.sections.flatMap((x: any) => x.items.map((y: any) => y.text))].join(' ');
            if (analysis.anatomy.cardiothoracicRatio) {
              const graded =
                lang === 'zh'
                  ? /心胸比[^。]*(正常范围|临界|增大|无法评估)/
                  : /[Cc]ardiothoracic ratio.{0,140}?(normal limits|borderline|enlarged|not assessable)/;
              if (!graded.test(all)) problems.push(`${lang} T1: CTR not stated with its grade`);
              if (
                /增大|enlarged/.test(all) &&
                /未发现可疑病灶。|Nothing suspicious/.test(all.replace(/肺内未发现可疑病灶。/, ''))
              )
                problems.push(`${lang} T1: "nothing suspicious" beside an enlarged heart`);
            }
          }
        }
        const rj = await call(`${srv.url}/api/v1/sessions/${sid}/report?format=json&lang=${lang}`);
        assert.equal(rj.status, 200);
        const report = rj.body;
        for (const sec of ['technique', 'impression', 'recommendations', 'limitations'] as const) {
          for (const x of report[sec]) sentences.push({ where: `${lang} report ${sec}`, ...x });
        }
        for (const f of report.findings)
          for (const x of f.sentences) sentences.push({ where: `${lang} report ${f.region}`, ...x });
        sentences.push({ where: `${lang} report disclaimer`, text: report.disclaimer, anchorIds: [], evidence: [] });
        const regions = new Set(report.findings.map((f: any) => f.region));
        for (const r of ['mediastinum_hila', 'pleura', 'other'])
          if (!regions.has(r)) problems.push(`${lang} report: region ${r} silently absent`);
        const txt = await fetch(`${srv.url}/api/v1/sessions/${sid}/report?format=text&lang=${lang}`);
        const plain = await txt.text();
        for (const line of plain
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean))
          problems.push(
            ...lintSentence(line.replace(/\s*\[A\d+(, A\d+)*\]$/, ''), lang).map((p) => `${lang} report text: ${p}`),
          );

        // every sentence
        for (const s of sentences) problems.push(...lintSentence(s.text, lang).map((p) => `${s.where}: ${p}`));

        // one call per sign: the refined calls are the truth every surface must repeat
        const sess = await call(`${srv.url}/api/v1/sessions/${sid}`);
        const anchors: any[] = sess.body.anchors ?? [];
        const refinedOf = (root: string) => anchors.find((x) => x.kind === 'refinement' && x.parentId === root);
        const callOf = (root: string, signId: string): string | undefined =>
          refinedOf(root)?.signs.find((x: any) => x.signId === signId)?.status;
        for (const x of anchors.filter((y) => y.kind === 'refinement')) {
          for (const sg of x.signs)
            if (INSENSITIVE.has(sg.signId) && sg.status === 'absent')
              problems.push(`${lang}: ${x.parentId} ${sg.signId} called "absent"`);
        }
        for (const s of sentences) {
          if (!s.signId || !s.status || !s.anchorIds?.[0]) continue;
          if (INSENSITIVE.has(s.signId) && (s.status === 'absent' || s.status === 'not_met'))
            problems.push(`${s.where}: ${s.signId} ${s.status}: ${s.text}`);
          if (['present', 'absent', 'indeterminate'].includes(s.status) && !s.where.endsWith('checklist')) {
            const truth = callOf(s.anchorIds[0], s.signId);
            if (truth && truth !== s.status)
              problems.push(`${s.where}: ${s.signId} "${s.status}" but the refined call is "${truth}"`);
          }
        }
        for (const cl of checklists) {
          if (!cl.anchorId) continue;
          for (const it of cl.items) {
            const ids = [it.signId, ...it.relatedSignIds];
            const calls = ids.map((id: string) => callOf(cl.anchorId, id)).filter(Boolean);
            if (!calls.length) continue; // rule items (shape, hilum distance)
            const anyPresent = calls.includes('present');
            if (it.status === 'met' && it.expect === 'present' && !anyPresent)
              problems.push(`${lang} checklist ${it.id}: met without a present sign`);
            if (it.status === 'not_met' && it.expect === 'present' && anyPresent)
              problems.push(`${lang} checklist ${it.id}: not met although a sign is present`);
            if (it.status === 'not_met' && INSENSITIVE.has(it.signId))
              problems.push(`${lang} checklist ${it.id}: an insensitive sign "not met"`);
          }
        }
        // report clauses: a sign in a "not seen" sentence must be absent in the refined call
        for (const s of sentences.filter((x) => x.where.includes('report') && (x as any).signIds?.length)) {
          const ids: string[] = (s as any).signIds;
          const absentClause = lang === 'zh' ? /^未见/.test(s.text) : /^No /.test(s.text);
          for (const id of ids) {
            if (absentClause && INSENSITIVE.has(id)) problems.push(`${s.where}: ${id} reported as not seen: ${s.text}`);
            const truth = callOf(s.anchorIds[0]!, id);
            if (absentClause && truth && truth !== 'absent')
              problems.push(`${s.where}: ${id} in a "not seen" sentence but called "${truth}"`);
          }
        }
        // one size per lesion across the whole session and the report
        const sizes = new Map<string, Set<string>>();
        for (const s of sentences) {
          const root = s.anchorIds?.[0];
          if (!root || !s.evidence?.some((e) => /^(diameter|longAxis|shortAxis)(Mm|Px)$/.test(e.name))) continue;
          const size = sizeExpression(s.text);
          if (!size) continue;
          if (!sizes.has(root)) sizes.set(root, new Set());
          sizes.get(root)!.add(size);
        }
        for (const [root, set] of sizes)
          if (set.size > 1) problems.push(`${lang}: ${root} has ${set.size} sizes: ${[...set].join(' | ')}`);
      }
      assert.deepEqual(problems, [], `${c.name}:\n${problems.join('\n')}`);
    });
  }
});

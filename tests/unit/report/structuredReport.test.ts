import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildStructuredReport, generateReport } from '../../../server/src/report';
import { srGroups } from '../../../server/src/report/sr';
import { ApiError } from '../../../server/src/errors';
import { makeInput } from './fixtures';

function dsrdump(buf: Buffer): { status: number | null; out: string; err: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cxr-sr-')), 'sr.dcm');
  writeFileSync(file, buf);
  const r = spawnSync('dsrdump', ['+Pc', '+Pt', '+Pl', '+U8', file], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('SR measurement groups', () => {
  const input = makeInput('zh');
  const groups = srGroups(input.session, input.analysis, 'zh');

  test('one group per exported geometry, with the adapters tool types', () => {
    const tools = groups.map((g) => `${g.tool}:${g.label}`);
    assert.ok(tools.includes('PlanarFreehandROI:A1 右肺中叶结节'));
    assert.ok(tools.includes('PlanarFreehandROI:A3 A1精细轮廓'));
    assert.ok(tools.includes('Probe:A4 右肺门'));
    assert.ok(tools.includes('EllipticalROI:A7 标注'));
    assert.ok(tools.includes('Probe:A6 标注'));
    assert.ok(tools.some((t) => t.startsWith('Length:A5')));
    assert.ok(tools.some((t) => t.startsWith('ArrowAnnotate:A5')));
    // The relation's centre link and the landmark marker are not exported twice.
    assert.equal(groups.filter((g) => g.label.startsWith('A5') && g.tool === 'Length').length, 2);
    assert.equal(groups.filter((g) => g.label.startsWith('A4')).length, 1);
  });

  test('closed outlines repeat the first point; signs only on the refined outline', () => {
    const refined = groups.find((g) => g.label.startsWith('A3 A1'))!;
    assert.deepEqual(refined.points[0], refined.points[refined.points.length - 1]);
    assert.equal(refined.signs.length, 8);
    assert.equal(groups.find((g) => g.label.startsWith('A1 '))!.signs.length, 0);
    assert.equal(refined.finding?.CodeValue, '27925004');
    assert.equal(refined.site?.site.CodeValue, '72481006');
  });
});

describe('DICOM SR document', () => {
  for (const lang of ['zh', 'en'] as const) {
    test(`dsrdump reads it without errors (${lang})`, () => {
      const input = makeInput(lang);
      const buf = buildStructuredReport(input, generateReport(input));
      assert.equal(buf.subarray(128, 132).toString('latin1'), 'DICM');
      const d = dsrdump(buf);
      assert.equal(d.status, 0, d.err);
      assert.doesNotMatch(d.out + d.err, /^E:|error/im);
      assert.match(d.out, /Comprehensive SR Document/);
      assert.match(d.out, /\(126000,DCM,"Imaging Measurement Report"\)=SEPARATE>\s+# TID 1500 \(DCMR\)/);
      for (const c of ['111028', '126200', '126010', '125007', 'C0034375', '121071', '121073', '121075'])
        assert.ok(d.out.includes(`(${c},`), c);
      assert.match(d.out, /Cornerstone3DTools@\^0\.1\.0:PlanarFreehandROI/);
      assert.match(d.out, /\(CORNERSTONEFREETEXT,CORNERSTONEJS,"A1 /);
      assert.match(d.out, /\(RID5713,RADLEX,"spiculated margin"\)=\(52101004,SCT,"Present"\)/);
      assert.match(d.out, /\(RID5196,RADLEX,"calcification"\)=\(373068000,SCT,"Undetermined"\)/);
      assert.match(d.out, /\(CXRM01,99CXRC,"Cardiothoracic ratio"\)="0.46" \(\{ratio\},UCUM,"ratio"\)/);
      assert.match(d.out, /Completion Flag\s+: PARTIAL/);
      assert.match(d.out, /Verification Flag\s+: UNVERIFIED/);
      assert.doesNotMatch(d.out, /Lung-RADS|Fleischner/i);
      // The limitations and the research-use notice travel with the SR as TEXT items (issue 13).
      assert.match(d.out, /<contains TEXT:\(CXRT01,99CXRC,"Limitation of the automated analysis"\)=/);
      assert.match(
        d.out,
        lang === 'zh'
          ? /\(CXRT02,99CXRC,"Research-use disclaimer"\)="[^"]*科研/
          : /\(CXRT02,99CXRC,"Research-use disclaimer"\)="[^"]*research use/,
      );
    });
  }

  test('a PNG analysis cannot be exported', () => {
    const input = makeInput('zh', { sourceFormat: 'png' });
    assert.throws(
      () => buildStructuredReport(input, generateReport(input)),
      (e: unknown) => e instanceof ApiError && e.code === 'source_not_dicom' && e.status === 409,
    );
  });
});

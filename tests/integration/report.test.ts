import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { call, startTestServer, type TestServer } from '../support/server';
import { makeFixtures, SENTINEL_TOKEN, type Fixtures } from '../support/dicomFixtures';
import { makeChestPng } from '../support/dicomFixtures';

const chestPng = (w = 256, h = 256) => makeChestPng(w, h);

let srv: TestServer;
let fx: Fixtures;
beforeAll(async () => {
  fx = await makeFixtures();
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

const FORBIDDEN = /lung-?rads|fleischner/i;

async function dicomSession(): Promise<{ sid: string; analysis: any }> {
  const a = await call(`${srv.url}/api/v1/analyses`, {
    method: 'POST',
    headers: { 'content-type': 'application/dicom' },
    body: readFileSync(fx.paths.explicit),
  });
  assert.equal(a.status, 201, JSON.stringify(a.body));
  const s = await call(`${srv.url}/api/v1/sessions`, {
    method: 'POST',
    json: { analysisId: a.body.id, language: 'zh' },
  });
  assert.equal(s.status, 201);
  return { sid: s.body.id, analysis: a.body };
}

/** Fetches raw bytes (the SR). */
async function bytes(url: string): Promise<{ status: number; headers: Headers; buf: Buffer }> {
  const r = await fetch(url);
  return { status: r.status, headers: r.headers, buf: Buffer.from(await r.arrayBuffer()) };
}

function tool(cmd: string, args: string[], buf: Buffer) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cxr-sr-it-')), 'sr.dcm');
  writeFileSync(file, buf);
  return spawnSync(cmd, [...args, file], { encoding: 'utf8' });
}

describe('GET /sessions/:id/report on a DICOM analysis with user anchors and a distance turn', () => {
  let sid = '';
  let analysis: any;
  let anchorIds: string[] = [];

  beforeAll(async () => {
    ({ sid, analysis } = await dicomSession());
    const n = analysis.findings.length;
    const p = await call(`${srv.url}/api/v1/sessions/${sid}/anchors`, {
      method: 'POST',
      json: { geometry: { type: 'point', point: [150, 230] } },
    });
    assert.equal(p.status, 201, JSON.stringify(p.body));
    const e = await call(`${srv.url}/api/v1/sessions/${sid}/anchors`, {
      method: 'POST',
      json: { geometry: { type: 'ellipse', center: [360, 250], radii: [20, 14], rotationDeg: 0 }, label: 'ROI' },
    });
    assert.equal(e.status, 201, JSON.stringify(e.body));
    anchorIds = [p.body.id, e.body.id];
    assert.equal(p.body.id, `A${n + 1}`);
    const t = await call(`${srv.url}/api/v1/sessions/${sid}/turns`, {
      method: 'POST',
      json: { text: `${anchorIds[0]}和${anchorIds[1]}相距多远?` },
    });
    assert.equal(t.status, 201, JSON.stringify(t.body));
    assert.equal(t.body.understanding.intent, 'distance');
  });

  test('json (zh): sections, anchors and evidence on every anchored sentence', async () => {
    const r = await call(`${srv.url}/api/v1/sessions/${sid}/report?format=json`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    const rep = r.body;
    assert.equal(rep.sessionId, sid);
    assert.equal(rep.language, 'zh');
    assert.ok(rep.frameworks.length >= 1);
    if (analysis.findings.length === 0 && !analysis.anatomy.cardiothoracicRatio)
      assert.deepEqual(rep.frameworks, ['normal']);
    assert.match(rep.technique[0].text, /胸部正位\(PA\)片/);
    const findings = rep.findings.flatMap((f: any) => f.sentences);
    for (const id of anchorIds)
      assert.ok(
        findings.some((s: any) => s.anchorIds.includes(id)),
        `no sentence for ${id}`,
      );
    const rel = findings.find((s: any) => s.anchorIds.includes(anchorIds[0]) && s.anchorIds.includes(anchorIds[1]));
    assert.ok(rel, 'the distance is reported');
    assert.ok(
      rel.evidence.some(
        (e: any) => e.name === 'centerDistanceMm' && e.estimate === true && e.spacingSource === 'PixelSpacing',
      ),
    );
    for (const s of [...findings, ...rep.impression]) {
      const analysisLevel = s.evidence.some((e: any) => e.name === 'cardiothoracicRatio' || e.name === 'models');
      if (!analysisLevel) assert.ok(s.anchorIds.length >= 1, s.text);
    }
    assert.doesNotMatch(JSON.stringify(rep), FORBIDDEN);
    assert.doesNotMatch(JSON.stringify(rep), new RegExp(SENTINEL_TOKEN));
  });

  test('text (en): headed plain text with [A…] after anchored sentences', async () => {
    const r = await call(`${srv.url}/api/v1/sessions/${sid}/report?format=text&lang=en`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; charset=utf-8/);
    const text = String(r.body);
    for (const h of ['Technique', 'Findings', 'Impression', 'Recommendations'])
      assert.match(text, new RegExp(`^${h}$`, 'm'));
    assert.match(text, new RegExp(`\\[${anchorIds[0]}, ${anchorIds[1]}`));
    assert.doesNotMatch(text, FORBIDDEN);
  });

  test('dicom-sr: Comprehensive SR that dsrdump reads, zero-length patient attributes', async () => {
    const r = await bytes(`${srv.url}/api/v1/sessions/${sid}/report?format=dicom-sr`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/dicom');
    assert.equal(r.headers.get('content-disposition'), `attachment; filename="cxr-copilot-${sid}.dcm"`);
    assert.ok(!r.buf.includes(Buffer.from(SENTINEL_TOKEN)), 'no patient data in the SR');
    const d = tool('dsrdump', ['+Pc', '+Pt', '+Pl', '+U8'], r.buf);
    assert.equal(d.status, 0, d.stderr);
    assert.doesNotMatch(`${d.stdout}\n${d.stderr}`, /^E:|error/im);
    assert.match(d.stdout, /Comprehensive SR Document/);
    assert.match(d.stdout, /Series\s+: CXR Copilot SR/);
    assert.match(d.stdout, /\(126000,DCM,"Imaging Measurement Report"\)=SEPARATE>\s+# TID 1500 \(DCMR\)/);
    for (const c of [
      '(111028,DCM,"Image Library")',
      '(126010,DCM,"Imaging Measurements")',
      '(125007,DCM,"Measurement Group")',
      '(C0034375,UMLS,"Qualitative Evaluations")',
    ])
      assert.ok(d.stdout.includes(c), c);
    assert.match(d.stdout, /"Cornerstone3DTools@\^0\.1\.0:Probe"/);
    assert.match(d.stdout, /"Cornerstone3DTools@\^0\.1\.0:EllipticalROI"/);
    assert.match(d.stdout, /"Cornerstone3DTools@\^0\.1\.0:Length"/);
    assert.match(d.stdout, /\(121206,DCM,"Distance"\)="[\d.]+" \(mm,UCUM,"millimeter"\)/);
    assert.match(d.stdout, new RegExp(`\\(CORNERSTONEFREETEXT,CORNERSTONEJS,"${anchorIds[1]} ROI"\\)`));
    const dump = tool('dcmdump', ['+U8'], r.buf);
    assert.equal(dump.status, 0, dump.stderr);
    for (const tag of [
      '(0010,0010) PN',
      '(0010,0020) LO',
      '(0010,0030) DA',
      '(0010,0040) CS',
      '(0008,0090) PN',
      '(0008,0050) SH',
      '(0020,0010) SH',
      '(0008,0020) DA',
      '(0008,0030) TM',
    ]) {
      assert.match(dump.stdout, new RegExp(`^\\${tag.replace(')', '\\)')} \\(no value available\\)`, 'm'), tag);
    }
    // Top level (column 0): the source's study, a new series; nested items reference the source.
    const esc = (u: string) => u.replace(/\./g, '\\.');
    assert.match(dump.stdout, new RegExp(`^\\(0020,000d\\) UI \\[${esc(analysis.image.studyInstanceUID)}\\]`, 'm'));
    assert.match(dump.stdout, /^\(0020,000e\) UI \[2\.25\.\d+\]/m);
    assert.doesNotMatch(
      dump.stdout,
      new RegExp(`^\\(0020,000e\\) UI \\[${esc(analysis.image.seriesInstanceUID)}\\]`, 'm'),
    );
    assert.match(dump.stdout, /\(0008,0016\) UI =ComprehensiveSRStorage/);
    assert.match(dump.stdout, /\(0008,0005\) CS \[ISO_IR 192\]/);
    assert.match(dump.stdout, /\(0040,a375\) SQ/); // Current Requested Procedure Evidence Sequence
    assert.ok(dump.stdout.includes(analysis.image.sopInstanceUID));
  });
});

describe('report errors', () => {
  test('409 source_not_dicom for a PNG analysis', async () => {
    const a = await call(`${srv.url}/api/v1/analyses?pixelSpacingMm=0.5,0.5&viewPosition=PA`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: await chestPng(256, 256),
    });
    assert.equal(a.status, 201);
    const s = await call(`${srv.url}/api/v1/sessions`, { method: 'POST', json: { analysisId: a.body.id } });
    const r = await call(`${srv.url}/api/v1/sessions/${s.body.id}/report?format=dicom-sr`);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'source_not_dicom');
    const ok = await call(`${srv.url}/api/v1/sessions/${s.body.id}/report?format=text`);
    assert.equal(ok.status, 200);
  });

  test('400 for a bad format or language, 404 for an unknown session', async () => {
    const { sid } = await dicomSession();
    for (const q of ['format=pdf', 'lang=fr', 'format=json&lang=']) {
      const r = await call(`${srv.url}/api/v1/sessions/${sid}/report?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error.code, 'invalid_request');
    }
    const nf = await call(`${srv.url}/api/v1/sessions/ss_nosuchsession00/report`);
    assert.equal(nf.status, 404);
  });
});

/**
 * The DICOMweb proxy's path check (issue 11, item 1), table-driven: every DICOMweb resource the viewer
 * uses passes with its methods; every way out of the DICOMweb root is refused before any request
 * leaves, and the upstream URL is built only from checked segments.
 */
import assert from 'node:assert/strict';
import {
  checkDicomwebRequest,
  checkWadoUriRequest,
  isTraversalSegment,
  upstreamUrl,
} from '../../../server/src/http/dicomwebPath';

const S = '1.2.826.0.1.3680043.8.498.1';
const SE = '1.2.826.0.1.3680043.8.498.2';
const I = '1.2.826.0.1.3680043.8.498.3';

const ACCEPTED: [string, string][] = [
  ['GET', '/studies'],
  ['GET', '/studies/'],
  ['GET', '/studies?PatientName=A*&limit=25&includefield=00081030'],
  ['POST', '/studies'],
  ['POST', `/studies/${S}`],
  ['GET', `/studies/${S}`],
  ['GET', `/studies/${S}/metadata`],
  ['GET', `/studies/${S}/series`],
  ['GET', `/studies/${S}/series?Modality=CR`],
  ['GET', `/studies/${S}/series/${SE}/metadata`],
  ['GET', `/studies/${S}/series/${SE}/instances`],
  ['GET', `/studies/${S}/series/${SE}/instances/${I}`],
  ['HEAD', `/studies/${S}/series/${SE}/instances/${I}/metadata`],
  ['GET', `/studies/${S}/series/${SE}/instances/${I}/frames/1`],
  ['GET', `/studies/${S}/series/${SE}/instances/${I}/frames/1,2,3`],
  ['GET', `/studies/${S}/series/${SE}/instances/${I}/frames/1/rendered`],
  ['GET', `/studies/${S}/series/${SE}/instances/${I}/rendered`],
  ['GET', `/studies/${S}/series/${SE}/instances/${I}/thumbnail`],
  ['GET', `/studies/${S}/series/${SE}/thumbnail`],
  ['GET', `/studies/${S}/thumbnail`],
  ['GET', `/studies/${S}/series/${SE}/instances/${I}/bulk/7fe00010`],
  ['GET', `/studies/${S}/series/${SE}/instances/${I}/bulk/00400275/1/0040a730`],
];

for (const [method, url] of ACCEPTED) {
  test(`accepted: ${method} ${url}`, () => {
    const v = checkDicomwebRequest(url, method);
    assert.equal(v.ok, true, JSON.stringify(v));
  });
}

/** Attacks observed against Orthanc 1.10 (issue 11) and their variants: all 400 before anything is sent. */
const TRAVERSAL = [
  '/..%2fpatients?expand',
  '/..%2Fpatients',
  '/..%2fapp%2fexplorer.html',
  '/studies/..%2f..%2fpatients',
  `/studies/${S}/..%2f..%2f..%2fpatients`,
  '/%2e%2e/patients',
  '/%2E%2E%2fpatients',
  '/.%2e/patients',
  '/..',
  '/../patients',
  '/./studies',
  '/studies/./x',
  '/..%252fpatients',
  '/%252e%252e%252fpatients',
  '/..%5cpatients',
  '/..%5Cpatients',
  '/..\\patients',
  '/studies\\..\\..\\patients',
  '/..%c0%afpatients',
  '/studies%00',
  `/studies/${S}%2f..`,
  '//patients',
  '/studies//x',
  '/%2fpatients',
  '/studies/%2e',
];
for (const url of TRAVERSAL) {
  test(`traversal refused 400: ${url}`, () => {
    for (const method of ['GET', 'DELETE', 'POST', 'PUT']) {
      const v = checkDicomwebRequest(url, method);
      assert.equal(v.ok, false);
      if (!v.ok) assert.equal(v.status, 400, `${method} ${url}`);
    }
  });
}

/** Paths with nothing to decode that are still not DICOMweb resources: 404. */
const NOT_DICOMWEB = [
  '/',
  '/patients',
  '/patients?expand',
  '/instances',
  '/series',
  '/app/explorer.html',
  '/tools/reset',
  '/system',
  '/studies/abc',
  '/studies/1..2',
  `/studies/${S}/delete`,
  `/studies/${S}/series/${SE}/instances/${I}/file`,
  `/studies/${S}/series/${SE}/instances/${I}/frames/0`,
  `/studies/${S}/series/${SE}/instances/${I}/frames/a`,
  `/studies/${S}/series/${SE}/instances/${I}/bulk/zz`,
  `/studies/${'1'.repeat(65)}`,
];
for (const url of NOT_DICOMWEB) {
  test(`not a DICOMweb resource 404: ${url}`, () => {
    const v = checkDicomwebRequest(url, 'GET');
    assert.equal(v.ok, false);
    if (!v.ok) assert.equal(v.status, 404, url);
  });
}

test('methods: only GET/HEAD on reads, POST only for STOW on studies[/uid]; DELETE, PUT, OPTIONS never', () => {
  const cases: [string, string, boolean][] = [
    ['DELETE', `/studies/${S}`, false],
    ['PUT', '/studies', false],
    ['OPTIONS', '/studies', false],
    ['PATCH', `/studies/${S}`, false],
    ['POST', `/studies/${S}/series`, false],
    ['POST', `/studies/${S}/series/${SE}/instances/${I}`, false],
    ['POST', '/studies', true],
    ['POST', `/studies/${S}`, true],
    ['HEAD', '/studies', true],
  ];
  for (const [method, url, ok] of cases) {
    const v = checkDicomwebRequest(url, method);
    assert.equal(v.ok, ok, `${method} ${url}`);
    if (!v.ok) assert.equal(v.status, 405, `${method} ${url}`);
  }
});

test('WADO-URI: only its query form with UIDs, GET/HEAD', () => {
  const q = `requestType=WADO&studyUID=${S}&seriesUID=${SE}&objectUID=${I}&contentType=application%2Fdicom`;
  assert.equal(checkWadoUriRequest(`/?${q}`, 'GET').ok, true);
  assert.equal(checkWadoUriRequest(`?${q}`, 'HEAD').ok, true);
  const refused: [string, string, number][] = [
    ['/..%2fpatients', 'GET', 400],
    ['/..%2fpatients?' + q, 'GET', 400],
    ['/%2e%2e/%2e%2e/patients', 'GET', 400],
    ['/..%5cpatients', 'GET', 400],
    ['/patients', 'GET', 404],
    ['/?requestType=WADO', 'GET', 404],
    ['/?' + q.replace('WADO', 'wado'), 'GET', 404],
    ['/?requestType=WADO&studyUID=1&seriesUID=2&objectUID=..%2f..', 'GET', 404],
    [`/?${q}&objectUID=9.9`, 'GET', 404],
    ['/?' + q, 'DELETE', 405],
    ['/?' + q, 'POST', 405],
  ];
  for (const [url, method, status] of refused) {
    const v = checkWadoUriRequest(url, method);
    assert.equal(v.ok, false, url);
    if (!v.ok) assert.equal(v.status, status, `${method} ${url}`);
  }
});

test('isTraversalSegment: dots, any percent-encoding, backslash, empty, control characters', () => {
  for (const s of ['.', '..', '', '%2e', '..%2f', '%5c', '%252f', 'a\\b', 'a\u0000', 'a\nb'])
    assert.equal(isTraversalSegment(s), true, JSON.stringify(s));
  for (const s of ['studies', S, '1,2', '7fe00010', '...x']) assert.equal(isTraversalSegment(s), false, s);
});

test('upstreamUrl: base path + checked segments + query; nothing else reaches the path', () => {
  const v = checkDicomwebRequest(`/studies/${S}/series?limit=5&x=%2f..`, 'GET');
  assert.ok(v.ok);
  if (!v.ok) return;
  const u = upstreamUrl('http://127.0.0.1:8042/dicom-web', v);
  assert.equal(u.href, `http://127.0.0.1:8042/dicom-web/studies/${S}/series?limit=5&x=%2f..`);
  assert.equal(new URL(u.href).pathname, `/dicom-web/studies/${S}/series`);
  const w = checkWadoUriRequest(`/?requestType=WADO&objectUID=${I}`, 'GET');
  assert.ok(w.ok);
  if (w.ok)
    assert.equal(
      upstreamUrl('http://pacs.local/wado', w).href,
      `http://pacs.local/wado?requestType=WADO&objectUID=${I}`,
    );
});

/**
 * The /dicom-web and /wado proxy against a real Orthanc with its DICOMweb plugin (issue 11, item 1):
 * the attacks that reached Orthanc's REST API through `..%2f` (patient list, DELETE of a patient,
 * the admin explorer on our origin) and their double-encoded and backslash variants all get a 4xx
 * from our server, and Orthanc, asked directly afterwards, still holds the patient. The DICOMweb
 * routes the viewer uses (QIDO, WADO-RS metadata, frames, bulk data, WADO-URI, STOW) still work.
 * No browser is needed: the requests are sent byte for byte with node:http.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';
import { chestDataset, SENTINEL_TOKEN, writePart10 } from '../support/dicomFixtures';
import { orthancAvailable, startOrthanc, type Orthanc } from '../support/orthanc';
import { ROOT } from '../support/e2eStack';

interface Raw {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** Sends `path` exactly as given (fetch and new URL would collapse dot segments and backslashes). */
function raw(
  base: string,
  method: string,
  p: string,
  body?: Buffer,
  headers: http.OutgoingHttpHeaders = {},
): Promise<Raw> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path: p, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('latin1'), headers: res.headers }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe(
  'DICOMweb proxy against Orthanc: no escape from the DICOMweb root',
  { skip: orthancAvailable() ? false : 'Orthanc is not installed', timeout: 120_000 },
  () => {
    let orthanc: Orthanc;
    let server: RunningServer;
    let dataDir: string;
    let patientId: string;
    let uids: { study: string; series: string; sop: string };

    before(async () => {
      orthanc = await startOrthanc();
      dataDir = mkdtempSync(path.join(tmpdir(), 'cxr-e2e-proxy-'));
      const config = loadConfig(
        { PORT: '0', HOST: '127.0.0.1', DICOMWEB_URL: orthanc.dicomwebUrl, DATA_DIR: dataDir, LOG_LEVEL: 'error' },
        ROOT,
      );
      server = await startServer(
        config,
        createLogger('error', () => undefined),
      );
      const up = await orthanc.upload(writePart10(chestDataset({})));
      const inst = (await (await fetch(`${orthanc.url}/instances/${up.ID}`)).json()) as {
        ParentSeries: string;
        MainDicomTags: { SOPInstanceUID: string };
      };
      const series = (await (await fetch(`${orthanc.url}/series/${inst.ParentSeries}`)).json()) as {
        ParentStudy: string;
        MainDicomTags: { SeriesInstanceUID: string };
      };
      const study = (await (await fetch(`${orthanc.url}/studies/${series.ParentStudy}`)).json()) as {
        ParentPatient: string;
        MainDicomTags: { StudyInstanceUID: string };
      };
      patientId = study.ParentPatient;
      uids = {
        study: study.MainDicomTags.StudyInstanceUID,
        series: series.MainDicomTags.SeriesInstanceUID,
        sop: inst.MainDicomTags.SOPInstanceUID,
      };
    });
    after(async () => {
      await server?.close();
      await orthanc?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    const patientStillThere = async () => {
      const r = await fetch(`${orthanc.url}/patients/${patientId}`);
      assert.equal(r.status, 200, 'Orthanc, asked directly, still holds the patient');
    };

    test('control: the same traversal sent to Orthanc directly does reach its REST API', async () => {
      const r = await raw(orthanc.url, 'GET', '/dicom-web/..%2fpatients');
      assert.equal(r.status, 200);
      assert.ok(r.body.includes(patientId), 'Orthanc decodes %2f: this is the hole the proxy must not open');
    });

    test('every escape attempt gets a 4xx and leaks nothing; the patient survives', async () => {
      const attacks: [string, string][] = [
        ['GET', '/dicom-web/..%2fpatients?expand'],
        ['GET', '/dicom-web/..%2Fpatients?expand'],
        ['DELETE', `/dicom-web/..%2fpatients/${patientId}`],
        ['DELETE', `/dicom-web/..%2Fpatients%2F${patientId}`],
        ['GET', '/dicom-web/..%2fapp%2fexplorer.html'],
        ['GET', '/dicom-web/..%2fapp/explorer.html'],
        ['GET', '/wado/..%2fpatients'],
        ['DELETE', `/wado/..%2fpatients/${patientId}`],
        ['GET', '/dicom-web/..%252fpatients?expand'],
        ['GET', '/dicom-web/%252e%252e%252fpatients'],
        ['GET', '/dicom-web/%2e%2e/patients?expand'],
        ['GET', '/dicom-web/%2e%2e%2fpatients?expand'],
        ['GET', '/dicom-web/..%5cpatients?expand'],
        ['GET', '/dicom-web/..\\patients?expand'],
        ['DELETE', `/dicom-web/..\\patients\\${patientId}`],
        ['GET', '/dicom-web/../patients?expand'],
        ['GET', `/dicom-web/studies/${uids.study}/..%2f..%2f..%2fpatients?expand`],
        ['DELETE', `/dicom-web/studies/${uids.study}/..%2f..%2f..%2fpatients/${patientId}`],
        ['GET', '/dicom-web/studies/..%2f..%2fpatients'],
        ['GET', '/dicom-web//patients'],
        ['GET', '/dicom-web/patients?expand'],
        ['GET', '/dicom-web/app/explorer.html'],
        ['POST', '/dicom-web/tools/reset'],
        ['DELETE', `/dicom-web/studies/${uids.study}`],
        ['GET', '/wado?requestType=WADO&objectUID=..%2f..%2fpatients'],
        ['GET', '/wado/patients'],
      ];
      for (const [method, p] of attacks) {
        const r = await raw(server.url, method, p);
        assert.ok(r.status >= 400 && r.status < 500, `${method} ${p} → ${r.status}`);
        assert.ok(!r.body.includes(patientId), `${method} ${p} leaks an Orthanc id`);
        assert.ok(!r.body.includes(SENTINEL_TOKEN), `${method} ${p} leaks the patient name`);
        assert.ok(!/explorer|<html/i.test(r.body), `${method} ${p} serves Orthanc's pages`);
        assert.match(String(r.headers['content-type']), /application\/json/, `${method} ${p}: our error envelope`);
      }
      await patientStillThere();
    });

    test(
      'the DICOMweb routes the viewer uses still pass: ' + 'QIDO, metadata, frames, bulk data, WADO-URI, STOW',
      async () => {
        const base = `/dicom-web/studies/${uids.study}/series/${uids.series}/instances/${uids.sop}`;
        const qido = await raw(server.url, 'GET', `/dicom-web/studies?StudyInstanceUID=${uids.study}`, undefined, {
          accept: 'application/dicom+json',
        });
        assert.equal(qido.status, 200);
        assert.ok(qido.body.includes(uids.study));
        const meta = await raw(server.url, 'GET', `${base}/metadata`, undefined, { accept: 'application/dicom+json' });
        assert.equal(meta.status, 200);
        const bulk = /"BulkDataURI"\s*:\s*"([^"]+)"/.exec(meta.body);
        assert.ok(bulk, 'Orthanc names the pixel data as bulk data');
        const bulkUrl = new URL(bulk[1]);
        assert.equal(bulkUrl.host, new URL(server.url).host, 'the bulk data URI points at our origin');
        assert.equal(
          (
            await raw(server.url, 'GET', bulkUrl.pathname, undefined, {
              accept: 'multipart/related; type="application/octet-stream"',
            })
          ).status,
          200,
        );
        assert.equal(
          (
            await raw(server.url, 'GET', `${base}/frames/1`, undefined, {
              accept: 'multipart/related; type="application/octet-stream"',
            })
          ).status,
          200,
        );
        const wado = await raw(
          server.url,
          'GET',
          `/wado?requestType=WADO&studyUID=${uids.study}&seriesUID=${uids.series}` +
            `&objectUID=${uids.sop}&contentType=application/dicom`,
        );
        assert.equal(wado.status, 200, wado.body.slice(0, 300));
        assert.equal(wado.body.slice(128, 132), 'DICM');

        const other = writePart10(chestDataset({}));
        const boundary = 'cxr-test-boundary';
        const body = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
          other,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        const stow = await raw(server.url, 'POST', '/dicom-web/studies', body, {
          'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
          accept: 'application/dicom+json',
          'content-length': body.length,
        });
        assert.equal(stow.status, 200, stow.body.slice(0, 300));
        await patientStillThere();
      },
    );
  },
);

/**
 * End to end: Orthanc (DICOMweb) → our server (proxy + viewer + API) → OHIF with our mode in headless
 * Chromium. A clinician's path: open a chest radiograph, mark two points with the Probe tool, ask
 * "这两个点相距多远?", and see the distance drawn on the image and listed as a measurement.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/src/app';
import { openStudy, watchPage } from '../support/browser';
import { chestDataset, SAMPLES_DIR, writePart10 } from '../support/dicomFixtures';
import type { Orthanc } from '../support/orthanc';
import { OUT, e2eSkipReason, startStack, type E2EStack } from '../support/e2eStack';

const why = e2eSkipReason();

/** Pixels whose RGB differs by more than 40 between two same-size screenshots, inside a box. */
async function changedPixels(
  a: Buffer,
  b: Buffer,
  box: { x: number; y: number; width: number; height: number },
): Promise<number> {
  const crop = {
    left: Math.round(box.x),
    top: Math.round(box.y),
    width: Math.round(box.width),
    height: Math.round(box.height),
  };
  const [ra, rb] = await Promise.all([a, b].map((p) => sharp(p).extract(crop).removeAlpha().raw().toBuffer()));
  let n = 0;
  for (let i = 0; i < ra.length; i += 3) {
    if (Math.abs(ra[i] - rb[i]) + Math.abs(ra[i + 1] - rb[i + 1]) + Math.abs(ra[i + 2] - rb[i + 2]) > 40) n++;
  }
  return n;
}

describe('viewer end to end', { skip: why ?? false, timeout: 600_000 }, () => {
  let stack: E2EStack;
  let orthanc: Orthanc;
  let server: RunningServer;
  let browser: Browser;
  let dataDir: string;

  before(async () => {
    stack = await startStack('cxr-e2e-');
    ({ orthanc, server, browser, dataDir } = stack);
  });
  after(async () => {
    await stack?.stop();
  });

  test('two Probe points and "这两个点相距多远?" draw a measured link', async () => {
    const ds = chestDataset({ width: 1024, height: 1024, extra: { PixelSpacing: [0.35, 0.35] } });
    await orthanc.upload(writePart10(ds));
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    const watch = watchPage(page, server.url);
    try {
      const { analysisStatus } = await openStudy(page, server.url, ds.StudyInstanceUID as string);
      assert.equal(analysisStatus, 201, 'POST /api/v1/analyses by DICOMweb reference');
      await page.waitForSelector('[data-cxr="panel"][data-phase="ready"]', { timeout: 60_000 });
      await page.waitForTimeout(500);
      const canvas = page.locator('.cornerstone-viewport-element canvas').first();
      const box = await canvas.boundingBox();
      assert.ok(box && box.width > 300, 'the viewport canvas is on screen');
      const before = await page.screenshot();

      // Two user points with OHIF's stock Probe tool; each becomes a `user` anchor on the server.
      await page.click('[data-cy="Probe"]');
      for (const [fx, fy] of [
        [0.36, 0.42],
        [0.6, 0.62],
      ]) {
        const anchor = page.waitForResponse((r) => /\/anchors$/.test(r.url()) && r.request().method() === 'POST');
        await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
        assert.equal((await anchor).status(), 201, 'POST /anchors');
      }

      // Ask with the keyboard: Enter sends.
      const turn = page.waitForResponse((r) => /\/turns$/.test(r.url()) && r.request().method() === 'POST');
      await page.fill('[data-cxr="input"]', '这两个点相距多远?');
      await page.press('[data-cxr="input"]', 'Enter');
      assert.equal((await turn).status(), 201, 'POST /turns');
      const reply = page.locator('[data-cxr="reply"]').last();
      await reply.waitFor({ timeout: 30_000 });
      const replyText = await reply.innerText();
      assert.match(replyText, /\d+(\.\d+)?\s*(cm|mm)/, `reply states a distance: ${replyText}`);

      // Keyboard: Alt+/ focuses the question box from anywhere, ↑ recalls the last question.
      await page.locator('.cornerstone-viewport-element').first().hover();
      await page.keyboard.press('Alt+Slash');
      assert.equal(
        await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-cxr')),
        'input',
      );
      await page.keyboard.press('ArrowUp');
      assert.equal(await page.inputValue('[data-cxr="input"]'), '这两个点相距多远?');
      await page.fill('[data-cxr="input"]', '');
      assert.equal(await page.getAttribute('[data-cxr="messages"]', 'aria-live'), 'polite', 'answers are announced');

      // The link annotation exists in Cornerstone and in OHIF's MeasurementService.
      await page.waitForTimeout(800);
      const state = await page.evaluate(() => {
        const w = globalThis as any;
        const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
          w.services.viewportGridService.getActiveViewportId(),
        );
        const links = w.cornerstoneTools.annotation.state.getAnnotations('CxrLinkLine', vp.element) ?? [];
        const measurements = w.services.measurementService
          .getMeasurements()
          .filter((m: any) => m.toolName === 'CxrLinkLine')
          .map((m: any) => ({ label: m.label, text: m.displayText.primary.join(' ') }));
        const dashed = vp.element.querySelectorAll('svg line[stroke-dasharray]').length;
        return { links: links.length, measurements, dashed };
      });
      assert.ok(state.links >= 1, 'a CxrLinkLine annotation is drawn');
      assert.ok(
        state.measurements.some((m: { text: string }) => /\d\s*(cm|mm)/.test(m.text)),
        `a link measurement with a length: ${JSON.stringify(state.measurements)}`,
      );
      assert.ok(state.dashed >= 1, 'the centre-to-centre link is drawn dashed in the SVG layer');

      const after = await page.screenshot({ path: path.join(OUT, 'e2e-distance.png') });
      const changed = await changedPixels(before, after, box);
      assert.ok(changed > 200, `the drawing changed the viewport pixels (${changed} changed)`);

      // Hovering the link shows its value in words (no pixel coordinates) and highlights it.
      const link = await page.evaluate(() => {
        const w = globalThis as any;
        const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
          w.services.viewportGridService.getActiveViewportId(),
        );
        const a = w.cornerstoneTools.annotation.state.getAnnotations('CxrLinkLine', vp.element)[0];
        const [p, q] = a.data.cxr.paths[0].points.map((x: number[]) => vp.worldToCanvas(x));
        return [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2 - 0.5];
      });
      await page.click('[data-cy="WindowLevel"]').catch(() => undefined);
      await page.mouse.move(box.x + link[0], box.y + link[1]);
      const tip = page.locator('[data-cxr="hover-tip"]');
      await tip.waitFor({ state: 'visible', timeout: 5000 });
      const tipText = await tip.innerText();
      assert.match(tipText, /\d\s*(cm|mm)/, 'hover shows the value');
      assert.doesNotMatch(tipText, /px/, 'no pixel coordinates for the reader');

      // The measurements panel (second tab on the right) lists the link with its value.
      await page
        .locator('[data-cy="cornerstone-measurements-btn"], [data-cy="measurements-btn"], [data-cy*="Measurement"]')
        .first()
        .click();
      await page.waitForTimeout(800);
      const panelText = await page.locator('body').innerText();
      assert.match(
        panelText,
        /(中心距离|Centre distance)[\s\S]{0,200}\d+(\.\d+)?\s*(cm|mm)/,
        'measurements panel lists the distance',
      );
      // Selecting that row highlights our drawing (Cornerstone's highlighted state).
      await page.mouse.move(5, 5); // away from the drawing: the hover tip hides
      await page
        .getByText(/中心距离|Centre distance/)
        .filter({ visible: true })
        .first()
        .click();
      await page.waitForFunction(
        () => {
          const w = globalThis as any;
          const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
            w.services.viewportGridService.getActiveViewportId(),
          );
          return (w.cornerstoneTools.annotation.state.getAnnotations('CxrLinkLine', vp.element) ?? []).some(
            (a: any) => a.highlighted,
          );
        },
        null,
        { timeout: 5000 },
      );
      await page.screenshot({ path: path.join(OUT, 'e2e-measurements-panel.png') });

      // "Store SR": the session's DICOM SR, with the patient filled in by the viewer, stored through
      // OHIF's data source (store.dicom → STOW-RS on /dicom-web/studies) and loaded into OHIF at once.
      const stow = page.waitForResponse(
        (r) => /\/dicom-web\/studies(\/[\d.]+)?\/?$/.test(r.url()) && r.request().method() === 'POST',
        { timeout: 30_000 },
      );
      await page.click('[data-cy="CxrStoreSr"]');
      assert.equal((await stow).status(), 200, 'STOW-RS of the SR');
      await page.waitForFunction(
        () =>
          (globalThis as any).services.displaySetService.getActiveDisplaySets().some((d: any) => d.Modality === 'SR'),
        null,
        { timeout: 15_000 },
      );
      const lookup = await fetch(`${orthanc.url}/tools/lookup`, {
        method: 'POST',
        body: ds.StudyInstanceUID as string,
      });
      const studyId = ((await lookup.json()) as { ID: string }[])[0].ID;
      const series = (await (await fetch(`${orthanc.url}/studies/${studyId}/series?expand`)).json()) as {
        MainDicomTags: { Modality: string };
      }[];
      assert.ok(
        series.some((x) => x.MainDicomTags.Modality === 'SR'),
        'the SR is stored in the same study',
      );

      // Reopen the study: OHIF's own SR handler must read our TID 1500 measurements and find every
      // tool type rehydratable (the round trip of api.md 14.3).
      const reopened = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      try {
        await openStudy(reopened, server.url, ds.StudyInstanceUID as string);
        await reopened.waitForFunction(
          () =>
            (globalThis as any).services.displaySetService.getActiveDisplaySets().some((d: any) => d.Modality === 'SR'),
          null,
          { timeout: 60_000 },
        );
        const sr = await reopened.evaluate(async () => {
          const w = globalThis as any;
          const d = w.services.displaySetService.getActiveDisplaySets().find((x: any) => x.Modality === 'SR');
          await d.load();
          return {
            tid1500: d.isImagingMeasurementReport,
            n: d.measurements.length,
            rehydratable: d.isRehydratable,
            tools: [...new Set(d.measurements.map((m: any) => String(m.TrackingIdentifier).split(':')[1]))],
          };
        });
        assert.equal(sr.tid1500, true, 'OHIF reads it as an Imaging Measurement Report');
        assert.ok(sr.n >= 1, `OHIF finds the measurements (${JSON.stringify(sr)})`);
        assert.equal(sr.rehydratable, true, `every measurement maps to a Cornerstone tool (${sr.tools.join(', ')})`);
      } finally {
        await reopened.close();
      }

      assert.deepEqual(
        watch.failed.filter((f) => !f.includes('/favicon')),
        [],
        'no failed same-origin requests',
      );
      assert.deepEqual(
        watch.errors.filter((e) => /cxr|ohif-plugins/i.test(e)),
        [],
        'no console errors from our code',
      );
    } catch (e) {
      await page.screenshot({ path: path.join(OUT, 'e2e-distance-failure.png') }).catch(() => undefined);
      console.error('browser log:\n' + watch.log.slice(-40).join('\n') + '\nfailed:\n' + watch.failed.join('\n'));
      throw e;
    } finally {
      await page.close();
    }
  });

  test('a file dropped on /local is analysed from its bytes (application/dicom)', async () => {
    const ds = chestDataset({ width: 512, height: 512, extra: { PixelSpacing: [0.7, 0.7] } });
    const file = path.join(dataDir, 'local-cr.dcm');
    writeFileSync(file, writePart10(ds));
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'en-US' });
    const watch = watchPage(page, server.url);
    try {
      await page.goto(`${server.url}/local`);
      await page.locator('input[type="file"]').first().setInputFiles(file);
      await page.waitForURL(/StudyInstanceUIDs=/, { timeout: 60_000 });
      // Local files live only in page memory: go on from the worklist as a user does (no reload).
      const analysis = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/analyses') && r.request().method() === 'POST',
        { timeout: 120_000 },
      );
      await page.getByText('ZZQX-ID-0001').first().click();
      await page.getByText('CXR Copilot', { exact: true }).first().click();
      await page.waitForURL(/\/cxr\/dicomlocal/, { timeout: 30_000 });
      const res = await analysis;
      assert.equal(res.status(), 201, 'POST /api/v1/analyses with the file bytes');
      assert.equal(res.request().headers()['content-type'], 'application/dicom');
      await page.waitForSelector('[data-cxr="panel"][data-phase="ready"]', { timeout: 60_000 });
      // No DICOMweb behind a local file: "Store SR" stores nothing, says so, and downloads the SR.
      let posted = false;
      page.on('request', (r) => {
        if (/\/dicom-web\//.test(r.url()) && r.method() === 'POST') posted = true;
      });
      const download = page.waitForEvent('download', { timeout: 30_000 });
      await page.click('[data-cy="CxrStoreSr"]');
      assert.match((await download).suggestedFilename(), /\.dcm$/, 'the SR is downloaded');
      await page
        .getByText(/cannot be stored in a PACS/)
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(posted, false, 'nothing is POSTed to DICOMweb for a local file');
      await page.screenshot({ path: path.join(OUT, 'e2e-local.png') });
    } catch (e) {
      await page.screenshot({ path: path.join(OUT, 'e2e-local-failure.png') }).catch(() => undefined);
      console.error('browser log:\n' + watch.log.slice(-40).join('\n') + '\nfailed:\n' + watch.failed.join('\n'));
      throw e;
    } finally {
      await page.close();
    }
  });

  test("a noise image labelled CHEST gets the image-domain warning with the server's reasons", async () => {
    const w = 512,
      h = 512;
    const px = new Uint16Array(w * h);
    let seed = 7;
    for (let i = 0; i < px.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      px[i] = 1500 + ((seed >>> 16) % 1000);
    }
    const ds = chestDataset({ width: w, height: h, extra: { PixelData: [px.buffer] } });
    await orthanc.upload(writePart10(ds));
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'en-US' });
    const watch = watchPage(page, server.url);
    try {
      const { analysisStatus } = await openStudy(page, server.url, ds.StudyInstanceUID as string);
      assert.equal(analysisStatus, 201);
      await page.waitForSelector('[data-cxr="panel"][data-phase="ready"]', { timeout: 60_000 });
      const warnings = page.locator('[data-cxr="warning"][data-kind="image-domain"]');
      await warnings.first().waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await warnings.count(), 1, 'one image warning, not two');
      assert.match(await warnings.first().innerText(), /lung fields not found/);
      await page.screenshot({ path: path.join(OUT, 'e2e-out-of-domain.png') });
    } catch (e) {
      await page.screenshot({ path: path.join(OUT, 'e2e-out-of-domain-failure.png') }).catch(() => undefined);
      console.error('browser log:\n' + watch.log.slice(-40).join('\n') + '\nfailed:\n' + watch.failed.join('\n'));
      throw e;
    } finally {
      await page.close();
    }
  });

  const siim = path.join(SAMPLES_DIR, 'siim-cr-chest.dcm');
  test(
    'a real CR (SIIM sample) renders, is analysed, and an ellipse gets a size',
    { skip: existsSync(siim) ? false : 'no siim-cr-chest.dcm sample' },
    async () => {
      const up = await orthanc.upload(readFileSync(siim));
      const study = (await (await fetch(`${orthanc.url}/studies/${up.ParentStudy}`)).json()) as {
        MainDicomTags: { StudyInstanceUID: string };
      };
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'en-US' });
      const watch = watchPage(page, server.url);
      try {
        const { analysisStatus } = await openStudy(page, server.url, study.MainDicomTags.StudyInstanceUID);
        assert.equal(analysisStatus, 201, 'POST /api/v1/analyses for the SIIM image');
        await page.waitForSelector('[data-cxr="panel"][data-phase="ready"]', { timeout: 60_000 });
        await page.waitForTimeout(1000);
        const shot = await page.screenshot({ path: path.join(OUT, 'e2e-siim.png') });
        const box = await page.locator('.cornerstone-viewport-element canvas').first().boundingBox();
        assert.ok(box);
        // A rendered radiograph has many grey levels; a black or failed viewport has almost none.
        const { data } = await sharp(shot)
          .extract({
            left: Math.round(box.x + box.width * 0.25),
            top: Math.round(box.y + box.height * 0.25),
            width: Math.round(box.width / 2),
            height: Math.round(box.height / 2),
          })
          .greyscale()
          .raw()
          .toBuffer({ resolveWithObject: true });
        const levels = new Set(data).size;
        assert.ok(levels > 40, `the image is rendered (${levels} grey levels in the centre)`);

        // A region drawn with OHIF's EllipticalROI becomes a user anchor; "How big is this region?" sizes it.
        await page.click('[data-cy="EllipticalROI"]');
        const anchor = page.waitForResponse((r) => /\/anchors$/.test(r.url()) && r.request().method() === 'POST');
        await page.mouse.move(box.x + box.width * 0.31, box.y + box.height * 0.36);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * 0.36, box.y + box.height * 0.41, { steps: 8 });
        await page.mouse.move(box.x + box.width * 0.39, box.y + box.height * 0.45, { steps: 8 });
        await page.mouse.up();
        const anchorRes = await anchor;
        assert.equal(anchorRes.status(), 201, 'POST /anchors for the ellipse');
        assert.equal(((await anchorRes.json()) as { geometry: { type: string } }).geometry.type, 'ellipse');
        const turn = page.waitForResponse((r) => /\/turns$/.test(r.url()) && r.request().method() === 'POST');
        await page.fill('[data-cxr="input"]', 'How big is this region?');
        await page.press('[data-cxr="input"]', 'Enter');
        assert.equal((await turn).status(), 201, 'POST /turns');
        const reply = page.locator('[data-cxr="reply"]').last();
        await reply.waitFor({ timeout: 30_000 });
        assert.match(await reply.innerText(), /\d+(\.\d+)?\s*(cm|mm)/, 'the size is stated');
        await page.click('[data-cy="WindowLevel"]').catch(() => undefined);
        await page.mouse.move(box.x + 5, box.y + 5);
        await page.waitForTimeout(800);
        await page.screenshot({ path: path.join(OUT, 'e2e-siim-size.png') });
      } catch (e) {
        console.error('browser log:\n' + watch.log.slice(-40).join('\n') + '\nfailed:\n' + watch.failed.join('\n'));
        throw e;
      } finally {
        await page.close();
      }
    },
  );
});

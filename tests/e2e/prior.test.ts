/**
 * End to end, issue 17: two studies of one patient in Orthanc (tests/support/priorPair: a real film
 * as the prior, the same film after a small pose change as the current, a synthetic nodule that grew
 * from 8 to 12 mm). Open the current one; the change question first says that no prior is attached
 * and how to attach one; the panel offers the earlier study; choosing it analyses the prior by its
 * DICOMweb reference and attaches it (PUT prior, UIDs and an analysis id only); the same question
 * then draws the registered prior outline dashed beside the solid current outline with a change
 * label, lists the measurements in OHIF's panel; the report has the comparison section and the
 * stored SR passes dsrdump.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../server/src/app';
import { ask, openStudy, watchPage } from '../support/browser';
import type { Orthanc } from '../support/orthanc';
import { OUT, e2eSkipReason, startStack, type E2EStack } from '../support/e2eStack';
import { JSRT_DIR, writePriorPair, type PriorPairFiles } from '../support/priorPair';

const why = e2eSkipReason({
  data: { dir: JSRT_DIR, name: '../shared/data/jsrt-train' },
  models: true,
  dsrdump: true,
});

const CHANGE_QUESTION = '和上次比有没有变大?';

/** Uploads one file and returns its StudyInstanceUID. */
async function upload(orthanc: Orthanc, file: string): Promise<string> {
  const up = await orthanc.upload(readFileSync(file));
  const study = (await (await fetch(`${orthanc.url}/studies/${up.ParentStudy}`)).json()) as {
    MainDicomTags: { StudyInstanceUID: string };
  };
  return study.MainDicomTags.StudyInstanceUID;
}

/**
 * Our outlines on the active viewport: their dash style and whether their SVG paths are dashed.
 * Cornerstone keeps each drawn SVG node in its svgNodeCache under "<annotationUID>::path::<id>".
 */
async function outlines(page: Page): Promise<{ id: string; dash: string; svgDashed: boolean; paths: number }[]> {
  return page.evaluate(() => {
    const w = globalThis as any;
    const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
      w.services.viewportGridService.getActiveViewportId(),
    );
    const nodes = Object.values(w.cornerstoneTools.state.svgNodeCache).flatMap((c: any) => Object.entries(c)) as [
      string,
      any,
    ][];
    return (w.cornerstoneTools.annotation.state.getAnnotations('CxrOutline', vp.element) ?? []).map((a: any) => {
      const paths = nodes.filter(([key, n]) => key.startsWith(`${a.annotationUID}::path::`) && n.domRef?.isConnected);
      return {
        id: a.data.cxr.ann.id,
        dash: a.data.cxr.ann.style.lineDash,
        svgDashed: paths.length > 0 && paths.every(([, n]) => !!n.domRef.getAttribute('stroke-dasharray')),
        paths: paths.length,
      };
    });
  });
}

/** The measurement rows OHIF's MeasurementService holds for our drawings: uid, label and value. */
async function measurementRows(page: Page): Promise<{ uid: string; label: string; text: string }[]> {
  return page.evaluate(() =>
    (globalThis as any).services.measurementService.getMeasurements().map((m: any) => ({
      uid: m.uid,
      label: m.label,
      text: [...(m.displayText?.primary ?? []), ...(m.displayText?.secondary ?? [])].join(' '),
    })),
  );
}

/** The current study's SR as stored in Orthanc (after "Store SR"), as a Part 10 file path. */
async function storedSr(orthanc: Orthanc, studyUID: string, dir: string): Promise<string> {
  const [found] = (await (await fetch(`${orthanc.url}/tools/lookup`, { method: 'POST', body: studyUID })).json()) as {
    ID: string;
  }[];
  const instances = (await (await fetch(`${orthanc.url}/studies/${found!.ID}/instances?expand`)).json()) as {
    ID: string;
    MainDicomTags: { SOPClassUID?: string };
  }[];
  const tags = await Promise.all(
    instances.map(async (i) => ({
      id: i.ID,
      tags: await (await fetch(`${orthanc.url}/instances/${i.ID}/tags?simplify`)).json(),
    })),
  );
  const sr = tags.find((t) => (t.tags as { Modality?: string }).Modality === 'SR');
  assert.ok(sr, 'an SR instance is stored in the current study');
  const file = path.join(dir, 'prior-sr.dcm');
  writeFileSync(file, Buffer.from(await (await fetch(`${orthanc.url}/instances/${sr.id}/file`)).arrayBuffer()));
  return file;
}

describe('prior comparison end to end', { skip: why ?? false, timeout: 900_000 }, () => {
  let stack: E2EStack;
  let orthanc: Orthanc;
  let server: RunningServer;
  let browser: Browser;
  let pair: PriorPairFiles;
  let priorStudy: string;
  let currentStudy: string;

  before(async () => {
    stack = await startStack('cxr-e2e-prior-');
    ({ orthanc, server, browser } = stack);
    // Identifiers with a sentinel token, so their absence from every API request can be checked.
    pair = await writePriorPair(path.join(stack.dataDir, 'pair'), {
      patientId: 'ZZQX-PRIOR-7731',
      patientName: 'ZZQXPRIOR^TESTPATIENT',
    });
    priorStudy = await upload(orthanc, pair.priorPath);
    currentStudy = await upload(orthanc, pair.currentPath);
  });
  after(async () => {
    await stack?.stop();
  });

  test('choose the prior in the panel, ask about change: dashed prior outline, change label, report, SR', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    const watch = watchPage(page, server.url);
    // Everything the viewer sends to our API, to check that no patient identifier leaves the page.
    const apiBodies: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/')) apiBodies.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`);
    });
    try {
      const { analysisStatus } = await openStudy(page, server.url, currentStudy);
      assert.equal(analysisStatus, 201);
      await page.waitForSelector('[data-cxr="panel"][data-phase="ready"]', { timeout: 60_000 });
      const shownImage = () =>
        page.evaluate(() => {
          const w = globalThis as any;
          return w.services.cornerstoneViewportService
            .getCornerstoneViewport(w.services.viewportGridService.getActiveViewportId())
            .getCurrentImageId() as string;
        });
      const currentImage = await shownImage();

      // No prior attached yet: the change question says so and how to attach one.
      const none = await ask(page, CHANGE_QUESTION);
      assert.equal(none.turn.understanding.intent, 'compare_prior');
      assert.match(none.reply, /没有附加|未附加/, `says no prior is attached: ${none.reply}`);
      assert.match(none.reply, /附加前片的方法|如何附加|选为本会话的前片/, 'says how to attach one');

      // The panel offers the patient's earlier study, by its date.
      const offer = page.locator('[data-cxr="prior-compare"]');
      await offer.waitFor({ timeout: 30_000 });
      const date = `${pair.priorDate.slice(0, 4)}-${pair.priorDate.slice(4, 6)}-${pair.priorDate.slice(6)}`;
      assert.equal(await offer.innerText(), `与既往片比较 (${date})`);

      // Choosing it: the prior is analysed by its DICOMweb reference, then attached by analysis id.
      const analysed = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/analyses') && r.request().method() === 'POST',
        { timeout: 120_000 },
      );
      const put = page.waitForResponse((r) => /\/prior$/.test(r.url()) && r.request().method() === 'PUT', {
        timeout: 180_000,
      });
      await offer.click();
      const analysis = await analysed;
      assert.equal(analysis.status(), 201);
      assert.equal(JSON.parse(analysis.request().postData() ?? '{}').dicomweb?.studyInstanceUID, priorStudy);
      const attached = await put;
      assert.equal(attached.status(), 200, `PUT prior: ${await attached.text()}`);
      assert.deepEqual(Object.keys(JSON.parse(attached.request().postData() ?? '{}')), ['analysisId']);
      assert.equal((await attached.json()).prior?.intervalDays, pair.intervalDays, 'the interval the server measured');
      const state = page.locator('[data-cxr="prior"][data-state="attached"]');
      await state.waitFor({ timeout: 10_000 });
      assert.match(await state.innerText(), new RegExp(`${date}.*间隔 ${pair.intervalDays} 天`));
      assert.equal(await shownImage(), currentImage, 'loading the prior study does not change the shown image');

      // The same question now compares: the prior outline dashed, the current one solid, a change label.
      const cmp = await ask(page, CHANGE_QUESTION);
      assert.equal(cmp.turn.understanding.intent, 'compare_prior');
      const anns: any[] = cmp.turn.annotations;
      const dashedIds = anns.filter((a) => a.kind === 'outline' && a.style.lineDash === 'dashed').map((a) => a.id);
      assert.ok(dashedIds.length >= 1, `a dashed prior outline: ${JSON.stringify(anns.map((a) => a.kind))}`);
      assert.ok(
        anns.some((a) => a.kind === 'label'),
        'a change label',
      );
      await page.waitForTimeout(800);
      const drawn = await outlines(page);
      for (const id of dashedIds) {
        const d = drawn.find((o) => o.id === id);
        assert.ok(d?.svgDashed, `prior outline ${id} is drawn dashed on the image: ${JSON.stringify(drawn)}`);
      }
      assert.ok(
        drawn.some((o) => o.dash === 'solid' && o.paths > 0 && !o.svgDashed),
        `the current outline is drawn solid: ${JSON.stringify(drawn)}`,
      );
      const labels = await page.evaluate(() => {
        const w = globalThis as any;
        const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
          w.services.viewportGridService.getActiveViewportId(),
        );
        return (w.cornerstoneTools.annotation.state.getAnnotations('CxrTextLabel', vp.element) ?? []).map(
          (a: any) => vp.element.querySelector(`g[data-annotation-uid="${a.annotationUID}"]`)?.textContent ?? '',
        ) as string[];
      });
      const labelTexts = anns.filter((a) => a.kind === 'label').map((a) => String(a.text).split('\n')[0]);
      assert.ok(
        labelTexts.some((t) => labels.some((l) => l.includes(t))),
        `the change label is on the image: ${JSON.stringify(labelTexts)} in ${JSON.stringify(labels)}`,
      );

      // Every measurement of the answer is a row of OHIF's measurements panel: the outlines' sizes
      // and, on the change label, the matched pair's change (both on the pair's measurement anchor).
      const pairIds = new Set<string>(cmp.turn.createdAnchorIds);
      const listedIds = [
        ...anns.filter((a) => a.measurement).map((a) => a.id),
        ...anns.filter((a) => a.kind === 'label' && pairIds.has(a.anchorId)).map((a) => a.id),
      ];
      assert.ok(listedIds.length >= 2, 'the comparison measures the prior and the change');
      const rows = await measurementRows(page);
      const listed = listedIds.map((id) => rows.find((r) => r.uid.includes(`-${id}-`)));
      for (const [i, r] of listed.entries())
        assert.ok(r, `measurement of ${listedIds[i]} is listed: ${JSON.stringify(rows.map((x) => x.label))}`);
      await page.screenshot({ path: path.join(OUT, 'e2e-prior.png') });
      await page
        .locator('[data-cy="cornerstone-measurements-btn"], [data-cy="measurements-btn"], [data-cy*="Measurement"]')
        .first()
        .click();
      await page.waitForTimeout(800);
      const panelText = await page.locator('body').innerText();
      for (const r of listed) assert.ok(panelText.includes(r!.label), `the measurements panel shows "${r!.label}"`);
      // Rows name the finding compared (A1), not the refinement or pair anchors made for it.
      const subject = cmp.turn.resolvedAnchors.find((x: any) => x.role === 'subject')?.anchorId;
      if (subject)
        for (const r of listed) assert.ok(r!.label.startsWith(`${subject} `), `"${r!.label}" names ${subject}`);
      assert.ok(
        listed.some((r) => /前片/.test(r!.label)) && listed.some((r) => /变化/.test(r!.label)),
        `the prior size and the change are in the panel: ${JSON.stringify(listed.map((r) => r!.label))}`,
      );
      await page.screenshot({ path: path.join(OUT, 'e2e-prior-measurements.png') });

      // The report has the comparison section (asked in the chat panel's tab again).
      await page.click('[data-cy="chat-btn"]');
      await page.waitForSelector('[data-cxr="input"]', { state: 'visible', timeout: 10_000 });
      const report = await ask(page, '生成结构化报告');
      assert.equal(report.turn.understanding.intent, 'report');
      const href = report.turn.links.find((l: any) => l.rel === 'report')?.href as string;
      const text = await page.evaluate(
        async (u) => (await fetch(u.replace(/format=[a-z-]+/, 'format=text'), { credentials: 'same-origin' })).text(),
        href,
      );
      assert.match(text, /比较/, 'the report has the comparison section');

      // The SR, stored through OHIF's data source, passes dsrdump and holds the comparison.
      const stow = page.waitForResponse(
        (r) => /\/dicom-web\/studies(\/[\d.]+)?\/?$/.test(r.url()) && r.request().method() === 'POST',
        { timeout: 30_000 },
      );
      await page.click('[data-cy="CxrStoreSr"]');
      assert.equal((await stow).status(), 200, 'STOW-RS of the SR');
      const srFile = await storedSr(orthanc, currentStudy, stack.dataDir);
      const dump = spawnSync('/usr/bin/dsrdump', [srFile], { encoding: 'utf8' });
      assert.equal(dump.status, 0, `dsrdump: ${dump.stderr}`);
      assert.match(dump.stdout, /Comparison with prior/i, 'the SR has a comparison entry');

      // The prior beside the current film (OHIF's 1×2 layout): the current film keeps the conversation
      // and the drawings; looking at the prior (clicking its viewport) analyses nothing.
      const gridSize = () =>
        page.evaluate(() => (globalThis as any).services.viewportGridService.getState().viewports.size as number);
      await page.click('[data-cxr="prior-beside"]');
      await page.waitForFunction(
        (prior) => {
          const w = globalThis as any;
          const cvs = w.services.cornerstoneViewportService;
          return cvs.getViewportIds().some((id: string) => {
            const img = cvs.getCornerstoneViewport(id)?.getCurrentImageId?.();
            return !!img && w.cornerstone.metaData.get('instance', img)?.StudyInstanceUID === prior;
          });
        },
        priorStudy,
        { timeout: 30_000 },
      );
      assert.equal(await gridSize(), 2, 'two viewports');
      assert.equal(await shownImage(), currentImage, 'the active viewport still shows the current film');
      await page.waitForTimeout(800);
      assert.ok(
        (await outlines(page)).some((o) => o.dash === 'dashed' && o.svgDashed),
        'the dashed prior outline stays on the current film',
      );
      await page.screenshot({ path: path.join(OUT, 'e2e-prior-beside.png') });
      let analysedAgain = 0;
      page.on('request', (r) => {
        if (r.url().endsWith('/api/v1/analyses') && r.method() === 'POST') analysedAgain++;
      });
      const boxes = await page.locator('.cornerstone-viewport-element').evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        }),
      );
      const right = boxes.sort((a, b) => b.x - a.x)[0]!;
      await page.mouse.click(right.x + right.width / 2, right.y + right.height / 2);
      await page.waitForTimeout(2500);
      assert.equal(analysedAgain, 0, 'the prior is not analysed as a new conversation');
      assert.equal(await page.locator('[data-cxr="panel"]').getAttribute('data-phase'), 'ready');
      await page.click('[data-cxr="prior-beside"]');
      await page.waitForFunction(
        (imageId) => {
          const w = globalThis as any;
          const grid = w.services.viewportGridService;
          const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(grid.getActiveViewportId());
          return grid.getState().viewports.size === 1 && vp?.getCurrentImageId?.() === imageId;
        },
        currentImage,
        { timeout: 15_000 },
      );

      // Removing the prior (DELETE prior): the panel offers it again.
      const removed = page.waitForResponse((r) => /\/prior$/.test(r.url()) && r.request().method() === 'DELETE', {
        timeout: 30_000,
      });
      await page.click('[data-cxr="prior-detach"]');
      assert.equal((await removed).status(), 204);
      await page.locator('[data-cxr="prior-compare"]').waitFor({ timeout: 10_000 });

      // The server never saw who the patient is.
      assert.doesNotMatch(apiBodies.join('\n'), /ZZQX/, 'no PatientID or PatientName sent to the API');
      assert.deepEqual(
        watch.failed.filter((f) => !f.includes('/favicon')),
        [],
      );
    } catch (e) {
      await page.screenshot({ path: path.join(OUT, 'e2e-prior-failure.png') }).catch(() => undefined);
      console.error('browser log:\n' + watch.log.slice(-40).join('\n') + '\nfailed:\n' + watch.failed.join('\n'));
      throw e;
    } finally {
      await page.close();
    }
  });
});

/**
 * Debian's Chromium driven by playwright-core (never `playwright install`), headless with software
 * WebGL, which Cornerstone renders with (ohif-integration.md §8).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browserAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Collects console errors, page errors and failed same-origin requests for assertions and logs. */
export function watchPage(page: Page, origin: string): { errors: string[]; failed: string[]; log: string[] } {
  const w = { errors: [] as string[], failed: [] as string[], log: [] as string[] };
  page.on('console', (m) => {
    const line = `[${m.type()}] ${m.text()}`;
    w.log.push(line);
    if (m.type() === 'error') w.errors.push(line);
  });
  page.on('pageerror', (e) => w.errors.push(`[pageerror] ${e.message}`));
  page.on('response', (r) => {
    if (r.url().startsWith(origin) && r.status() >= 400)
      w.failed.push(`${r.status()} ${r.request().method()} ${r.url().slice(origin.length)}`);
  });
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(origin)) w.failed.push(`failed ${r.method()} ${r.url().slice(origin.length)}`);
  });
  return w;
}

/** Opens a study in our mode and waits until the image is drawn and the analysis exists. */
export async function openStudy(page: Page, origin: string, studyUID: string): Promise<{ analysisStatus: number }> {
  const analysis = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/analyses') && r.request().method() === 'POST',
    { timeout: 120_000 },
  );
  await page.goto(`${origin}/cxr?StudyInstanceUIDs=${studyUID}`);
  const status = (await analysis).status();
  await page.waitForFunction(
    () => {
      const w = globalThis as any;
      const id = w.services?.viewportGridService?.getActiveViewportId?.();
      const vp = id && w.services.cornerstoneViewportService.getCornerstoneViewport(id);
      return !!vp?.getCurrentImageId?.() && !!vp.getImageData?.();
    },
    null,
    { timeout: 60_000 },
  );
  return { analysisStatus: status };
}

/** Types a question into the chat panel, presses Enter, and returns the turn JSON and the reply text. */
export async function ask(page: Page, text: string): Promise<{ turn: any; reply: string }> {
  const count = await page.locator('[data-cxr="reply"]').count();
  const res = page.waitForResponse((r) => /\/turns$/.test(r.url()) && r.request().method() === 'POST', {
    timeout: 60_000,
  });
  await page.fill('[data-cxr="input"]', text);
  await page.press('[data-cxr="input"]', 'Enter');
  const r = await res;
  if (r.status() !== 201) throw new Error(`POST /turns answered ${r.status()}`);
  const turn = await r.json();
  await page.locator('[data-cxr="reply"]').nth(count).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(400);
  return { turn, reply: await page.locator('[data-cxr="reply"]').nth(count).innerText() };
}

/** How many annotations of each of our tools are drawn on the active viewport. */
export async function annotationCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const w = globalThis as any;
    const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
      w.services.viewportGridService.getActiveViewportId(),
    );
    const out: Record<string, number> = {};
    for (const t of [
      'CxrRegionHighlight',
      'CxrOutline',
      'CxrLinkLine',
      'CxrPointMarkers',
      'CxrTextLabel',
      'CxrHeatmap',
    ]) {
      out[t] = (w.cornerstoneTools.annotation.state.getAnnotations(t, vp.element) ?? []).length;
    }
    return out;
  });
}

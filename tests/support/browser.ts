/**
 * Debian's Chromium driven by playwright-core (never `playwright install`), headless with software
 * WebGL, which Cornerstone renders with (ohif-integration.md §8).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browserAvailable(): boolean { return existsSync(CHROMIUM); }

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
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
    if (r.url().startsWith(origin) && r.status() >= 400) w.failed.push(`${r.status()} ${r.request().method()} ${r.url().slice(origin.length)}`);
  });
  page.on('requestfailed', (r) => { if (r.url().startsWith(origin)) w.failed.push(`failed ${r.method()} ${r.url().slice(origin.length)}`); });
  return w;
}

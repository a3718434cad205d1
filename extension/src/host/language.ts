import type { Lang } from '../api/contract';

/**
 * OHIF's language. OHIF keeps one i18next instance (`@ohif/i18n`); it is not on `window`, but the
 * app is an rspack build whose chunk loader hands a pushed chunk the host's module require, and
 * `@ohif/i18n` is module 90119 in the @ohif/app 3.13.2 dist (its default export is the i18next
 * instance). The shape is checked, and when the lookup fails (another OHIF build) we fall back to
 * what the instance persists: localStorage `i18nextLng`, then the browser language
 * (ohif-integration.md pitfall 14). OHIF reloads the page after a language change in its
 * preferences, so reading it at start is already right; `languageChanged` covers live changes.
 */
export interface I18nLike {
  language: string;
  on(event: 'languageChanged', fn: (lng: string) => void): void;
  off(event: 'languageChanged', fn: (lng: string) => void): void;
}

const OHIF_I18N_MODULE = 90119;
let cached: I18nLike | null | undefined;

function isI18n(x: unknown): x is I18nLike {
  const o = x as I18nLike | null;
  return !!o && typeof o.language === 'string' && typeof o.on === 'function' && typeof o.off === 'function';
}

/** The host's i18next instance, or null when this OHIF build does not expose it where expected. */
function ohifI18n(): I18nLike | null {
  if (cached !== undefined) return cached;
  cached = null;
  const chunks = (globalThis as { rspackChunk?: unknown[] }).rspackChunk;
  if (!Array.isArray(chunks)) return cached;
  try {
    chunks.push([
      [`cxr-copilot-i18n-${Date.now()}`],
      {},
      (req: (id: number) => { A?: unknown }) => {
        const inst = req(OHIF_I18N_MODULE)?.A;
        if (isI18n(inst)) cached = inst;
      },
    ]);
  } catch {
    cached = null;
  }
  return cached;
}

/** zh for any Chinese tag (zh, zh-CN, zh-Hans…), else en: the two languages the server speaks. */
function langOf(tag: string | null | undefined): Lang {
  return (tag ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The language OHIF shows now. */
export function ohifLanguage(): Lang {
  const inst = ohifI18n();
  if (inst?.language) return langOf(inst.language);
  let stored: string | null = null;
  try {
    stored = globalThis.localStorage?.getItem('i18nextLng') ?? null;
  } catch {
    stored = null;
  }
  return langOf(stored ?? globalThis.navigator?.language);
}

/** Calls `fn` whenever OHIF's language changes; returns the unsubscribe function. */
export function watchOhifLanguage(fn: (lang: Lang) => void): () => void {
  const inst = ohifI18n();
  if (!inst) return () => undefined;
  const on = (lng: string) => fn(langOf(lng));
  inst.on('languageChanged', on);
  return () => inst.off('languageChanged', on);
}

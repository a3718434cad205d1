const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A server id: prefix + 16 chars of [0-9a-z] (api.md 1.2). */
export function newId(prefix: 'an_' | 'ss_'): string {
  // Web Crypto: the same call in Node (≥ 19) and in the browser (issue 18, runtime-neutral core)
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let s = '';
  for (const b of bytes) s += ALPHABET[b % 36];
  return prefix + s;
}

/** RFC 3339 UTC with milliseconds. */
export const nowIso = (t = Date.now()): string => new Date(t).toISOString();

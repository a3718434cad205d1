import type { SignInDeps } from './signIn';

/** The real browser for signIn.ts: fetch with the cookie only, window.prompt, location.assign. */
export function browserSignIn(promptText: string): SignInDeps {
  return {
    probe: async (url) => (await fetch(url, { method: 'HEAD', credentials: 'same-origin', cache: 'no-store' })).status,
    ask: () => window.prompt(promptText),
    go: (url) => window.location.assign(url),
    here: () => ({ pathname: window.location.pathname, search: window.location.search }),
  };
}

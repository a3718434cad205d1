/**
 * Browser sign-in with the server's HttpOnly cookie alone (issue 11, item 10). The panel never holds
 * the token: it asks the server whether the cookie is there (a cheap authenticated HEAD) and only
 * when it is not does it ask the user once, then hands the token to the server's own sign-in
 * (`?access_token=`), which sets the cookie and redirects back without it. Nothing is written to
 * sessionStorage or localStorage, where any script on the page could read it.
 * DOM-free (the browser side is signInBrowser.ts), so node tests run it as it is.
 */

/** What sign-in needs from the browser; injected so the logic is testable without one. */
export interface SignInDeps {
  /** Status of an authenticated request sent with the cookie only (credentials: same-origin). */
  probe(url: string): Promise<number>;
  /** Asks the user for the token (window.prompt); null or '' when cancelled. */
  ask(): string | null;
  /** Navigates the page (location.assign). */
  go(url: string): void;
  /** The page's current path and query. */
  here(): { pathname: string; search: string };
}

export type SignInResult = 'signed_in' | 'redirecting' | 'declined' | 'unreachable';

/** The key older versions kept the token under; removed so no copy stays script-readable. */
const LEGACY_TOKEN_KEY = 'cxrCopilot.token';

export function forgetStoredToken(storage: { removeItem(key: string): void } | undefined): void {
  try {
    storage?.removeItem(LEGACY_TOKEN_KEY);
  } catch {
    /* storage disabled: nothing stored either */
  }
}

/** The current page with `access_token` added: the server turns it into the cookie and strips it. */
export function signInUrl(here: { pathname: string; search: string }, token: string): string {
  const params = new URLSearchParams(here.search);
  params.set('access_token', token);
  return `${here.pathname}?${params.toString()}`;
}

/** Prompts only when the server says the cookie is missing or no longer valid (401). */
export async function ensureSignedIn(apiBase: string, deps: SignInDeps): Promise<SignInResult> {
  let status: number;
  try {
    status = await deps.probe(`${apiBase}/ontology/checklists`);
  } catch {
    return 'unreachable';
  }
  if (status !== 401) return 'signed_in';
  const token = deps.ask()?.trim();
  if (!token) return 'declined';
  deps.go(signInUrl(deps.here(), token));
  return 'redirecting';
}

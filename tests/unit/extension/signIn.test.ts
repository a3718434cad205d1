/**
 * The panel's sign-in (issue 11, item 10): with the HttpOnly cookie present it never prompts; without
 * it, it prompts once and hands the token to the server's sign-in URL; the API client and the sign-in
 * never touch sessionStorage and never build an Authorization header (the cookie alone authenticates).
 */
import assert from 'node:assert/strict';
import { ensureSignedIn, forgetStoredToken, signInUrl, type SignInDeps } from '../../../extension/src/api/signIn';

/** A Storage that records every access: any use by the client is a finding. */
function watchedStorage() {
  const used: string[] = [];
  const data = new Map<string, string>([['cxrCopilot.token', 'old-token-from-a-previous-version']]);
  const storage = {
    getItem: (k: string) => {
      used.push(`get:${k}`);
      return data.get(k) ?? null;
    },
    setItem: (k: string, v: string) => {
      used.push(`set:${k}`);
      data.set(k, v);
    },
    removeItem: (k: string) => {
      used.push(`remove:${k}`);
      data.delete(k);
    },
  };
  return { storage, used, data };
}

function fakeBrowser(status: number, answer: string | null) {
  const calls = { probe: [] as string[], ask: 0, go: [] as string[] };
  const deps: SignInDeps = {
    probe: async (url) => {
      calls.probe.push(url);
      return status;
    },
    ask: () => {
      calls.ask++;
      return answer;
    },
    go: (url) => {
      calls.go.push(url);
    },
    here: () => ({ pathname: '/cxr', search: '?StudyInstanceUIDs=1.2.3' }),
  };
  return { deps, calls };
}

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
  delete (globalThis as { sessionStorage?: unknown }).sessionStorage;
});

test('cookie present (the probe is not 401): no prompt, no navigation', async () => {
  const { deps, calls } = fakeBrowser(200, 'should-not-be-asked');
  assert.equal(await ensureSignedIn('/api/v1', deps), 'signed_in');
  assert.deepEqual(calls.probe, ['/api/v1/ontology/checklists']);
  assert.equal(calls.ask, 0);
  assert.deepEqual(calls.go, []);
});

test('no cookie (401): one prompt, then the server sign-in URL on the same page; cancel leaves the page', async () => {
  const { deps, calls } = fakeBrowser(401, '  my-token  ');
  assert.equal(await ensureSignedIn('/api/v1', deps), 'redirecting');
  assert.equal(calls.ask, 1);
  assert.deepEqual(calls.go, ['/cxr?StudyInstanceUIDs=1.2.3&access_token=my-token']);
  const cancelled = fakeBrowser(401, null);
  assert.equal(await ensureSignedIn('/api/v1', cancelled.deps), 'declined');
  assert.deepEqual(cancelled.calls.go, []);
  const down = fakeBrowser(0, 'x');
  down.deps.probe = async () => {
    throw new Error('offline');
  };
  assert.equal(await ensureSignedIn('/api/v1', down.deps), 'unreachable');
  assert.equal(signInUrl({ pathname: '/', search: '' }, 'a&b'), '/?access_token=a%26b');
});

test('the API client sends no Authorization header and never reads or writes sessionStorage', async () => {
  const { storage, used } = watchedStorage();
  (globalThis as { sessionStorage?: unknown }).sessionStorage = storage;
  const seen: RequestInit[] = [];
  globalThis.fetch = (async (_url: string, init: RequestInit) => {
    seen.push(init);
    return new Response(JSON.stringify({ id: 'ss_x' }), {
      status: 201,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  // Loaded at run time: the client's DOM types are outside the server tsconfig that checks the tests.
  const clientModule = '../../../extension/src/api/client';
  const { CopilotApi } = (await import(clientModule)) as {
    CopilotApi: new (base: string) => {
      createSession(a: string, l: string): Promise<unknown>;
      getSession(id: string): Promise<unknown>;
    };
  };
  const api = new CopilotApi('/api/v1');
  await api.createSession('an_x', 'en');
  await api.getSession('ss_x');
  assert.equal(seen.length, 2);
  for (const init of seen) {
    assert.equal(init.credentials, 'same-origin', 'the cookie goes along');
    assert.equal((init.headers as Record<string, string>).Authorization, undefined);
  }
  assert.deepEqual(used, [], 'no sessionStorage access');
  assert.equal('token' in CopilotApi, false, 'no static token property any more');
});

test('a token left in sessionStorage by an older version is removed', () => {
  const { storage, data } = watchedStorage();
  forgetStoredToken(storage);
  assert.equal(data.has('cxrCopilot.token'), false);
  forgetStoredToken(undefined);
});

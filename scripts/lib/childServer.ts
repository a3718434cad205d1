/** A server started as a child process (`node --import tsx server/src/main.ts`): waiting for its address. */
import type { ChildProcess } from 'node:child_process';

/**
 * Resolves with the URL the child prints ("… listening on http://127.0.0.1:PORT"); rejects when it
 * exits first or prints nothing in `timeoutMs`, with the stderr collected so far.
 */
export function listeningUrl(child: ChildProcess, stderr: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const t = setTimeout(
      () => reject(new Error(`server did not start in ${timeoutMs / 1000} s: ${stderr.join('')}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
    child.once('exit', (c) => {
      clearTimeout(t);
      reject(new Error(`server exited ${c}: ${stderr.join('')}`));
    });
  });
}

/** A reply read as JSON when it is JSON (`body` is then the parsed value, else null), with its time. */
export interface JsonReply<T> {
  status: number;
  body: T | null;
  headers: Headers;
  ms: number;
}

/** fetch with an optional `json` body, the reply parsed when it is JSON. */
export async function requestJson<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<JsonReply<T>> {
  const t = performance.now();
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: json !== undefined ? { 'content-type': 'application/json' } : rest.headers,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await res.text();
  let body: T | null = null;
  try {
    body = JSON.parse(text) as T;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers, ms: performance.now() - t };
}

/**
 * What the same-origin DICOMweb proxy may forward (issue 11, item 1).
 *
 * The proxy used to build `new URL(base + rest)`: `/dicom-web/..%2fpatients` reached Orthanc's whole
 * REST API, because Orthanc (like many servers) decodes `%2f` before routing. Here the path is
 * checked segment by segment against the DICOMweb resource grammar and the upstream URL is built
 * from the checked segments only. Nothing the viewer needs is percent-encoded (UIDs are digits and
 * dots, the rest are fixed words, tags and frame numbers), so any `%` is refused outright.
 */

/** Why a request is refused; `status` is what the client gets. */
export interface PathRefusal {
  ok: false;
  status: 400 | 404 | 405;
  reason: 'path_traversal' | 'not_dicomweb' | 'method';
  allowed?: string[];
}
export interface PathAccepted {
  ok: true;
  segments: string[];
  query: string;
}
export type PathVerdict = PathAccepted | PathRefusal;

const UID = /^[0-9]{1,64}(?:\.[0-9]{1,64}){0,63}$/;
const FRAME_LIST = /^[1-9][0-9]{0,5}(?:,[1-9][0-9]{0,5}){0,255}$/;
/** Orthanc's BulkDataURI tail: `bulk/7fe00010`, nested `bulk/00400275/1/0040a730/…`. */
const BULK_PART = /^(?:[0-9A-Fa-f]{8}|[0-9]{1,6})$/;
const READ = ['GET', 'HEAD'];
const READ_STORE = ['GET', 'HEAD', 'POST'];
/** A view of a resource: `…/metadata`, `…/rendered`, `…/thumbnail`. */
const VIEWS = new Set(['metadata', 'rendered', 'thumbnail']);

const isUid = (s: string | undefined): boolean => s !== undefined && s.length <= 64 && UID.test(s);

/**
 * A raw segment (as sent, before any decoding) that could step out of the DICOMweb root once some
 * server decodes it: `.`, `..`, any percent-encoding (`%2e%2e`, `%2f`, `%5c`, `%252f`, `%00` …), a
 * backslash (the WHATWG URL parser treats `\` as `/`), an empty segment (`//`), or a control
 * character.
 */
export function isTraversalSegment(raw: string): boolean {
  if (raw === '' || raw === '.' || raw === '..') return true;
  // eslint-disable-next-line no-control-regex
  return /[%\\\u0000-\u001f\u007f]/.test(raw);
}

/** The methods allowed on a DICOMweb path (QIDO/WADO-RS read; STOW-RS on studies[/uid]), or null if it is none. */
export function dicomwebMethods(segments: string[]): string[] | null {
  const [root, study, ...rest] = segments;
  if (root !== 'studies') return null;
  if (study === undefined) return READ_STORE; // QIDO studies; STOW-RS (OHIF's upload)
  if (!isUid(study)) return null;
  if (rest.length === 0) return READ_STORE; // WADO-RS study; STOW-RS into a study (the extension's SR)
  return studyTail(rest) ? READ : null;
}

/** `studies/{uid}/` + this: views, `series[/{uid}[/…]]`. */
function studyTail(rest: string[]): boolean {
  const [what, series, ...more] = rest;
  if (rest.length === 1 && (VIEWS.has(what!) || what === 'series')) return true;
  if (what !== 'series' || !isUid(series)) return false;
  if (more.length === 0) return true;
  return seriesTail(more);
}

/** `…/series/{uid}/` + this: views, `instances[/{uid}[/…]]`. */
function seriesTail(rest: string[]): boolean {
  const [what, instance, ...more] = rest;
  if (rest.length === 1 && (VIEWS.has(what!) || what === 'instances')) return true;
  if (what !== 'instances' || !isUid(instance)) return false;
  if (more.length === 0) return true;
  return instanceTail(more);
}

/** `…/instances/{uid}/` + this: views, `frames/{list}[/rendered|thumbnail]`, `bulk/{tag}[/{index}/{tag}…]`. */
function instanceTail(rest: string[]): boolean {
  const [what, arg, view, ...more] = rest;
  if (rest.length === 1) return VIEWS.has(what!);
  if (what === 'frames') {
    if (!FRAME_LIST.test(arg ?? '')) return false;
    return view === undefined || ((view === 'rendered' || view === 'thumbnail') && more.length === 0);
  }
  if (what === 'bulk') return rest.length <= 16 && rest.slice(1).every((p) => BULK_PART.test(p));
  return false;
}

/** Splits `req.url` (relative to the mount point, still percent-encoded) into path and query. */
function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** Checks a `/dicom-web` request: its raw path (relative to the mount point) and method. */
export function checkDicomwebRequest(url: string, method: string): PathVerdict {
  const { path, query } = splitUrl(url);
  if (!path.startsWith('/')) return { ok: false, status: 400, reason: 'path_traversal' };
  // "/studies/" (a trailing slash) is the same resource as "/studies"; any other empty segment is not.
  const raw = path.slice(1).replace(/\/$/, '').split('/');
  if (raw.length === 1 && raw[0] === '') return { ok: false, status: 404, reason: 'not_dicomweb' };
  if (raw.some(isTraversalSegment)) return { ok: false, status: 400, reason: 'path_traversal' };
  const allowed = dicomwebMethods(raw);
  if (!allowed) return { ok: false, status: 404, reason: 'not_dicomweb' };
  if (!allowed.includes(method)) return { ok: false, status: 405, reason: 'method', allowed };
  return { ok: true, segments: raw, query };
}

/** WADO-URI parameters that name objects; each must be a UID. */
const WADO_UIDS = ['studyUID', 'seriesUID', 'objectUID'];

/**
 * Checks a `/wado` request: only the query form `?requestType=WADO&studyUID=…&seriesUID=…&objectUID=…`,
 * GET or HEAD.
 */
export function checkWadoUriRequest(url: string, method: string): PathVerdict {
  const { path, query } = splitUrl(url);
  if (path !== '/' && path !== '') {
    const raw = path.slice(1).split('/');
    if (raw.some(isTraversalSegment)) return { ok: false, status: 400, reason: 'path_traversal' };
    return { ok: false, status: 404, reason: 'not_dicomweb' };
  }
  const params = new URLSearchParams(query);
  if (
    params.get('requestType') !== 'WADO' ||
    !WADO_UIDS.every((k) => params.getAll(k).length <= 1 && (params.get(k) === null || isUid(params.get(k)!)))
  ) {
    return { ok: false, status: 404, reason: 'not_dicomweb' };
  }
  if (!params.get('objectUID')) return { ok: false, status: 404, reason: 'not_dicomweb' };
  if (!READ.includes(method)) return { ok: false, status: 405, reason: 'method', allowed: READ };
  return { ok: true, segments: [], query };
}

/**
 * The upstream URL: the configured base plus the checked segments, each encoded again (they need no
 * encoding, which is the point), and the query as sent. Never string concatenation of the raw path.
 */
export function upstreamUrl(base: string, verdict: PathAccepted): URL {
  const url = new URL(base);
  const basePath = url.pathname.replace(/\/+$/, '');
  url.pathname = [basePath, ...verdict.segments.map(encodeURIComponent)].join('/') || '/';
  url.search = verdict.query ? `?${verdict.query}` : '';
  url.hash = '';
  return url;
}

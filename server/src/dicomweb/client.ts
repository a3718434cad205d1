/**
 * WADO-RS retrieval of one instance (api.md 4.1): GET
 * {base}/studies/{study}/series/{series}/instances/{sop} with
 * `Accept: multipart/related; type="application/dicom"; transfer-syntax=*`, returning the Part 10
 * bytes of the first application/dicom part.
 */
import { ApiError } from '../errors';

export interface InstanceRef {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
}

export const WADO_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';

const upstreamError = (upstreamStatus: number | null, reason: string): ApiError =>
  new ApiError('dicomweb_error', 'The DICOMweb server failed or did not answer in time.', { upstreamStatus, reason });

/**
 * Fetches one instance. Upstream 404 → not_found (resource "dicomweb_instance"); any other
 * failure, a bad multipart body or the timeout → dicomweb_error (502) with upstreamStatus.
 * A body larger than `maxBytes` → payload_too_large.
 */
export async function fetchInstance(
  baseUrl: string,
  ref: InstanceRef,
  timeoutMs: number,
  maxBytes = 64 * 1024 * 1024,
): Promise<Buffer> {
  const base = baseUrl.replace(/\/+$/, '');
  const url =
    `${base}/studies/${encodeURIComponent(ref.studyInstanceUID)}/series/${encodeURIComponent(ref.seriesInstanceUID)}` +
    `/instances/${encodeURIComponent(ref.sopInstanceUID)}`;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  let status: number | null = null;
  try {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'GET',
        headers: { Accept: WADO_ACCEPT },
        signal: ac.signal,
        redirect: 'follow',
      });
    } catch {
      throw upstreamError(null, ac.signal.aborted ? 'timeout' : 'connection_failed');
    }
    status = res.status;
    if (res.status === 404) {
      await res.body?.cancel().catch(() => undefined);
      throw new ApiError('not_found', 'The DICOMweb instance was not found.', { resource: 'dicomweb_instance' });
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw upstreamError(res.status, 'upstream_status');
    }
    const body = await readLimited(res, maxBytes, ac);
    const contentType = res.headers.get('content-type') ?? '';
    if (/^multipart\/related/i.test(contentType)) {
      const boundary = boundaryOf(contentType);
      if (!boundary) throw upstreamError(status, 'bad_multipart');
      const part = firstDicomPart(body, boundary);
      if (!part) throw upstreamError(status, 'bad_multipart');
      return part;
    }
    if (/^application\/(dicom|octet-stream)/i.test(contentType)) return body;
    throw upstreamError(status, 'unexpected_content_type');
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw upstreamError(status, ac.signal.aborted ? 'timeout' : 'read_failed');
  } finally {
    clearTimeout(timer);
  }
}

async function readLimited(res: Response, maxBytes: number, ac: AbortController): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    ac.abort();
    throw new ApiError('payload_too_large', 'The DICOMweb instance is larger than the body limit.', {
      limit: maxBytes,
      actual: declared,
    });
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      ac.abort();
      throw new ApiError('payload_too_large', 'The DICOMweb instance is larger than the body limit.', {
        limit: maxBytes,
      });
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, total);
}

/** The boundary parameter of a multipart Content-Type (quoted or not). */
export function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m ? (m[1] ?? m[2]) : null;
  return b && b.length <= 200 ? b : null;
}

/**
 * Body of the first part whose Content-Type is application/dicom (or has none) in a
 * multipart/related body (RFC 2046: parts separated by CRLF--boundary, closed by --boundary--).
 */
export function firstDicomPart(body: Buffer, boundary: string): Buffer | null {
  const delim = Buffer.from(`--${boundary}`, 'latin1');
  let at = body.indexOf(delim);
  while (at >= 0) {
    let p = at + delim.length;
    if (body[p] === 0x2d && body[p + 1] === 0x2d) return null; // closing delimiter
    const lineEnd = body.indexOf('\r\n', p);
    if (lineEnd < 0) return null;
    p = lineEnd + 2;
    const headEnd = body.indexOf('\r\n\r\n', p - 2);
    if (headEnd < 0) return null;
    const headers = body.toString('latin1', p, headEnd);
    const start = headEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), start);
    const end = next >= 0 ? next : body.length;
    const type = /(?:^|\r\n)content-type\s*:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim().toLowerCase();
    if (!type || type === 'application/dicom' || type === 'application/octet-stream') return body.subarray(start, end);
    if (next < 0) return null;
    at = next + 2;
  }
  return null;
}

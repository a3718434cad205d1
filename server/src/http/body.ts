import Busboy from 'busboy';
import type express from 'express';
import { ApiError } from '../errors';

export interface UploadBody {
  bytes: Buffer;
  mediaType: string;
  fields: Record<string, string>;
}

/** A body that has not fully arrived by the deadline (a slow client must not hold an analysis slot). */
const bodyTimeout = (ms: number): ApiError =>
  new ApiError('invalid_request', 'The request body did not arrive in time.', { reason: 'body_timeout', limit: ms });

/** Calls `onTimeout` after `ms` (none when ms is undefined); returns the canceller. */
function deadline(ms: number | undefined, onTimeout: () => void): () => void {
  if (!ms) return () => undefined;
  const t = setTimeout(onTimeout, ms);
  return () => clearTimeout(t);
}

const declaredType = (req: express.Request): string =>
  (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

/** Reads a raw body up to `limit` bytes: 413 on Content-Length or while streaming; 400 after `timeoutMs`. */
export function readRaw(req: express.Request, limit: number, timeoutMs?: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(
      new ApiError('payload_too_large', 'The request body is larger than the configured limit.', {
        limit,
        actual: declared,
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const cancel = deadline(timeoutMs, () => {
      if (failed) return;
      failed = true;
      chunks.length = 0;
      reject(bodyTimeout(timeoutMs!));
      req.resume();
    });
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(new ApiError('payload_too_large', 'The request body is larger than the configured limit.', { limit }));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      cancel();
      if (!failed) resolve(Buffer.concat(chunks));
    });
    // a client that hangs up mid-body: free what was buffered and fail the read
    req.on('close', () => {
      if (req.complete || failed) return;
      cancel();
      failed = true;
      chunks.length = 0;
      reject(new ApiError('invalid_request', 'The request body could not be read.', { reason: 'aborted' }));
    });
    req.on('error', () => {
      cancel();
      if (!failed)
        reject(new ApiError('invalid_request', 'The request body could not be read.', { reason: 'aborted' }));
    });
  });
}

/** Reads a multipart/form-data upload with exactly one `file` part and optional text fields. */
export function readMultipart(req: express.Request, limit: number, timeoutMs?: number): Promise<UploadBody> {
  return new Promise((resolve, reject) => {
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { fileSize: limit, files: 2, fields: 10, fieldSize: 1024 } });
    } catch {
      reject(new ApiError('invalid_request', 'The multipart body has no valid boundary.', { field: 'file' }));
      return;
    }
    const fields: Record<string, string> = {};
    let file: { bytes: Buffer; mediaType: string } | null = null;
    let fileCount = 0;
    let error: ApiError | null = null;
    bb.on('file', (name, stream, info) => {
      fileCount++;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        error = new ApiError('payload_too_large', 'The uploaded file is larger than the configured limit.', { limit });
      });
      stream.on('end', () => {
        if (name === 'file') file = { bytes: Buffer.concat(chunks), mediaType: info.mimeType.toLowerCase() };
      });
    });
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    const cancel = deadline(timeoutMs, () => {
      error = bodyTimeout(timeoutMs!);
      req.unpipe(bb);
      req.resume();
      reject(error);
    });
    bb.on('close', cancel);
    bb.on('error', () =>
      reject(error ?? new ApiError('invalid_request', 'The multipart body could not be parsed.', { field: 'file' })),
    );
    bb.on('close', () => {
      if (error) return reject(error);
      if (!file)
        return reject(
          new ApiError('invalid_request', 'The multipart body needs one part named "file".', { field: 'file' }),
        );
      if (fileCount > 1)
        return reject(new ApiError('invalid_request', 'Only one file may be uploaded.', { field: 'file' }));
      const f = file as { bytes: Buffer; mediaType: string };
      resolve({ bytes: f.bytes, mediaType: f.mediaType, fields });
    });
    req.pipe(bb);
  });
}

export { declaredType };

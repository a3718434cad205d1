import express from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import { ApiError, invalid, notFound } from '../../errors';
import type { AnalysisInput, UploadMediaType } from '../../analysis/pipeline';
import { sniffMediaType } from '../../imaging/sniff';
import { fetchInstance } from '../../dicomweb/client';
import type { Services } from '../../services';
import { declaredType, readMultipart, readRaw } from '../body';
import { route } from '../envelope';
import { RateLimiter } from '../rateLimit';
import { clientKey } from '../security';

const UPLOAD_TYPES: UploadMediaType[] = ['application/dicom', 'image/png', 'image/jpeg'];
const uid = z.string().regex(/^[0-9.]{1,64}$/);
const dicomwebRef = z.object({
  dicomweb: z.object({
    studyInstanceUID: uid,
    seriesInstanceUID: uid,
    sopInstanceUID: uid,
    frame: z.number().int().min(0).max(65535).optional(),
  }),
});

interface UploadOptions {
  frame?: number;
  pixelSpacingMm: [number, number] | null;
  viewPosition: string | null;
}

/** Parses frame / pixelSpacingMm / viewPosition from query or multipart fields (api.md 4.1). */
function uploadOptions(src: Record<string, unknown>): UploadOptions {
  const out: UploadOptions = { pixelSpacingMm: null, viewPosition: null };
  if (src.frame !== undefined) {
    const f = Number(src.frame);
    if (!Number.isInteger(f) || f < 0 || f > 65535) throw invalid('frame', 'frame must be an integer from 0 to 65535.');
    out.frame = f;
  }
  if (src.pixelSpacingMm !== undefined) {
    const parts = String(src.pixelSpacingMm).split(',').map(Number);
    if (parts.length !== 2 || !parts.every((v) => Number.isFinite(v) && v > 0 && v < 10)) {
      throw invalid('pixelSpacingMm', 'pixelSpacingMm must be "<row>,<column>" in mm, both > 0.');
    }
    out.pixelSpacingMm = [parts[0], parts[1]];
  }
  if (src.viewPosition !== undefined) {
    const v = String(src.viewPosition).toUpperCase();
    if (!['PA', 'AP', 'LL', 'RL'].includes(v)) throw invalid('viewPosition', 'viewPosition must be PA, AP, LL or RL.');
    out.viewPosition = v;
  }
  return out;
}

/** Checks the bytes against the declared type (api.md 4.1). */
function checkMagic(bytes: Buffer, declared: UploadMediaType): void {
  const detected = sniffMediaType(bytes);
  if (detected === declared) return;
  if (declared === 'application/dicom')
    throw new ApiError('not_dicom', 'The body has no DICM marker at offset 128.', { declared, detected });
  throw new ApiError('unsupported_media_type', 'The body is not what its Content-Type declares.', {
    declared,
    detected,
  });
}

/**
 * Body bytes to reserve before reading (issue 11.6): the declared Content-Length (413 above the
 * limit), or the whole limit for a chunked upload or a DICOMweb fetch, whose size is not known yet.
 */
function bytesToReserve(req: express.Request, type: string, maxBodyBytes: number): number {
  if (type === 'application/json') return maxBodyBytes;
  // a multipart body carries its boundaries and text fields besides the file
  const cap = type === 'multipart/form-data' ? maxBodyBytes + 65536 : maxBodyBytes;
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (!Number.isFinite(declared) || declared < 0) return cap;
  if (declared > cap) {
    throw new ApiError('payload_too_large', 'The request body is larger than the configured limit.', {
      limit: maxBodyBytes,
      actual: declared,
    });
  }
  return declared;
}

const ACCEPTED_TYPES = [...UPLOAD_TYPES, 'multipart/form-data', 'application/json'];

const unsupportedType = (type: string) =>
  new ApiError(
    'unsupported_media_type',
    'Send application/dicom, image/png, image/jpeg, multipart/form-data or a DICOMweb reference as JSON.',
    { declared: type || null, supported: ACCEPTED_TYPES },
  );

export function analysesRouter(config: Config, services: Services): express.Router {
  const r = express.Router();
  const rate = new RateLimiter(config.limits.rateLimitAnalysesPerMin);
  r.post(
    '/',
    route(async (req, res) => {
      try {
        rate.take(clientKey(req, res));
        await createAnalysis(config, services, req, res);
      } catch (e) {
        if (!req.complete) req.resume(); // discard an unread body; the error answers the request
        throw e;
      }
    }),
  );
  addReadRoutes(r, services);
  return r;
}

/** POST /analyses after the rate limit: admission, body, analysis, 201 (api.md 4.1). */
async function createAnalysis(
  config: Config,
  services: Services,
  req: express.Request,
  res: express.Response,
): Promise<void> {
  const type = declaredType(req);
  if (!ACCEPTED_TYPES.includes(type)) throw unsupportedType(type);
  // slot and body budget first: a refused upload is never buffered
  const ticket = await services.analyses.admit(bytesToReserve(req, type, config.limits.maxBodyBytes));
  let handedOver = false;
  try {
    const input = await readAnalysisInput(config, req, type);
    handedOver = true;
    const analysis = await services.analyses.create(input, ticket);
    res.locals.logIds = { analysisId: analysis.id, pixelDataSha256: analysis.image.pixelDataSha256 };
    res.status(201).location(`/api/v1/analyses/${analysis.id}`).json(analysis);
  } finally {
    if (!handedOver) ticket.release();
  }
}

type BodyInput = Pick<AnalysisInput, 'bytes' | 'mediaType' | 'sourceKind' | 'fetchMs'> & { opts: UploadOptions };

/** The analysis input from any accepted body (api.md 4.1); reads the body within the limits. */
async function readAnalysisInput(config: Config, req: express.Request, type: string): Promise<AnalysisInput> {
  const limits = config.limits;
  let body: BodyInput;
  if (type === 'application/json') body = await readDicomwebReference(config, req);
  else if (type === 'multipart/form-data') body = await readMultipartUpload(req, limits);
  else if ((UPLOAD_TYPES as string[]).includes(type)) {
    const mediaType = type as UploadMediaType;
    const opts = uploadOptions(req.query as Record<string, unknown>);
    const bytes = await readRaw(req, limits.maxBodyBytes, limits.analysisTimeoutMs);
    checkMagic(bytes, mediaType);
    body = { bytes, mediaType, sourceKind: 'upload', fetchMs: null, opts };
  } else throw unsupportedType(type);
  const { bytes, mediaType, sourceKind, fetchMs, opts } = body;
  if (mediaType !== 'application/dicom' && opts.frame !== undefined && opts.frame !== 0)
    throw invalid('frame', 'frame applies to DICOM only.');
  return { bytes, mediaType, sourceKind, fetchMs, ...opts };
}

/** A JSON DICOMweb reference: the instance fetched from the configured DICOMweb server. */
async function readDicomwebReference(config: Config, req: express.Request): Promise<BodyInput> {
  const limits = config.limits;
  let body: unknown;
  try {
    body = JSON.parse(
      (await readRaw(req, Math.min(limits.maxBodyBytes, 65536), limits.analysisTimeoutMs)).toString('utf8'),
    );
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('invalid_request', 'The request body is not valid JSON.', { reason: 'malformed_json' });
  }
  const parsed = dicomwebRef.safeParse(body);
  if (!parsed.success)
    throw invalid('dicomweb', 'Expected { dicomweb: { studyInstanceUID, seriesInstanceUID, sopInstanceUID } }.');
  if (!config.dicomwebUrl) throw new ApiError('dicomweb_unavailable', 'No DICOMweb server is configured.');
  const t0 = Date.now();
  const ref = parsed.data.dicomweb;
  const bytes = await fetchInstance(config.dicomwebUrl, ref, limits.dicomwebTimeoutMs, limits.maxBodyBytes);
  const opts = { frame: ref.frame, pixelSpacingMm: null, viewPosition: null };
  return { bytes, mediaType: 'application/dicom', sourceKind: 'dicomweb', fetchMs: Date.now() - t0, opts };
}

/** A multipart upload: the file part (typed by its header, or sniffed when octet-stream) and its fields. */
async function readMultipartUpload(req: express.Request, limits: Config['limits']): Promise<BodyInput> {
  const up = await readMultipart(req, limits.maxBodyBytes, limits.analysisTimeoutMs);
  const sniffed = sniffMediaType(up.bytes);
  const partType = up.mediaType === 'application/octet-stream' ? sniffed : up.mediaType;
  if (!partType || !UPLOAD_TYPES.includes(partType as UploadMediaType)) {
    throw new ApiError('unsupported_media_type', 'The file part must be DICOM, PNG or JPEG.', {
      declared: up.mediaType,
      detected: sniffed,
    });
  }
  const mediaType = partType as UploadMediaType;
  checkMagic(up.bytes, mediaType);
  return { bytes: up.bytes, mediaType, sourceKind: 'upload', fetchMs: null, opts: uploadOptions(up.fields) };
}

/** GET/DELETE of an analysis, point location, structure masks and the heatmap (api.md 4.2, 5.4, 7). */
function addReadRoutes(r: express.Router, services: Services): void {
  r.get(
    '/:id',
    route(async (req, res) => {
      res.json((await services.analyses.get(req.params.id)).analysis);
    }),
  );
  r.delete(
    '/:id',
    route(async (req, res) => {
      await services.analyses.delete(req.params.id);
      res.status(204).end();
    }),
  );
  r.get(
    '/:id/location',
    route(async (req, res) => {
      const entry = await services.analyses.get(req.params.id);
      const x = Number(req.query.x),
        y = Number(req.query.y);
      if (req.query.x === undefined || !Number.isFinite(x)) throw invalid('x', 'x must be a number.');
      if (req.query.y === undefined || !Number.isFinite(y)) throw invalid('y', 'y must be a number.');
      const info = entry.analysis.image;
      if (x < 0 || y < 0 || x > info.columns || y > info.rows)
        throw invalid('x', 'The point lies outside the image.', 'out_of_bounds');
      res.json({ point: [x, y], location: services.locate(entry, [x, y]) });
    }),
  );
  const sendPng = (res: express.Response, png: Buffer) =>
    res.status(200).type('image/png').set('Cache-Control', 'private, max-age=3600').send(png);
  r.get(
    '/:id/masks/:file',
    route(async (req, res) => {
      const entry = await services.analyses.get(req.params.id);
      const m = /^([a-z_]+)\.png$/.exec(req.params.file);
      if (!m) throw notFound('structure', req.params.file);
      sendPng(res, await services.maskPng(entry, m[1]));
    }),
  );
  r.get(
    '/:id/heatmap.png',
    route(async (req, res) => {
      sendPng(res, await services.heatmapPng(await services.analyses.get(req.params.id)));
    }),
  );
}

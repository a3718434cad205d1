import type { Limits } from '../config';
import { decodeImage, type DecodedImage, type DecodeOptions } from '../imaging/decode';
import type { ImageMediaType } from '../imaging/sniff';
import type { AnalysisEntry } from '../store/types';
import type { Analysers } from './analysers';
import { analyseFrame, ms } from './analyseFrame';

export type UploadMediaType = 'application/dicom' | 'image/png' | 'image/jpeg';

export interface AnalysisInput {
  bytes: Buffer;
  mediaType: UploadMediaType;
  sourceKind: 'upload' | 'dicomweb';
  frame?: number;
  pixelSpacingMm?: [number, number] | null;
  viewPosition?: string | null;
  fetchMs: number | null;
}

/** How the pipeline decodes: in a worker pool (DecodePool.decode) or, by default, in-process. */
export type DecodeFn = (
  bytes: Buffer,
  mediaType: ImageMediaType,
  opts: DecodeOptions,
  limits: Limits,
  signal?: AbortSignal,
) => Promise<DecodedImage>;

export interface RunContext {
  decode?: DecodeFn;
  /** Aborts the analysis (deadline): no further stage starts once it has fired. */
  signal?: AbortSignal;
}

const inProcess: DecodeFn = (bytes, mediaType, opts, limits) => decodeImage(bytes, mediaType, opts, limits);

/** Decodes the upload (the Node pixel source), then analyses the frame (analyseFrame.ts; api.md 4.3). */
export async function runAnalysis(
  input: AnalysisInput,
  analysers: Analysers,
  limits: Limits,
  ttlMs: number,
  ctx: RunContext = {},
): Promise<AnalysisEntry> {
  const t0 = performance.now();
  const { signal } = ctx;
  const decoded = await (ctx.decode ?? inProcess)(
    input.bytes,
    input.mediaType,
    { frame: input.frame, pixelSpacingMm: input.pixelSpacingMm ?? null, viewPosition: input.viewPosition ?? null },
    limits,
    signal,
  );
  signal?.throwIfAborted();
  const origin = {
    sourceKind: input.sourceKind,
    mediaType: input.mediaType,
    fetchMs: input.fetchMs,
    decodeMs: ms(t0),
    startedAt: t0,
  };
  return analyseFrame(decoded, origin, analysers, limits, ttlMs, signal);
}

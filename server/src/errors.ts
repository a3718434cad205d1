import type { ErrorCode } from './contract';

/** HTTP status of each contract error code (api.md 1.8). */
export const STATUS_OF: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  origin_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  source_not_dicom: 409,
  anchor_not_deletable: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unsupported_transfer_syntax: 415,
  not_dicom: 422,
  malformed_dicom: 422,
  truncated_pixel_data: 422,
  no_pixel_data: 422,
  pixel_data_size_mismatch: 422,
  image_too_large: 422,
  nesting_too_deep: 422,
  unsupported_pixel_format: 422,
  invalid_image: 422,
  prior_not_earlier: 422,
  prior_not_frontal: 422,
  limit_exceeded: 429,
  internal_error: 500,
  dicomweb_error: 502,
  model_unavailable: 503,
  dicomweb_unavailable: 503,
  busy: 503,
  analysis_timeout: 503,
  misdirected_request: 421,
};

/**
 * A failure the client caused or must hear about, carrying a contract error code.
 * Any layer may throw it; only the http layer turns it into a response.
 * `message` must never contain patient data (api.md 1.7).
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.status = STATUS_OF[code];
  }
}

export const notFound = (resource: string, id: string, reason?: string): ApiError =>
  new ApiError('not_found', `No ${resource} ${id}.`, reason ? { resource, id, reason } : { resource, id });

export const invalid = (field: string, message: string, reason?: string): ApiError =>
  new ApiError('invalid_request', message, reason ? { field, reason } : { field });

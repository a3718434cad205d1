/** Pixel spacing resolution of api.md 1.5. */
import type { ImageInfo, SpacingSource } from '../contract';
import type { ImagingWarning } from './warnings';

export interface SpacingInput {
  pixelSpacing: number[] | null; // (0028,0030) as parsed (NaN for unparsable values)
  imagerPixelSpacing: number[] | null; // (0018,1164)
  ermf: number | null; // (0018,1114)
  calibrationType: string | null; // (0028,0A02)
  requestSpacing: [number, number] | null; // PNG/JPEG request value (already validated)
  isDicom: boolean;
}

export interface SpacingResult {
  pixelSpacingMm: [number, number] | null;
  spacingSource: SpacingSource;
  spacingDetail: ImageInfo['spacingDetail'];
  warnings: ImagingWarning[];
}

const valid = (v: number[] | null): v is number[] =>
  v !== null && v.length === 2 && v.every((x) => Number.isFinite(x) && x > 0);

/** A pair "as found": two finite numbers, else null. */
const asFound = (v: number[] | null): [number, number] | null =>
  v !== null && v.length >= 2 && Number.isFinite(v[0]) && Number.isFinite(v[1]) ? [v[0], v[1]] : null;

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export function resolveSpacing(s: SpacingInput): SpacingResult {
  const warnings: ImagingWarning[] = [];
  const ps = s.isDicom ? s.pixelSpacing : null;
  const ips = s.isDicom ? s.imagerPixelSpacing : null;
  const ermf = s.isDicom ? s.ermf : null;
  const detail: ImageInfo['spacingDetail'] = {
    pixelSpacing: asFound(ps),
    imagerPixelSpacing: asFound(ips),
    ermf: ermf !== null && Number.isFinite(ermf) ? ermf : null,
    calibrationType: s.isDicom ? s.calibrationType : null,
    origin: null,
  };
  const psOk = valid(ps),
    ipsOk = valid(ips);
  const ermfOk = ermf !== null && Number.isFinite(ermf) && ermf >= 1.0;
  if ((ps !== null && !psOk) || (ips !== null && !ipsOk) || (ermf !== null && !ermfOk))
    warnings.push('invalid_pixel_spacing');

  let spacing: [number, number] | null = null;
  let source: SpacingSource = 'none';
  if (psOk) {
    spacing = [ps[0], ps[1]];
    source = 'PixelSpacing';
    detail.origin = 'dicom';
    if (ipsOk && ips[0] === ps[0] && ips[1] === ps[1] && !s.calibrationType) warnings.push('spacing_at_detector');
  } else if (ipsOk && ermfOk) {
    spacing = [round6(ips[0] / (ermf as number)), round6(ips[1] / (ermf as number))];
    source = 'ImagerPixelSpacing/ERMF';
    detail.origin = 'dicom';
  } else if (ipsOk) {
    spacing = [ips[0], ips[1]];
    source = 'ImagerPixelSpacing';
    detail.origin = 'dicom';
    warnings.push('spacing_at_detector');
  } else if (!s.isDicom && valid(s.requestSpacing)) {
    spacing = [s.requestSpacing[0], s.requestSpacing[1]];
    source = 'PixelSpacing';
    detail.origin = 'request';
  } else {
    warnings.push('no_pixel_spacing');
  }
  return { pixelSpacingMm: spacing, spacingSource: source, spacingDetail: detail, warnings };
}

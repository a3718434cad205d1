/** Pixel spacing resolution of api.md 1.5. */
import type { ImageInfo, SpacingSource } from '../contract';
import type { ImagingWarning } from './imagingWarnings';

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
  const ps = s.isDicom ? s.pixelSpacing : null;
  const ips = s.isDicom ? s.imagerPixelSpacing : null;
  const ermf = s.isDicom ? s.ermf : null;
  const ermfFinite = ermf !== null && Number.isFinite(ermf);
  const ermfOk = ermfFinite && ermf >= 1.0;
  const chosen = chooseSpacing(ps, ips, ermfOk ? ermf : null, s);
  const invalid = (ps !== null && !valid(ps)) || (ips !== null && !valid(ips)) || (ermf !== null && !ermfOk);
  const warnings: ImagingWarning[] = invalid ? ['invalid_pixel_spacing', ...chosen.warnings] : chosen.warnings;
  const detail: ImageInfo['spacingDetail'] = {
    pixelSpacing: asFound(ps),
    imagerPixelSpacing: asFound(ips),
    ermf: ermfFinite ? ermf : null,
    calibrationType: s.isDicom ? s.calibrationType : null,
    origin: chosen.origin,
  };
  return { pixelSpacingMm: chosen.spacing, spacingSource: chosen.source, spacingDetail: detail, warnings };
}

interface ChosenSpacing {
  spacing: [number, number] | null;
  source: SpacingSource;
  origin: ImageInfo['spacingDetail']['origin'];
  warnings: ImagingWarning[];
}

/**
 * api.md 1.5's order: Pixel Spacing; Imager Pixel Spacing / ERMF (valid ERMF ≥ 1 only); Imager
 * Pixel Spacing alone (at the detector); the request's value for PNG/JPEG; none.
 */
function chooseSpacing(
  ps: number[] | null,
  ips: number[] | null,
  ermf: number | null,
  s: Pick<SpacingInput, 'calibrationType' | 'requestSpacing' | 'isDicom'>,
): ChosenSpacing {
  const ipsOk = valid(ips);
  if (valid(ps)) {
    const atDetector = ipsOk && ips[0] === ps[0] && ips[1] === ps[1] && !s.calibrationType;
    return {
      spacing: [ps[0], ps[1]],
      source: 'PixelSpacing',
      origin: 'dicom',
      warnings: atDetector ? ['spacing_at_detector'] : [],
    };
  }
  if (ipsOk && ermf !== null) {
    const spacing: [number, number] = [round6(ips[0] / ermf), round6(ips[1] / ermf)];
    return { spacing, source: 'ImagerPixelSpacing/ERMF', origin: 'dicom', warnings: [] };
  }
  if (ipsOk) {
    return {
      spacing: [ips[0], ips[1]],
      source: 'ImagerPixelSpacing',
      origin: 'dicom',
      warnings: ['spacing_at_detector'],
    };
  }
  if (!s.isDicom && valid(s.requestSpacing)) {
    const spacing: [number, number] = [s.requestSpacing[0], s.requestSpacing[1]];
    return { spacing, source: 'PixelSpacing', origin: 'request', warnings: [] };
  }
  return { spacing: null, source: 'none', origin: null, warnings: ['no_pixel_spacing'] };
}

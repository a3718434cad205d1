import type { ImageInfo, Location, Point } from '../contract';

/**
 * Location of a point when no anatomy is available (api.md 4.6): only the side, from the
 * image half and the orientation (patient's right on the viewer's left unless mirrored).
 */
export function fallbackLocate(point: Point, info: ImageInfo): Location {
  const mirrored = info.patientOrientation?.[0] === 'R';
  const leftHalf = point[0] < info.columns / 2;
  const side: 'right' | 'left' = leftHalf !== mirrored ? 'right' : 'left';
  return {
    side, structureId: null, inLung: false, zone: null, zoneId: null, band: null, bandId: null,
    lobe: null, lobeConfidence: null, lobeProbabilities: null, lungFraction: null, retrocardiac: false,
    text: side === 'right'
      ? { zh: '右侧(图像左半,未做解剖分割)', en: 'right side (left half of the image; no anatomy segmentation)' }
      : { zh: '左侧(图像右半,未做解剖分割)', en: 'left side (right half of the image; no anatomy segmentation)' },
  };
}

/** Cardiothoracic ratio (api.md 5.5). */
import type { Bilingual, CardiothoracicRatio, ImageInfo, Point, Polygon } from '../../contract';
import { lengthMeasurement, round2, roundPoint, rowExtent } from '../../geometry';
import type { LungFrame } from './lungFrame';

export const CTR_METHOD =
  'max horizontal heart extent / max inner thoracic width (lateral lung edges) ' +
  'between the carina level and the higher costophrenic angle';

/** Why a CTR is unreliable, or null on a PA film. */
export function ctrNote(viewPosition: string | null): Bilingual | null {
  const v = (viewPosition ?? '').toUpperCase();
  if (v === 'PA') return null;
  if (v === 'AP')
    return {
      zh: 'AP/卧位片心影放大,心胸比不可靠',
      en: 'AP/supine film magnifies the heart; the cardiothoracic ratio is unreliable',
    };
  return {
    zh: '投照体位未确认为PA位,心影可能放大,心胸比不可靠',
    en: 'View position not confirmed as PA; the heart may be magnified and the cardiothoracic ratio is unreliable',
  };
}

type Span = { a: Point; b: Point };

/** Cardiac width: the most lateral heart points on the patient's right (a) and left (b); rows may differ. */
export function cardiacWidthPoints(heart: Polygon[], rightLat: number): Span | null {
  const ys = heart.flat().map((p) => p[1]);
  const hy0 = Math.min(...ys),
    hy1 = Math.max(...ys);
  let a: Point | null = null,
    b: Point | null = null;
  for (let k = 1; k < 96; k++) {
    const y = hy0 + ((hy1 - hy0) * k) / 96;
    const e = rowExtent(heart, y);
    if (!e) continue;
    const rx = rightLat < 0 ? e[0] : e[1],
      lx = rightLat < 0 ? e[1] : e[0];
    if (!a || (rx - a[0]) * rightLat > 0) a = [rx, y];
    if (!b || (lx - b[0]) * -rightLat > 0) b = [lx, y];
  }
  return a && b ? { a, b } : null;
}

/** Thoracic width: the widest row between y0 and y1 measured between the lateral edges of the two lungs. */
export function thoracicWidthPoints(right: LungFrame, left: LungFrame, y0: number, y1: number): Span | null {
  const rightLat = right.lateralSign;
  let ta: Point | null = null,
    tb: Point | null = null,
    best = -1;
  const n = 96;
  for (let k = 0; k <= n && y1 > y0; k++) {
    const y = y0 + ((y1 - y0) * k) / n;
    const er = rowExtent(right.polygons, y),
      el = rowExtent(left.polygons, y);
    if (!er || !el) continue;
    const rx = rightLat < 0 ? er[0] : er[1],
      lx = rightLat < 0 ? el[1] : el[0];
    const w = Math.abs(lx - rx);
    if (w > best) {
      best = w;
      ta = [rx, y];
      tb = [lx, y];
    }
  }
  return ta && tb && best > 0 ? { a: ta, b: tb } : null;
}

export function cardiothoracicRatio(
  heart: Polygon[],
  right: LungFrame,
  left: LungFrame,
  carinaY: number | null,
  costophrenicY: number,
  image: Pick<ImageInfo, 'pixelSpacingMm' | 'spacingSource' | 'viewPosition'>,
): CardiothoracicRatio | null {
  if (!heart.length) return null;
  const cardiac = cardiacWidthPoints(heart, right.lateralSign); // lateralSign: patient-right lateral direction
  const y0 = carinaY ?? Math.min(right.yApex, left.yApex) + 0.3 * (right.yBase - right.yApex);
  const thoracic = thoracicWidthPoints(right, left, y0, costophrenicY);
  if (!cardiac || !thoracic) return null;
  const spacing = image.spacingSource !== 'none' ? image.pixelSpacingMm : null;
  const source = spacing ? image.spacingSource : 'none';
  const width = (id: 'cardiacWidth' | 'thoracicWidth', label: Bilingual, { a, b }: Span) => {
    const px = Math.abs(b[0] - a[0]);
    return {
      a: roundPoint(a),
      b: roundPoint(b),
      measurement: lengthMeasurement(id, label, px, spacing ? px * spacing[1] : null, source),
    };
  };
  const cw = Math.abs(cardiac.b[0] - cardiac.a[0]),
    tw = Math.abs(thoracic.b[0] - thoracic.a[0]);
  const note = ctrNote(image.viewPosition);
  return {
    value: round2(cw / tw),
    cardiacWidth: width('cardiacWidth', { zh: '心脏横径', en: 'Cardiac width' }, cardiac),
    thoracicWidth: width('thoracicWidth', { zh: '胸廓内径', en: 'Thoracic width' }, thoracic),
    reliable: note === null,
    note,
    method: CTR_METHOD,
  };
}

/** Location of an image point (api.md 4.6, 5.4): side, structure, zone, band, lobe, text. */
import type { Anatomy, Bilingual, ImageInfo, Lobe, Location, Point, StructureId } from '../../contract';
import { pointInAnyPolygon } from '../../geometry';
import { BAND_NAMES, LOBE_NAMES, SIDE_NAMES, STRUCTURE_LABELS, ZONE_NAMES } from './labels';
import { loadLobeParams, lobeProbabilities, rankLobes, type LobeParams } from './lobes';
import { lungCoords, lungFrame, type LungFrame } from './lungFrame';
import { isStandardOrientation } from './state';

const STRUCTURE_ORDER: StructureId[] = [
  'lung_right',
  'lung_left',
  'heart',
  'trachea',
  'mediastinum',
  'clavicle_right',
  'clavicle_left',
];
const r2 = (v: number) => Math.round(v * 100) / 100;
const zoneOf = (s: number) => (s < 1 / 3 ? 'upper' : s < 2 / 3 ? 'middle' : 'lower') as 'upper' | 'middle' | 'lower';
const bandOf = (t: number) => (t < 1 / 3 ? 'inner' : t < 2 / 3 ? 'middle' : 'outer') as 'inner' | 'middle' | 'outer';

/** "投影于右肺中叶" / "projects over the right middle lobe", or the two-lobe form below 0.5. */
export function lobePhrase(ranked: [Lobe, number][]): Bilingual | null {
  if (!ranked.length) return null;
  const [l1, p1] = ranked[0]!;
  const a = LOBE_NAMES[l1];
  if (p1 >= 0.5 || ranked.length < 2) return { zh: `投影于${a.zh}`, en: `projects over the ${a.en}` };
  const b = LOBE_NAMES[ranked[1]![0]];
  const sameStem = a.en.endsWith(' lobe') && b.en.endsWith(' lobe') && a.en.split(' ')[0] === b.en.split(' ')[0];
  const en = sameStem
    ? `${a.en.replace(/ lobe$/, '')} or ${b.en.split(' ').slice(1).join(' ')}`
    : `${a.en} or the ${b.en}`;
  return { zh: `投影于${a.zh}或${b.zhShort}`, en: `projects over the ${en}` };
}

/** Location without anatomy: side by image half and orientation only. */
export function locateWithoutAnatomy(point: Point, image: Pick<ImageInfo, 'columns' | 'patientOrientation'>): Location {
  const leftHalf = point[0] < image.columns / 2;
  const side = leftHalf === isStandardOrientation(image) ? 'right' : 'left';
  return {
    side,
    structureId: null,
    inLung: false,
    zone: null,
    zoneId: null,
    band: null,
    bandId: null,
    lobe: null,
    lobeConfidence: null,
    lobeProbabilities: null,
    lungFraction: null,
    retrocardiac: false,
    text: { zh: `${SIDE_NAMES[side].zh}侧(无解剖分割)`, en: `${side} side (no anatomy segmentation)` },
  };
}

export interface LocateOptions {
  lobeParams?: LobeParams;
}

/** Frames of both lungs from an Anatomy object. */
export function lungFrames(anatomy: Anatomy, standard: boolean): { right: LungFrame | null; left: LungFrame | null } {
  const polys = (id: StructureId) => anatomy.structures.find((s) => s.id === id)?.contours ?? [];
  return {
    right: lungFrame('right', polys('lung_right'), standard),
    left: lungFrame('left', polys('lung_left'), standard),
  };
}

/** The left hilar level as a fraction of left-lung height (lingula split), or null. */
export function lingulaSplit(anatomy: Anatomy, left: LungFrame | null): number | null {
  const h = anatomy.landmarks.find((l) => l.id === 'hilum_left');
  if (!left || !h) return null;
  return (h.point[1] - left.yApex) / (left.yBase - left.yApex);
}

/** The Location of an image point (api.md 5.4); the no-anatomy form of 4.6 when anatomy is unavailable. */
export function locate(
  anatomy: Anatomy,
  point: Point,
  image: Pick<ImageInfo, 'columns' | 'rows' | 'patientOrientation'>,
  opts: LocateOptions = {},
): Location {
  if (!anatomy.available) return locateWithoutAnatomy(point, image);
  const standard = isStandardOrientation(image);
  const params = opts.lobeParams ?? loadLobeParams();
  const frames = lungFrames(anatomy, standard);
  const inside = (id: StructureId) =>
    pointInAnyPolygon(point, anatomy.structures.find((s) => s.id === id)?.contours ?? []);
  const structureId = STRUCTURE_ORDER.find(inside) ?? null;
  const inLung = structureId === 'lung_right' || structureId === 'lung_left';
  const carina = anatomy.landmarks.find((l) => l.id === 'carina');
  const retrocardiac = !inLung && inside('heart') && (!carina || point[1] > carina.point[1]);
  const midlineX = anatomy.landmarks.find((l) => l.id === 'midline')?.point[0] ?? image.columns / 2;
  const side = sideOf(point, structureId, midlineX, standard);
  const frame = side === 'right' ? frames.right : frames.left;
  const coords = frame ? lungCoords(frame, point) : null;
  const behindDome = !structureId && isBehindDome(point, frame);
  const withLobe = inLung || retrocardiac || behindDome;
  const lingula = side === 'left' ? lingulaSplit(anatomy, frames.left) : null;
  const probs = coords && withLobe ? lobeProbabilities(params, side, coords.s, coords.t, lingula) : null;
  return locationOf({ side, structureId, retrocardiac, behindDome }, inLung ? coords : null, probs);
}

/** The Location record from the point's place, its lung coordinates (null outside the lungs) and lobe probabilities. */
function locationOf(
  where: Omit<Place, 'zone' | 'band'>,
  lungCoords: { s: number; t: number } | null,
  probs: Partial<Record<Lobe, number>> | null,
): Location {
  const { side, structureId, retrocardiac } = where;
  const ranked = probs ? rankLobes(probs) : [];
  const zone = lungCoords ? zoneOf(lungCoords.s) : null;
  const band = lungCoords ? bandOf(lungCoords.t) : null;
  return {
    side,
    structureId,
    inLung: structureId === 'lung_right' || structureId === 'lung_left',
    zone,
    zoneId: zone ? `zone_${side}_${zone}` : null,
    band,
    bandId: band ? `band_${side}_${band}` : null,
    lobe: ranked[0]?.[0] ?? null,
    lobeConfidence: ranked[0] ? r2(ranked[0][1]) : null,
    lobeProbabilities: probs ? roundProbabilities(probs) : null,
    lungFraction: lungCoords ? { vertical: r2(lungCoords.s), horizontal: r2(lungCoords.t) } : null,
    retrocardiac,
    text: withLobePhrase(locationText({ ...where, zone, band }), lobePhrase(ranked)),
  };
}

/** The patient side of a point: the lung it lies in, else its side of the midline. */
export function sideOf(
  point: Point,
  structureId: StructureId | null,
  midlineX: number,
  standard: boolean,
): 'right' | 'left' {
  if (structureId === 'lung_right') return 'right';
  if (structureId === 'lung_left') return 'left';
  return point[0] < midlineX === standard ? 'right' : 'left';
}

/**
 * A point outside every structure in the lowest quarter of the lung's height or up to 10 % below its
 * base, within its width: the lung behind the hemidiaphragm dome (it still gets lobes).
 */
export function isBehindDome(point: Point, frame: LungFrame | null): boolean {
  if (!frame) return false;
  const H = frame.yBase - frame.yApex;
  return (
    point[1] > frame.yBase - 0.25 * H &&
    point[1] < frame.yBase + 0.1 * H &&
    point[0] >= frame.xMin &&
    point[0] <= frame.xMax
  );
}

interface Place {
  side: 'right' | 'left';
  structureId: StructureId | null;
  zone: 'upper' | 'middle' | 'lower' | null;
  band: 'inner' | 'middle' | 'outer' | null;
  retrocardiac: boolean;
  behindDome: boolean;
}

/** The bilingual place name, before the lobe phrase: lung zone and band, retrocardiac, behind the dome, structure. */
export function locationText(p: Place): Bilingual {
  const sideN = SIDE_NAMES[p.side];
  const inLung = p.structureId === 'lung_right' || p.structureId === 'lung_left';
  if (inLung && p.zone && p.band) {
    return {
      zh: `${sideN.zh}肺${ZONE_NAMES[p.zone].zh}${BAND_NAMES[p.band].zh}`,
      en: `${sideN.en} ${ZONE_NAMES[p.zone].en}, ${BAND_NAMES[p.band].en}`,
    };
  }
  if (p.retrocardiac) return { zh: '心影后区', en: 'retrocardiac region' };
  if (p.behindDome) return { zh: `${sideN.zh}侧膈顶后方`, en: `behind the ${p.side} hemidiaphragm dome` };
  if (p.structureId) {
    const lab = STRUCTURE_LABELS[p.structureId];
    return { zh: lab.zh, en: lab.en };
  }
  return { zh: `${sideN.zh}侧肺野外`, en: `${p.side} side, outside the lung fields` };
}

const withLobePhrase = (text: Bilingual, phrase: Bilingual | null): Bilingual =>
  phrase ? { zh: `${text.zh}(${phrase.zh})`, en: `${text.en} (${phrase.en})` } : text;

const roundProbabilities = (probs: Partial<Record<Lobe, number>>): Partial<Record<Lobe, number>> =>
  Object.fromEntries(Object.entries(probs).map(([k, v]) => [k, r2(v!)])) as Partial<Record<Lobe, number>>;

/** Bilingual one-line finding descriptions (api.md 6). */
import type { Bilingual, Finding, Location, SpacingSource } from '../../contract';
import { BAND_NAMES, LOBE_NAMES, ZONE_NAMES } from '../anatomy/labels';
import { formatLength } from '../../geometry';

// Lobe, zone and band names come from the one table the anatomy map uses.
const LOBE = LOBE_NAMES,
  ZONE = ZONE_NAMES,
  BAND = BAND_NAMES;
const SHAPE: Record<Finding['shape'], Bilingual> = {
  round: { zh: '圆形', en: 'round' },
  oval: { zh: '椭圆形', en: 'oval' },
  irregular: { zh: '不规则', en: 'irregular' },
  linear: { zh: '线状', en: 'linear' },
  streaky: { zh: '条索状', en: 'streaky' },
};
const KIND: Record<Finding['type'], Bilingual> = {
  nodule: { zh: '高密度影', en: 'opacity' },
  mass: { zh: '肿块影', en: 'mass' },
  opacity: { zh: '片状模糊影', en: 'airspace opacity' },
};
/** The detector's border words: the one table the overview, the answers and the report use (one story per lesion). */
export const BORDER_WORDS: Record<Finding['border'], Bilingual> = {
  well_defined: { zh: '边界较清', en: 'well defined' },
  ill_defined: { zh: '边界欠清', en: 'ill defined' },
};

/** Where, in both languages: "右肺中叶外带" / "in the outer band of the right middle lobe". */
export function placeText(loc: Location): { zh: string; en: string } {
  const side =
    loc.side === 'right' ? { zh: '右肺', en: 'right' } : loc.side === 'left' ? { zh: '左肺', en: 'left' } : null;
  const band = loc.band ? BAND[loc.band] : null;
  if (loc.lobe && (loc.lobeConfidence ?? 1) >= 0.5 && !loc.retrocardiac) {
    const lobe = LOBE[loc.lobe];
    return {
      zh: lobe.zh + (band ? band.zh : ''),
      en: band ? `in the ${band.en} of the ${lobe.en}` : `in the ${lobe.en}`,
    };
  }
  if (side && loc.zone && !loc.retrocardiac) {
    const zone = ZONE[loc.zone];
    return {
      zh: side.zh + zone.zh + (band ? band.zh : ''),
      en: band ? `in the ${band.en} of the ${side.en} ${zone.en}` : `in the ${side.en} ${zone.en}`,
    };
  }
  return { zh: loc.text.zh, en: loc.text.en ? `(${loc.text.en})` : '' };
}

/** "A" or "An" before a spoken number ("an 8.0 mm", "an 11 px", "a 1.2 cm"). */
function article(text: string): string {
  const int = text.split(/[ .]/)[0] ?? '';
  return /^8/.test(int) || /^1[18]$/.test(int) || /^1[18]\d\d$/.test(int) ? 'An' : 'A';
}

export function describe(
  f: Pick<Finding, 'type' | 'shape' | 'border' | 'location' | 'diameterMm' | 'diameterPx' | 'spacingSource'>,
): Bilingual {
  const none: SpacingSource = 'none';
  const physical = f.spacingSource !== none && f.diameterMm !== null;
  const sizeZh = physical
    ? formatLength(f.diameterMm!, f.spacingSource, 'zh')
    : `约${formatLength(f.diameterPx, none, 'zh')}`;
  const sizeEn = physical ? formatLength(f.diameterMm!, f.spacingSource, 'en') : formatLength(f.diameterPx, none, 'en');
  const place = placeText(f.location);
  const shape = SHAPE[f.shape],
    kind = KIND[f.type],
    border = BORDER_WORDS[f.border];
  return {
    zh: `${place.zh}可见一${sizeZh}${shape.zh}${kind.zh},${border.zh}`,
    en: `${article(sizeEn)} ${sizeEn} ${shape.en} ${kind.en}${place.en ? ' ' + place.en : ''}, ${border.en}`,
  };
}

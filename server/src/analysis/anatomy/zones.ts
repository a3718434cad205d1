/** Zones, bands (api.md 5.3) and the lobe arg-max map (5.4) as polygons for drawing. */
import type { Lobe, LungBand, LungZone, Point, Polygon } from '../../contract';
import { clipToStrip, polygonArea, round2, roundPolygon, rowCrossings, traceContours } from '../../geometry';
import { lobeProbabilities, rankLobes, type LobeParams } from './lobes';
import { lungCoords, medialLateral, type LungFrame } from './lungFrame';

const ZONES = ['upper', 'middle', 'lower'] as const;
const BANDS = ['inner', 'middle', 'outer'] as const;
const lungId = (f: LungFrame) => (f.side === 'right' ? 'lung_right' : 'lung_left') as 'lung_right' | 'lung_left';

/** Thirds of lung height: the lung outline clipped to each horizontal strip. */
export function zonesOf(f: LungFrame): LungZone[] {
  const H = f.yBase - f.yApex;
  return ZONES.map((zone, k) => {
    const y0 = f.yApex + (H * k) / 3,
      y1 = f.yApex + (H * (k + 1)) / 3;
    const polygons = f.polygons
      .map((p) => clipToStrip(p, y0, y1))
      .filter((p) => p.length >= 3 && polygonArea(p) > 1)
      .map(roundPolygon);
    return {
      id: `zone_${f.side}_${zone}` as LungZone['id'],
      lung: lungId(f),
      zone,
      yRange: [round2(y0), round2(y1)] as [number, number],
      polygons,
    };
  });
}

/** Thirds of lung width, row by row from the medial edge outward. */
export function bandsOf(f: LungFrame, rowsSampled = 64): LungBand[] {
  const H = f.yBase - f.yApex;
  const rows: { y: number; xm: number; xl: number }[] = [];
  for (let k = 0; k <= rowsSampled; k++) {
    const y = f.yApex + H * (0.002 + (0.996 * k) / rowsSampled);
    const ml = medialLateral(f, y);
    if (ml) rows.push({ y, xm: ml.xMedial, xl: ml.xLateral });
  }
  return BANDS.map((band, k) => {
    const t0 = k / 3,
      t1 = (k + 1) / 3;
    const a: Point[] = rows.map((r) => [r.xm + t0 * (r.xl - r.xm), r.y]);
    const b: Point[] = rows.map((r) => [r.xm + t1 * (r.xl - r.xm), r.y]);
    const poly = a.concat(b.reverse());
    return {
      id: `band_${f.side}_${band}` as LungBand['id'],
      lung: lungId(f),
      band,
      polygons: poly.length >= 3 ? [roundPolygon(poly)] : [],
    };
  });
}

/**
 * Arg-max lobe regions, sampled on a grid of `gw`×`gh` cells over the image and traced like masks.
 */
export function lobeRegions(
  frames: LungFrame[],
  params: LobeParams,
  lingulaS: number | null,
  columns: number,
  rows: number,
  gw: number,
  gh: number,
): { id: Lobe; polygons: Polygon[] }[] {
  const sx = columns / gw,
    sy = rows / gh;
  const masks = new Map<Lobe, Uint8Array>();
  for (const f of frames) {
    for (let j = 0; j < gh; j++) {
      const y = (j + 0.5) * sy;
      if (y < f.yApex || y > f.yBase) continue;
      const xs = rowCrossings(f.polygons, y);
      const ml = medialLateral(f, y);
      for (let q = 0; q + 1 < xs.length; q += 2) {
        const i0 = Math.max(0, Math.ceil(xs[q]! / sx - 0.5)),
          i1 = Math.min(gw - 1, Math.floor(xs[q + 1]! / sx - 0.5));
        for (let i = i0; i <= i1; i++) {
          const c = lungCoords(f, [(i + 0.5) * sx, y], ml);
          if (!c) continue;
          const lobe = rankLobes(
            lobeProbabilities(params, f.side, c.s, c.t, f.side === 'left' ? lingulaS : null),
          )[0]![0];
          let m = masks.get(lobe);
          if (!m) {
            m = new Uint8Array(gw * gh);
            masks.set(lobe, m);
          }
          m[j * gw + i] = 1;
        }
      }
    }
  }
  const order: Lobe[] = ['RUL', 'RML', 'RLL', 'LUL', 'lingula', 'LLL'];
  return order
    .filter((l) => masks.has(l))
    .map((id) => ({
      id,
      polygons: traceContours(masks.get(id)!, gw, gh, {
        scaleX: sx,
        scaleY: sy,
        clampWidth: columns,
        clampHeight: rows,
        minArea: 4 * sx * sy,
      }).map(roundPolygon),
    }))
    .filter((r) => r.polygons.length > 0);
}

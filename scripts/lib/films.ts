/**
 * Helpers shared by the sign/refinement scripts (scripts/eval-refine.ts, scripts/lidc-signs.ts,
 * models/train/sign_dump.ts): `--name value` options, greyscale PNG reading, JSRT films with their
 * SCR lung masks, and the detector-like coarse outline of an inserted patch's footprint.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Point } from '../../server/src/contract';
import { refineRegionDetailed } from '../../server/src/analysis/refine';

/** `opt(name, def)`: the value after `--name` in `args`, else `def`. */
export const optionReader =
  (args: readonly string[]) =>
  (name: string, def: string): string => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : def;
  };

/** A PNG as 8-bit greyscale pixels with its size. */
export async function readGrey(path: string): Promise<{ data: Buffer; W: number; H: number }> {
  const { data, info } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, W: info.width, H: info.height };
}

/** The JSRT normal ids (JPCNN*) under `dir`/images, sorted; `keep` filters by sorted index. */
export function jsrtNormalIds(dir: string, keep: (index: number) => boolean = () => true): string[] {
  return readdirSync(join(dir, 'images'))
    .filter((f) => f.startsWith('JPCNN'))
    .sort()
    .filter((_, i) => keep(i))
    .map((f) => f.replace('.png', ''));
}

/** One JSRT film (display in 0..1) with the union of its right and left SCR lung masks. */
export async function loadJsrtFilm(
  dir: string,
  id: string,
): Promise<{ id: string; display: Float32Array; W: number; H: number; lung: Uint8Array }> {
  const img = await readGrey(join(dir, 'images', `${id}.png`));
  const display = new Float32Array(img.W * img.H);
  for (let i = 0; i < display.length; i++) display[i] = img.data[i]! / 255;
  const lung = new Uint8Array(img.W * img.H);
  for (const side of ['right_lung', 'left_lung']) {
    const m = await readGrey(join(dir, 'masks', side, `${id}.png`));
    for (let i = 0; i < lung.length; i++) if (m.data[i]! > 127) lung[i] = 1;
  }
  return { id, display, W: img.W, H: img.H, lung };
}

/**
 * A detector-like coarse outline of a footprint of `area` px whose pixel sums are (sx, sy) relative
 * to (x0, y0): a 32-point circle of the equivalent radius × 1.15 at its centroid; null under 12 px.
 */
export function footprintOutline(x0: number, y0: number, area: number, sx: number, sy: number): Point[] | null {
  if (area < 12) return null;
  const cc: Point = [x0 + sx / area, y0 + sy / area];
  const R = 1.15 * Math.sqrt(area / Math.PI);
  return Array.from(
    { length: 32 },
    (_, i) => [cc[0] + R * Math.cos((2 * Math.PI * i) / 32), cc[1] + R * Math.sin((2 * Math.PI * i) / 32)] as Point,
  );
}

/** Bilinear sample of the S×S patch (1 mm/px) at film px (x, y) of a patch drawn at (sx, sy) px/mm. */
export function patchAt(patch: Float32Array, S: number, sx: number, sy: number, x: number, y: number): number {
  const u = Math.min(S - 1.001, Math.max(0, (x + 0.5) / sx - 0.5)),
    v = Math.min(S - 1.001, Math.max(0, (y + 0.5) / sy - 0.5));
  const i = Math.floor(u),
    j = Math.floor(v),
    fu = u - i,
    fv = v - j;
  return (
    patch[j * S + i]! * (1 - fu) * (1 - fv) +
    patch[j * S + i + 1]! * fu * (1 - fv) +
    patch[(j + 1) * S + i]! * (1 - fu) * fv +
    patch[(j + 1) * S + i + 1]! * fu * fv
  );
}

/** The focused re-analysis of `contour` on `display` (a film at `mm` mm/px), inside its lung mask where it has one. */
export function refineOnFilm(
  film: { W: number; H: number; lung: Uint8Array | null },
  display: Float32Array,
  contour: Point[],
  mm: number,
) {
  const lung = film.lung;
  const lungMask = lung
    ? (p: Point) => {
        const x = Math.floor(p[0]),
          y = Math.floor(p[1]);
        return x >= 0 && y >= 0 && x < film.W && y < film.H && lung[y * film.W + x] === 1;
      }
    : undefined;
  return refineRegionDetailed({
    display,
    width: film.W,
    height: film.H,
    contour,
    spacing: { mm: [mm, mm], source: 'PixelSpacing' },
    lungMask,
  });
}

/** The re-analysis' measured features, one number each (the sign scripts' feature rows); `mm` is the film's mm/px. */
export function refineFeatureTable(d: ReturnType<typeof refineRegionDetailed>, mm: number): Record<string, number> {
  return {
    boundarySharpness: d.margin.boundarySharpness,
    edgeWidthMm: d.margin.edgeWidthW * d.quality.f * mm,
    contourRoughness: d.margin.contourRoughness,
    lobulationIndex: d.lobulation.lobulationIndex,
    notchCount: d.lobulation.notches.length,
    spiculeCount: d.result.features.spicules.length,
    spiculeLengthMaxMm: d.result.features.spicules.reduce((m, sp) => Math.max(m, sp.length.valueMm ?? 0), 0),
    densityCv: d.density.densityCv,
    calcifiedFraction: d.density.calcifiedFraction,
    calcContrast: d.density.calcContrast,
    lucentFraction: d.density.lucentFraction,
    contrast: d.quality.contrast,
    edgeSnr: d.quality.edgeSnr,
    diameterMm: d.quality.diameterMm ?? 0,
  };
}

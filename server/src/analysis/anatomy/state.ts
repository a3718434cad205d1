/** Probability fields per structure at model resolution: cleaning, side assignment (api.md 1.4). */
import type { ImageInfo, StructureId } from '../../contract';
import type { AnatomyProbabilities } from '../../inference/types';

/** Opaque per-analysis state kept for masks (route 7): cleaned probability fields at model resolution. */
export interface AnatomyState {
  readonly gridWidth: number;
  readonly gridHeight: number;
  readonly columns: number;
  readonly rows: number;
  readonly fields: Partial<Record<StructureId, Float32Array>>;
  /** true when the patient's right is on the image's left (api.md 1.4). */
  readonly standardOrientation: boolean;
}

/** Patient's right on the image left unless Patient Orientation's first value says `R` (mirrored). */
export const isStandardOrientation = (image: Pick<ImageInfo, 'patientOrientation'>): boolean =>
  !(image.patientOrientation?.[0] ?? 'L').trim().toUpperCase().startsWith('R');

function channel(p: AnatomyProbabilities, name: string): Float32Array | null {
  const i = p.labels.indexOf(name);
  if (i < 0) return null;
  const n = p.width * p.height;
  if (p.data.length < (i + 1) * n) return null;
  return p.data.slice(i * n, (i + 1) * n);
}

/**
 * Keeps the connected components (4-connected, p ≥ 0.5) whose area is at least `keepFraction` of
 * the largest; zeroes the rest in place. Returns the kept pixel count.
 */
export function keepMainComponents(f: Float32Array, w: number, h: number, keepFraction: number): number {
  const lab = new Int32Array(w * h).fill(-1);
  const sizes: number[] = [];
  for (let i = 0; i < f.length; i++) {
    if (f[i]! < 0.5 || lab[i] !== -1) continue;
    sizes.push(labelComponent(f, w, h, lab, i, sizes.length));
  }
  if (sizes.length === 0) return 0;
  const largest = Math.max(...sizes);
  const keep = sizes.map((s) => s >= Math.max(2, keepFraction * largest));
  let kept = 0;
  for (let i = 0; i < f.length; i++) {
    const l = lab[i]!;
    if (l >= 0) {
      if (keep[l]) kept++;
      else f[i] = 0; // drop the component
    }
  }
  return kept;
}

/** Labels the 4-connected component (p ≥ 0.5) of `seed` with `id` in `lab`; returns its size. */
function labelComponent(f: Float32Array, w: number, h: number, lab: Int32Array, seed: number, id: number): number {
  const stack = [seed];
  let n = 0;
  lab[seed] = id;
  const visit = (k: number) => {
    if (lab[k] === -1 && f[k]! >= 0.5) {
      lab[k] = id;
      stack.push(k);
    }
  };
  while (stack.length) {
    const k = stack.pop()!;
    n++;
    const x = k % w,
      y = (k - x) / w;
    if (x > 0) visit(k - 1);
    if (x < w - 1) visit(k + 1);
    if (y > 0) visit(k - w);
    if (y < h - 1) visit(k + w);
  }
  return n;
}

function centroidX(f: Float32Array, w: number): number | null {
  let s = 0,
    n = 0;
  for (let i = 0; i < f.length; i++)
    if (f[i]! >= 0.5) {
      s += (i % w) + 0.5;
      n++;
    }
  return n ? s / n : null;
}

/**
 * Builds the cleaned fields from the model output: sides by position and orientation (a model
 * that names lungs by image side is corrected on mirrored films), mediastinum =
 * min(cardiomediastinum, 1 − heart).
 */
export function buildState(
  p: AnatomyProbabilities,
  image: Pick<ImageInfo, 'rows' | 'columns' | 'patientOrientation'>,
): AnatomyState {
  const w = p.width,
    h = p.height;
  const standard = isStandardOrientation(image);
  const fields: Partial<Record<StructureId, Float32Array>> = {};
  const get = (name: string, keep: number) => {
    const f = channel(p, name);
    if (!f) return null;
    return keepMainComponents(f, w, h, keep) > 0 ? f : null;
  };
  const pairs: [StructureId, StructureId, string, string, number][] = [
    ['lung_right', 'lung_left', 'lung_right', 'lung_left', 0.1],
    ['clavicle_right', 'clavicle_left', 'clavicle_right', 'clavicle_left', 1],
  ];
  for (const [rid, lid, rname, lname, keep] of pairs) {
    let r = get(rname, keep),
      l = get(lname, keep);
    const rx = r ? centroidX(r, w) : null,
      lx = l ? centroidX(l, w) : null;
    // patient right lies at smaller x on a standard film; swap when the model disagrees
    if (rx !== null && lx !== null && (standard ? rx > lx : rx < lx)) [r, l] = [l, r];
    if (r) fields[rid] = r;
    if (l) fields[lid] = l;
  }
  const heart = get('heart', 1);
  if (heart) fields.heart = heart;
  const trachea = get('trachea', 1);
  if (trachea) fields.trachea = trachea;
  const cm = channel(p, 'cardiomediastinum');
  if (cm) {
    const med = new Float32Array(cm.length);
    for (let i = 0; i < cm.length; i++) med[i] = Math.min(cm[i]!, 1 - (heart ? heart[i]! : 0));
    if (keepMainComponents(med, w, h, 0.1) > 0) fields.mediastinum = med;
  }
  return {
    gridWidth: w,
    gridHeight: h,
    columns: image.columns,
    rows: image.rows,
    fields,
    standardOrientation: standard,
  };
}

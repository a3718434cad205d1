/** Full-size mask PNGs for route 7: bilinear upsampling of the model probability, threshold 0.5. */
import sharp from 'sharp';
import type { StructureId } from '../../contract';
import { ApiError, notFound } from '../../errors';
import { STRUCTURE_IDS } from './labels';
import type { AnatomyState } from './state';

export type MaskId = StructureId | 'lungs' | 'clavicles';
const UNIONS: Record<string, StructureId[]> = {
  lungs: ['lung_right', 'lung_left'],
  clavicles: ['clavicle_right', 'clavicle_left'],
};

/** Bilinear (pixel-centre aligned, edge-clamped) upsampling of a field, ORed into `out` as 255 where ≥ 0.5. */
export function upsampleThreshold(
  field: Float32Array,
  gw: number,
  gh: number,
  cols: number,
  rows: number,
  out: Uint8Array,
): void {
  const fx = new Int32Array(cols),
    wx = new Float32Array(cols);
  for (let x = 0; x < cols; x++) {
    const c = Math.min(gw - 1, Math.max(0, ((x + 0.5) * gw) / cols - 0.5));
    fx[x] = Math.min(gw - 2, Math.floor(c));
    wx[x] = c - fx[x]!;
    if (gw === 1) {
      fx[x] = 0;
      wx[x] = 0;
    }
  }
  const row = new Float32Array(cols);
  for (let y = 0; y < rows; y++) {
    const c = Math.min(gh - 1, Math.max(0, ((y + 0.5) * gh) / rows - 0.5));
    const y0 = gh === 1 ? 0 : Math.min(gh - 2, Math.floor(c)),
      wy = gh === 1 ? 0 : c - y0;
    const r0 = y0 * gw,
      r1 = Math.min(gh - 1, y0 + 1) * gw;
    for (let x = 0; x < cols; x++) {
      const i = fx[x]!,
        w = wx[x]!,
        i1 = Math.min(gw - 1, i + 1);
      const top = field[r0 + i]! * (1 - w) + field[r0 + i1]! * w;
      const bot = field[r1 + i]! * (1 - w) + field[r1 + i1]! * w;
      row[x] = top * (1 - wy) + bot * wy;
    }
    const o = y * cols;
    for (let x = 0; x < cols; x++) if (row[x]! >= 0.5) out[o + x] = 255;
  }
}

/** The 8-bit grey 0/255 PNG of a structure (or `lungs`/`clavicles`) at full image size. */
export async function renderMaskPng(state: AnatomyState, id: string): Promise<Buffer> {
  if (id === 'ribs' || id === 'spine') throw notFound('structure', id, 'not_segmented');
  const ids = UNIONS[id] ?? (STRUCTURE_IDS.includes(id as StructureId) ? [id as StructureId] : null);
  if (!ids) throw notFound('structure', id);
  const { columns, rows, gridWidth, gridHeight } = state;
  if (!columns || !rows) throw new ApiError('model_unavailable', 'No anatomy for this analysis.');
  const out = new Uint8Array(columns * rows);
  for (const s of ids) {
    const f = state.fields[s];
    if (f) upsampleThreshold(f, gridWidth, gridHeight, columns, rows, out);
  }
  return sharp(Buffer.from(out.buffer, out.byteOffset, out.byteLength), {
    raw: { width: columns, height: rows, channels: 1 },
  })
    .toColourspace('b-w')
    .png({ compressionLevel: 6, palette: false })
    .toBuffer();
}

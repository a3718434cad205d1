/** Selects one frame's bytes from dcmjs' Pixel Data value. */
import { ApiError } from '../errors';
import { malformed } from './prescan';
import type { SyntaxKind } from './transferSyntax';

/** Bytes of one native frame (YBR_FULL_422 stores 2 samples per pixel). */
export function nativeFrameBytes(
  rows: number,
  columns: number,
  samples: number,
  bitsAllocated: number,
  photometric: string,
): number {
  const perPixel = photometric === 'YBR_FULL_422' && samples === 3 ? 2 : samples;
  return rows * columns * perPixel * (bitsAllocated / 8);
}

/** One native frame as a view into the Pixel Data value; pixel_data_size_mismatch when short. */
export function nativeFrame(pixelData: ArrayBuffer[], frame: number, frameBytes: number, frames: number): Uint8Array {
  const total = pixelData.reduce((a, b) => a + b.byteLength, 0);
  if (total < frameBytes * frames) {
    throw new ApiError('pixel_data_size_mismatch', 'Pixel Data is shorter than the image attributes require.', {
      declared: frameBytes * frames,
      actual: total,
    });
  }
  const all = pixelData.length === 1 ? new Uint8Array(pixelData[0]) : concat(pixelData, total);
  return all.subarray(frame * frameBytes, (frame + 1) * frameBytes);
}

/**
 * One encapsulated frame. dcmjs returns frames when a Basic Offset Table is present and fragments
 * otherwise; without an offset table, fragments are grouped by codestream start markers.
 */
export function encapsulatedFrame(items: ArrayBuffer[], frame: number, frames: number, kind: SyntaxKind): Uint8Array {
  const parts = items.filter((b) => b.byteLength > 0);
  if (parts.length === 0) throw malformed('empty_pixel_data');
  if (frames === 1) return parts.length === 1 ? new Uint8Array(parts[0]) : concat(parts, -1);
  if (parts.length === frames) return new Uint8Array(parts[frame]);
  if (kind === 'rle') throw malformed('fragment_count');
  const groups: ArrayBuffer[][] = [];
  for (const p of parts) {
    const b = new Uint8Array(p, 0, Math.min(4, p.byteLength));
    const starts =
      kind === 'j2k'
        ? (b[0] === 0xff && b[1] === 0x4f) || (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 12)
        : b[0] === 0xff && b[1] === 0xd8;
    if (starts || groups.length === 0) groups.push([p]);
    else groups[groups.length - 1].push(p);
  }
  if (groups.length !== frames) throw malformed('fragment_count');
  return concat(groups[frame], -1);
}

function concat(parts: ArrayBuffer[], total: number): Uint8Array {
  const n = total >= 0 ? total : parts.reduce((a, b) => a + b.byteLength, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), o);
    o += p.byteLength;
  }
  return out;
}

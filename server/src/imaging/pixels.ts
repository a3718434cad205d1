/** Stored sample values of a decoded frame, their SHA-256, and colour → luminance. */
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';

export type Samples = Uint8Array | Int8Array | Uint16Array | Int16Array;

if (endianness() !== 'LE') throw new Error('imaging: a little-endian host is required');

/**
 * The frame's stored values: masked to BitsStored (after shifting by HighBit + 1 − BitsStored for
 * native data) and sign-extended when PixelRepresentation is 1. The result is what
 * pixelDataSha256 hashes, so every lossless transfer syntax of one image gives the same hash.
 */
export function storedValues(
  bytes: Uint8Array,
  bitsAllocated: number,
  bitsStored: number,
  shift: number,
  signed: boolean,
): Samples {
  const n = bitsAllocated === 8 ? bytes.length : bytes.length >> 1;
  const plain = shift === 0 && bitsStored === bitsAllocated;
  if (bitsAllocated === 8) {
    if (plain) return signed ? new Int8Array(bytes.buffer, bytes.byteOffset, n) : bytes;
    const out = signed ? new Int8Array(n) : new Uint8Array(n);
    maskInto(bytes, out, n, bitsStored, shift, signed);
    return out;
  }
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
  const src = new Uint16Array(aligned.buffer, aligned.byteOffset, n);
  if (plain) return signed ? new Int16Array(aligned.buffer, aligned.byteOffset, n) : src;
  const out = signed ? new Int16Array(n) : new Uint16Array(n);
  maskInto(src, out, n, bitsStored, shift, signed);
  return out;
}

function maskInto(
  src: Uint8Array | Uint16Array,
  out: Samples,
  n: number,
  bits: number,
  shift: number,
  signed: boolean,
): void {
  const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  if (signed) {
    const s = 32 - bits;
    for (let i = 0; i < n; i++) out[i] = (((src[i] >> shift) & mask) << s) >> s;
  } else {
    for (let i = 0; i < n; i++) out[i] = (src[i] >> shift) & mask;
  }
}

export function sha256Hex(values: Samples | Uint8Array): string {
  return createHash('sha256')
    .update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    .digest('hex');
}

/**
 * Luminance of a 3-sample frame: Y of YBR_FULL / YBR_FULL_422 as stored, else
 * Rec. 601 luma 0.299 R + 0.587 G + 0.114 B (rounded). Same bit depth as the input.
 */
export function luminance(
  samples: Uint8Array | Uint16Array,
  pixels: number,
  photometric: string,
  planar: number,
): Uint8Array | Uint16Array {
  const out = samples instanceof Uint16Array ? new Uint16Array(pixels) : new Uint8Array(pixels);
  if (photometric === 'YBR_FULL_422') {
    // native 4:2:2: Y0 Y1 Cb Cr per pair of pixels
    for (let i = 0; i < pixels; i++) out[i] = samples[(i >> 1) * 4 + (i & 1)];
    return out;
  }
  const ybr = photometric === 'YBR_FULL';
  if (planar === 1) {
    if (ybr) {
      out.set(samples.subarray(0, pixels));
      return out;
    }
    for (let i = 0; i < pixels; i++) {
      out[i] = Math.round(0.299 * samples[i] + 0.587 * samples[i + pixels] + 0.114 * samples[i + 2 * pixels]);
    }
    return out;
  }
  if (ybr) {
    for (let i = 0; i < pixels; i++) out[i] = samples[3 * i];
    return out;
  }
  for (let i = 0, j = 0; i < pixels; i++, j += 3) {
    out[i] = Math.round(0.299 * samples[j] + 0.587 * samples[j + 1] + 0.114 * samples[j + 2]);
  }
  return out;
}

/** Little-endian sample view of decoded bytes (2 bytes per sample when BitsAllocated is 16). */
export function sampleView(bytes: Uint8Array, bitsAllocated: number): Uint8Array | Uint16Array {
  if (bitsAllocated === 8) return bytes;
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.length >> 1);
}

/** PNG (8/16-bit grey or RGB(A)) and JPEG decoding with sharp, reduced to grey samples. */
import sharp from 'sharp';
import type { Limits } from '../config';
import { ApiError } from '../errors';
import { checkJpegUpload } from './codestream';
import { luminance } from './pixels';

export interface RasterImage {
  width: number;
  height: number;
  bits: 8 | 16;
  /** Channels in the file without alpha: 1 (grey) or 3 (colour). */
  colourChannels: 1 | 3;
  grey: Uint8Array | Uint16Array;
}

const invalidImage = (): ApiError => new ApiError('invalid_image', 'The image could not be decoded.');

export async function decodeRaster(body: Buffer, format: 'png' | 'jpeg', limits: Limits): Promise<RasterImage> {
  // libjpeg's work grows with the number of progressive scans, not the file size: bound them first
  if (format === 'jpeg') checkJpegUpload(body);
  const { bits, colour } = await rasterLayout(body, format, limits);
  const space = colour ? (bits === 16 ? 'rgb16' : 'srgb') : bits === 16 ? 'grey16' : 'b-w';
  let data: Buffer, info: sharp.OutputInfo;
  try {
    ({ data, info } = await sharp(body, { limitInputPixels: limits.maxImagePixels, failOn: 'truncated' })
      .toColourspace(space)
      .raw({ depth: bits === 16 ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true }));
  } catch {
    throw invalidImage();
  }
  const samples =
    bits === 16
      ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const grey = greyOf(samples, info.channels, info.width * info.height);
  return { width: info.width, height: info.height, bits, colourChannels: colour ? 3 : 1, grey };
}

/** Sample depth and colour from the file's metadata; invalid_image or image_too_large before decoding. */
async function rasterLayout(
  body: Buffer,
  format: 'png' | 'jpeg',
  limits: Limits,
): Promise<{ bits: 8 | 16; colour: boolean }> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(body, { limitInputPixels: false }).metadata();
  } catch {
    throw invalidImage();
  }
  if (meta.format !== format || !meta.width || !meta.height) throw invalidImage();
  checkSize(meta.height, meta.width, limits);
  const bits: 8 | 16 = meta.depth === 'ushort' || (meta.bitsPerSample ?? 8) > 8 ? 16 : 8;
  const channels = meta.channels ?? 1;
  return { bits, colour: !(channels <= 2 || meta.space === 'b-w' || meta.space === 'grey16') };
}

/** Grey samples from interleaved ones: as they are (1 channel), or the luminance of the first three. */
export function greyOf(samples: Uint8Array | Uint16Array, channels: number, pixels: number): Uint8Array | Uint16Array {
  if (channels === 1) return samples;
  if (channels === 3) return luminance(samples, pixels, 'RGB', 0);
  // drop alpha (and anything past three channels) before luminance
  const c = channels;
  const rgb = samples instanceof Uint16Array ? new Uint16Array(pixels * 3) : new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    rgb[3 * i] = samples[c * i]!;
    rgb[3 * i + 1] = samples[c * i + (c > 2 ? 1 : 0)]!;
    rgb[3 * i + 2] = samples[c * i + (c > 2 ? 2 : 0)]!;
  }
  return luminance(rgb, pixels, 'RGB', 0);
}

/** image_too_large when a dimension or the pixel count exceeds the limits (before allocating). */
export function checkSize(rows: number, columns: number, limits: Limits): void {
  if (rows > limits.maxImageDimension || columns > limits.maxImageDimension) {
    throw new ApiError('image_too_large', 'The image is larger than the maximum dimension.', {
      limit: limits.maxImageDimension,
      actual: Math.max(rows, columns),
    });
  }
  if (rows * columns > limits.maxImagePixels) {
    throw new ApiError('image_too_large', 'The image has more pixels than allowed.', {
      limit: limits.maxImagePixels,
      actual: rows * columns,
    });
  }
}

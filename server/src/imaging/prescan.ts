/**
 * Guard pre-scan of a Part 10 byte stream before dcmjs parses it.
 *
 * This is not a parser: it only walks element headers (tag, VR, length) to reject input that would
 * make dcmjs hang, recurse without bound or read past the end — declared lengths beyond the data,
 * sequences nested deeper than `maxSequenceDepth` (walked with an explicit stack, so any depth is
 * safe), encapsulated Pixel Data cut off — and to inflate the Deflated syntax with an output cap.
 * Values are never interpreted except the File Meta Transfer Syntax UID.
 */
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import type { Limits } from '../config';
import { ApiError } from '../errors';
import { dictionaryVr } from './dcmjs';
import { SUPPORTED_TRANSFER_SYNTAXES, syntaxInfo, type SyntaxInfo } from './transferSyntax';

export interface Prescan {
  syntax: SyntaxInfo;
  /** File Meta Information elements (Explicit VR LE), without preamble and DICM. */
  meta: Buffer;
  /** Data set bytes; inflated for the Deflated syntax. */
  dataset: Buffer;
  hasPixelData: boolean;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;
/** VRs dcmjs reads as one slice; any other VR is parsed value by value (slow when huge). */
const BULK_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'UN', 'ox']);
/** Largest value of a per-value-parsed VR accepted (dcmjs would take seconds on tens of MB). */
const MAX_PARSED_VALUE = 1024 * 1024;
/** Most elements accepted (dcmjs needs about 5 µs per element; a chest image has a few hundred). */
export const MAX_ELEMENTS = 100_000;
const SEQ = 0;
const ITEM = 1;

export const malformed = (reason: string): ApiError =>
  new ApiError('malformed_dicom', 'The DICOM file could not be parsed.', { reason });
const truncated = (): ApiError => new ApiError('truncated_pixel_data', 'The file ends inside Pixel Data.');

export function prescan(buf: Buffer, limits: Limits): Prescan {
  if (buf.length < 132 || buf.toString('latin1', 128, 132) !== 'DICM') {
    throw new ApiError('not_dicom', 'The body is not a DICOM Part 10 file (no DICM at offset 128).');
  }
  const { end: metaEnd, transferSyntaxUID } = walkMeta(buf);
  if (!transferSyntaxUID) throw malformed('no_transfer_syntax');
  const syntax = syntaxInfo(transferSyntaxUID);
  if (!syntax) {
    const shown = /^[0-9.]{1,64}$/.test(transferSyntaxUID) ? transferSyntaxUID : 'invalid';
    throw new ApiError('unsupported_transfer_syntax', 'The transfer syntax is not supported.', {
      transferSyntaxUID: shown,
      supported: [...SUPPORTED_TRANSFER_SYNTAXES],
    });
  }
  let dataset = buf.subarray(metaEnd);
  if (syntax.kind === 'deflated') dataset = inflate(dataset, limits);
  const hasPixelData = walkDataset(dataset, syntax.implicitVR, limits.maxSequenceDepth);
  return { syntax, meta: buf.subarray(132, metaEnd), dataset, hasPixelData };
}

function walkMeta(buf: Buffer): { end: number; transferSyntaxUID: string | null } {
  let pos = 132;
  let ts: string | null = null;
  while (pos + 8 <= buf.length && buf.readUInt16LE(pos) === 0x0002) {
    const element = buf.readUInt16LE(pos + 2);
    const vr = readVr(buf, pos + 4);
    let len: number, hdr: number;
    if (LONG_VRS.has(vr)) {
      if (pos + 12 > buf.length) throw malformed('meta_truncated');
      len = buf.readUInt32LE(pos + 8);
      hdr = 12;
    } else {
      len = buf.readUInt16LE(pos + 6);
      hdr = 8;
    }
    if (len === UNDEFINED || pos + hdr + len > buf.length) throw malformed('meta_length');
    if (element === 0x0010)
      ts = buf
        .toString('latin1', pos + hdr, pos + hdr + len)
        .replace(/[\0 ]+$/, '')
        .trim();
    pos += hdr + len;
  }
  if (pos === 132) throw malformed('no_file_meta');
  return { end: pos, transferSyntaxUID: ts };
}

function readVr(buf: Buffer, at: number): string {
  const c0 = buf[at],
    c1 = buf[at + 1];
  if (c0 < 0x41 || c0 > 0x5a || c1 < 0x41 || c1 > 0x5a) throw malformed('bad_vr');
  return String.fromCharCode(c0, c1);
}

/** Inflated attributes allowed before Rows/Columns appear (a chest image's header is a few KB). */
const HEADER_WINDOW = 8 * 1024 * 1024;
/** Inflated bytes allowed beyond the declared pixel data (all other attributes). */
export const DEFLATE_HEADER_ALLOWANCE = 16 * 1024 * 1024;

const deflateError = (e: unknown): ApiError =>
  (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError
    ? tooLarge(HEADER_WINDOW)
    : malformed('deflate');
const tooLarge = (cap: number): ApiError =>
  new ApiError('image_too_large', 'The deflated data set inflates beyond what its image size allows.', { limit: cap });

/**
 * Inflates the Deflated Explicit VR data set with a cap derived from the image it declares
 * (Rows × Columns × SamplesPerPixel × bytes × frames + DEFLATE_HEADER_ALLOWANCE), so a small file
 * cannot inflate to hundreds of MB: the header is read from growing compressed prefixes first
 * (each inflated output is bounded by HEADER_WINDOW), then the whole stream with the cap.
 */
function inflate(data: Buffer, limits: Limits): Buffer {
  const { dims, whole } = declaredImage(data);
  // no image attributes at all: the whole (small) data set is inflated already; the walk decides
  if (!dims) {
    if (whole) return whole;
    throw malformed('deflate_no_image_size');
  }
  checkDeclared(dims, limits);
  const declared = dims.rows * dims.columns * dims.samples * dims.bytesPerSample * dims.frames;
  const ceiling = limits.maxImagePixels * 6 + DEFLATE_HEADER_ALLOWANCE;
  const cap = Math.min(declared + DEFLATE_HEADER_ALLOWANCE, ceiling, 2 ** 31 - 1);
  try {
    return inflateRawSync(data, { maxOutputLength: cap });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw tooLarge(cap);
    throw malformed('deflate');
  }
}

interface DeclaredImage {
  rows: number;
  columns: number;
  samples: number;
  bytesPerSample: number;
  frames: number;
}

/**
 * Rows/Columns/… from the start of the inflated data set (null when absent from the header
 * window), and the whole inflated data set when it fits in the window without them.
 */
function declaredImage(data: Buffer): { dims: DeclaredImage | null; whole: Buffer | null } {
  for (let inLen = 4096; ; inLen *= 2) {
    const last = inLen >= data.length;
    let head: Buffer;
    try {
      head = inflateRawSync(last ? data : data.subarray(0, inLen), {
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
        maxOutputLength: HEADER_WINDOW,
      });
    } catch (e) {
      throw deflateError(e);
    }
    const rows = usValue(head, 0x0010),
      columns = usValue(head, 0x0011);
    if (rows !== null && columns !== null) {
      const bits = usValue(head, 0x0100) ?? 16;
      return {
        dims: {
          rows,
          columns,
          samples: usValue(head, 0x0002) ?? 1,
          bytesPerSample: Math.max(1, Math.ceil(Math.min(bits, 64) / 8)),
          frames: framesValue(head),
        },
        whole: null,
      };
    }
    if (last) return { dims: null, whole: head };
  }
}

/** A (0028,eeee) US value of length 2 in explicit VR LE, or null. */
function usValue(b: Buffer, element: number): number | null {
  const tag = Buffer.from([0x28, 0x00, element & 0xff, element >> 8, 0x55, 0x53, 0x02, 0x00]);
  const at = b.indexOf(tag);
  return at >= 0 && at + 10 <= b.length ? b.readUInt16LE(at + 8) : null;
}

/** Number of Frames (IS) or 1. */
function framesValue(b: Buffer): number {
  const at = b.indexOf(Buffer.from([0x28, 0x00, 0x08, 0x00, 0x49, 0x53]));
  if (at < 0 || at + 8 > b.length) return 1;
  const len = b.readUInt16LE(at + 6);
  const n = Number.parseInt(b.toString('latin1', at + 8, Math.min(b.length, at + 8 + Math.min(len, 12))).trim(), 10);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

function checkDeclared(d: DeclaredImage, limits: Limits): void {
  if (d.rows === 0 || d.columns === 0) throw malformed('zero_dimension');
  if (
    d.rows > limits.maxImageDimension ||
    d.columns > limits.maxImageDimension ||
    d.rows * d.columns > limits.maxImagePixels
  ) {
    throw new ApiError('image_too_large', 'The image is larger than the limits.', {
      limit: limits.maxImagePixels,
      actual: d.rows * d.columns,
    });
  }
}

/**
 * Walks the data set; returns whether a top-level Pixel Data element is present.
 * Throws nesting_too_deep, truncated_pixel_data or malformed_dicom.
 */
export function walkDataset(ds: Buffer, implicitRoot: boolean, maxDepth: number): boolean {
  return new DatasetWalk(ds, implicitRoot, maxDepth).run();
}

/**
 * The walk's state: the stack of open sequences and items (end offset, -1 = undefined length, ends
 * at a delimiter; kind; implicit VR or not), the read position and the element count.
 */
class DatasetWalk {
  private readonly ends: number[] = [];
  private readonly kinds: number[] = [];
  private readonly implicitOf: boolean[] = [];
  private depth = 0;
  private pos = 0;
  private implicit: boolean;
  private hasPixelData = false;
  private elements = 0;

  constructor(
    private readonly ds: Buffer,
    private readonly implicitRoot: boolean,
    private readonly maxDepth: number,
  ) {
    this.implicit = implicitRoot;
  }

  run(): boolean {
    const ds = this.ds,
      n = ds.length;
    for (;;) {
      this.closeEnded();
      if (this.pos >= n) {
        if (this.ends.length) throw malformed('unterminated_sequence');
        return this.hasPixelData;
      }
      if (this.pos + 8 > n) throw malformed('truncated_element');
      if (++this.elements > MAX_ELEMENTS) throw malformed('too_many_elements');
      const group = ds.readUInt16LE(this.pos),
        element = ds.readUInt16LE(this.pos + 2);
      if (this.kinds.length > 0 && this.kinds[this.kinds.length - 1] === SEQ) this.sequenceEntry(group, element);
      else if (group === 0xfffe) this.itemDelimiter(element);
      else this.element(group, element);
    }
  }

  private get openEnd(): number {
    return this.ends.length ? this.ends[this.ends.length - 1]! : -1;
  }

  private push(kind: number, end: number, impl: boolean): void {
    if (end !== -1) {
      const parentEnd = this.openEnd;
      if (end > this.ds.length || (parentEnd !== -1 && end > parentEnd)) throw malformed('length_overrun');
    }
    this.ends.push(end);
    this.kinds.push(kind);
    this.implicitOf.push(impl);
    this.implicit = impl;
    if (kind === SEQ && ++this.depth > this.maxDepth) {
      throw new ApiError('nesting_too_deep', 'Sequences are nested deeper than the limit.', { limit: this.maxDepth });
    }
  }

  private pop(): void {
    this.ends.pop();
    this.implicitOf.pop();
    if (this.kinds.pop() === SEQ) this.depth--;
    this.implicit = this.implicitOf.length ? this.implicitOf[this.implicitOf.length - 1]! : this.implicitRoot;
  }

  /** Closes the defined-length sequences and items that end at the read position. */
  private closeEnded(): void {
    while (this.ends.length && this.openEnd !== -1 && this.pos >= this.openEnd) {
      if (this.pos > this.openEnd) throw malformed('length_overrun');
      this.pop();
    }
  }

  /** Inside a sequence only items and the sequence delimiter may follow. */
  private sequenceEntry(group: number, element: number): void {
    const len = this.ds.readUInt32LE(this.pos + 4);
    this.pos += 8;
    if (group === 0xfffe && element === 0xe0dd) {
      if (this.openEnd !== -1) throw malformed('unexpected_delimiter');
      this.pop();
    } else if (group === 0xfffe && element === 0xe000) {
      this.push(ITEM, len === UNDEFINED ? -1 : this.pos + len, this.implicit);
    } else {
      throw malformed('expected_item');
    }
  }

  /** Outside a sequence the only (FFFE,eeee) tag allowed is the delimiter of an undefined-length item. */
  private itemDelimiter(element: number): void {
    if (element === 0xe00d && this.kinds.length && this.openEnd === -1) {
      this.pos += 8;
      this.pop();
      return;
    }
    throw malformed('unexpected_delimiter');
  }

  /** VR (null when implicit) and value length of the element at the read position; moves past the header. */
  private header(): { vr: string | null; len: number } {
    const ds = this.ds,
      pos = this.pos;
    if (this.implicit) {
      this.pos += 8;
      return { vr: null, len: ds.readUInt32LE(pos + 4) };
    }
    const vr = readVr(ds, pos + 4);
    if (!LONG_VRS.has(vr)) {
      this.pos += 8;
      return { vr, len: ds.readUInt16LE(pos + 6) };
    }
    if (pos + 12 > ds.length) throw malformed('truncated_element');
    this.pos += 12;
    return { vr, len: ds.readUInt32LE(pos + 8) };
  }

  /** A data element: opens a sequence, skips encapsulated Pixel Data, or skips its value. */
  private element(group: number, element: number): void {
    const ds = this.ds;
    const { vr, len } = this.header();
    const isPixelData = group === 0x7fe0 && element === 0x0010;
    const atRoot = this.kinds.length === 0;
    if (isPixelData && atRoot) this.hasPixelData = true;
    if (len === UNDEFINED) return this.undefinedLength(vr, isPixelData, atRoot);
    const pos = this.pos;
    if (pos + len > ds.length) throw isPixelData && atRoot ? truncated() : malformed('length_overrun');
    const looksLikeSequence =
      vr === 'SQ' ||
      (vr === null &&
        !isPixelData &&
        len >= 8 &&
        ds.readUInt16LE(pos) === 0xfffe &&
        ds.readUInt16LE(pos + 2) === 0xe000);
    if (looksLikeSequence && len > 0) return this.push(SEQ, pos + len, this.implicit);
    if (len > MAX_PARSED_VALUE && !isPixelData) {
      const v = vr ?? dictionaryVr(group, element);
      if (v !== null && !BULK_VRS.has(v)) throw malformed('oversized_element');
    }
    this.pos += len;
  }

  /** Undefined length: encapsulated Pixel Data, or a sequence (SQ, UN or implicit VR). */
  private undefinedLength(vr: string | null, isPixelData: boolean, atRoot: boolean): void {
    if (isPixelData) {
      this.pos = skipFragments(this.ds, this.pos, atRoot);
      return;
    }
    if (vr === null || vr === 'SQ' || vr === 'UN') return this.push(SEQ, -1, this.implicit || vr === 'UN');
    throw malformed('undefined_length');
  }
}

/** Skips encapsulated Pixel Data items up to and including the sequence delimiter. */
function skipFragments(ds: Buffer, pos: number, atRoot: boolean): number {
  const n = ds.length;
  for (;;) {
    if (pos + 8 > n) throw atRoot ? truncated() : malformed('unterminated_pixel_data');
    const group = ds.readUInt16LE(pos),
      element = ds.readUInt16LE(pos + 2),
      len = ds.readUInt32LE(pos + 4);
    pos += 8;
    if (group !== 0xfffe) throw malformed('bad_fragment');
    if (element === 0xe0dd) return pos;
    if (element !== 0xe000 || len === UNDEFINED) throw malformed('bad_fragment');
    if (pos + len > n) throw atRoot ? truncated() : malformed('unterminated_pixel_data');
    pos += len;
  }
}

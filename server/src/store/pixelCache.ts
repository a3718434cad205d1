import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { mkdir, open, rename } from 'node:fs/promises';
import v8 from 'node:v8';
import type { Analysis, ImageInfo, ModelRef } from '../contract';
import type { AnalysisPixels } from './types';

/**
 * Content-addressed cache of what an analysis derived from its pixels (api.md 1.9): the decoded
 * display frame (Float32Array) and the analysers' states (masks and lesion maps at model
 * resolution), so that after a restart an analysis is whole again without the upload.
 *
 * Layout: `<dir>/<sha[0:2]>/<pixelDataSha256>/<modelsDigest>-<variant>.v8`, where
 *  - `pixelDataSha256` is the image's hash of its stored values (api.md 4.4),
 *  - `modelsDigest` hashes the model versions that produced the states ("cxr-anatomy@1,…"),
 *  - `variant` hashes the header fields that change the display frame or the models' reading of
 *    it for the same stored values (photometric, rescale, VOI, orientation, size).
 * The key string stored in the database is `<pixelDataSha256>/<modelsDigest>-<variant>`.
 *
 * Files are written to a temp name, fsynced and renamed, so a crash never leaves half a file
 * under a valid name. A small in-process LRU keeps the hottest entries decoded, bounded in bytes.
 */

/** A stored display frame; `scale` image px per frame px (absent: 1, full resolution). */
export interface CachedFrame {
  width: number;
  height: number;
  display: Float32Array;
  scale?: number;
}

const FORMAT = 1;
const hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** "cxr-anatomy@1,cxr-lesion@2" (sorted), "" without models. */
export const modelsKeyOf = (models: Pick<ModelRef, 'name' | 'version'>[]): string =>
  models
    .map((m) => `${m.name}@${m.version}`)
    .sort()
    .join(',');

export const modelsDigest = (modelsKey: string): string => hex(`models:${modelsKey}`).slice(0, 16);

/** Hash of the image fields that, with the same stored values, would give another frame or state. */
export function variantOf(
  image: Pick<
    ImageInfo,
    | 'rows'
    | 'columns'
    | 'photometricInterpretation'
    | 'rescale'
    | 'voi'
    | 'patientOrientation'
    | 'frame'
    | 'bitsStored'
    | 'pixelRepresentation'
  >,
): string {
  return hex(
    JSON.stringify([
      image.rows,
      image.columns,
      image.photometricInterpretation,
      image.rescale,
      image.voi,
      image.patientOrientation,
      image.frame,
      image.bitsStored,
      image.pixelRepresentation,
    ]),
  ).slice(0, 12);
}

const SHA = /^[0-9a-f]{64}$/;

const frameOf = (p: AnalysisPixels): CachedFrame =>
  p.scale && p.scale > 1
    ? { width: p.width, height: p.height, display: p.display, scale: p.scale }
    : { width: p.width, height: p.height, display: p.display };
const PART = /^[0-9a-f]{16}-[0-9a-f]{12}$/;

/** The cache key of an analysis. */
export function cacheKeyOf(analysis: Pick<Analysis, 'image' | 'models'>): string {
  return `${analysis.image.pixelDataSha256}/${modelsDigest(modelsKeyOf(analysis.models))}-${variantOf(analysis.image)}`;
}

function pixelBytes(p: AnalysisPixels): number {
  let n = p.display.byteLength;
  const walk = (v: unknown, depth: number) => {
    if (depth > 4 || v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      n += v.byteLength;
      return;
    }
    for (const x of Object.values(v as Record<string, unknown>)) walk(x, depth + 1);
  };
  walk(p.anatomyState, 0);
  walk(p.lesionState, 0);
  return n;
}

export interface PixelCacheOptions {
  /** Byte budget of decoded entries kept in memory (default 384 MiB). */
  hotBytes?: number;
  /** fsync each file before it is renamed into place (default true). */
  fsync?: boolean;
  /**
   * Disk quota of the cache folder (CACHE_MAX_BYTES; default unlimited). Above it the least recently
   * used entries are deleted (their analyses are then gone, as if expired); the entry just written
   * is always kept.
   */
  maxBytes?: number;
}

export class PixelCache {
  private hot = new Map<string, { pixels: AnalysisPixels; bytes: number }>();
  private hotTotal = 0;
  private readonly hotBytes: number;
  private readonly fsync: boolean;
  private readonly maxBytes: number;
  /** Files on disk by key, least recently used first (Map order), with their sizes. */
  private readonly onDisk = new Map<string, number>();
  private diskTotal = 0;
  /** Entries deleted to stay within the quota (status, tests). */
  evictions = 0;

  constructor(
    readonly dir: string,
    opts: PixelCacheOptions = {},
  ) {
    this.hotBytes = opts.hotBytes ?? 384 * 1024 * 1024;
    this.fsync = opts.fsync ?? true;
    this.maxBytes = opts.maxBytes ?? Infinity;
    mkdirSync(dir, { recursive: true });
    this.indexDisk();
  }

  /** Bytes the cache holds on disk (as this process knows them). */
  get diskBytes(): number {
    return this.diskTotal;
  }

  /** Lists the files already on disk, oldest modification first (their last use before a restart). */
  private indexDisk(): void {
    const found: { key: string; bytes: number; mtime: number }[] = [];
    const list = (d: string): string[] => {
      try {
        return readdirSync(d);
      } catch {
        return [];
      }
    };
    for (const a of list(this.dir)) {
      for (const sha of list(path.join(this.dir, a))) {
        if (!SHA.test(sha)) continue;
        for (const name of list(path.join(this.dir, a, sha))) {
          const file = path.join(this.dir, a, sha, name);
          if (name.endsWith('.tmp')) {
            rmSync(file, { force: true });
            continue;
          } // a crash mid-write
          const part = name.slice(0, -3);
          if (!name.endsWith('.v8') || !PART.test(part)) continue;
          try {
            const st = statSync(file);
            found.push({ key: `${sha}/${part}`, bytes: st.size, mtime: st.mtimeMs });
          } catch {
            /* gone */
          }
        }
      }
    }
    found.sort((x, y) => x.mtime - y.mtime);
    for (const f of found) {
      this.onDisk.set(f.key, f.bytes);
      this.diskTotal += f.bytes;
    }
  }

  /** Marks a key as just used (most recent in the LRU order). */
  private touch(key: string): void {
    const bytes = this.onDisk.get(key);
    if (bytes === undefined) return;
    this.onDisk.delete(key);
    this.onDisk.set(key, bytes);
  }

  private recordWrite(key: string, bytes: number): void {
    const old = this.onDisk.get(key);
    if (old !== undefined) {
      this.diskTotal -= old;
      this.onDisk.delete(key);
    }
    this.onDisk.set(key, bytes);
    this.diskTotal += bytes;
    this.enforceQuota(key);
  }

  /** Deletes least recently used entries until the cache fits its quota (never `keep`). */
  private enforceQuota(keep: string): void {
    for (const key of this.onDisk.keys()) {
      if (this.diskTotal <= this.maxBytes) return;
      if (key === keep) continue;
      this.delete(key);
      this.evictions++;
    }
  }

  private fileOf(key: string): string {
    const [sha, part] = key.split('/');
    if (!sha || !part || !SHA.test(sha) || !PART.test(part)) throw new Error('bad pixel cache key');
    return path.join(this.dir, sha.slice(0, 2), sha, `${part}.v8`);
  }

  /** Writes the entry synchronously (idempotent: same key, same content). */
  put(key: string, pixels: AnalysisPixels): void {
    const file = this.fileOf(key);
    mkdirSync(path.dirname(file), { recursive: true });
    const parts = encode(pixels);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      for (const b of parts) {
        let off = 0;
        while (off < b.length) off += writeSync(fd, b, off, b.length - off);
      }
      if (this.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    this.recordWrite(key, byteLength(parts));
    this.remember(key, pixels);
  }

  /**
   * Writes the entry without blocking the event loop (issue 11: a 16 MB frame written and fsynced
   * synchronously stalled every other request for hundreds of ms under load): the display frame's
   * bytes go to the file as they are, from libuv's thread pool. Resolves once the file is in place.
   */
  async putAsync(key: string, pixels: AnalysisPixels): Promise<void> {
    const file = this.fileOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    const parts = encode(pixels);
    const tmp = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      for (const b of parts) {
        let off = 0;
        while (off < b.length) off += (await fh.write(b, off, b.length - off)).bytesWritten;
      }
      if (this.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    this.recordWrite(key, byteLength(parts));
    this.remember(key, pixels);
  }

  /** The whole entry, or null when the file is absent or unreadable. */
  load(key: string): AnalysisPixels | null {
    const h = this.hot.get(key);
    if (h) {
      this.hot.delete(key);
      this.hot.set(key, h);
      this.touch(key);
      return h.pixels;
    }
    const file = this.fileOf(key);
    const pixels = this.read(file);
    if (pixels && this.onDisk.has(key)) {
      this.touch(key);
      // the file's time carries its last use across restarts (indexDisk)
      try {
        const now = new Date();
        utimesSync(file, now, now);
      } catch {
        /* read-only or gone */
      }
    }
    if (pixels) this.remember(key, pixels);
    return pixels;
  }

  /**
   * The decoded display frame of an image for the given model versions (any header variant when
   * `variant` is not given), for re-running the models after a restart.
   */
  loadFrame(pixelDataSha256: string, modelsKey: string, variant?: string): CachedFrame | null {
    if (!SHA.test(pixelDataSha256)) return null;
    const md = modelsDigest(modelsKey);
    if (variant) {
      const p = this.load(`${pixelDataSha256}/${md}-${variant}`);
      return p && frameOf(p);
    }
    let names: string[] = [];
    try {
      names = readdirSync(path.join(this.dir, pixelDataSha256.slice(0, 2), pixelDataSha256));
    } catch {
      return null;
    }
    const name = names.sort().find((n) => n.startsWith(`${md}-`) && n.endsWith('.v8'));
    if (!name) return null;
    const p = this.load(`${pixelDataSha256}/${name.slice(0, -3)}`);
    return p && frameOf(p);
  }

  has(key: string): boolean {
    // a new analysis of an image already cached reuses its entry: that counts as a use
    if (this.hot.has(key)) {
      this.touch(key);
      return true;
    }
    const there = existsSync(this.fileOf(key));
    if (there) this.touch(key);
    return there;
  }

  /** Removes the entry (the caller checks that no analysis still uses the key). */
  delete(key: string): void {
    const h = this.hot.get(key);
    if (h) {
      this.hot.delete(key);
      this.hotTotal -= h.bytes;
    }
    const bytes = this.onDisk.get(key);
    if (bytes !== undefined) {
      this.onDisk.delete(key);
      this.diskTotal -= bytes;
    }
    const file = this.fileOf(key);
    rmSync(file, { force: true });
    try {
      rmSync(path.dirname(file));
    } catch {
      /* other variants remain, or already gone */
    }
  }

  /** Drops the in-memory copies (tests; memory pressure). */
  dropHot(): void {
    this.hot.clear();
    this.hotTotal = 0;
  }

  get hotSize(): { entries: number; bytes: number } {
    return { entries: this.hot.size, bytes: this.hotTotal };
  }

  private read(file: string): AnalysisPixels | null {
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch {
      return null;
    }
    try {
      return decode(buf);
    } catch {
      return null;
    }
  }

  private remember(key: string, pixels: AnalysisPixels): void {
    const old = this.hot.get(key);
    if (old) {
      this.hot.delete(key);
      this.hotTotal -= old.bytes;
    }
    const bytes = pixelBytes(pixels);
    if (bytes > this.hotBytes) return;
    this.hot.set(key, { pixels, bytes });
    this.hotTotal += bytes;
    for (const [k, v] of this.hot) {
      if (this.hotTotal <= this.hotBytes) break;
      this.hot.delete(k);
      this.hotTotal -= v.bytes;
    }
  }
}

/**
 * File format 2: MAGIC, u32 LE header length, the v8-serialised header (sizes, scale and the
 * analysers' states), zero padding to a multiple of 4, then the display frame's Float32 bytes as
 * they are in memory (little-endian hosts only, as imaging/pixels.ts requires). Format 1 (one v8
 * serialisation of everything) is still read.
 */
const MAGIC = Buffer.from('CXRPIX2\0', 'latin1');

function encode(pixels: AnalysisPixels): Buffer[] {
  const base = {
    format: 2,
    width: pixels.width,
    height: pixels.height,
    scale: pixels.scale ?? 1,
    displayBytes: pixels.display.byteLength,
  };
  let header: Buffer;
  try {
    header = v8.serialize({ ...base, anatomyState: pixels.anatomyState, lesionState: pixels.lesionState });
  } catch {
    // A state that v8 cannot serialise: keep the frame, the models can be re-run on it.
    header = v8.serialize({ ...base, anatomyState: null, lesionState: null, statesDropped: true });
  }
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length, 0);
  const pad = Buffer.alloc((4 - ((MAGIC.length + 4 + header.length) % 4)) % 4);
  const d = pixels.display;
  return [MAGIC, len, header, pad, Buffer.from(d.buffer, d.byteOffset, d.byteLength)];
}

const byteLength = (parts: Buffer[]): number => parts.reduce((n, b) => n + b.length, 0);

function decode(buf: Buffer): AnalysisPixels | null {
  let v: {
    format: number;
    width: number;
    height: number;
    scale?: number;
    display?: Float32Array;
    displayBytes?: number;
    // written by encode() from AnalysisPixels (v8 serialisation keeps the typed arrays)
    anatomyState: AnalysisPixels['anatomyState'];
    lesionState: AnalysisPixels['lesionState'];
  };
  let display: Float32Array;
  if (buf.length >= MAGIC.length + 4 && buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    const hl = buf.readUInt32LE(MAGIC.length);
    const h0 = MAGIC.length + 4;
    v = v8.deserialize(buf.subarray(h0, h0 + hl));
    const d0 = h0 + hl + ((4 - ((h0 + hl) % 4)) % 4);
    if (
      v.format !== 2 ||
      typeof v.displayBytes !== 'number' ||
      d0 + v.displayBytes !== buf.length ||
      v.displayBytes % 4
    )
      return null;
    const at = buf.byteOffset + d0;
    display =
      at % 4 === 0
        ? new Float32Array(buf.buffer, at, v.displayBytes / 4)
        : new Float32Array(buf.buffer.slice(at, at + v.displayBytes));
  } else {
    v = v8.deserialize(buf);
    if (v.format !== FORMAT || !(v.display instanceof Float32Array)) return null;
    display = v.display;
  }
  if (display.length !== v.width * v.height) return null;
  const p: AnalysisPixels = {
    width: v.width,
    height: v.height,
    display,
    anatomyState: v.anatomyState ?? null,
    lesionState: v.lesionState ?? null,
  };
  if (typeof v.scale === 'number' && Number.isInteger(v.scale) && v.scale > 1) p.scale = v.scale;
  return p;
}

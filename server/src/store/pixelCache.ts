import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
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

export interface CachedFrame { width: number; height: number; display: Float32Array }

const FORMAT = 1;
const hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** "cxr-anatomy@1,cxr-lesion@2" (sorted), "" without models. */
export const modelsKeyOf = (models: Pick<ModelRef, 'name' | 'version'>[]): string =>
  models.map((m) => `${m.name}@${m.version}`).sort().join(',');

export const modelsDigest = (modelsKey: string): string => hex(`models:${modelsKey}`).slice(0, 16);

/** Hash of the image fields that, with the same stored values, would give another frame or state. */
export function variantOf(image: Pick<ImageInfo, 'rows' | 'columns' | 'photometricInterpretation' | 'rescale' | 'voi' | 'patientOrientation' | 'frame' | 'bitsStored' | 'pixelRepresentation'>): string {
  return hex(JSON.stringify([image.rows, image.columns, image.photometricInterpretation, image.rescale, image.voi,
    image.patientOrientation, image.frame, image.bitsStored, image.pixelRepresentation])).slice(0, 12);
}

const SHA = /^[0-9a-f]{64}$/;
const PART = /^[0-9a-f]{16}-[0-9a-f]{12}$/;

/** The cache key of an analysis. */
export function cacheKeyOf(analysis: Pick<Analysis, 'image' | 'models'>): string {
  return `${analysis.image.pixelDataSha256}/${modelsDigest(modelsKeyOf(analysis.models))}-${variantOf(analysis.image)}`;
}

function pixelBytes(p: AnalysisPixels): number {
  let n = p.display.byteLength;
  const walk = (v: unknown, depth: number) => {
    if (depth > 4 || v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) { n += v.byteLength; return; }
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
}

export class PixelCache {
  private hot = new Map<string, { pixels: AnalysisPixels; bytes: number }>();
  private hotTotal = 0;
  private readonly hotBytes: number;
  private readonly fsync: boolean;

  constructor(readonly dir: string, opts: PixelCacheOptions = {}) {
    this.hotBytes = opts.hotBytes ?? 384 * 1024 * 1024;
    this.fsync = opts.fsync ?? true;
    mkdirSync(dir, { recursive: true });
  }

  private fileOf(key: string): string {
    const [sha, part] = key.split('/');
    if (!sha || !part || !SHA.test(sha) || !PART.test(part)) throw new Error('bad pixel cache key');
    return path.join(this.dir, sha.slice(0, 2), sha, `${part}.v8`);
  }

  /** Writes the entry (idempotent: same key, same content). */
  put(key: string, pixels: AnalysisPixels): void {
    const file = this.fileOf(key);
    mkdirSync(path.dirname(file), { recursive: true });
    let buf: Buffer;
    try {
      buf = v8.serialize({ format: FORMAT, width: pixels.width, height: pixels.height, display: pixels.display, anatomyState: pixels.anatomyState, lesionState: pixels.lesionState });
    } catch {
      // A state that v8 cannot serialise: keep the frame, the models can be re-run on it.
      buf = v8.serialize({ format: FORMAT, width: pixels.width, height: pixels.height, display: pixels.display, anatomyState: null, lesionState: null, statesDropped: true });
    }
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      if (this.fsync) fsyncSync(fd);
    } finally { closeSync(fd); }
    renameSync(tmp, file);
    this.remember(key, pixels);
  }

  /** The whole entry, or null when the file is absent or unreadable. */
  load(key: string): AnalysisPixels | null {
    const h = this.hot.get(key);
    if (h) { this.hot.delete(key); this.hot.set(key, h); return h.pixels; }
    const pixels = this.read(this.fileOf(key));
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
    if (variant) { const p = this.load(`${pixelDataSha256}/${md}-${variant}`); return p && { width: p.width, height: p.height, display: p.display }; }
    let names: string[] = [];
    try { names = readdirSync(path.join(this.dir, pixelDataSha256.slice(0, 2), pixelDataSha256)); } catch { return null; }
    const name = names.sort().find((n) => n.startsWith(`${md}-`) && n.endsWith('.v8'));
    if (!name) return null;
    const p = this.load(`${pixelDataSha256}/${name.slice(0, -3)}`);
    return p && { width: p.width, height: p.height, display: p.display };
  }

  has(key: string): boolean {
    if (this.hot.has(key)) return true;
    return existsSync(this.fileOf(key));
  }

  /** Removes the entry (the caller checks that no analysis still uses the key). */
  delete(key: string): void {
    const h = this.hot.get(key);
    if (h) { this.hot.delete(key); this.hotTotal -= h.bytes; }
    const file = this.fileOf(key);
    rmSync(file, { force: true });
    try { rmSync(path.dirname(file)); } catch { /* other variants remain, or already gone */ }
  }

  /** Drops the in-memory copies (tests; memory pressure). */
  dropHot(): void { this.hot.clear(); this.hotTotal = 0; }

  get hotSize(): { entries: number; bytes: number } { return { entries: this.hot.size, bytes: this.hotTotal }; }

  private read(file: string): AnalysisPixels | null {
    let buf: Buffer;
    try { buf = readFileSync(file); } catch { return null; }
    try {
      const v = v8.deserialize(buf) as { format: number; width: number; height: number; display: Float32Array; anatomyState: unknown; lesionState: unknown };
      if (v.format !== FORMAT || !(v.display instanceof Float32Array) || v.display.length !== v.width * v.height) return null;
      return { width: v.width, height: v.height, display: v.display, anatomyState: v.anatomyState ?? null, lesionState: v.lesionState ?? null };
    } catch { return null; }
  }

  private remember(key: string, pixels: AnalysisPixels): void {
    const old = this.hot.get(key);
    if (old) { this.hot.delete(key); this.hotTotal -= old.bytes; }
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

/**
 * A pool of warm decode worker threads (issue 11): every upload is decoded off the event loop, so
 * no image — however crafted — can keep the server from answering other requests, and a decode that
 * runs past its deadline is stopped by terminating its worker (a WebAssembly or libvips call cannot
 * be interrupted any other way). The upload's bytes go to the worker by transfer, the display frame
 * comes back by transfer: no copies of either on the hand-off.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ErrorCode, ImageInfo, Warning } from '../contract';
import type { Limits } from '../config';
import { ApiError } from '../errors';
import type { DecodedImage, DecodeOptions } from './decode';
import type { StoredFrame } from './displayFrame';
import type { ImageMediaType } from './sniff';

export interface DecodeJob {
  id: number;
  bytes: ArrayBuffer;
  mediaType: ImageMediaType;
  opts: DecodeOptions;
  limits: Limits;
}

export type DecodeReply =
  | {
      id: number;
      ok: true;
      info: ImageInfo;
      warnings: Warning[];
      width: number;
      height: number;
      display: Float32Array;
      stored: StoredFrame;
      acquiredDay?: number | null;
    }
  | { id: number; ok: false; code: ErrorCode | null; message: string; details: Record<string, unknown> | undefined };

export interface DecodePoolOptions {
  /** Worker threads kept warm (default: the number of cores). */
  size?: number;
  /** V8 heap limit of one worker in MB (typed arrays and WebAssembly memory are outside it). */
  heapMb?: number;
}

interface Pending {
  job: DecodeJob;
  signal: AbortSignal | undefined;
  resolve(d: DecodedImage): void;
  reject(e: unknown): void;
}

interface Slot {
  worker: Worker;
  job: Pending | null;
  warm: Promise<void>;
  started: boolean;
}

const BOOT = path.join(__dirname, 'decodeWorkerBoot.js');

/** The pool size for a server: one worker per core, no more than analyses can run at once. */
export const defaultPoolSize = (maxConcurrent: number): number =>
  Math.max(1, Math.min(availableParallelism(), maxConcurrent));

export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly heapMb: number;
  /** Workers terminated because their job was cancelled or timed out (for tests and status). */
  terminations = 0;

  constructor(opts: DecodePoolOptions = {}) {
    this.heapMb = opts.heapMb ?? 1024;
    const size = Math.max(1, opts.size ?? availableParallelism());
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }
  /** Resolves once every worker has loaded the decoders (the first upload pays no start-up). */
  ready(): Promise<void> {
    return Promise.all(this.slots.map((s) => s.warm)).then(() => undefined);
  }
  get busy(): number {
    return this.slots.filter((s) => s.job).length;
  }

  /**
   * Decodes in a worker. When `signal` aborts (deadline, client gone) the worker is terminated and
   * the promise rejects with the signal's reason once the worker has stopped.
   */
  decode(
    bytes: Buffer,
    mediaType: ImageMediaType,
    opts: DecodeOptions,
    limits: Limits,
    signal?: AbortSignal,
  ): Promise<DecodedImage> {
    if (this.closed) return Promise.reject(new Error('decode pool closed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<DecodedImage>((resolve, reject) => {
      const job: DecodeJob = { id: this.nextId++, bytes: transferable(bytes), mediaType, opts, limits };
      const pending: Pending = { job, signal, resolve, reject };
      signal?.addEventListener('abort', () => this.cancel(pending), { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('decode pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT, { resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    worker.unref();
    let warmed!: () => void;
    const slot: Slot = {
      worker,
      job: null,
      warm: new Promise<void>((r) => {
        warmed = r;
      }),
      started: false,
    };
    worker.on('message', (m: DecodeReply | { warm: boolean }) => {
      if ('id' in m) this.settle(slot, m);
      else {
        slot.started = true;
        warmed();
      }
    });
    worker.once('exit', () => warmed());
    worker.on('error', (e) => this.crashed(slot, e));
    worker.on('exit', () => this.crashed(slot, null));
    worker.postMessage({ warm: true });
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job) continue;
      const next = this.queue.shift();
      if (!next) return;
      slot.job = next;
      slot.worker.postMessage(next.job, [next.job.bytes]);
    }
  }

  private settle(slot: Slot, m: DecodeReply): void {
    const p = slot.job;
    if (!p || p.job.id !== m.id) return;
    slot.job = null;
    if (m.ok)
      p.resolve({
        info: m.info,
        warnings: m.warnings,
        width: m.width,
        height: m.height,
        display: m.display,
        stored: m.stored,
        acquiredDay: m.acquiredDay ?? null,
      });
    else p.reject(m.code ? new ApiError(m.code, m.message, m.details) : new Error(m.message));
    this.dispatch();
  }

  /** Cancels a job: dropped from the queue, or its worker terminated and replaced. */
  private cancel(p: Pending): void {
    const q = this.queue.indexOf(p);
    if (q >= 0) {
      this.queue.splice(q, 1);
      p.reject(p.signal?.reason);
      return;
    }
    const slot = this.slots.find((s) => s.job === p);
    if (!slot) return;
    slot.job = null;
    this.terminations++;
    const old = slot.worker;
    old.removeAllListeners();
    old.on('error', () => {
      /* terminating */
    });
    this.replace(slot);
    // reject only once the old worker has really stopped: its memory and CPU are free again
    void old.terminate().finally(() => p.reject(p.signal?.reason));
  }

  /** A worker died on its own (heap limit, native crash): fail its job and start a fresh one. */
  private crashed(slot: Slot, e: unknown): void {
    if (this.closed || !this.slots.includes(slot)) return;
    const p = slot.job;
    slot.job = null;
    slot.worker.removeAllListeners();
    // a worker that dies on its own before it was ready, with no upload to blame (a broken install),
    // is not restarted in a tight loop
    if (slot.started || p) this.replace(slot);
    else this.slots.splice(this.slots.indexOf(slot), 1);
    if (this.slots.length === 0) {
      this.closed = true;
      for (const q of this.queue.splice(0)) q.reject(new Error('decode workers failed to start'));
    }
    if (p) {
      const oom = (e as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      p.reject(
        oom
          ? new ApiError('image_too_large', 'Decoding the image needs more memory than allowed.', {
              reason: 'decoder_memory',
            })
          : new Error('decode worker stopped unexpectedly'),
      );
    }
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (this.closed || i < 0) return;
    const fresh = this.spawn();
    this.slots[i] = fresh;
    this.dispatch();
  }
}

/** The bytes as an ArrayBuffer that may be transferred: the Buffer's own when it owns all of it. */
function transferable(b: Buffer): ArrayBuffer {
  const ab = b.buffer as ArrayBuffer;
  if (b.byteOffset === 0 && b.byteLength === ab.byteLength) return ab;
  return ab.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

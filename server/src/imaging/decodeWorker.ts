/**
 * Body of a decode worker thread: decodes one upload at a time with decodeImage and sends back the
 * image info and the display frame (its buffer transferred, not copied). Errors travel as their
 * contract code; the pool turns them back into ApiErrors. Runs only inside a worker (decodePool.ts).
 */
import { parentPort } from 'node:worker_threads';
import { ApiError } from '../errors';
import { decodeImage, warmUpDecoders } from './decode';
import { boundedFrame } from './displayFrame';
import type { DecodeJob, DecodeReply } from './decodePool';

const port = parentPort;
if (!port) throw new Error('decodeWorker must run in a worker thread');

port.on('message', (job: DecodeJob | { warm: true }) => {
  if ('warm' in job) {
    warmUpDecoders().then(
      () => port.postMessage({ warm: true }),
      () => port.postMessage({ warm: false }),
    );
    return;
  }
  void run(job);
});

async function run(job: DecodeJob): Promise<void> {
  let reply: DecodeReply;
  try {
    const bytes = Buffer.from(job.bytes, 0, job.bytes.byteLength);
    const d = await decodeImage(bytes, job.mediaType, job.opts, job.limits);
    // Only the bounded frame goes back (the whole display when it is within MAX_DISPLAY_SIDE): the
    // event loop never holds, walks or garbage-collects a 7000² image.
    const stored = boundedFrame(d.display, d.width, d.height, job.limits.maxDisplaySide);
    reply = {
      id: job.id,
      ok: true,
      info: d.info,
      warnings: d.warnings,
      width: stored.width,
      height: stored.height,
      display: stored.display,
      stored,
      acquiredDay: d.acquiredDay ?? null,
    };
    const a = stored.display;
    port!.postMessage(
      reply,
      a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? [a.buffer as ArrayBuffer] : [],
    );
  } catch (e) {
    reply =
      e instanceof ApiError
        ? { id: job.id, ok: false, code: e.code, message: e.message, details: e.details }
        : {
            id: job.id,
            ok: false,
            code: null,
            message: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 200) : 'unknown',
            details: undefined,
          };
    port!.postMessage(reply);
  }
}

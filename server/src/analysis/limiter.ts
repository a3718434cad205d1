import { ApiError } from '../errors';

/**
 * Admission of analyses (issue 11): a slot (at most `maxSlots` analyses at once) and a share of the
 * in-flight body budget (`maxBytes` of upload bytes held in memory at once) are reserved BEFORE the
 * request body is read, so concurrent large uploads are refused with 503 busy and a Retry-After
 * hint instead of being buffered first. A ticket is released once, when the analysis's work has
 * really stopped (not merely when its client stopped waiting).
 */
export class AnalysisAdmission {
  private active = 0;
  private bytes = 0;

  constructor(
    private readonly maxSlots: number,
    private readonly maxBytes: number,
    private readonly retryAfterS = 2,
  ) {}

  /** Reserves a slot and `bytes` of body budget, or throws 503 busy. */
  admit(bytes: number): AdmissionTicket {
    const want = Math.max(0, Math.ceil(bytes));
    if (this.active >= this.maxSlots) throw this.busy('slots', this.maxSlots);
    // one body is always admitted when nothing else is in flight, even if it alone exceeds the budget
    if (this.active > 0 && this.bytes + want > this.maxBytes) throw this.busy('body_bytes', this.maxBytes);
    this.active++;
    this.bytes += want;
    let released = false;
    return {
      bytes: want,
      release: () => {
        if (released) return;
        released = true;
        this.active--;
        this.bytes -= want;
      },
    };
  }

  get running(): number {
    return this.active;
  }
  get inflightBytes(): number {
    return this.bytes;
  }

  private busy(reason: 'slots' | 'body_bytes', limit: number): ApiError {
    return new ApiError('busy', 'The server is busy with other analyses; retry shortly.', {
      reason,
      limit,
      retryAfterS: this.retryAfterS,
    });
  }
}

export interface AdmissionTicket {
  readonly bytes: number;
  /** Frees the slot and the byte budget (idempotent). */
  release(): void;
}

export interface Cancellable<T> {
  /** Settles with the work's result, or rejects with analysis_timeout at the deadline. */
  result: Promise<T>;
  /** Settles when the work itself has stopped (after a timeout: once it has noticed the abort). */
  stopped: Promise<void>;
}

/**
 * Runs `work` with an AbortSignal that fires after `ms`. The caller hears about the timeout at the
 * deadline; `stopped` tells it when the work has actually ended, which is when resources it holds
 * (an analysis slot) may be given to someone else.
 */
export function runWithDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Cancellable<T> {
  const ac = new AbortController();
  const timer = setTimeout(
    () => ac.abort(new ApiError('analysis_timeout', 'The analysis took too long.', { limit: ms })),
    ms,
  );
  const running = Promise.resolve().then(() => work(ac.signal));
  const stopped = running
    .then(
      () => undefined,
      () => undefined,
    )
    .finally(() => clearTimeout(timer));
  const result = new Promise<T>((resolve, reject) => {
    ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true });
    running.then(resolve, reject);
  });
  return { result, stopped };
}

import { ApiError } from '../errors';

/**
 * Admits at most `max` analyses at once; the rest are refused with 503 busy and a
 * Retry-After hint instead of queueing without bound (memory stays bounded).
 */
export class ConcurrencyLimiter {
  private active = 0;
  constructor(private max: number, private retryAfterS = 2) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) {
      throw new ApiError('busy', 'The server is busy with other analyses; retry shortly.', {
        limit: this.max, retryAfterS: this.retryAfterS,
      });
    }
    this.active++;
    try { return await fn(); } finally { this.active--; }
  }

  get running(): number { return this.active; }
}

/** Rejects with analysis_timeout when `p` does not settle within `ms`. */
export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError('analysis_timeout', 'The analysis took too long.', { limit: ms })), ms);
  });
  try { return await Promise.race([p, timeout]); } finally { clearTimeout(timer); }
}

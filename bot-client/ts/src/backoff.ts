/**
 * Exponential backoff with full jitter: the delay before reconnect attempt `n` (1-based) is
 * uniform in `[0, min(capMs, baseMs × 2^(n-1))]`, so a crowd that dropped together spreads out
 * instead of stampeding back at the same instant. After `maxAttempts` failed attempts the client
 * gives up (0 = never). The same schedule as the Java client's `Backoff`.
 */
export class Backoff {
  constructor(
    readonly baseMs = 250,
    readonly capMs = 30_000,
    readonly maxAttempts = 0,
  ) {
    if (!(baseMs >= 1) || !(capMs >= baseMs) || !(maxAttempts >= 0)) {
      throw new RangeError("backoff needs 1 <= baseMs <= capMs and maxAttempts >= 0");
    }
  }

  /** The ceiling of attempt `attempt`'s delay. */
  ceilingMs(attempt: number): number {
    const exp = this.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 40);
    return exp > this.capMs ? this.capMs : exp;
  }

  /** A delay for attempt `attempt`; `random` returns [0, 1) as Math.random does. */
  delayMs(attempt: number, random: () => number): number {
    return Math.floor(random() * (this.ceilingMs(attempt) + 1));
  }

  exhausted(attempt: number): boolean {
    return this.maxAttempts > 0 && attempt > this.maxAttempts;
  }
}

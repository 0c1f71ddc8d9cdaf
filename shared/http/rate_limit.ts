/**
 * Fixed-window rate limiter kept in memory, per key ("ip:1.2.3.4", "user:…").
 *
 * In-memory means per process: on hosted Edge Functions each isolate counts on its
 * own, so the effective limit there is a multiple of the configured one (see
 * docs/decisions.md).
 *
 * @module
 */

/** Counts hits per key within a window. */
export class RateLimiter {
  #windows = new Map<string, { start: number; count: number }>();
  #lastSweep = 0;

  constructor(readonly limit: number, readonly windowMs: number) {}

  /** Records one hit; returns 0 when allowed, else the seconds to wait. */
  hit(key: string, now = Date.now()): number {
    this.#sweep(now);
    const window = this.#windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.#windows.set(key, { start: now, count: 1 });
      return 0;
    }
    window.count += 1;
    if (window.count <= this.limit) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  /** Forgets a key (e.g. after a successful sign-in). */
  reset(key: string): void {
    this.#windows.delete(key);
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < this.windowMs) return;
    this.#lastSweep = now;
    for (const [key, window] of this.#windows) {
      if (now - window.start >= this.windowMs) this.#windows.delete(key);
    }
  }
}

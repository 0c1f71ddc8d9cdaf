/**
 * When to try a failed send again: exponential backoff with jitter, a cap on the delay
 * and on the number of attempts. Pure: the outbox dispatcher passes the attempt count,
 * the clock and, in tests, a seeded random source, and stores the returned time.
 *
 * Jitter is "equal jitter": half of the exponential delay is kept, the other half is
 * random, so many messages failing together (a Twilio outage) spread out instead of
 * returning all at once, and each still waits at least half the nominal delay.
 *
 * @module
 */
import type { Random } from "../../random.ts";

/** How retries are spaced and when they stop. */
export type RetryPolicy = {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Nominal delay after the first failure. */
  baseDelayMs: number;
  /** Growth of the nominal delay per failure. */
  factor: number;
  /** No nominal delay exceeds this. */
  maxDelayMs: number;
};

/**
 * The default: 15 s, 30 s, 1 min, 2 min … capped at 15 min, 20 attempts. Even with the
 * smallest jitter draws the attempts span more than an hour and a half, so a message
 * outlives a one-hour Twilio outage (see `retry.test.ts`).
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 20,
  baseDelayMs: 15_000,
  factor: 2,
  maxDelayMs: 15 * 60_000,
};

/** What to do after a failed attempt. */
export type RetryDecision =
  | { retry: true; delayMs: number; at: Date }
  | { retry: false; reason: "max_attempts" | "permanent" };

/** The nominal (jitter-free) delay after `attempt` failed attempts (attempt ≥ 1). */
export function nominalDelayMs(policy: RetryPolicy, attempt: number): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** exponent);
}

/**
 * Decides the next attempt after `attempts` failed attempts (the one that just failed
 * included). A permanent failure or the last allowed attempt stops; otherwise the next
 * attempt is `now` + half the nominal delay + a random part of the other half.
 * `retryAfterMs` (Twilio's `Retry-After`, when known) is a lower bound on the delay.
 */
export function nextAttempt(
  options: {
    attempts: number;
    now: Date;
    retryable: boolean;
    policy?: RetryPolicy;
    random?: Random;
    retryAfterMs?: number;
  },
): RetryDecision {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  if (!options.retryable) return { retry: false, reason: "permanent" };
  if (options.attempts >= policy.maxAttempts) return { retry: false, reason: "max_attempts" };
  const nominal = nominalDelayMs(policy, options.attempts);
  const random = options.random ?? Math.random;
  const jittered = Math.round(nominal / 2 + random() * (nominal / 2));
  const delayMs = Math.max(jittered, options.retryAfterMs ?? 0);
  return { retry: true, delayMs, at: new Date(options.now.getTime() + delayMs) };
}

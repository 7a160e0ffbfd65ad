/**
 * Calypso's retry schedule: the first retry 30 s after a failed attempt,
 * then Fibonacci multiples of 30 s — 30, 60, 90, 150, 240 s … — up to the
 * last wait of 125 430 s (~34.8 h): 19 retries, 20 attempts, ~91 h in all.
 */
export const RETRY_SCHEDULE_MS: readonly number[] = (() => {
  const waits = [30_000, 30_000];
  while (waits.length < 19) waits.push(waits.at(-1)! + waits.at(-2)!);
  return waits;
})();

/** Each wait grows by up to this fraction, so receivers that failed together are not retried in lockstep. */
export const JITTER = 0.1;

/**
 * When the next attempt is due after the `failedAttempts`-th failed attempt
 * in a row (1 for the first), or null when the schedule is used up and the
 * delivery is given up. `random` is in [0, 1).
 */
export function nextAttemptAt(failedAttempts: number, now: number, random: number, schedule: readonly number[] = RETRY_SCHEDULE_MS): number | null {
  const wait = schedule[failedAttempts - 1];
  if (wait === undefined) return null;
  return now + Math.round(wait * (1 + JITTER * random));
}

/** Small helpers every benchmark uses. */

/** Nearest-rank percentile, rounded to 0.01. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN);
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** A positive integer setting from the environment, e.g. BENCH_DURATION. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

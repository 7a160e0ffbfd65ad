/** Part 1 of both block-scan benchmarks (bench/scan.ts, bench/scan-utxo.ts): matching alone, at these watched-set sizes. */
import { envInt, percentile } from './stats';

export const ITERATIONS = envInt('BENCH_SCAN_ITERATIONS', 10_000);
export const WARMUP_ITERATIONS = 2_000;
export const MATCH_SIZES = [1_000, 10_000, 100_000];

/**
 * Times `match` on each watched set: a warm-up, then interleaved rounds (so drift on a shared machine hits
 * every size alike). Every call must find `expected` payments. The median and p95 per set, in µs.
 */
export function timeMatching<T>(sets: readonly T[], match: (set: T) => number, expected: number): { medianUs: number; p95Us: number }[] {
  for (const set of sets) for (let i = 0; i < WARMUP_ITERATIONS; i++) match(set);
  const samples = sets.map(() => [] as number[]);
  const rounds = 20;
  for (let r = 0; r < rounds; r++) {
    sets.forEach((set, s) => {
      for (let i = 0; i < ITERATIONS / rounds; i++) {
        const t0 = performance.now();
        const found = match(set);
        samples[s]!.push((performance.now() - t0) * 1000);
        if (found !== expected) throw new Error(`matching found ${found} payments, expected ${expected}`);
      }
    });
  }
  return samples.map((list) => ({ medianUs: percentile(list, 50), p95Us: percentile(list, 95) }));
}

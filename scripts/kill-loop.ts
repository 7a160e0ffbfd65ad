/**
 * The three-instance kill test (server/cluster/instances.test.ts) many times
 * in a row, stopping at the first failure: a failover that works 19 times in
 * 20 is a failover that does not work.
 *   npm run kill-loop            20 runs
 *   npm run kill-loop -- 5       5 runs
 * Needs the PostgreSQL of the integration-pg tests (TEST_POSTGRES_URL).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 20);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`kill-loop: the number of runs must be a whole number of at least 1, not ${process.argv[2]}`);
  process.exit(2);
}

const seconds: number[] = [];
for (let run = 1; run <= runs; run++) {
  const started = performance.now();
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'vitest'), ['run', '--project', 'integration-pg', 'server/cluster/instances.test.ts'], { cwd: ROOT, stdio: 'inherit' });
  seconds.push((performance.now() - started) / 1000);
  console.log(`kill-loop: run ${run} of ${runs} ${result.status === 0 ? 'passed' : 'FAILED'} in ${seconds.at(-1)!.toFixed(1)} s`);
  if (result.status !== 0) {
    console.log(`kill-loop: ${run - 1} runs in a row passed before this failure`);
    process.exit(1);
  }
}
console.log(`kill-loop: all ${runs} runs passed; ${Math.min(...seconds).toFixed(1)}–${Math.max(...seconds).toFixed(1)} s each`);

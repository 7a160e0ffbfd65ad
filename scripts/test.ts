/**
 * npm test: the type check, the dead-code check (knip), the unit tests, the
 * integration tests (on SQLite, then on PostgreSQL: TEST_POSTGRES_URL) and the browser tests, one after the other. Every step runs even when an earlier
 * one failed — a unit failure must not hide what the browser tests would
 * say — and the run ends with one table of what passed and how long it took,
 * and a non-zero exit code if anything failed.
 *   npm test                       every step
 *   npm test -- unit integration   only the steps named
 */
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Step {
  name: string;
  command: string;
  args: string[];
}

const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

const STEPS: Step[] = [
  { name: 'typecheck', command: bin('tsc'), args: ['-p', '.'] },
  // Unused files, exports and dependencies (knip.jsonc): dead code stays removed.
  { name: 'knip', command: bin('knip'), args: [] },
  { name: 'unit', command: bin('vitest'), args: ['run', '--project', 'unit'] },
  { name: 'integration', command: bin('vitest'), args: ['run', '--project', 'integration'] },
  // The integration tests that build Payframe through the harness again, each on a fresh PostgreSQL database.
  { name: 'integration-pg', command: bin('vitest'), args: ['run', '--project', 'integration-pg'] },
  { name: 'browser', command: bin('playwright'), args: ['test', '-c', 'e2e'] },
];

interface Outcome {
  step: Step;
  /** The exit code, or the signal that ended it, or the error that kept it from starting. */
  result: { code: number } | { signal: string } | { error: string };
  seconds: number;
}

function run(step: Step): Promise<Outcome> {
  const started = performance.now();
  const done = (result: Outcome['result']): Outcome => ({ step, result, seconds: (performance.now() - started) / 1000 });
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: ROOT, stdio: 'inherit' });
    child.once('error', (err) => resolve(done({ error: err.message })));
    child.once('exit', (code, signal) => resolve(done(signal ? { signal } : { code: code ?? 1 })));
  });
}

const passed = (o: Outcome) => 'code' in o.result && o.result.code === 0;
const describe = (o: Outcome) => ('code' in o.result ? (o.result.code === 0 ? 'passed' : `FAILED (exit ${o.result.code})`) : 'signal' in o.result ? `FAILED (${o.result.signal})` : `FAILED (${o.result.error})`);

function summary(outcomes: Outcome[], seconds: number): string {
  const rows = [...outcomes.map((o) => [o.step.name, describe(o), `${o.seconds.toFixed(1)} s`]), ['total', '', `${seconds.toFixed(1)} s`]];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]!.padStart(widths[2]!)}`;
  return ['', 'npm test', ...rows.map(line)].join('\n');
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !STEPS.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(`npm test: no step ${unknown.join(', ')}; the steps are ${STEPS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const started = performance.now();
const outcomes: Outcome[] = [];
for (const step of STEPS.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
  console.log(`\n--- ${step.name}: ${[basename(step.command), ...step.args].join(' ')}\n`);
  outcomes.push(await run(step));
}
console.log(summary(outcomes, (performance.now() - started) / 1000));
const failed = outcomes.filter((o) => !passed(o));
if (failed.length > 0) console.log(`\n${failed.length} of ${outcomes.length} steps failed: ${failed.map((o) => o.step.name).join(', ')}`);
process.exitCode = failed.length > 0 ? 1 : 0;

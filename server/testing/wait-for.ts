/**
 * Waiting for a condition instead of sleeping for a fixed time. The deadlines
 * are generous upper bounds for things that take milliseconds on an idle
 * machine — a loaded laptop can be a hundred times slower — and exist only so
 * that a failure names what never happened instead of hanging until the
 * test's own timeout. None of them asserts speed.
 */
import type { ChildProcess } from 'node:child_process';

export const GENEROUS_MS = 30_000;

/**
 * For a child process to start: node, tsx and our imports are seconds of CPU
 * (about 3.5 s for Payframe), which a machine running two test suites at
 * once stretches past 30 s.
 */
const STARTUP_MS = 120_000;

/** Polls `condition` until it returns a truthy value, and returns that value. */
export async function waitFor<T>(condition: () => T | Promise<T>, opts: { what: string; timeoutMs?: number; intervalMs?: number }): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? GENEROUS_MS;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${opts.what}`);
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 20));
  }
}

/**
 * Resolves with the first match of `pattern` in what the child writes to
 * stdout — e.g. the port it bound — and fails, with its output, if the child
 * exits first. The child's stdout and stderr must be pipes.
 */
export function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = STARTUP_MS): Promise<RegExpMatchArray> {
  let stdout = '';
  let output = '';
  return new Promise<RegExpMatchArray>((resolve, reject) => {
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
      const match = stdout.match(pattern);
      if (match) settle(() => resolve(match));
    };
    const onStderr = (chunk: Buffer) => (output += chunk.toString());
    const fail = (why: string) => settle(() => reject(new Error(`${what} ${why}${output ? `\n--- its output:\n${output}` : ''}`)));
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited (${signal ?? `code ${code}`}) before it was ready`);
    const timer = setTimeout(() => fail(`was not ready after ${timeoutMs / 1000} s`), timeoutMs);
    const settle = (done: () => void) => {
      clearTimeout(timer);
      child.stdout!.off('data', onStdout);
      child.stderr!.off('data', onStderr);
      child.off('exit', onExit);
      done();
    };
    child.stdout!.on('data', onStdout);
    child.stderr!.on('data', onStderr);
    child.once('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
  });
}

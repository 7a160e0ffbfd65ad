/**
 * Test fixtures that live from a before hook to its after hook, used as plain values:
 * `const node = perFile('litecoind', startLitecoind, (n) => n.stop())` at the top of a file or describe
 * block, then `node.rpc(…)` inside its tests. The returned object stands for the current instance.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

type Start<T> = () => Promise<T>;
type Stop<T> = (value: T) => Promise<void> | void;

/** One instance for every test of the enclosing block (beforeAll / afterAll). */
export const perFile = <T extends object>(name: string, start: Start<T>, stop: Stop<T>): T => between(beforeAll, afterAll, name, start, stop);

/** A fresh instance for each test of the enclosing block (beforeEach / afterEach); the block's own beforeEach hooks run after it exists. */
export const perTest = <T extends object>(name: string, start: Start<T>, stop: Stop<T>): T => between(beforeEach, afterEach, name, start, stop);

function between<T extends object>(before: typeof beforeEach, after: typeof afterEach, name: string, start: Start<T>, stop: Stop<T>): T {
  let current: T | undefined;
  before(async () => {
    current = await start();
  });
  after(async () => {
    if (current) await stop(current);
    current = undefined;
  });
  return new Proxy({} as T, {
    get(_, key) {
      if (!current) throw new Error(`${name}.${String(key)} read outside a test: it exists from its before hook to its after hook`);
      return Reflect.get(current, key);
    },
  });
}

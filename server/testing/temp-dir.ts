/** A fresh temporary directory for each test of the enclosing block, removed after it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** `const tmp = tempDirPerTest('payframe-key-')`, then `tmp.dir` and `tmp.path('master.key')` inside a test. */
export function tempDirPerTest(prefix: string) {
  let current: string | undefined;
  beforeEach(() => {
    current = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    if (current) rmSync(current, { recursive: true, force: true });
    current = undefined;
  });
  const dir = () => {
    if (!current) throw new Error(`the ${prefix}* directory exists only inside a test`);
    return current;
  };
  return {
    get dir() {
      return dir();
    },
    path: (name: string) => join(dir(), name),
  };
}

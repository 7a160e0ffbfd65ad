/**
 * Every environment variable the code reads is in README.md's tables (the
 * benchmarks' BENCH_* knobs in docs/benchmarks.md), so a variable added to the
 * code without its row fails here instead of staying undocumented.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './snippets';

/** Where code that reads the environment lives; docs/ holds only examples for readers. */
const CODE_DIRS = ['server', 'demo', 'scripts', 'bench', 'e2e', 'client', 'contract', 'widget'];

/** The ways our code reads a variable: process.env.X, process.env['X'], envInt('X')/envList('X'), and keys of a zod env schema. */
const READS = [/process\.env\.([A-Z][A-Z0-9_]+)/g, /process\.env\[['"]([A-Z][A-Z0-9_]+)['"]\]/g, /\benv[A-Z]\w*\(\s*['"]([A-Z][A-Z0-9_]+)['"]/g];
/** The files whose zod schema is the environment (server/config.ts's envSchema, the demo shop's). */
const SCHEMA_FILES = ['server/config.ts', 'demo/main.ts'];
const SCHEMA_KEY = /^\s+([A-Z][A-Z0-9_]+): (?:z\.|flag|masterKey|positive\()/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Variable name → the first file that reads it. */
function variablesRead(): Map<string, string> {
  const found = new Map<string, string>();
  const note = (name: string | undefined, file: string) => name === undefined || found.has(name) || found.set(name, relative(ROOT, file));
  for (const file of CODE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)))) {
    // Comments hold examples for readers (client/webhooks.ts's receiver), not reads.
    const text = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line))
      .join('\n');
    for (const pattern of READS) for (const match of text.matchAll(pattern)) note(match[1], file);
  }
  for (const file of SCHEMA_FILES) {
    for (const match of readFileSync(join(ROOT, file), 'utf8').matchAll(SCHEMA_KEY)) note(match[1], join(ROOT, file));
  }
  return found;
}

const documented = (doc: string, name: string) => new RegExp('`' + name + '`').test(doc);

describe('environment variables', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const benchmarks = readFileSync(join(ROOT, 'docs/benchmarks.md'), 'utf8');
  const read = variablesRead();

  it('finds the variables of each kind of read (the scan itself works)', () => {
    // One of each: a config schema key, a demo schema key, process.env.X, envInt('X'), envList('X').
    for (const name of ['SANDBOX_AUTOMINE_MS', 'MERCHANT_SECRET', 'CHROMIUM_PATH', 'BENCH_DURATION', 'BENCH_SCAN_INVOICES']) {
      expect(read.has(name), name).toBe(true);
    }
  });

  it('are each in README.md (BENCH_* in docs/benchmarks.md)', () => {
    const missing = [...read]
      .filter(([name]) => !documented(readme, name) && !(name.startsWith('BENCH_') && documented(benchmarks, name)))
      .map(([name, file]) => `${name} (read in ${file})`);
    expect(missing, 'add a row for each to the tables in README.md').toEqual([]);
  });
});

/**
 * The code blocks of README.md and docs/*.md, so that tests run every one of
 * them as written (docs/snippets.test.ts, and e2e/docs-snippets.spec.ts for
 * the HTML ones) and none can quietly break.
 *
 * A block may be preceded by a marker comment saying how it is checked:
 *   <!-- snippet: NAME -->          a named check in the tests (a harness that runs it, or a schema)
 *   <!-- snippet: not run: REASON --> shown, not run; the reason is reviewed like code
 * A block without a marker is run by its language's default (see the tests).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Snippet {
  /** Relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** The marker's text after `snippet:`, if the block has one. */
  marker: string | undefined;
  body: string;
}

const FENCE = /^( *)```(\S*)\s*$/;
const MARKER = /<!--\s*snippet:\s*(.+?)\s*-->/;

export function markdownFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md') && f !== 'reference.md');
  return ['README.md', ...docs.map((f) => `docs/${f}`)];
}

/** Every fenced block of `file` (indented ones in list items too), with its marker. */
export function snippetsOf(file: string): Snippet[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !FENCE.test(lines[i]!); i++) body.push(lines[i]!.slice(indent));
    const before = lines.slice(Math.max(0, start - 2), start).join('\n');
    found.push({ file, line: start + 1, lang: open[2] ?? '', marker: MARKER.exec(before)?.[1], body: `${body.join('\n')}\n` });
  }
  return found;
}

export function allSnippets(): Snippet[] {
  return markdownFiles().flatMap(snippetsOf);
}

export const describeSnippet = (s: Snippet) => `${s.file}:${s.line} (${s.lang || 'text'}${s.marker ? `, ${s.marker}` : ''})`;

/**
 * The production build of the loader, the checkout app, the picker and the wallet relay (dist/, written by
 * `npm run build`). Read once, gzipped once, served from memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
}

export interface CheckoutAssets {
  loader: Asset;
  /** The wallet relay (dist/relay.js): widget.js imports it into a merchant page that has a wallet. */
  relay: Asset;
  /** By path under the site root, e.g. "assets/main-abc.js". */
  files: Map<string, Asset>;
  /** What a checkout page (/pay, /embed) links: its module script and stylesheets. */
  entry: PageEntry;
  /** What a payment widget's picker page links (a build of its own). */
  picker: PageEntry;
}

interface PageEntry {
  script: string;
  styles: string[];
}

const DIST_DIR = fileURLToPath(new URL('../../dist', import.meta.url));
const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
}

function asset(path: string): Asset {
  const body = readFileSync(path);
  return { body, gzip: gzipSync(body, { level: 9 }), type: TYPES[path.split('.').pop()!] ?? 'application/octet-stream' };
}

export function loadAssets(distDir = DIST_DIR): CheckoutAssets {
  const files = new Map<string, Asset>();
  const entry = loadBuild(distDir, 'checkout', 'widget/checkout/main.tsx', files);
  const picker = loadBuild(distDir, 'picker', 'widget/checkout/picker-main.tsx', files);
  return { loader: asset(join(distDir, 'widget.js')), relay: asset(join(distDir, 'relay.js')), files, entry, picker };
}

/** One build's files (added to `files`) and what a page links to load its entry. */
function loadBuild(distDir: string, build: 'checkout' | 'picker', entryKey: string, files: Map<string, Asset>): PageEntry {
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(readFileSync(join(distDir, build, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  } catch {
    throw new Error(`the ${build} is not built (no ${join(distDir, build)}); run \`npm run build\``);
  }
  const entry = manifest[entryKey];
  if (!entry) throw new Error(`the ${build} build has no entry for ${entryKey}; run \`npm run build\` again`);
  const collect = (chunk: ManifestChunk) => {
    for (const file of [chunk.file, ...(chunk.css ?? [])]) files.set(file, asset(join(distDir, build, file)));
    for (const key of chunk.imports ?? []) if (manifest[key]) collect(manifest[key]);
  };
  collect(entry);
  return { script: `/${entry.file}`, styles: (entry.css ?? []).map((f) => `/${f}`) };
}

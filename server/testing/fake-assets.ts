/** A built checkout for page tests: the loader and the two entries' names, no files behind them. */
import { gzipSync } from 'node:zlib';
import type { CheckoutAssets } from '../pages/assets';

const asset = (text: string, type: string) => ({ body: Buffer.from(text), gzip: gzipSync(text), type });

export const fakeAssets: CheckoutAssets = {
  loader: asset('window.Payframe={}', 'text/javascript; charset=utf-8'),
  files: new Map(),
  entry: { script: '/assets/main-1.js', styles: [] },
  picker: { script: '/assets/picker-main-1.js', styles: [] },
};

/** A stand-in for the production build (server/pages/assets.ts) for the page tests: tiny files at fixed names. */
import { gzipSync } from 'node:zlib';
import type { CheckoutAssets } from '../pages/assets';

export const fakeAsset = (text: string, type: string) => ({ body: Buffer.from(text), gzip: gzipSync(text), type });

export function fakeAssets(over: Partial<CheckoutAssets> = {}): CheckoutAssets {
  return {
    loader: fakeAsset('window.Payframe={}', 'text/javascript; charset=utf-8'),
    relay: fakeAsset('export function relayWallets() {}', 'text/javascript; charset=utf-8'),
    files: new Map(),
    entry: { script: '/assets/main-1.js', styles: ['/assets/main-1.css'] },
    picker: { script: '/assets/picker-main-1.js', styles: ['/assets/picker-main-1.css'] },
    ...over,
  };
}

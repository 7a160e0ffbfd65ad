/**
 * Two production builds and the unit tests:
 *   vite build                → dist/checkout/ (the checkout app for /pay and /embed, hashed, with a manifest)
 *   vite build --mode loader  → dist/widget.js (the loader: one classic script, no framework)
 * The server reads dist/ (server/pages/assets.ts).
 */
import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

export default defineConfig(({ mode }) => ({
  plugins: mode === 'test' ? [] : [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build:
    mode === 'loader'
      ? {
          outDir: 'dist',
          emptyOutDir: false,
          lib: { entry: 'widget/loader/widget.ts', formats: ['iife'], name: 'PayframeLoader', fileName: () => 'widget.js' },
        }
      : {
          outDir: 'dist/checkout',
          emptyOutDir: true,
          manifest: true,
          // The pages load one module script; no preload polyfill for the chunks we do not have.
          modulePreload: false,
          rollupOptions: { input: 'widget/checkout/main.tsx' },
        },
  test: {
    include: ['server/**/*.test.ts', 'widget/**/*.test.{ts,tsx}', 'demo/**/*.test.ts', 'client/**/*.test.ts', 'contract/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
}));

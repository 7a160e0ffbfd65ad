/** The production builds (vite.config.ts: one per mode), in order: the checkout app, the widget's picker, the loader, then the wallet relay (the merchant page's end). npm run build, npm start and the browser tests all run this. */
import { build } from 'vite';
import { ROOT } from './stack';

export async function buildCheckout(): Promise<void> {
  // Vite sets NODE_ENV=production in this process; the servers started after it must not inherit that (it turns the sandbox off).
  const nodeEnv = process.env.NODE_ENV;
  try {
    await build({ root: ROOT, mode: 'production', logLevel: 'warn' });
    await build({ root: ROOT, mode: 'picker', logLevel: 'warn' });
    await build({ root: ROOT, mode: 'loader', logLevel: 'warn' });
    await build({ root: ROOT, mode: 'relay', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

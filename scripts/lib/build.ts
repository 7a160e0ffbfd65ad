/** The production build, as `npm run build` makes it: the checkout app, the loader, the wallet module and the wallet relay. */
import { build } from 'vite';
import { ROOT } from './stack';

export async function buildCheckout(): Promise<void> {
  // Vite sets NODE_ENV=production in this process; the servers started after it must not inherit that (it turns the sandbox off).
  const nodeEnv = process.env.NODE_ENV;
  try {
    await build({ root: ROOT, mode: 'production', logLevel: 'warn' });
    await build({ root: ROOT, mode: 'loader', logLevel: 'warn' });
    await build({ root: ROOT, mode: 'wallet', logLevel: 'warn' });
    await build({ root: ROOT, mode: 'relay', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

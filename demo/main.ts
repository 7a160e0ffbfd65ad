/**
 * The demo shop's entry point: reads its environment and opens its port.
 *   PAYFRAME_URL        Payframe as browsers reach it (default http://localhost:3000)
 *   PAYFRAME_API_URL    Payframe as this server reaches it (default PAYFRAME_URL)
 *   MERCHANT_ACCOUNT, MERCHANT_KEY, MERCHANT_SECRET   from `npm run cli -- merchant create --json`
 *   DEMO_PORT (3001; 0: any free port), DEMO_HOST (127.0.0.1), DEMO_ORIGIN (http://localhost:DEMO_PORT)
 *   DEMO_WEBHOOK_URL    where Payframe delivers the shop's webhooks (default http://127.0.0.1:DEMO_PORT/payframe/webhooks)
 * `npm start` sets all of these.
 */
import { z } from 'zod';
import { listenFirst } from '../server/http/listen';
import { createPayframeClient } from './payframe-client';
import { createShop } from './shop';
import { WEBHOOK_PATH } from './webhooks';

const env = z
  .object({
    PAYFRAME_URL: z.url().default('http://localhost:3000'),
    PAYFRAME_API_URL: z.url().optional(),
    MERCHANT_ACCOUNT: z.string().regex(/^0x[0-9a-f]{40}$/i, 'must be the account printed by `npm run cli -- merchant create --json`'),
    MERCHANT_KEY: z.string().min(1),
    MERCHANT_SECRET: z.string().min(1),
    DEMO_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    DEMO_HOST: z.string().default('127.0.0.1'),
    DEMO_ORIGIN: z.url().optional(),
    DEMO_WEBHOOK_URL: z.url().optional(),
  })
  .safeParse(process.env);
if (!env.success) {
  console.error(`demo shop: invalid environment\n${z.prettifyError(env.error)}`);
  process.exit(2);
}
const e = env.data;

// The port first: a taken one is refused before anything else happens, and with DEMO_PORT=0 (the browser tests)
// the shop's origin and webhook URL name the port the system picked. Until the shop is ready: 503.
let shop: ReturnType<typeof createShop> | undefined;
const { server, address, port } = await listenFirst({
  host: e.DEMO_HOST,
  port: e.DEMO_PORT,
  name: 'the demo shop',
  portVariable: 'DEMO_PORT',
  app: () => shop?.fetch,
});

const payframeUrl = e.PAYFRAME_URL.replace(/\/$/, '');
const shopOrigin = new URL(e.DEMO_ORIGIN ?? `http://localhost:${port}`).origin;
const payframe = createPayframeClient({
  apiUrl: (e.PAYFRAME_API_URL ?? payframeUrl).replace(/\/$/, ''),
  credentials: { account: e.MERCHANT_ACCOUNT, key: e.MERCHANT_KEY, secret: e.MERCHANT_SECRET },
});
// Subscribed at every start, one name per port: the same events and URL answer the same subscription and secret (see subscribeWebhooks).
const { secretKey } = await payframe.subscribeWebhooks(e.DEMO_WEBHOOK_URL ?? `http://127.0.0.1:${port}${WEBHOOK_PATH}`, `demo-shop-${port}`);
shop = createShop({ payframe, payframeUrl, shopOrigin, webhookSecret: secretKey });
// Scripts and tests that start the shop on DEMO_PORT=0 read its origin and port from this line.
console.log(`Demo shop      ${shopOrigin}  (listening on ${address}:${port})`);

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

/**
 * The shop's webhook receiver, where orders get paid. Payframe signs every
 * delivery with the subscription's secret, which only this server holds
 * (main.ts subscribes at start); anything that does not verify is refused
 * and changes nothing. See docs/webhooks.md.
 */
import { Hono } from 'hono';
import { verifyWebhook } from 'payframe/client';
import type { OrderBook } from './orders';

export const WEBHOOK_PATH = '/payframe/webhooks';

export function webhookReceiver(deps: { secret: string; orders: OrderBook; now?: () => number }) {
  const { secret, orders } = deps;
  return new Hono().post(WEBHOOK_PATH, async (c) => {
    // The raw text: the signature covers the bytes as sent, which a re-serialized JSON body would not match.
    const result = verifyWebhook(await c.req.text(), c.req.raw.headers, secret, { now: deps.now });
    if (!result.ok) return c.text(result.message, 400);
    // A duplicate, or an invoice that is none of this shop's orders, is answered 2xx too: a non-2xx would only make Payframe retry it for days.
    orders.apply(result.event);
    return c.body(null, 204);
  });
}

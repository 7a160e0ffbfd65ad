/**
 * The buyer's side of payment widgets, as JSON (no auth: the widget id is an
 * unguessable secret, and the view holds nothing the buyer may not see):
 *   GET  /api/widget/:id         the coins, each at the quote shown now
 *   POST /api/widget/:id/choose  {currency} → the invoice for that coin (created or reused)
 * Choosing may create an invoice, so it has its own per-IP limit.
 */
import { Hono } from 'hono';
import { bodyLimit } from '../http/body-limit';
import { widgetChoice } from '../../contract/widget';
import { ApiError } from '../http/errors';
import { clientIp, type Limiters } from '../http/rate-limit';
import type { Widgets } from '../widgets/widgets';
import { parseOrThrow } from './validation';

type Ctx = Parameters<typeof clientIp>[0];

/** A choice is one currency code: anything much larger is not one, and is not read. */
const MAX_CHOICE_BYTES = 1024;
export const limitChoiceBody = bodyLimit({
  maxSize: MAX_CHOICE_BYTES,
  onError: () => {
    throw new ApiError('PAYLOAD_TOO_LARGE', `the request body is larger than ${MAX_CHOICE_BYTES} bytes; send only the currency`);
  },
});

function limit(c: Ctx, limiters: Limiters, limiter: 'perIp' | 'widgetChoices'): void {
  const wait = limiters[limiter].take(clientIp(c, limiters.limits.trustProxy));
  if (wait > 0) throw new ApiError('RATE_LIMITED', `too many requests from this address; retry in ${wait} s`, { 'Retry-After': String(wait) });
}

export function widgetRoutes({ widgets, limiters, publicUrl }: { widgets: Widgets; limiters: Limiters; publicUrl: string }) {
  return new Hono()
    .get('/:id', async (c) => {
      limit(c, limiters, 'perIp');
      c.header('Cache-Control', 'no-store');
      return c.json(await widgets.view(c.req.param('id')));
    })
    .post('/:id/choose', limitChoiceBody, async (c) => {
      limit(c, limiters, 'widgetChoices');
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new ApiError('INVALID_JSON', 'the body is not valid JSON; send {"currency": "USDT_MATIC"}');
      }
      const { currency } = parseOrThrow(widgetChoice, body, '');
      const invoice = await widgets.choose(c.req.param('id'), currency);
      return c.json({ invoiceId: invoice.id, paymentUrl: `${publicUrl}/pay/${invoice.id}?widget=${c.req.param('id')}` });
    });
}

/** The choice a no-script form posts (application/x-www-form-urlencoded `currency=…`), rate-limited like the JSON one. */
export async function formChoice(c: Ctx & { req: { parseBody(): Promise<Record<string, unknown>> } }, limiters: Limiters): Promise<string> {
  limit(c, limiters, 'widgetChoices');
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const currency = form.currency;
  if (typeof currency !== 'string' || currency.length > 32) throw new ApiError('VALIDATION_FAILED', 'currency: choose one of the coins on the page');
  return currency;
}

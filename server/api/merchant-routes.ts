/**
 * The merchant API (Calypso-compatible): every route of the contract's table
 * (contract/merchant-api.ts), mounted under /api/v1 behind the signed
 * envelope. Each payload is validated by its schema (a failure names the
 * field), and each answer is written in the contract's wire form.
 */
import { Hono } from 'hono';
import type { z } from 'zod';
import { merchantApi, type MerchantApi, type MerchantRoute, type RouteName } from '../../contract/merchant-api';
import { writeWire } from '../../contract/wire-json';
import { invoiceHandlers, type InvoiceHandlerDeps } from './invoice-handlers';
import { profileHandlers, type ProfileHandlerDeps } from './profile-handlers';
import { limitBody, signedRequest, type SignedDeps, type SignedEnv } from './signed';
import { subscriptionHandlers, type SubscriptionHandlerDeps } from './subscription-handlers';
import { widgetHandlers, type WidgetHandlerDeps } from './widget-handlers';
import { parseOrThrow } from './validation';

/** What each route's handler takes and answers: the contract's types, so a handler cannot drift from the document. */
export type Handlers = {
  [K in RouteName]: (payload: z.output<MerchantApi[K]['payload']>, ctx: { account: string }) => Promise<z.input<MerchantApi[K]['response']>>;
};

export type MerchantDeps = SignedDeps & InvoiceHandlerDeps & SubscriptionHandlerDeps & WidgetHandlerDeps & ProfileHandlerDeps;

export function merchantRoutes(deps: MerchantDeps) {
  const handlers: Handlers = { ...invoiceHandlers(deps), ...subscriptionHandlers(deps), ...widgetHandlers(deps), ...profileHandlers(deps) };
  const app = new Hono<SignedEnv>();
  for (const [name, route] of Object.entries(merchantApi) as [RouteName, MerchantRoute][]) {
    const handle = handlers[name] as (payload: unknown, ctx: { account: string }) => Promise<unknown>;
    app.on(route.method, route.path, limitBody, signedRequest(deps, route), async (c) => {
      const payload = parseOrThrow(route.payload, c.get('payload'), 'payload');
      const body = await handle(payload, { account: c.get('account') });
      return c.body(writeWire(body), 200, { 'content-type': 'application/json' });
    });
  }
  return app;
}

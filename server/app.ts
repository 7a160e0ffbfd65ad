/**
 * The HTTP application. Everything it needs is passed in, so tests build it
 * with an in-memory database and a fake clock and call `app.request()`.
 */
import { Hono } from 'hono';
import { checkoutRoutes } from './api/checkout-routes';
import { merchantRoutes } from './api/merchant-routes';
import { webhookRoutes } from './api/webhook-routes';
import { sandboxRoutes } from './api/sandbox-routes';
import type { SandboxChain } from './chains/sandbox';
import type { Db } from './db/schema';
import type { Bus } from './events/bus';
import { errorResponse, onError, type Logger } from './http/errors';
import type { Clock, Engine } from './invoices/engine';
import type { TargetPolicy } from './webhooks/targets';
import { pageRoutes } from './pages/page-routes';

export interface AppDeps {
  db: Db;
  clock: Clock;
  bus: Bus;
  engine: Engine;
  log: Logger;
  publicUrl: string;
  /** Present only while the sandbox is on. */
  sandbox?: SandboxChain | undefined;
  heartbeatMs?: number;
  /** Where webhook subscriptions may point; public addresses only when absent. */
  webhookTargets?: TargetPolicy | undefined;
}

export function createApp(deps: AppDeps) {
  const app = new Hono()
    .route('/api/v1', merchantRoutes(deps))
    .route('/api/v1', webhookRoutes(deps))
    .route('/api/checkout', checkoutRoutes(deps))
    .get('/health', (c) => c.json({ ok: true }))
    .route('/', pageRoutes(deps));
  if (deps.sandbox) app.route('/api/sandbox', sandboxRoutes(deps.sandbox, deps.engine.currencies));
  app.notFound((c) => errorResponse(c, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`));
  app.onError(onError(deps.log));
  return app;
}

export type AppType = ReturnType<typeof createApp>;

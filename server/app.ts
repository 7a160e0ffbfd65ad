/**
 * The HTTP application. Everything it needs is passed in, so tests build it
 * with a real database and a fake clock and call `app.request()`.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { checkoutRoutes } from './api/checkout-routes';
import { merchantRoutes } from './api/merchant-routes';
import { openApiDocument } from './api/openapi';
import type { ReplayGuard } from './api/replay-guard';
import { sandboxRoutes } from './api/sandbox-routes';
import { widgetRoutes } from './api/widget-routes';
import type { SandboxChain } from './chains/sandbox';
import type { Clock } from './clock';
import type { Db } from './db/schema';
import type { Bus } from './events/bus';
import { errorResponse, onError } from './http/errors';
import type { Limiters } from './http/rate-limit';
import { requestId } from './http/request-id';
import type { Engine } from './invoices/engine';
import type { Logger } from './logger';
import type { Rates } from './rates/rates';
import { pageRoutes } from './pages/page-routes';
import { widgetPages } from './pages/widget-pages';
import type { SecretBox } from './secrets/secret-box';
import type { TargetPolicy } from './webhooks/targets';
import { createWidgets } from './widgets/widgets';
import type { AddChainParams } from '../widget/checkout/wallet/pay-flow';

export interface AppDeps {
  db: Db;
  /** The master key's box: API and webhook secrets are stored sealed. */
  secrets: SecretBox;
  clock: Clock;
  bus: Bus;
  engine: Engine;
  log: Logger;
  publicUrl: string;
  limiters: Limiters;
  /** Absent only with REPLAY_PROTECTION=off (benchmarks). */
  replayGuard: ReplayGuard | undefined;
  /** Present only while the sandbox is on. */
  sandbox?: SandboxChain | undefined;
  heartbeatMs?: number;
  /** Where webhook subscriptions may point. */
  webhookTargets: TargetPolicy;
  rates: Rates;
  /** By chain name, what a buyer's wallet is asked to add when it does not know the chain (chains/wallet-chain.ts). */
  walletChains?: ReadonlyMap<string, AddChainParams>;
  /** By chain name, a block explorer's transaction page with `{hash}` in it (chains/explorers.ts). */
  explorers?: ReadonlyMap<string, string>;
}

const gzip = compress({ encoding: 'gzip' });
/**
 * Hono's compress, only where it can compress: on a response it would leave
 * as it is it still costs (it reads the response's headers, which makes the
 * Node adapter build a full Response), and API clients such as merchant
 * backends mostly send no Accept-Encoding. A response left uncompressed
 * needs no Vary: it suits every client.
 */
const gzipForClientsThatAcceptIt: MiddlewareHandler = (c, next) => (/\bgzip\b/i.test(c.req.header('accept-encoding') ?? '') ? gzip(c, next) : next());

export function createApp(appDeps: AppDeps) {
  const widgets = createWidgets(appDeps);
  const deps = { ...appDeps, widgets };
  const openapi = JSON.stringify(openApiDocument({ serverUrl: deps.publicUrl, sandbox: deps.sandbox !== undefined }));
  const app = new Hono()
    // One id per request: the X-Request-Id header, the error body's traceId, and every log line about it.
    .use(requestId)
    // HTML, SVG and JSON gzipped for clients that accept it (the bundle is served precompressed, event streams never).
    .use(gzipForClientsThatAcceptIt)
    .route('/api/v1', merchantRoutes(deps))
    .route('/api/checkout', checkoutRoutes(deps))
    .route('/api/widget', widgetRoutes(deps))
    .get('/api/openapi.json', (c) => c.body(openapi, 200, { 'content-type': 'application/json' }))
    .get('/health', (c) => c.json({ ok: true }))
    .route('/', widgetPages(deps))
    .route('/', pageRoutes(deps));
  if (deps.sandbox) app.route('/api/sandbox', sandboxRoutes(deps.sandbox, deps.engine.currencies, deps.rates));
  app.notFound((c) => errorResponse(c, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`));
  app.onError(onError(deps.log));
  return app;
}

/**
 * The demo merchant: a shop on its own origin with its own backend. The
 * backend creates invoices through Payframe's signed API (the secret lives
 * here only), marks orders paid from Payframe's verified webhooks alone, and
 * drives the sandbox for the buttons on its pages.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { findProduct, WIDGET_COINS, type Product } from './catalog';
import { fromUnits, scale } from './decimal';
import { createOrderBook } from './orders';
import * as pages from './pages';
import { PayframeApiError, PayframeError, type PayframeClient } from './payframe-client';
import { walletTransfer, type WalletTx } from './sandbox-wallet';
import { webhookReceiver } from './webhooks';

export interface ShopDeps {
  payframe: PayframeClient;
  /** Payframe as the buyer's browser reaches it (widget.js, iframes, links). */
  payframeUrl: string;
  /** This shop's origin as the browser sees it: Payframe must list it among the merchant's origins. */
  shopOrigin: string;
  /** The secretKey of the shop's webhook subscription: it proves a delivery is Payframe's. Never leaves this server. */
  webhookSecret: string;
  /** The current time in ms, for the webhook timestamp check; Date.now by default. */
  now?: () => number;
}

/** The wallet that "Half from another wallet" pays from: any address other than the sandbox buyer's. */
export const OTHER_WALLET = '0x2222222222222222222222222222222222222222';

const STATIC_TYPES: Record<string, string> = { 'shop.js': 'text/javascript', 'shop.css': 'text/css', 'logo.svg': 'image/svg+xml' };

export function createShop(deps: ShopDeps) {
  const { payframe, payframeUrl, shopOrigin } = deps;
  const ctx = { payframeUrl };
  const orders = createOrderBook();
  const payframeOrigin = new URL(payframeUrl).origin;
  const staticFiles = new Map(
    Object.entries(STATIC_TYPES).map(([file, type]) => [file, { type: `${type}; charset=utf-8`, body: readFileSync(new URL(`./public/${file}`, import.meta.url)) }]),
  );

  /** What every order tells Payframe besides the price: the order is the idempotency key (retrying must not bill the buyer twice) and the externalId. */
  const orderFields = (orderId: string, product: Product) => ({
    description: `Order ${orderId}: ${product.name}`,
    idempotencyKey: orderId,
    externalId: orderId,
    returnUrl: `${shopOrigin}/thanks?order=${orderId}`,
    supportUrl: `${shopOrigin}/support`,
    logoUrl: `${shopOrigin}/static/logo.svg`,
  });

  async function placeOrder(product: Product) {
    const orderId = `BT-${randomBytes(3).toString('hex').toUpperCase()}`;
    const invoice = await payframe.createInvoice({ amount: product.price, currency: product.currency, ...orderFields(orderId, product) });
    orders.add({ id: orderId, product, invoiceId: invoice.id });
    return { orderId, invoice };
  }

  /** An order sold through a payment widget: the buyer picks the coin on Payframe's page. */
  async function placeWidgetOrder(product: Product) {
    const orderId = `BT-${randomBytes(3).toString('hex').toUpperCase()}`;
    const widget = await payframe.createWidget({ cryptoCurrencies: [...WIDGET_COINS], fiatAmount: product.usd, fiatCurrency: 'USD', ...orderFields(orderId, product) });
    orders.add({ id: orderId, product, invoiceId: '', widget: true });
    return { orderId, widgetId: widget.paymentUrl.slice(widget.paymentUrl.lastIndexOf('/') + 1) };
  }

  /** Moves the sandbox's ETH_USD rate by numerator/denominator, to show a re-quote: exact decimals, to the cent at least. */
  async function moveEthRate(numerator: bigint, denominator: bigint) {
    const { rates } = await payframe.sandboxRates({});
    const now = rates.ETH_USD ?? '3000';
    const places = Math.max(2, (now.split('.')[1] ?? '').length);
    return payframe.sandboxRates({ ETH_USD: scale(now, places, numerator, denominator) });
  }

  const html = (c: Context, body: string, status: 200 | 404 | 502 = 200) => {
    // The shop's own CSP: Payframe's script and frames, nothing inline. The loader styles through CSSOM, which this allows.
    c.header('Content-Security-Policy', `default-src 'self'; script-src 'self' ${payframeOrigin}; frame-src ${payframeOrigin}; img-src 'self'; base-uri 'none'; form-action 'self'`);
    return c.html(body, status);
  };
  const product = (c: Context) => findProduct(c.req.query('product') ?? c.req.param('slug'));

  const app = new Hono()
    .get('/', (c) => html(c, pages.homePage(ctx)))
    .get('/checkout', async (c) => {
      const p = product(c);
      if (!p) return html(c, pages.errorPage(ctx, 404, 'No such product.'), 404);
      const { orderId, invoice } = await placeOrder(p);
      return html(c, pages.checkoutPage(ctx, p, orderId, invoice.id));
    })
    .get('/product/:slug', async (c) => {
      const p = product(c);
      if (!p) return html(c, pages.errorPage(ctx, 404, 'No such product.'), 404);
      // A real shop would create the invoice when the buyer decides to buy; the demo shows the checkout at once.
      const { orderId, invoice } = await placeOrder(p);
      return html(c, pages.productPage(ctx, p, orderId, invoice.id, shopOrigin));
    })
    .get('/widget', async (c) => {
      const p = product(c);
      if (!p) return html(c, pages.errorPage(ctx, 404, 'No such product.'), 404);
      const { orderId, widgetId } = await placeWidgetOrder(p);
      return html(c, pages.widgetPage(ctx, p, orderId, widgetId));
    })
    .get('/pay-link', async (c) => {
      const p = product(c);
      if (!p) return html(c, pages.errorPage(ctx, 404, 'No such product.'), 404);
      const { orderId, invoice } = await placeOrder(p);
      return html(c, pages.payLinkPage(ctx, p, orderId, invoice.id, invoice.paymentUrl));
    })
    .get('/thanks', async (c) => {
      const orderId = c.req.query('order') ?? '';
      const order = orders.get(orderId);
      if (!order) return html(c, pages.thanksPage(ctx, orderId, undefined, null), 404);
      // Shown for information only: the order is paid when a webhook said so (order.paid), not when this answer says PAID.
      // A widget order has the invoices its buyer created: the widget's state sums them up.
      const state = order.widget ? (await payframe.api.findWidget({ idempotencyKey: orderId })).widgetState : (await payframe.getInvoice(order.invoiceId)).state;
      return html(c, pages.thanksPage(ctx, orderId, order, state));
    })
    .get('/orders/:id', (c) => {
      const order = orders.get(c.req.param('id'));
      if (!order) return c.json({ error: 'no such order' }, 404);
      const { id, invoiceId, paymentSeen, paid, completed, events } = order;
      return c.json({ id, invoiceId, paymentSeen, paid, completed, events });
    })
    .get('/support', (c) => html(c, pages.supportPage(ctx)))
    .post('/orders', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { product?: string; widget?: boolean };
      const p = findProduct(body.product);
      if (!p) return c.json({ error: 'no such product' }, 404);
      if (body.widget) return c.json(await placeWidgetOrder(p));
      const { orderId, invoice } = await placeOrder(p);
      return c.json({ orderId, invoiceId: invoice.id });
    })
    .post('/sandbox/:action', async (c) => {
      const { invoiceId, tx } = (await c.req.json().catch(() => ({}))) as { invoiceId?: string; tx?: WalletTx };
      const action = c.req.param('action');
      if (action === 'mine') return c.json(await payframe.sandboxMine(1));
      if (action === 'rate-up') return c.json(await moveEthRate(11n, 10n));
      if (action === 'rate-down') return c.json(await moveEthRate(9n, 10n));
      if (!invoiceId) return c.json({ error: 'no invoice yet: open a checkout first' }, 400);
      const view = await payframe.checkoutView(invoiceId);
      const { decimals, code } = view.currency;
      const due = /[1-9]/.test(view.amountDue) ? view.amountDue : view.amount;
      const pay = (amount: string, from?: string) => payframe.sandboxPay({ address: view.address, currency: code, amount, from });
      switch (action) {
        case 'pay-full':
          return c.json(await pay(due));
        case 'pay-part':
          return c.json(await pay(scale(due, decimals, 1n, 2n)));
        case 'overpay':
          return c.json(await pay(scale(view.amount, decimals, 3n, 2n)));
        case 'pay-other':
          return c.json(await pay(scale(due, decimals, 1n, 2n), OTHER_WALLET));
        case 'wallet-send': {
          // The sandbox wallet (shop.js) pays what the checkout asked it to: that recipient, that amount, in the invoice's coin.
          const sent = walletTransfer(tx ?? {});
          if (!sent.ok) return c.json({ error: sent.reason }, 400);
          return c.json(await payframe.sandboxPay({ address: sent.to, currency: code, amount: fromUnits(sent.units, decimals) }));
        }
        default:
          return c.json({ error: `unknown sandbox action ${action}` }, 404);
      }
    })
    .get('/static/:file', (c) => {
      const file = staticFiles.get(c.req.param('file'));
      if (!file) return c.text('not found', 404);
      c.header('Cache-Control', 'no-cache');
      return c.body(new Uint8Array(file.body), 200, { 'Content-Type': file.type });
    })
    .route('/', webhookReceiver({ secret: deps.webhookSecret, orders, now: deps.now }));

  app.onError((err, c) => {
    const status = err instanceof PayframeError || err instanceof PayframeApiError ? 502 : 500;
    console.error(err);
    if (c.req.method === 'POST') return c.json({ error: err.message }, status);
    return c.html(pages.errorPage(ctx, status, err.message), status);
  });
  return app;
}

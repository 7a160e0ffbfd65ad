/**
 * The demo shop's HTML. Each integration page shows the sandbox panel (the
 * buttons that fake a buyer's wallet and the chain) beside the checkout, and
 * a log of what the page heard from the checkout — for display only: the shop
 * never treats an order as paid because its own browser page said so.
 */
import type { Product } from './catalog';
import type { Order } from './orders';
import { PRODUCTS } from './catalog';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export interface PageContext {
  payframeUrl: string;
}

const price = (p: Product) => `${esc(p.price)} ${esc(p.currency.split('_')[0]!)}`;
const usd = (p: Product) => `$${esc(p.usd)}`;

function layout(ctx: PageContext, title: string, body: string, opts: { widget?: boolean; refreshSeconds?: number | undefined } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · Bean There</title>
${opts.refreshSeconds ? `<meta http-equiv="refresh" content="${opts.refreshSeconds}">\n` : ''}<link rel="icon" href="/static/logo.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/shop.css">
${opts.widget ? `<script src="${esc(ctx.payframeUrl)}/widget.js" defer></script>\n` : ''}<script src="/static/shop.js" defer></script>
</head>
<body>
<header class="top"><a class="brand" href="/"><img src="/static/logo.svg" alt="" width="28" height="28"> Bean There</a>
<nav><a href="/widget?product=espresso-beans">Any coin</a><a href="/checkout?product=pour-over-kit">Script tag</a><a href="/#modal">Modal</a><a href="/product/pour-over-kit">Iframe</a><a href="/pay-link?product=pour-over-kit">Hosted link</a></nav></header>
<main>
${body}
</main>
<footer>A demo merchant on its own origin, paying through Payframe at <code>${esc(ctx.payframeUrl)}</code>. Sandbox chain: no real funds.</footer>
</body>
</html>`;
}

function sandboxPanel(invoiceId: string | null, opts: { rates?: boolean } = {}): string {
  return `<aside class="sandbox" data-sandbox data-invoice="${esc(invoiceId ?? '')}">
<h2>Sandbox</h2>
<p>Plays the buyer's wallet and the chain for invoice <code data-invoice-id>${esc(invoiceId ?? '(none yet)')}</code>.</p>
<div class="buttons">
<button type="button" data-action="pay-full">Pay in full</button>
<button type="button" data-action="pay-part">Pay half</button>
<button type="button" data-action="overpay">Overpay ×1.5</button>
<button type="button" data-action="pay-other">Half from another wallet</button>
<button type="button" data-action="mine">Mine a block</button>
${opts.rates ? '<button type="button" data-action="rate-up">ETH price +10 %</button>\n<button type="button" data-action="rate-down">ETH price −10 %</button>\n' : ''}</div>
${opts.rates ? '<p class="hint">A moved rate shows in new quotes: the picker\'s when its lock ends (it reloads), an open invoice\'s when its quote expires with nothing paid.</p>\n' : ''}
<h3>Status seen by this page</h3>
<p class="status" data-status>—</p>
<ol class="log" data-log></ol>
</aside>`;
}

export function homePage(ctx: PageContext): string {
  const cards = PRODUCTS.map(
    (p) => `<li class="card"><h3><a href="/product/${esc(p.slug)}">${esc(p.name)}</a></h3><p>${esc(p.blurb)}</p>
<p class="price">${usd(p)} <small>or ${price(p)}</small></p>
<p class="actions"><button type="button" class="buy" data-widget-button="${esc(p.slug)}">Pay ${usd(p)} with any coin</button>
<button type="button" data-pay-button="${esc(p.slug)}">Pay now in ${esc(p.currency.split('_')[0]!)}</button>
<a href="/widget?product=${esc(p.slug)}">Any-coin checkout</a> · <a href="/checkout?product=${esc(p.slug)}">Checkout</a> · <a href="/pay-link?product=${esc(p.slug)}">Pay link</a></p></li>`,
  ).join('\n');
  return layout(
    ctx,
    'Shop',
    `<h1>Coffee gear, paid in crypto</h1>
<p class="lede">Every way to take a payment with Payframe: <b>Pay now</b> opens the checkout in a modal (<code>Payframe.open</code>), <b>Checkout</b> mounts it inline with a script tag, a product page frames it with a plain iframe, and <b>Pay link</b> sends the buyer to Payframe's hosted page.</p>
<div class="split" id="modal"><ul class="cards">${cards}</ul>${sandboxPanel(null, { rates: true })}</div>`,
    { widget: true },
  );
}

export const checkoutPage = (ctx: PageContext, product: Product, orderId: string, invoiceId: string): string =>
  orderPage(ctx, `Order <b>${esc(orderId)}</b>: ${esc(product.name)}, <b>${price(product)}</b>`, `data-payframe-invoice="${esc(invoiceId)}"`, sandboxPanel(invoiceId));

/** Sold in US dollars through a payment widget: the buyer picks the coin and network on Payframe's picker. */
export const widgetPage = (ctx: PageContext, product: Product, orderId: string, widgetId: string): string =>
  orderPage(
    ctx,
    `Order <b>${esc(orderId)}</b>: ${esc(product.name)}, <b>${usd(product)}</b>. Pay with the coin you hold.`,
    `data-payframe-widget="${esc(widgetId)}"`,
    sandboxPanel(null, { rates: true }),
  );

/** An order's checkout page: its summary, the element the script tag fills (by its data attribute), the sandbox panel. */
function orderPage(ctx: PageContext, summary: string, embed: string, panel: string): string {
  return layout(
    ctx,
    'Checkout',
    `<h1>Checkout</h1>
<div class="split"><section>
<p class="summary">${summary}</p>
<div class="checkout" ${embed}></div>
</section>${panel}</div>`,
    { widget: true },
  );
}

export function productPage(ctx: PageContext, product: Product, orderId: string, invoiceId: string, shopOrigin: string): string {
  const src = `${ctx.payframeUrl}/embed/${encodeURIComponent(invoiceId)}?parent=${encodeURIComponent(shopOrigin)}`;
  return layout(
    ctx,
    product.name,
    `<h1>${esc(product.name)}</h1>
<div class="split"><section>
<p>${esc(product.blurb)}</p>
<p class="price">${price(product)}</p>
<h2>Buy it right here</h2>
<p class="summary">Order <b>${esc(orderId)}</b>. A plain <code>&lt;iframe&gt;</code>; this page sizes it from the checkout's messages.</p>
<iframe class="checkout-frame" data-payframe-frame src="${esc(src)}" title="Payment" allow="clipboard-write"></iframe>
</section>${sandboxPanel(invoiceId)}</div>`,
  );
}

export function payLinkPage(ctx: PageContext, product: Product, orderId: string, invoiceId: string, paymentUrl: string): string {
  return layout(
    ctx,
    'Pay',
    `<h1>Pay for your order</h1>
<div class="split"><section>
<p class="summary">Order <b>${esc(orderId)}</b>: ${esc(product.name)}, <b>${price(product)}</b></p>
<p>Payframe hosts the payment page; it brings you back here when you are done.</p>
<p><a class="button" data-pay-link href="${esc(paymentUrl)}" target="_blank" rel="noopener">Pay ${price(product)} on Payframe</a></p>
</section>${sandboxPanel(invoiceId)}</div>`,
  );
}

/**
 * The order page. Whether the order is paid comes from `order.paid`, which
 * only a verified webhook sets; `state` is what Payframe's API answered our
 * server, shown beside it for information.
 */
export function thanksPage(ctx: PageContext, orderId: string, order: Order | undefined, state: string | null): string {
  if (!order) return layout(ctx, 'Thank you', `<h1>Order not found</h1><p>We could not find order <b>${esc(orderId)}</b>.</p><p><a href="/">Back to the shop</a></p>`);
  const text = order.completed
    ? 'Your payment is final. We are packing your order.'
    : order.paid
      ? 'Your payment arrived. We are packing your order.'
      : order.paymentSeen
        ? 'We see your payment on its way; this page refreshes until it is confirmed.'
        : 'We have not been told of your payment yet; this page refreshes until we are.';
  const events = order.events.map((e) => `<li><code>${esc(e.eventType)}</code> (${esc(e.state)})</li>`).join('');
  return layout(
    ctx,
    'Thank you',
    `<h1>Thank you</h1><p>Order <b>${esc(orderId)}</b>: ${esc(order.product.name)}.</p>
<p data-order-paid="${order.paid}" data-order-completed="${order.completed}" data-payment-seen="${order.paymentSeen}">${esc(text)}</p>
<p>Webhooks received for this order:</p><ul data-order-events>${events || '<li>none yet</li>'}</ul>
<p>Status from Payframe's API, asked by our server (information only): <b data-order-state="${esc(state ?? '')}">${esc(state ?? 'unknown')}</b></p><p><a href="/">Back to the shop</a></p>`,
    { refreshSeconds: order.completed ? undefined : 3 },
  );
}

export function supportPage(ctx: PageContext): string {
  return layout(ctx, 'Support', '<h1>Support</h1><p>Write to <b>support@bean-there.example</b> with your order number; we answer within a day.</p>');
}

export function errorPage(ctx: PageContext, status: number, text: string): string {
  return layout(ctx, 'Error', `<h1>Something went wrong (${status})</h1><p>${esc(text)}</p>`);
}

/**
 * The demo shop's HTML. Each integration page shows the sandbox panel (the
 * buttons that fake a buyer's wallet and the chain) beside the checkout, and
 * a log of what the page heard from the checkout — for display only: the shop
 * never treats an order as paid because its own browser page said so.
 */
import type { Product } from './catalog';
import { PRODUCTS } from './catalog';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export interface PageContext {
  payframeUrl: string;
}

const price = (p: Product) => `${esc(p.price)} ${esc(p.currency.split('_')[0]!)}`;

function layout(ctx: PageContext, title: string, body: string, opts: { widget?: boolean } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · Bean There</title>
<link rel="stylesheet" href="/static/shop.css">
${opts.widget ? `<script src="${esc(ctx.payframeUrl)}/widget.js" defer></script>\n` : ''}<script src="/static/shop.js" defer></script>
</head>
<body>
<header class="top"><a class="brand" href="/"><img src="/static/logo.svg" alt="" width="28" height="28"> Bean There</a>
<nav><a href="/checkout?product=pour-over-kit">Script tag</a><a href="/#modal">Modal</a><a href="/product/pour-over-kit">Iframe</a><a href="/pay-link?product=pour-over-kit">Hosted link</a></nav></header>
<main>
${body}
</main>
<footer>A demo merchant on its own origin, paying through Payframe at <code>${esc(ctx.payframeUrl)}</code>. Sandbox chain: no real funds.</footer>
</body>
</html>`;
}

export function sandboxPanel(invoiceId: string | null): string {
  return `<aside class="sandbox" data-sandbox data-invoice="${esc(invoiceId ?? '')}">
<h2>Sandbox</h2>
<p>Plays the buyer's wallet and the chain for invoice <code data-invoice-id>${esc(invoiceId ?? '(none yet)')}</code>.</p>
<div class="buttons">
<button type="button" data-action="pay-full">Pay in full</button>
<button type="button" data-action="pay-part">Pay half</button>
<button type="button" data-action="overpay">Overpay ×1.5</button>
<button type="button" data-action="pay-other">Half from another wallet</button>
<button type="button" data-action="mine">Mine a block</button>
</div>
<h3>Status seen by this page</h3>
<p class="status" data-status>—</p>
<ol class="log" data-log></ol>
</aside>`;
}

export function homePage(ctx: PageContext): string {
  const cards = PRODUCTS.map(
    (p) => `<li class="card"><h3><a href="/product/${esc(p.slug)}">${esc(p.name)}</a></h3><p>${esc(p.blurb)}</p>
<p class="price">${price(p)}</p>
<p class="actions"><button type="button" class="buy" data-pay-button="${esc(p.slug)}">Pay now</button>
<a href="/checkout?product=${esc(p.slug)}">Checkout</a> · <a href="/pay-link?product=${esc(p.slug)}">Pay link</a></p></li>`,
  ).join('\n');
  return layout(
    ctx,
    'Shop',
    `<h1>Coffee gear, paid in crypto</h1>
<p class="lede">Every way to take a payment with Payframe: <b>Pay now</b> opens the checkout in a modal (<code>Payframe.open</code>), <b>Checkout</b> mounts it inline with a script tag, a product page frames it with a plain iframe, and <b>Pay link</b> sends the buyer to Payframe's hosted page.</p>
<div class="split" id="modal"><ul class="cards">${cards}</ul>${sandboxPanel(null)}</div>`,
    { widget: true },
  );
}

export function checkoutPage(ctx: PageContext, product: Product, orderId: string, invoiceId: string): string {
  return layout(
    ctx,
    'Checkout',
    `<h1>Checkout</h1>
<div class="split"><section>
<p class="summary">Order <b>${esc(orderId)}</b>: ${esc(product.name)}, <b>${price(product)}</b></p>
<div class="checkout" data-payframe-invoice="${esc(invoiceId)}"></div>
</section>${sandboxPanel(invoiceId)}</div>`,
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

export function thanksPage(ctx: PageContext, orderId: string, state: string | null): string {
  const text =
    state === 'COMPLETED' || state === 'PAID'
      ? 'Your payment arrived. We are packing your order.'
      : state === null
        ? 'We could not find this order.'
        : 'We have not received your payment yet; this page shows what Payframe tells our server.';
  return layout(
    ctx,
    'Thank you',
    `<h1>Thank you</h1><p>Order <b>${esc(orderId)}</b>.</p><p data-order-state="${esc(state ?? '')}">${esc(text)}</p>
<p>Status from Payframe's API, asked by our server: <b>${esc(state ?? 'unknown')}</b></p><p><a href="/">Back to the shop</a></p>`,
  );
}

export function supportPage(ctx: PageContext): string {
  return layout(ctx, 'Support', '<h1>Support</h1><p>Write to <b>support@bean-there.example</b> with your order number; we answer within a day.</p>');
}

export function errorPage(ctx: PageContext, status: number, text: string): string {
  return layout(ctx, 'Error', `<h1>Something went wrong (${status})</h1><p>${esc(text)}</p>`);
}

/**
 * The HTML of /pay/:id and /embed/:id: the checkout rendered on the server
 * (amount, address and QR show before any script runs), the data it was
 * rendered from for hydration, and — for a browser without script — a
 * refresh every few seconds while the invoice can still change (every 30 s
 * once it expired: it only waits for a late payment then).
 */
import { renderToString } from 'preact-render-to-string';
import { signal } from '@preact/signals';
import { BOOT_ELEMENT_ID, MESSAGES_ELEMENT_ID, ROOT_ELEMENT_ID, type BootData, type PickerBoot } from '../../widget/checkout/boot';
import { Picker } from '../../widget/checkout/Picker';
import { lockSecondsAt } from '../../widget/checkout/picker-model';
import { PICKER_TEXT } from '../../widget/checkout/picker-text';
import { Checkout } from '../../widget/checkout/Checkout';
import { coinName, formatAmount, formatFiat } from '../../widget/checkout/format';
import { EXPIRED_POLL_MS } from '../../widget/checkout/live';
import { createCheckoutModel } from '../../widget/checkout/model';
import type { Theme } from '../../contract/frame';
import type { CheckoutAssets } from './assets';
import { FAVICON_SVG } from './favicon';
import { svgDataUri } from './qr';
import { WALLET_WORDS } from '../../widget/checkout/wallet/wallet-text';

const NO_SCRIPT_REFRESH_SECONDS = 10;
/** An expired page costs a request every 30 s, as the script's polling does. */
const NO_SCRIPT_EXPIRED_REFRESH_SECONDS = EXPIRED_POLL_MS / 1000;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** JSON inside <script>: "<" escaped so no string in it (a merchant's description) can close the element. */
const jsonForScript = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The page's own icon, inside the page: the browser neither goes looking for
 * /favicon.ico nor makes a request after the HTML for it.
 */
const FAVICON_LINK = `<link rel="icon" href="${svgDataUri(FAVICON_SVG)}" type="image/svg+xml">`;

const noTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

export function renderCheckoutPage(boot: BootData, theme: Theme, entry: CheckoutAssets['entry']): string {
  const model = createCheckoutModel(boot, { monotonic: () => 0, timers: noTimers });
  const markup = renderToString(<Checkout model={model} />);
  const v = boot.view;
  const title = `Pay ${formatAmount(v.amount)} ${coinName(v.currency.code)} · ${v.description}`;
  const seconds = v.state === 'ARCHIVED' ? NO_SCRIPT_EXPIRED_REFRESH_SECONDS : NO_SCRIPT_REFRESH_SECONDS;
  const refresh = v.final ? '' : `<noscript><meta http-equiv="refresh" content="${seconds}"></noscript>`;
  return pageShell({ title, theme, mode: boot.mode, entry, refresh, markup, boot, words: WALLET_WORDS });
}

/** A payment widget's picker: a form that works without script (so no refresh: the buyer acts, not the page). */
export function renderPickerPage(boot: PickerBoot, theme: Theme, entry: CheckoutAssets['entry']): string {
  const markup = renderToString(<Picker view={boot.view} action={boot.action} lockSeconds={signal(lockSecondsAt(boot))} sandbox={boot.sandbox} merchantName={boot.merchantName} />);
  const title = `${PICKER_TEXT.heading} · ${formatFiat(boot.view.fiatAmount, boot.view.fiatCurrency)} · ${boot.view.description}`;
  return pageShell({ title, theme, mode: boot.mode, entry, refresh: '', markup, boot });
}

function pageShell(p: { title: string; theme: Theme; mode: string; entry: CheckoutAssets['entry']; refresh: string; markup: string; boot: unknown; words?: object }): string {
  const { title, theme, entry, refresh, markup, boot } = p;
  return [
    `<!doctype html><html lang="en" data-theme="${theme}" data-mode="${p.mode}"><head>`,
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)}</title>`,
    FAVICON_LINK,
    ...entry.styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`),
    `<script type="module" src="${escapeHtml(entry.script)}"></script>`,
    refresh,
    `</head><body><div id="${ROOT_ELEMENT_ID}">${markup}</div>`,
    `<script type="application/json" id="${BOOT_ELEMENT_ID}">${jsonForScript(boot)}</script>`,
    p.words ? `<script type="application/json" id="${MESSAGES_ELEMENT_ID}">${jsonForScript(p.words)}</script>` : '',
    '</body></html>',
  ].join('');
}

export function renderMessagePage(title: string, text: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title>${FAVICON_LINK}</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`
  );
}

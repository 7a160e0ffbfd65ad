/**
 * The HTML of /pay/:id and /embed/:id: the checkout rendered on the server
 * (amount, address and QR show before any script runs), the data it was
 * rendered from for hydration, and — for a browser without script — a
 * refresh every few seconds while the invoice can still change (every 30 s
 * once it expired: it only waits for a late payment then).
 */
import { renderToString } from 'preact-render-to-string';
import { signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { BOOT_ELEMENT_ID, MESSAGES_ELEMENT_ID, ROOT_ELEMENT_ID, type BootData, type PickerBoot } from '../../widget/checkout/boot';
import { Picker } from '../../widget/checkout/Picker';
import { lockSecondsAt } from '../../widget/checkout/picker-model';
import { Checkout } from '../../widget/checkout/Checkout';
import { LanguageSwitch } from '../../widget/checkout/LanguageSwitch';
import { coinName } from '../../widget/checkout/format';
import { CATALOGUE, pageMessages } from '../../widget/checkout/i18n/catalogue';
import { createI18n, I18nContext, type I18n } from '../../widget/checkout/i18n/i18n';
import { DEFAULT_LOCALE, directionOf, type Locale } from '../../widget/checkout/i18n/locales';
import { EXPIRED_POLL_MS } from '../../widget/checkout/live';
import { createCheckoutModel } from '../../widget/checkout/model';
import type { Theme } from '../../contract/frame';
import type { CheckoutAssets } from './assets';
import { FAVICON_SVG } from './favicon';
import { svgDataUri } from './qr';

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

const i18nOf = (locale: string) => createI18n(locale, CATALOGUE[locale as Locale]);
const render = (i18n: I18n, tree: ComponentChildren) => renderToString(<I18nContext.Provider value={i18n}>{tree}</I18nContext.Provider>);

/** `keep`: the query parameters the language switch carries over. */
export function renderCheckoutPage(boot: BootData, theme: Theme, entry: CheckoutAssets['entry'], keep: [string, string][]): string {
  const i18n = i18nOf(boot.locale);
  const model = createCheckoutModel(boot, { monotonic: () => 0, timers: noTimers });
  const markup = render(i18n, <Checkout model={model} />);
  const v = boot.view;
  const title = i18n.t('title', { amount: `${i18n.amount(v.amount)} ${coinName(v.currency.code)}`, description: v.description });
  const seconds = v.state === 'ARCHIVED' ? NO_SCRIPT_EXPIRED_REFRESH_SECONDS : NO_SCRIPT_REFRESH_SECONDS;
  const refresh = v.final ? '' : `<noscript><meta http-equiv="refresh" content="${seconds}"></noscript>`;
  return pageShell({ title, theme, i18n, entry, refresh, markup, boot, keep });
}

/** A payment widget's picker: a form that works without script (so no refresh: the buyer acts, not the page). */
export function renderPickerPage(boot: PickerBoot, theme: Theme, entry: CheckoutAssets['entry'], keep: [string, string][]): string {
  const i18n = i18nOf(boot.locale);
  const markup = render(i18n, <Picker view={boot.view} action={boot.action} lockSeconds={signal(lockSecondsAt(boot))} sandbox={boot.sandbox} modal={boot.modal === true} merchantName={boot.merchantName} />);
  const title = `${i18n.t('picker.heading')} · ${i18n.fiat(boot.view.fiatAmount, boot.view.fiatCurrency)} · ${boot.view.description}`;
  return pageShell({ title, theme, i18n, entry, refresh: '', markup, boot, keep });
}

interface Shell {
  title: string;
  theme: Theme;
  i18n: I18n;
  entry: CheckoutAssets['entry'];
  refresh: string;
  markup: string;
  boot: BootData | PickerBoot;
  keep: [string, string][];
}

function pageShell(p: Shell): string {
  const { title, theme, entry, refresh, markup, boot, i18n } = p;
  return [
    `<!doctype html><html lang="${i18n.locale}" dir="${directionOf(i18n.locale)}" data-theme="${theme}" data-mode="${boot.mode}"><head>`,
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)}</title>`,
    FAVICON_LINK,
    ...entry.styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`),
    `<script type="module" src="${escapeHtml(entry.script)}"></script>`,
    refresh,
    `</head><body><div id="${ROOT_ELEMENT_ID}">${markup}</div>`,
    // Outside the hydrated root: the server's alone (see LanguageSwitch).
    render(i18n, <LanguageSwitch keep={p.keep} />),
    `<script type="application/json" id="${BOOT_ELEMENT_ID}">${jsonForScript(boot)}</script>`,
    // Only the chosen locale's words, and of those only the ones this page's script reads: no extra request, and the
    // other 23 locales cost this page nothing. The wallet's buttons' words ("wallet.*") are among them.
    `<script type="application/json" id="${MESSAGES_ELEMENT_ID}">${jsonForScript(pageMessages(boot.locale as Locale, 'kind' in boot ? 'picker' : 'checkout'))}</script>`,
    '</body></html>',
  ].join('');
}

/** A page that only says something (a link not found, a bad parameter). */
export function renderMessagePage(title: string, text: string, locale: Locale = DEFAULT_LOCALE): string {
  return (
    `<!doctype html><html lang="${locale}" dir="${directionOf(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title>${FAVICON_LINK}</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`
  );
}

/** The page for a payment link that leads nowhere, in the buyer's language. */
export function renderNotFoundPage(locale: Locale): string {
  const { t } = i18nOf(locale);
  return renderMessagePage(t('notFound.title'), t('notFound.text'), locale);
}

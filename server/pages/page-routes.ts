/**
 * The browser-facing pages of Payframe:
 *   GET /widget.js              the loader merchants put on their pages
 *   GET /relay.js               the wallet relay, imported by widget.js into a merchant page that has a wallet
 *   GET /pay/:id                the hosted pay link (never framed)
 *   GET /embed/:id              the checkout for an iframe (framed only by the merchant's origins)
 *   GET /qr/:id/:version.svg    the QR code of one version's payment URI (the page's first one is inline)
 *   GET /assets/*               the checkout's hashed bundle and stylesheet
 *   GET /appearance.css         a merchant's appearance as --pf-* variables (pages/appearance.ts)
 *   GET /favicon.svg            Payframe's icon (also at /favicon.ico, where browsers look for one by habit)
 */
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { readStoredView, viewAsOf } from '../checkout/view';
import type { Db } from '../db/schema';
import type { Logger } from '../logger';
import type { Clock } from '../clock';
import { SANDBOX_CHAIN } from '../chains/sandbox';
import type { CheckoutMode } from '../../widget/checkout/boot';
import { APPEARANCE_KEYS, pageLook, sendAppearanceCss, withAppearance, type PageLook } from './appearance';
import { findPageProfile } from '../merchants/profile';
import { loadAssets, type Asset, type CheckoutAssets } from './assets';
import type { Theme } from '../../contract/frame';
import { checkoutCsp } from './csp';
import { FAVICON_SVG } from './favicon';
import { qrSvg, svgDataUri } from './qr';
import { pageLocale } from './locale';
import { renderCheckoutPage, renderMessagePage, renderNotFoundPage } from './render-page';
import { qrText } from '../chains/utxo/bip21';
import type { AddChainParams } from '../../widget/checkout/wallet/pay-flow';

const ID = /^inv_[\w-]{1,64}$/;
const QR_FILE = /^(\d{1,10})\.svg$/;

export interface PageDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** By chain name, what a buyer's wallet is asked to add when it does not know the chain. */
  walletChains?: ReadonlyMap<string, AddChainParams>;
  /** By chain name, a block explorer's transaction page with `{hash}` in it, for the receipt's link. */
  explorers?: ReadonlyMap<string, string>;
  /** Defaults to reading dist/ on first use, so a server without a build still answers its API. */
  assets?: () => CheckoutAssets;
}

export function lazyAssets(): () => CheckoutAssets {
  let loaded: CheckoutAssets | undefined;
  return () => (loaded ??= loadAssets());
}

/**
 * Hono's secure headers on everything these routes send: among them
 * Referrer-Policy no-referrer (the invoice id in a page's URL is the buyer's
 * secret, so no Referer carries it anywhere) and nosniff. A route's own
 * header wins (overwrite off): /widget.js is loaded cross-origin, /embed is
 * framed by the merchant's origins under its CSP, /pay denies all framing.
 */
export const secure = secureHeaders({ overwrite: false, xFrameOptions: false });

/** A page's own headers: its CSP (per merchant and logo), no caching of a buyer's page, and that its language follows Accept-Language. */
export function pageHeaders(c: Context, csp: string) {
  c.header('Content-Security-Policy', csp);
  c.header('Cache-Control', 'no-store');
  c.header('Vary', 'Accept-Language', { append: true });
}

function sendAsset(c: Context, asset: Asset, cacheControl: string) {
  c.header('Content-Type', asset.type);
  c.header('Cache-Control', cacheControl);
  c.header('Vary', 'Accept-Encoding');
  if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    c.header('Content-Encoding', 'gzip');
    return c.body(new Uint8Array(asset.gzip));
  }
  return c.body(new Uint8Array(asset.body));
}

/** The built checkout, or the 503 that says it is not built. */
export function builtOr503(c: Context, assets: () => CheckoutAssets, log: Logger): CheckoutAssets | Response {
  try {
    return assets();
  } catch (err) {
    // The detail (a path on this server) goes to the operator's log, not to the buyer.
    log.error('checkout assets unavailable', { error: err instanceof Error ? err.message : String(err) });
    return c.text("Payframe's checkout is not built on this server; its operator must run `npm run build`.", 503);
  }
}

function sendFavicon(c: Context) {
  // A year: the icon is not meant to change, and browsers keep favicons longer than they are told anyway; a new design takes a new file name.
  c.header('Cache-Control', 'public, max-age=31536000');
  // Opened on its own an SVG is a document; ours runs nothing, and this keeps it so.
  c.header('Content-Security-Policy', "default-src 'none'");
  return c.body(FAVICON_SVG, 200, { 'Content-Type': 'image/svg+xml' });
}

/** What the language switch carries over: the URL's appearance only as far as the page took it (an invalid one is not repeated into the page). */
function switchKeeps(keep: [string, string][], look: PageLook): [string, string][] {
  const took = new URLSearchParams(look.stylesheet?.split('?')[1]);
  return keep.filter(([k, v]) => !APPEARANCE_KEYS.includes(k) || (k === 'theme' ? v === look.theme : took.get(k) === v));
}

/**
 * The arguments after the boot data that both page renderers take (renderCheckoutPage, renderPickerPage): the
 * page's theme, its built entry with the merchant's stylesheet, and what its language switch keeps of the URL.
 */
export function lookArgs(look: PageLook, entry: CheckoutAssets['entry'], keep: [string, string][]): [Theme, CheckoutAssets['entry'], [string, string][]] {
  return [look.theme, withAppearance(entry, look), switchKeeps(keep, look)];
}

/** Whether the loader's modal frames the page (?modal=1 on /embed): its card then has a Close button. */
const modalOf = (c: Context, mode: CheckoutMode): boolean => mode === 'embed' && c.req.query('modal') === '1';

/**
 * What a checkout page and a picker page both take from the merchant (one read of its row) and from the URL: the
 * origins that may frame it, its look, and the boot data's parent origin, modal and merchant name.
 */
export async function merchantSide(c: Context, deps: { db: Db; log: Logger }, mode: CheckoutMode, account: string) {
  const merchant = await findPageProfile(deps.db, account);
  const origins = mode === 'embed' ? (merchant?.origins ?? []) : [];
  const parent = c.req.query('parent');
  return {
    origins,
    look: pageLook(c.req.query(), merchant?.appearance ?? null, deps.log, account),
    boot: {
      // Posting to an origin the merchant did not configure would tell a stranger about the payment.
      parentOrigin: parent !== undefined && origins.includes(parent) ? parent : null,
      modal: modalOf(c, mode),
      merchantName: merchant?.displayName ?? null,
    },
  };
}

/** Sends a buyer's page under its CSP (framed only by the merchant's origins); the hosted page denies framing to older browsers too. */
export function sendPage(c: Context, mode: CheckoutMode, html: string, frameAncestors: string[], logoUrl: string | null) {
  pageHeaders(c, checkoutCsp({ frameAncestors, logoUrl, formSelf: true }));
  // Older browsers know only X-Frame-Options, which cannot list origins: the hosted page denies, the embed relies on CSP.
  if (mode === 'pay') c.header('X-Frame-Options', 'DENY');
  return c.html(html);
}

/** A widget's picker, in the same embedding as the page that links to it (an iframe keeps its parent and modal; both keep their appearance and language). */
export function pickerUrl(mode: CheckoutMode, widgetId: string, query: Record<string, string>): string {
  const keep = new URLSearchParams(Object.entries(query).filter(([k]) => (mode === 'embed' && (k === 'parent' || k === 'modal')) || k === 'locale' || APPEARANCE_KEYS.includes(k)));
  const path = mode === 'pay' ? `/w/${widgetId}` : `/embed/w/${widgetId}`;
  return keep.size > 0 ? `${path}?${keep}` : path;
}

export function pageRoutes(deps: PageDeps) {
  const { db, clock } = deps;
  const assets = deps.assets ?? lazyAssets();

  const latest = (id: string) =>
    db
      .selectFrom('invoice_versions')
      .innerJoin('invoices', 'invoices.id', 'invoice_versions.invoice_id')
      .select(['invoice_versions.view', 'invoices.account', 'invoices.chain', 'invoices.widget_id', 'invoices.locale'])
      .where('invoice_versions.invoice_id', '=', id)
      .orderBy('invoice_versions.version', 'desc')
      .limit(1)
      .executeTakeFirst();

  /** A script under a fixed name (the loader, the wallet relay): not hashed, so cached for minutes only. */
  const unhashed =
    (pick: (built: CheckoutAssets) => Asset, headers: Record<string, string>) =>
    (c: Context) => {
      const built = builtOr503(c, assets, deps.log);
      if (built instanceof Response) return built;
      for (const [name, value] of Object.entries(headers)) c.header(name, value);
      return sendAsset(c, pick(built), 'public, max-age=300');
    };

  async function checkoutPage(c: Context, mode: CheckoutMode) {
    const id = c.req.param('id') ?? '';
    const row = ID.test(id) ? await latest(id) : undefined;
    const lang = pageLocale(c, row?.locale ?? null);
    if (!row || 'error' in lang) {
      pageHeaders(c, checkoutCsp({ frameAncestors: [], logoUrl: null }));
      if ('error' in lang) return c.html(renderMessagePage('Bad locale', lang.error), 400);
      return c.html(renderNotFoundPage(lang.locale), 404);
    }
    const built = builtOr503(c, assets, deps.log);
    if (built instanceof Response) return built;
    const view = viewAsOf(readStoredView(row.view), clock.now());
    const qr = view.paymentUri ? { version: view.version, src: svgDataUri(await qrSvg(qrText(view.paymentUri))) } : undefined;
    const side = await merchantSide(c, deps, mode, row.account);
    const widget = c.req.query('widget');
    const html = renderCheckoutPage(
      {
        view,
        serverNow: clock.now(),
        mode,
        ...side.boot,
        sandbox: row.chain === SANDBOX_CHAIN,
        qr,
        // Only the widget this invoice came from: a link elsewhere would be someone else's page.
        widgetUrl: widget !== undefined && widget === row.widget_id ? pickerUrl(mode, widget, c.req.query()) : null,
        walletChain: deps.walletChains?.get(row.chain) ?? null,
        explorerTxUrl: deps.explorers?.get(row.chain) ?? null,
        locale: lang.locale,
        localeChosen: lang.chosen,
      },
      ...lookArgs(side.look, built.entry, lang.keep),
    );
    return sendPage(c, mode, html, side.origins, view.logoUrl);
  }

  return new Hono()
    .use(secure)
    // Merchants' pages load it from their origin; a page with COEP needs this to allow it.
    .get('/widget.js', unhashed((b) => b.loader, { 'Cross-Origin-Resource-Policy': 'cross-origin' }))
    // widget.js imports it into the merchant's page: a module from another origin needs CORS.
    .get('/relay.js', unhashed((b) => b.relay, { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' }))
    .get('/assets/:file', (c) => {
      const built = builtOr503(c, assets, deps.log);
      if (built instanceof Response) return built;
      const asset = built.files.get(`assets/${c.req.param('file')}`);
      if (!asset) return c.text('not found', 404);
      return sendAsset(c, asset, 'public, max-age=31536000, immutable');
    })
    .get('/appearance.css', sendAppearanceCss)
    .get('/favicon.svg', sendFavicon)
    // Browsers still ask here when a page names no icon (the API's JSON opened in a tab). A browser that cannot read SVG shows no icon, as it did with the empty answer this replaces.
    .get('/favicon.ico', sendFavicon)
    .get('/pay/:id', (c) => checkoutPage(c, 'pay'))
    .get('/embed/:id', (c) => checkoutPage(c, 'embed'))
    .get('/qr/:id/:file', async (c) => {
      const id = c.req.param('id');
      const version = QR_FILE.exec(c.req.param('file'))?.[1];
      const row =
        ID.test(id) && version
          ? await db.selectFrom('invoice_versions').select('view').where('invoice_id', '=', id).where('version', '=', Number(version)).executeTakeFirst()
          : undefined;
      const uri = row && readStoredView(row.view).paymentUri;
      // A version with nothing due has no payment URI, so no QR.
      if (!uri) return c.text('not found', 404);
      const svg = await qrSvg(qrText(uri));
      // A version never changes, so neither does its QR; private, because the URL holds the invoice id.
      c.header('Cache-Control', 'private, max-age=31536000, immutable');
      c.header('Content-Security-Policy', "default-src 'none'");
      return c.body(svg, 200, { 'Content-Type': 'image/svg+xml' });
    });
}

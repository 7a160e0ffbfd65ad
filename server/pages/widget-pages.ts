/**
 * A payment widget's pages: the buyer's coin picker, hosted and for an iframe.
 *   GET  /w/:id          the hosted picker (never framed)
 *   POST /w/:id          the picker's form (currency=…): → 303 to the invoice's /pay page
 *   GET  /embed/w/:id    the picker for an iframe (framed only by the merchant's origins)
 *   POST /embed/w/:id    → 303 to the invoice's /embed page, keeping parent, theme and modal
 * The form works without script; picking is rate-limited per IP like the JSON route.
 */
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { CheckoutMode } from '../../widget/checkout/boot';
import type { Db } from '../db/schema';
import { DomainError } from '../domain-error';
import { ERROR_STATUS } from '../../contract/errors';
import { ApiError } from '../http/errors';
import type { Limiters } from '../http/rate-limit';
import type { Logger } from '../logger';
import type { Clock } from '../clock';
import type { Widgets } from '../widgets/widgets';
import { formChoice, limitChoiceBody } from '../api/widget-routes';
import type { CheckoutAssets } from './assets';
import { checkoutCsp } from './csp';
import { builtOr503, lazyAssets, lookArgs, merchantSide, pageHeaders, pickerUrl, secure, sendPage } from './page-routes';
import { pageLocale } from './locale';
import { renderMessagePage, renderNotFoundPage, renderPickerPage } from './render-page';

export interface WidgetPageDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  widgets: Widgets;
  limiters: Limiters;
  /** The sandbox is on: the picker says no real funds move. */
  sandbox?: unknown;
  assets?: () => CheckoutAssets;
}

const STATUS_OF: Partial<Record<DomainError['code'], 400 | 404 | 409 | 503>> = { NOT_FOUND: 404, INVALID_STATE: 409, UNSUPPORTED_CURRENCY: 400, RATE_UNAVAILABLE: 503 };

export function widgetPages(deps: WidgetPageDeps) {
  const { db, clock, widgets, limiters } = deps;
  const assets = deps.assets ?? lazyAssets();

  /** A buyer's page never shows a JSON error: what went wrong, as a page, with the status. */
  const problem = (c: Context, err: unknown) => {
    const status = err instanceof DomainError ? STATUS_OF[err.code] : err instanceof ApiError ? ERROR_STATUS[err.code] : undefined;
    if (!status) throw err;
    pageHeaders(c, checkoutCsp({ frameAncestors: [], logoUrl: null }));
    if (err instanceof ApiError) for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
    const lang = pageLocale(c, null);
    if (status === 404) return c.html(renderNotFoundPage('error' in lang ? 'en' : lang.locale), 404);
    // The domain's message explains the problem in English (a rate source down, a coin not accepted).
    return c.html(renderMessagePage('This payment cannot go on', (err as Error).message), status as 400);
  };

  async function picker(c: Context, mode: CheckoutMode) {
    const id = c.req.param('id') ?? '';
    const built = builtOr503(c, assets, deps.log);
    if (built instanceof Response) return built;
    let view;
    try {
      view = await widgets.view(id);
    } catch (err) {
      return problem(c, err);
    }
    const { account, locale } = await db.selectFrom('widgets').select(['account', 'locale']).where('id', '=', id).executeTakeFirstOrThrow();
    const lang = pageLocale(c, locale);
    if ('error' in lang) {
      pageHeaders(c, checkoutCsp({ frameAncestors: [], logoUrl: null }));
      return c.html(renderMessagePage('Bad locale', lang.error), 400);
    }
    const side = await merchantSide(c, deps, mode, account);
    const html = renderPickerPage(
      {
        kind: 'picker',
        view,
        serverNow: clock.now(),
        mode,
        ...side.boot,
        sandbox: deps.sandbox !== undefined,
        action: pickerUrl(mode, id, c.req.query()),
        locale: lang.locale,
        localeChosen: lang.chosen,
      },
      ...lookArgs(side.look, built.picker, lang.keep),
    );
    return sendPage(c, mode, html, side.origins, view.logoUrl);
  }

  async function choose(c: Context, mode: CheckoutMode) {
    const id = c.req.param('id') ?? '';
    try {
      const invoice = await widgets.choose(id, await formChoice(c, limiters));
      const back = new URL(pickerUrl(mode, id, c.req.query()), 'http://x').searchParams;
      back.set('widget', id);
      return c.redirect(`/${mode}/${invoice.id}?${back}`, 303);
    } catch (err) {
      return problem(c, err);
    }
  }

  const embedW = createMiddleware(async (c, next) => (c.req.param('w') === 'w' ? next() : c.notFound()));
  return new Hono()
    .use(secure)
    .get('/w/:id', (c) => picker(c, 'pay'))
    .post('/w/:id', limitChoiceBody, (c) => choose(c, 'pay'))
    // /embed/w/:id, its `w` written as a parameter: a literal segment beside /embed/:id (page-routes.ts) makes Hono
    // give up its RegExp router, for every route, for its trie router, which costs every request more.
    .get('/embed/:w/:id', embedW, (c) => picker(c, 'embed'))
    .post('/embed/:w/:id', embedW, limitChoiceBody, (c) => choose(c, 'embed'));
}

/**
 * A checkout page's appearance (contract/appearance.ts), written as a small
 * stylesheet of the --pf-* variables checkout.css already uses:
 *   GET /appearance.css?theme=…&colorPrimary=…   text/css, validated again
 * A page links it after the checkout's own stylesheet, so the page's CSP stays
 * `style-src 'self'` (no inline style, no hash), the checkout bundle does not
 * grow, and every page of the same appearance shares one cached file.
 *
 * What a page shows: the merchant's default appearance, with what its URL
 * asks for on top. A URL whose appearance is invalid does not break a buyer's
 * checkout: it is ignored (the merchant's default shows) and a warning is
 * logged, for the operator to pass on; the merchant API refuses the same
 * values with a 400.
 */
import type { Context } from 'hono';
import { APPEARANCE_VARIABLES, appearance, paletteOf, schemesOf, type Appearance, type AppearanceVariables, type Palette } from '../../contract/appearance';
import { hexOf } from '../../contract/colour';
import type { Theme } from '../../contract/frame';
import type { Logger } from '../logger';
import type { CheckoutAssets } from './assets';

/** The query keys of an appearance on a page URL (and in the stylesheet's). */
export const APPEARANCE_KEYS: readonly string[] = ['theme', ...APPEARANCE_VARIABLES];

const COLOUR_VARIABLES = ['colorPrimary', 'colorBackground', 'colorText', 'colorDanger'] as const;

/** What a page renders: the theme for `data-theme`, and the stylesheet to link (none when only the theme is chosen). */
export interface PageLook {
  theme: Theme;
  stylesheet: string | null;
}

/** The appearance a URL asks for, unchecked; undefined when it names none. */
function askedFor(query: Record<string, string>): Record<string, unknown> | undefined {
  const variables = Object.fromEntries(APPEARANCE_VARIABLES.flatMap((k) => (query[k] ? [[k, query[k]]] : [])));
  if (!query.theme && Object.keys(variables).length === 0) return undefined;
  return { ...(query.theme ? { theme: query.theme } : {}), variables };
}

/** The page's appearance: the merchant's default under the URL's; an invalid URL appearance is logged and ignored. */
export function pageLook(query: Record<string, string>, merchantDefault: Appearance | null, log: Logger, account: string): PageLook {
  const asked = askedFor(query);
  let chosen = merchantDefault ?? {};
  if (asked) {
    const merged = appearance.safeParse({ theme: asked.theme ?? chosen.theme, variables: { ...chosen.variables, ...(asked.variables as object) } });
    if (merged.success) chosen = merged.data;
    else {
      const issue = merged.error.issues[0]!;
      log.warn("a checkout page's URL asks for an invalid appearance; the merchant's default is shown instead", { account, problem: `${issue.path.join('.')}: ${issue.message}` });
    }
  }
  const variables = chosen.variables ?? {};
  const set = APPEARANCE_VARIABLES.filter((k) => variables[k] !== undefined);
  if (set.length === 0) return { theme: chosen.theme ?? 'auto', stylesheet: null };
  const params = new URLSearchParams([...(chosen.theme ? [['theme', chosen.theme]] : []), ...set.map((k) => [k, variables[k]!])]);
  return { theme: chosen.theme ?? 'auto', stylesheet: `/appearance.css?${params}` };
}

/** `"Inter", system-ui`: each family quoted as the merchant quoted it (in double quotes), bare ones as they are. */
const fontList = (text: string) =>
  text
    .split(',')
    .map((name) => name.trim().replace(/^'(.*)'$/, '"$1"'))
    .join(',');

const paletteDeclarations = (p: Palette) => [
  `--pf-bg:${hexOf(p.bg)}`,
  `--pf-fg:${hexOf(p.fg)}`,
  `--pf-muted:${hexOf(p.muted)}`,
  `--pf-line:${hexOf(p.line)}`,
  `--pf-soft:${hexOf(p.soft)}`,
  `--pf-accent:${hexOf(p.accent)}`,
  `--pf-on-accent:${hexOf(p.onAccent)}`,
  `--pf-ok:${hexOf(p.ok)}`,
  `--pf-warn:${hexOf(p.warn)}`,
  `--pf-scheme:${p.scheme}`,
];

/**
 * The stylesheet of a valid appearance. Colours are written as #rrggbb from
 * their parsed value and the font list from names the schema allowed, so no
 * merchant text reaches the CSS as it was sent. `html[data-theme]` outranks
 * checkout.css's `[data-theme=…]` blocks, whichever loads first.
 */
function appearanceCss(a: Appearance): string {
  const v: AppearanceVariables = a.variables ?? {};
  const colours = COLOUR_VARIABLES.some((k) => v[k] !== undefined);
  const shape = [...(v.borderRadius ? [`--pf-radius:${v.borderRadius}`] : []), ...(v.fontFamily ? [`--pf-font:${fontList(v.fontFamily)}`] : [])];
  const [first, second] = schemesOf(a.theme);
  const block = (declarations: string[]) => `html[data-theme]{${declarations.join(';')}}`;
  const css = block([...(colours ? paletteDeclarations(paletteOf(first!, v)) : []), ...shape]);
  return second && colours ? `${css}@media (prefers-color-scheme:dark){${block(paletteDeclarations(paletteOf(second, v)))}}` : css;
}

/** GET /appearance.css: a page links it with a valid appearance; anything else asking gets a 400 that says what is wrong. */
export function sendAppearanceCss(c: Context) {
  const asked = appearance.safeParse(askedFor(c.req.query()) ?? {});
  if (!asked.success) {
    const issue = asked.error.issues[0]!;
    return c.text(`${issue.path.join('.')}: ${issue.message}`, 400);
  }
  // Its content follows from its URL alone; a day, not a year, so a new release's stylesheet takes over.
  c.header('Cache-Control', 'public, max-age=86400');
  return c.body(appearanceCss(asked.data), 200, { 'Content-Type': 'text/css; charset=utf-8' });
}

/** What a page links: the checkout's own stylesheets, then the appearance's. */
export const withAppearance = (entry: CheckoutAssets['entry'], look: PageLook): CheckoutAssets['entry'] =>
  look.stylesheet ? { ...entry, styles: [...entry.styles, look.stylesheet] } : entry;

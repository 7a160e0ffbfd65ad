/**
 * Which language a checkout page speaks, in the order of choice: the
 * `locale` option (`?locale=`, which the loader and the language switch set),
 * the invoice's or widget's locale from the merchant API, the buyer's
 * Accept-Language, then English. (The browser's navigator.languages comes
 * last, in the page's script, when none of these named a language.)
 */
import type { Context } from 'hono';
import { DEFAULT_LOCALE, LANGUAGE_TAG, negotiate, parseAcceptLanguage, type Locale } from '../../widget/checkout/i18n/locales';

export interface PageLocale {
  locale: Locale;
  /** Something asked for a language; false when English is only the default. */
  chosen: boolean;
  /** The query's other parameters, which the language switch keeps. */
  keep: [string, string][];
}

/**
 * The page's locale, or a message saying why `?locale=` is not a language
 * tag. A well-formed tag we do not speak ("sw") falls through to the next
 * choice, as an unsupported language does in Accept-Language.
 */
/** `stored`: the invoice's or widget's locale from the merchant API. */
export function pageLocale(c: Context, stored: string | null): PageLocale | { error: string } {
  const asked = c.req.query('locale');
  if (asked !== undefined && !LANGUAGE_TAG.test(asked)) return { error: 'The locale parameter must be a language tag such as "de" or "pt-BR".' };
  const found = negotiate([asked, stored, ...parseAcceptLanguage(c.req.header('accept-language'))]);
  const keep = Object.entries(c.req.query()).filter(([name]) => name !== 'locale');
  // A ?locale= we do not speak still counts as asked: the page's script then does not reload to try the browser's language again.
  return { locale: found ?? DEFAULT_LOCALE, chosen: asked !== undefined || found !== null, keep };
}

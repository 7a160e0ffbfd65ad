/**
 * The locales the checkout speaks, and how a list of wishes (a `locale`
 * option, the invoice's locale, Accept-Language, navigator.languages) picks
 * one. Pure: the server and the browser both use it.
 */
export const LOCALES = [
  'en', 'ar', 'cs', 'de', 'es', 'fa', 'fr', 'he', 'hi', 'id', 'it', 'ja', 'ko', 'nl', 'pl', 'pt-BR', 'ru', 'sv', 'th', 'tr', 'uk', 'vi', 'zh-CN', 'zh-TW',
] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

const RTL = new Set<string>(['ar', 'fa', 'he']);

export const directionOf = (locale: string): 'ltr' | 'rtl' => (RTL.has(locale.split('-')[0]!) ? 'rtl' : 'ltr');

/** A BCP 47 tag as far as we read one ("pt-BR", "zh-Hant-HK", "de"): anything else is not a language at all. */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8}){0,3}$/i;

/**
 * The supported locale for one tag, or null: the exact locale, else Chinese
 * by script or region (Hant, TW, HK, MO write traditional), else the first
 * locale of the same language ("pt-PT" → "pt-BR", "de-AT" → "de").
 */
export function matchLocale(tag: string): Locale | null {
  if (!LANGUAGE_TAG.test(tag)) return null;
  const lower = tag.toLowerCase();
  const exact = LOCALES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const [language, ...rest] = lower.split('-');
  if (language === 'zh') return rest.some((s) => ['hant', 'tw', 'hk', 'mo'].includes(s)) ? 'zh-TW' : 'zh-CN';
  return LOCALES.find((l) => l.split('-')[0] === language) ?? null;
}

/** The first wish we can honour, in order. */
export function negotiate(wishes: readonly (string | null | undefined)[]): Locale | null {
  for (const wish of wishes) {
    const found = wish ? matchLocale(wish) : null;
    if (found) return found;
  }
  return null;
}

/** An Accept-Language header's tags, most wanted first (RFC 9110 §12.5.4); q=0 means "not this one". */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((w) => w.tag && w.tag !== '*' && w.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((w) => w.tag);
}

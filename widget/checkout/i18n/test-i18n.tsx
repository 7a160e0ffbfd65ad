/** The catalogue around a component under test, as the pages provide it. */
import type { ComponentChildren } from 'preact';
import { CATALOGUE } from './catalogue';
import { createI18n, I18nContext, type Messages } from './i18n';
import type { Locale } from './locales';

export function withI18n(tree: ComponentChildren, locale: Locale = 'en', messages: Messages = CATALOGUE[locale]) {
  return <I18nContext.Provider value={createI18n(locale, messages)}>{tree}</I18nContext.Provider>;
}

/**
 * Every locale's catalogue, for the server (which inlines the chosen one in the
 * page) and the tests. The browser bundle never imports this: it reads the
 * one catalogue its page carries.
 */
import en from './locales/en.json';
import ar from './locales/ar.json';
import cs from './locales/cs.json';
import de from './locales/de.json';
import es from './locales/es.json';
import fa from './locales/fa.json';
import fr from './locales/fr.json';
import he from './locales/he.json';
import hi from './locales/hi.json';
import id from './locales/id.json';
import it from './locales/it.json';
import ja from './locales/ja.json';
import ko from './locales/ko.json';
import nl from './locales/nl.json';
import pl from './locales/pl.json';
import ptBR from './locales/pt-BR.json';
import ru from './locales/ru.json';
import sv from './locales/sv.json';
import th from './locales/th.json';
import tr from './locales/tr.json';
import uk from './locales/uk.json';
import vi from './locales/vi.json';
import zhCN from './locales/zh-CN.json';
import zhTW from './locales/zh-TW.json';
import type { Messages } from './i18n';
import type { Locale } from './locales';

export const CATALOGUE: Record<Locale, Messages> = {
  en,
  ar,
  cs,
  de,
  es,
  fa,
  fr,
  he,
  hi,
  id,
  it,
  ja,
  ko,
  nl,
  pl,
  'pt-BR': ptBR,
  ru,
  sv,
  th,
  tr,
  uk,
  vi,
  'zh-CN': zhCN,
  'zh-TW': zhTW,
};

/** Words only the server renders: the page's title, the language switch, the page for a link not found. */
const SERVER_ONLY = /^(title|language|languageApply|notFound\..*)$/;
/** Which page's script reads a key: the checkout's (with its one link to the picker, and the wallet buttons' words) or the picker's. */
const PAGE_OF: Record<'checkout' | 'picker', (key: string) => boolean> = {
  checkout: (key) => !key.startsWith('picker.') || key === 'picker.chooseAnother',
  picker: (key) => !key.startsWith('wallet.') && !key.startsWith('receipt.') && !key.startsWith('announce.'),
};

/**
 * The words a page inlines for its script: the chosen locale's, without those
 * the script never reads (the page's budget for them is 2 KB gzip).
 */
export function pageMessages(locale: Locale, page: 'checkout' | 'picker'): Messages {
  return Object.fromEntries(Object.entries(CATALOGUE[locale]).filter(([key]) => !SERVER_ONLY.test(key) && PAGE_OF[page](key))) as Messages;
}

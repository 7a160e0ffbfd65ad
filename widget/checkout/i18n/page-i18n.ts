/**
 * The words of a server-rendered page (the checkout's and the picker's), from
 * the JSON block the server put the chosen locale's catalogue in.
 */
import { BOOT_ELEMENT_ID, MESSAGES_ELEMENT_ID, type BootData, type PickerBoot } from '../boot';
import { createI18n, type I18n, type Messages } from './i18n';

const json = <T,>(id: string) => JSON.parse(document.getElementById(id)!.textContent!) as T;

/**
 * The page's boot data and words; no words when the page instead reloads in
 * the browser's language. That comes last in the order of choice, when nothing
 * else named one (no Accept-Language reached the server); the server matches
 * it and takes any ?locale= as chosen, so this reloads at most once.
 */
export function pageBoot<B extends BootData | PickerBoot>(): { boot: B; i18n: I18n | null } {
  const boot = json<B>(BOOT_ELEMENT_ID);
  const wanted = boot.localeChosen ? undefined : navigator.languages[0];
  if (!wanted) return { boot, i18n: createI18n(boot.locale, json<Messages>(MESSAGES_ELEMENT_ID)) };
  const url = new URL(location.href);
  url.searchParams.set('locale', wanted);
  location.replace(url);
  return { boot, i18n: null };
}

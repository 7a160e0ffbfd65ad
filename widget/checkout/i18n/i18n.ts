/**
 * The checkout's words and numbers in the buyer's locale. Every word comes
 * from the catalogue (one JSON per locale in ./locales, the server inlines
 * the chosen one in the page); numbers, amounts, prices and times go through
 * Intl. Amounts keep Latin digits in every locale (`-u-nu-latn`): a buyer
 * compares them digit for digit with a wallet, which shows Latin digits.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type en from './locales/en.json';

export type Messages = typeof en;
export type MessageKey = keyof Messages;
type Vars = Record<string, string | number>;

export function createI18n(locale: string, messages: Messages) {
  const latn = `${locale}-u-nu-latn`;
  const plural = new Intl.PluralRules(locale);
  const amountFormat = new Intl.NumberFormat(latn, { maximumFractionDigits: 20 });

  /** The message's text for these variables: a plural message ({one, other, …}) picks its form by `n`. */
  const pick = (key: MessageKey, n: unknown): string => {
    const message: string | Record<string, string> = messages[key];
    return typeof message === 'string' ? message : (message[plural.select(Number(n))] ?? message.other!);
  };

  /** "{coin} on {network}" with strings put in. */
  const t = (key: MessageKey, vars: Vars = {}): string => pick(key, vars.n).replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));

  /** Like `t`, with elements for variables (an amount in bold, a number in its own span); `count` picks a plural form. */
  const rich = (key: MessageKey, vars: Record<string, ComponentChildren>, count?: number): ComponentChildren[] =>
    pick(key, count)
      .split(/\{(\w+)\}/)
      .map((part, i) => (i % 2 ? vars[part] : part));

  return {
    locale,
    t,
    rich,
    /** A network's name ("Bitcoin"), from the catalogue like every other word; a network it does not name by its id. */
    network: (id: string): string => (`net.${id}` in messages ? t(`net.${id}` as MessageKey) : id),
    /** An exact decimal string, every decimal kept (chains have at most 18): Intl formats a string without going through a float. */
    amount: (decimal: string) => amountFormat.format(decimal as unknown as number),
    fiat: (decimal: string, currency: string) => new Intl.NumberFormat(latn, { style: 'currency', currency }).format(decimal as unknown as number),
    /** "14:32" or "2:32 PM": a moment as the buyer's clock shows it (their time zone, so only in the browser). */
    clock: (iso: string) => new Intl.DateTimeFormat(latn, { timeStyle: 'short' }).format(Date.parse(iso)),
    /** A date and time with its zone, for a receipt (the server's zone on the server, the buyer's once the page runs). */
    dateTime: (iso: string) => new Intl.DateTimeFormat(latn, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(Date.parse(iso)),
  };
}

export type I18n = ReturnType<typeof createI18n>;

export const I18nContext = createContext<I18n>(null as unknown as I18n);
export const useI18n = () => useContext(I18nContext);

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, pageMessages } from './catalogue';
import { DEFAULT_LOCALE, directionOf, LOCALES } from './locales';

const english = CATALOGUE[DEFAULT_LOCALE];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** A message's forms: one for a plain message, one per plural category for a plural one. */
const forms = (message: string | Record<string, string>) => (typeof message === 'string' ? [message] : Object.values(message));

describe('the message catalogue', () => {
  it('has at least 24 locales, three of them right-to-left', () => {
    expect(LOCALES.length).toBeGreaterThanOrEqual(24);
    expect(LOCALES.filter((l) => directionOf(l) === 'rtl').sort()).toEqual(['ar', 'fa', 'he']);
    expect(Object.keys(CATALOGUE).sort()).toEqual([...LOCALES].sort());
  });

  for (const locale of LOCALES) {
    describe(locale, () => {
      const messages = CATALOGUE[locale] as Record<string, string | Record<string, string>>;

      it('has every key of the English catalogue, and no other', () => {
        expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
      });

      it('keeps every placeholder of each English message, and adds none', () => {
        for (const [key, message] of Object.entries(english as Record<string, string | Record<string, string>>)) {
          const wanted = placeholders(forms(message).at(-1)!);
          for (const form of forms(messages[key]!)) {
            // A plural form may spell its number out ("one check"), so {n} is optional there.
            const got = placeholders(form).filter((p) => typeof message === 'string' || p !== 'n');
            expect(got, `${locale} ${key}: "${form}"`).toEqual(wanted.filter((p) => typeof message === 'string' || p !== 'n'));
          }
        }
      });

      it('fits the budget for the words a page inlines: 2 KB gzip', () => {
        for (const page of ['checkout', 'picker'] as const) {
          // As the page carries it (render-page.tsx escapes "<"); e2e/budgets.spec.ts measures real pages too.
          const size = gzipSync(JSON.stringify(pageMessages(locale, page)).replace(/</g, '\\u003c'), { level: 9 }).length;
          expect(size, `${locale}, ${page}: ${size} B gzip`).toBeLessThanOrEqual(2048);
        }
      });

      it("has a form for every plural category of the language, and no empty message", () => {
        const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
        for (const [key, message] of Object.entries(messages)) {
          for (const form of forms(message)) expect(form.trim(), `${locale} ${key}`).not.toBe('');
          if (typeof message !== 'string') for (const c of categories) expect(message[c], `${locale} ${key} lacks "${c}"`).toBeDefined();
        }
      });

      if (locale !== DEFAULT_LOCALE) {
        it('is translated, not English', () => {
          const same = Object.entries(messages).filter(([key, m]) => JSON.stringify(m) === JSON.stringify((english as Record<string, unknown>)[key]));
          // A few words are the same in many languages ("Sandbox", "Transaction", networks' names such as "Bitcoin"); whole sentences are not.
          expect(same.map(([k]) => k).filter((k) => !['sandbox', 'transaction', 'picker.price', 'title'].includes(k) && !k.startsWith('net.'))).toEqual([]);
        });
      }
    });
  }
});

import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './catalogue';
import { createI18n } from './i18n';

const i18n = (locale: keyof typeof CATALOGUE) => createI18n(locale, CATALOGUE[locale]);

describe('createI18n', () => {
  it('names known networks from the catalogue and passes unknown ones through', () => {
    expect(i18n('en').network('bsc')).toBe('BNB Smart Chain');
    expect(i18n('en').network('bitcoin')).toBe('Bitcoin');
    expect(i18n('en').network('litecoin')).toBe('Litecoin');
    expect(i18n('en').network('tron')).toBe('tron');
    expect(createI18n('en', { ...CATALOGUE.en, 'net.bitcoin': '⟦Bitcoin⟧' }).network('bitcoin')).toBe('⟦Bitcoin⟧');
  });

  it('keeps every decimal of an 18-decimal amount that a float would round', () => {
    expect(i18n('en').amount('0.123456789012345678')).toBe('0.123456789012345678');
    expect(String(Number('0.123456789012345678'))).not.toBe('0.123456789012345678');
    expect(i18n('en').amount('1234567.000001')).toBe('1,234,567.000001');
  });

  it("groups and marks decimals as the buyer's locale does, in Latin digits everywhere", () => {
    expect(i18n('de').amount('1234567.5')).toBe('1.234.567,5');
    expect(i18n('ar').amount('1234567.5')).toMatch(/^1\D234\D567\D5$/);
    expect(i18n('fa').amount('0.25')).toMatch(/^0\D25$/);
  });

  it('writes a fiat price the way the locale does', () => {
    expect(i18n('en').fiat('24.5', 'USD')).toBe('$24.50');
    expect(i18n('de').fiat('24.5', 'EUR').replace(/\s/g, ' ')).toBe('24,50 €');
  });

  it('picks the plural form by Intl.PluralRules', () => {
    expect(i18n('en').t('paid.text', { paid: '1 ETH', n: 1 })).toBe('1 ETH received. Nearly final: 1 more check by the network.');
    expect(i18n('en').t('paid.text', { paid: '1 ETH', n: 2 })).toBe('1 ETH received. Nearly final: 2 more checks by the network.');
    expect(i18n('ru').t('paid.text', { paid: '1 ETH', n: 3 })).toContain('3 проверки');
    expect(i18n('ru').t('paid.text', { paid: '1 ETH', n: 5 })).toContain('5 проверок');
    expect(i18n('pl').t('paid.text', { paid: '1 ETH', n: 22 })).toContain('22 sprawdzenia');
  });

  it('puts elements where a message has placeholders', () => {
    const parts = i18n('en').rich('coinOn', { coin: { type: 'b' } as never, network: 'Polygon' });
    expect(parts).toEqual(['', { type: 'b' }, ' on ', 'Polygon', '']);
  });

  it('writes a time as the locale does, in Latin digits', () => {
    // Node's time zone is the machine's: compare with Intl itself, in a zone-free way (digits and separators only).
    expect(i18n('de').clock('2026-11-24T12:05:00Z')).toMatch(/^\d{1,2}:05$/);
    expect(i18n('ar').clock('2026-11-24T12:05:00Z')).toMatch(/^\d{1,2}:05\s?\D+$/);
  });
});

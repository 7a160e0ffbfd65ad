import { describe, expect, it } from 'vitest';
import { directionOf, matchLocale, negotiate, parseAcceptLanguage } from './locales';

describe('parseAcceptLanguage', () => {
  it('orders the tags by weight, keeping the header order among equals, and drops q=0 and *', () => {
    expect(parseAcceptLanguage('fr;q=0.5, ar, de-CH;q=0.9, *;q=0.1, ja;q=0')).toEqual(['ar', 'de-CH', 'fr']);
    expect(parseAcceptLanguage('en-US,en;q=0.9')).toEqual(['en-US', 'en']);
  });
  it('reads no header as no wishes', () => {
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage('')).toEqual([]);
  });
});

describe('matchLocale', () => {
  it('matches a locale exactly, in any case', () => {
    expect(matchLocale('pt-br')).toBe('pt-BR');
    expect(matchLocale('DE')).toBe('de');
  });
  it('falls back to the language, and picks Chinese by script or region', () => {
    expect(matchLocale('de-AT')).toBe('de');
    expect(matchLocale('pt-PT')).toBe('pt-BR');
    expect(matchLocale('zh-Hant-HK')).toBe('zh-TW');
    expect(matchLocale('zh-HK')).toBe('zh-TW');
    expect(matchLocale('zh-Hans')).toBe('zh-CN');
    expect(matchLocale('zh')).toBe('zh-CN');
  });
  it('answers null for a language we do not speak, or for something that is no language tag', () => {
    expect(matchLocale('sw')).toBeNull();
    expect(matchLocale('de;}')).toBeNull();
    expect(matchLocale('')).toBeNull();
  });
});

describe('negotiate', () => {
  it('takes the first wish it can honour, in order', () => {
    expect(negotiate(['sw', null, 'ja', 'de'])).toBe('ja');
    expect(negotiate([undefined, 'xx', 'ar-EG'])).toBe('ar');
    expect(negotiate(['xx'])).toBeNull();
  });
});

describe('directionOf', () => {
  it('is right to left for Arabic, Hebrew and Persian, whatever the region', () => {
    expect(['ar-EG', 'he', 'fa'].map(directionOf)).toEqual(['rtl', 'rtl', 'rtl']);
    expect(['ja', 'en'].map(directionOf)).toEqual(['ltr', 'ltr']);
  });
});

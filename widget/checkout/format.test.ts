import { describe, expect, it } from 'vitest';
import { coinName, formatAmount, formatDuration, isZero, networkName, shortHash } from './format';

describe('formatAmount', () => {
  it('keeps every decimal of an 18-decimal amount that a float would round', () => {
    expect(formatAmount('0.123456789012345678')).toBe('0.123456789012345678');
    expect(String(Number('0.123456789012345678'))).not.toBe('0.123456789012345678');
  });
  it('groups the whole part in threes', () => {
    expect(formatAmount('1234567.5')).toBe('1,234,567.5');
    expect(formatAmount('123')).toBe('123');
    expect(formatAmount('1000')).toBe('1,000');
  });
  it('does not group the fraction', () => {
    expect(formatAmount('1.0000001')).toBe('1.0000001');
  });
});

describe('isZero', () => {
  it('recognises zero however it is written', () => {
    expect(isZero('0')).toBe(true);
    expect(isZero('0.000')).toBe(true);
    expect(isZero('0.000000000000000001')).toBe(false);
  });
});

describe('coinName and networkName', () => {
  it('strips the network suffix of a Calypso code', () => {
    expect(coinName('USDT_BSC')).toBe('USDT');
    expect(coinName('ETH')).toBe('ETH');
  });
  it('names known networks and passes unknown ones through', () => {
    expect(networkName('bsc')).toBe('BNB Smart Chain');
    expect(networkName('bitcoin')).toBe('Bitcoin');
    expect(networkName('litecoin')).toBe('Litecoin');
    expect(networkName('tron')).toBe('tron');
  });
});

describe('formatDuration', () => {
  it('shows minutes and seconds under an hour', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3599)).toBe('59:59');
  });
  it('adds hours when there are some', () => {
    expect(formatDuration(86_399)).toBe('23:59:59');
    expect(formatDuration(3600)).toBe('1:00:00');
  });
  it('never shows a negative time', () => {
    expect(formatDuration(-5)).toBe('0:00');
  });
});

describe('shortHash', () => {
  it('keeps the start and end of a transaction hash', () => {
    expect(shortHash(`0x${'ab'.repeat(32)}`)).toBe('0xababab…ababab');
  });
});

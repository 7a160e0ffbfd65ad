import { describe, expect, it } from 'vitest';
import { coinName, formatDuration, isZero, shortHash } from './format';

describe('isZero', () => {
  it('recognises zero however it is written', () => {
    expect(isZero('0')).toBe(true);
    expect(isZero('0.000')).toBe(true);
    expect(isZero('0.000000000000000001')).toBe(false);
  });
});

describe('coinName', () => {
  it('strips the network suffix of a Calypso code', () => {
    expect(coinName('USDT_BSC')).toBe('USDT');
    expect(coinName('ETH')).toBe('ETH');
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

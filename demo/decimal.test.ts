import { describe, expect, it } from 'vitest';
import { fromUnits, scale, toUnits } from './decimal';

describe('decimal', () => {
  it('converts between decimal text and base units exactly', () => {
    expect(toUnits('0.1', 18)).toBe(100000000000000000n);
    expect(fromUnits(toUnits('0.3', 18) - toUnits('0.1', 18), 18)).toBe('0.2');
    expect(fromUnits(5n, 6)).toBe('0.000005');
    expect(fromUnits(12_000_000n, 6)).toBe('12');
  });

  it('halves and scales without a float', () => {
    expect(scale('0.0125', 18, 1n, 2n)).toBe('0.00625');
    expect(scale('24.5', 6, 3n, 2n)).toBe('36.75');
    expect(scale('0.000001', 6, 1n, 2n)).toBe('0');
  });

  it('rejects what is not an amount of this currency', () => {
    expect(() => toUnits('1e3', 18)).toThrow('not a decimal');
    expect(() => toUnits('0.0000001', 6)).toThrow('more than 6 decimals');
  });
});

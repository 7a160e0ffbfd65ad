import { describe, expect, it } from 'vitest';
import { countSenders } from './senders';

describe('countSenders', () => {
  it('counts distinct single addresses, as EVM payments have', () => {
    expect(countSenders(['0xa', '0xa'])).toBe(1);
    expect(countSenders(['0xa', '0xb', '0xa'])).toBe(2);
  });

  it('takes payments that share an address or outpoint for one sender', () => {
    expect(countSenders(['ltc1a ltc1b', 'ltc1b ltc1c'])).toBe(1);
    expect(countSenders(['ltc1a t1:1', 'ltc1z t1:1'])).toBe(1);
  });

  it('joins senders transitively', () => {
    expect(countSenders(['a b', 'c d', 'b c'])).toBe(1);
    expect(countSenders(['a b', 'c d', 'e'])).toBe(3);
  });

  it('counts a payment whose sender is unknown as none', () => {
    expect(countSenders(['', 'a'])).toBe(1);
    expect(countSenders(['', ''])).toBe(0);
    expect(countSenders(['a', '', 'b'])).toBe(2);
  });

  it('counts one payment as one sender, or none when its sender is unknown', () => {
    expect(countSenders(['0xa'])).toBe(1);
    expect(countSenders(['ltc1a t1:1 t2:0'])).toBe(1);
    expect(countSenders([''])).toBe(0);
    expect(countSenders(['  '])).toBe(0);
  });

  it('counts no senders for no payments', () => {
    expect(countSenders([])).toBe(0);
  });
});

import fc from 'fast-check';
import { getAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { checksumAddress } from './eip55';

describe('checksumAddress', () => {
  it("gives viem's EIP-55 address for any address, in any case", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.boolean(), (bytes, upper) => {
        const hex = `0x${Buffer.from(bytes).toString('hex')}`;
        const given = upper ? `0x${hex.slice(2).toUpperCase()}` : hex;
        expect(checksumAddress(given)).toBe(getAddress(hex));
      }),
      { numRuns: 200 },
    );
    // EIP-55's own examples.
    expect(checksumAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toBe('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
    expect(checksumAddress('0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359')).toBe('0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359');
  });

  it('answers right from what it keeps, across the generations it drops', () => {
    const addresses = Array.from({ length: 12_000 }, (_, i) => `0x${i.toString(16).padStart(40, 'a')}`);
    const first = addresses.map((a) => checksumAddress(a));
    for (const i of [0, 4_999, 5_000, 9_999, 10_000, 11_999]) {
      expect(checksumAddress(addresses[i]!)).toBe(getAddress(addresses[i]!));
      expect(first[i]).toBe(getAddress(addresses[i]!));
    }
  });

  it('refuses what is not 0x and 40 hex digits', () => {
    for (const bad of ['', '0x', '0x123', `0x${'g'.repeat(40)}`, `${'a'.repeat(40)}`, `0x${'a'.repeat(41)}`]) expect(() => checksumAddress(bad)).toThrow(/not an EVM address/);
  });
});

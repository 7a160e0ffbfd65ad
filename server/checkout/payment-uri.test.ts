import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eip681 } from './payment-uri';

const PAYEE = '0x52908400098527886E0F7030069857D2E4169EE7';
const USDT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

// EIP-681's grammar for the two forms we write: a plain transfer and a contract call with named parameters.
const NATIVE = /^ethereum:(0x[0-9a-fA-F]{40})@([1-9][0-9]*)\?value=(0|[1-9][0-9]*)$/;
const TOKEN = /^ethereum:(0x[0-9a-fA-F]{40})@([1-9][0-9]*)\/transfer\?address=(0x[0-9a-fA-F]{40})&uint256=(0|[1-9][0-9]*)$/;

const address = fc.stringMatching(/^[0-9a-fA-F]{40}$/).map((hex) => `0x${hex}`);
const chainId = fc.constantFrom(1, 56, 137, 11155111, 31337);
const units = fc.bigInt({ min: 1n, max: 2n ** 256n - 1n });

describe('eip681', () => {
  it('asks for the native coin in wei on the given chain', () => {
    expect(eip681({ address: PAYEE, chainId: 1, units: 10n ** 18n })).toBe(`ethereum:${PAYEE}@1?value=1000000000000000000`);
  });

  it('asks for an ERC-20 transfer of token units to the invoice address', () => {
    expect(eip681({ address: PAYEE, chainId: 1, units: 1_500_000n, token: USDT })).toBe(
      `ethereum:${USDT}@1/transfer?address=${PAYEE}&uint256=1500000`,
    );
  });

  it.each([56, 137])('names chain %i', (id) => {
    expect(eip681({ address: PAYEE, chainId: id, units: 1n })).toBe(`ethereum:${PAYEE}@${id}?value=1`);
    expect(eip681({ address: PAYEE, chainId: id, units: 1n, token: USDT })).toContain(`ethereum:${USDT}@${id}/transfer?`);
  });

  it('writes an amount past 2^53 as exact integer digits, never an exponent', () => {
    const uri = eip681({ address: PAYEE, chainId: 1, units: 123_456_789_123_456_789_123_456_789n });
    expect(uri).toBe(`ethereum:${PAYEE}@1?value=123456789123456789123456789`);
  });

  it('treats an empty token as the native coin', () => {
    expect(eip681({ address: PAYEE, chainId: 1, units: 5n, token: '' })).toBe(`ethereum:${PAYEE}@1?value=5`);
  });

  it('writes native requests a wallet reads back to the same address, chain and value', () => {
    fc.assert(
      fc.property(address, chainId, units, (addr, id, value) => {
        const m = NATIVE.exec(eip681({ address: addr, chainId: id, units: value }));
        expect(m?.slice(1)).toEqual([addr, String(id), value.toString()]);
      }),
    );
  });

  it('writes token requests a wallet reads back to the same token, chain, recipient and units', () => {
    fc.assert(
      fc.property(address, address, chainId, units, (addr, token, id, value) => {
        const m = TOKEN.exec(eip681({ address: addr, chainId: id, units: value, token }));
        expect(m?.slice(1)).toEqual([token, String(id), addr, value.toString()]);
      }),
    );
  });
});

import { bech32, bech32m } from '@scure/base';
import fc from 'fast-check';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { bip21, qrText } from './bip21';
import { networkByPrefix } from './networks';
import { addressToScript } from './script';

const BIP84_ADDRESS = 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu';
const modules = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size;

describe('bip21', () => {
  it.each([
    [100_000n, 'bitcoin:bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu?amount=0.001'],
    [1n, 'bitcoin:bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu?amount=0.00000001'],
    [150_000_000n, 'bitcoin:bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu?amount=1.5'],
    // 21M BTC − 1 sat: 16 significant digits, one more than a JSON number may carry exactly.
    [2_099_999_999_999_999n, 'bitcoin:bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu?amount=20999999.99999999'],
    [8_400_000_000_000_000n, 'bitcoin:bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu?amount=84000000'],
  ])('writes %s base units as the exact decimal amount in whole coins', (units, uri) => {
    expect(bip21({ scheme: 'bitcoin', address: BIP84_ADDRESS, units, decimals: 8 })).toBe(uri);
  });

  it('uses the scheme it is given (litecoin: for LTC)', () => {
    expect(bip21({ scheme: 'litecoin', address: 'ltc1qabc', units: 250_000n, decimals: 8 })).toBe('litecoin:ltc1qabc?amount=0.0025');
  });

  it('leaves the amount out for an invoice that takes any amount', () => {
    expect(bip21({ scheme: 'bitcoin', address: BIP84_ADDRESS, decimals: 8 })).toBe(`bitcoin:${BIP84_ADDRESS}`);
  });

  it('refuses a zero or negative amount rather than write one a wallet would send', () => {
    expect(() => bip21({ scheme: 'bitcoin', address: BIP84_ADDRESS, units: 0n, decimals: 8 })).toThrow(/greater than zero/);
    expect(() => bip21({ scheme: 'bitcoin', address: BIP84_ADDRESS, units: -5n, decimals: 8 })).toThrow(/greater than zero/);
  });

  it('refuses a scheme that is not one', () => {
    expect(() => bip21({ scheme: 'bit coin', address: BIP84_ADDRESS, decimals: 8 })).toThrow(/not a URI scheme/);
  });
});

describe('qrText', () => {
  it('writes scheme and bech32 address in upper case and keeps the query', () => {
    expect(qrText(bip21({ scheme: 'bitcoin', address: BIP84_ADDRESS, units: 100_000n, decimals: 8 }))).toBe(
      'BITCOIN:BC1QCR8TE4KR609GCAWUTMRZA0J4XV80JY8Z306FYU?amount=0.001',
    );
  });

  it('gives a smaller QR code than the mixed-case URI (alphanumeric mode)', () => {
    const request = { scheme: 'bitcoin', address: BIP84_ADDRESS, units: 100_000n, decimals: 8 };
    expect(modules(qrText(bip21(request)))).toBeLessThan(modules(bip21(request)));
    const ltcAddress = bech32.encode('ltc', [0, ...bech32.toWords(new Uint8Array(20).fill(7))]);
    const litecoin = { scheme: 'litecoin', address: ltcAddress, units: 1_234_512_345_678n, decimals: 8 };
    expect(modules(qrText(bip21(litecoin)))).toBeLessThan(modules(bip21(litecoin)));
  });

  it('never gives a larger QR code, for any witness address and amount', () => {
    const address = fc.oneof(
      fc.uint8Array({ minLength: 20, maxLength: 20 }).map((p) => bech32.encode('bc', [0, ...bech32.toWords(p)])),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((p) => bech32.encode('tltc', [0, ...bech32.toWords(p)])),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((p) => bech32m.encode('bcrt', [1, ...bech32m.toWords(p)])),
    );
    const units = fc.option(fc.bigInt({ min: 1n, max: 2_100_000_000_000_000n }), { nil: undefined });
    fc.assert(
      fc.property(address, units, fc.constantFrom('bitcoin', 'litecoin'), (addr, u, scheme) => {
        const request = { scheme, address: addr, units: u, decimals: 8 };
        expect(modules(qrText(bip21(request)))).toBeLessThanOrEqual(modules(bip21(request)));
      }),
      { numRuns: 150 },
    );
  });

  it('carries an address a BIP-173 reader takes for the same output script', () => {
    const text = qrText(bip21({ scheme: 'bitcoin', address: BIP84_ADDRESS, units: 1n, decimals: 8 }));
    const upper = text.slice('BITCOIN:'.length, text.indexOf('?'));
    expect(upper).not.toBe(BIP84_ADDRESS);
    expect(addressToScript(upper, networkByPrefix('bc')!)).toBe(addressToScript(BIP84_ADDRESS, networkByPrefix('bc')!));
  });

  it('leaves an EIP-681 URI as it is', () => {
    const uri = 'ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed@1?value=1000';
    expect(qrText(uri)).toBe(uri);
  });

  it('leaves a base58 address, which is case-sensitive, as it is', () => {
    const request = { scheme: 'litecoin', address: 'LTVdcw8fdTTK4TcebTZ4jiiCbvTXaRxZNh', units: 100_000n, decimals: 8 };
    expect(qrText(bip21(request))).toBe(bip21(request));
  });
});

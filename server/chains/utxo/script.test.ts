import { bech32, bech32m, createBase58check, hex } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { networkByPrefix, type UtxoNetwork } from './networks';
import { addressToScript, scriptToAddress } from './script';

const net = (prefix: string): UtxoNetwork => networkByPrefix(prefix)!;
const base58check = createBase58check(sha256);

// BIP-173 and BIP-350 examples, and the Bitcoin wiki's P2PKH/P2SH ones.
const MAINNET: [string, string, string][] = [
  ['P2WPKH', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', '0014751e76e8199196d454941c45d1b3a323f1433bd6'],
  ['P2WSH', 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3', '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262'],
  ['P2TR', 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'],
  ['P2PKH', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', '76a91477bff20c60e522dfaa3350c39b030a5d004e839a88ac'],
  ['P2SH', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87'],
];

describe('addressToScript and scriptToAddress', () => {
  it.each(MAINNET)('maps a %s address to its script and back', (_, address, script) => {
    expect(addressToScript(address, net('bc'))).toBe(script);
    expect(scriptToAddress(script, net('bc'))).toBe(address);
  });

  it('reads an upper-case bech32 address (as QR codes carry it) as the same script', () => {
    expect(addressToScript('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', net('bc'))).toBe('0014751e76e8199196d454941c45d1b3a323f1433bd6');
  });

  it('refuses a bech32 address in mixed case (BIP-173)', () => {
    expect(addressToScript('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kV8f3t4', net('bc'))).toBeUndefined();
  });

  it('writes the P2WSH script for testnet with its own prefix (BIP-173 example)', () => {
    const script = '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262';
    expect(scriptToAddress(script, net('tb'))).toBe('tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7');
    expect(addressToScript('tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', net('tb'))).toBe(script);
  });

  it('reads future witness versions in bech32m (BIP-350 examples)', () => {
    expect(addressToScript('BC1SW50QGDZ25J', net('bc'))).toBe('6002751e');
    expect(addressToScript('bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', net('bc'))).toBe('5210751e76e8199196d454941c45d1b3a323');
  });

  it('refuses a taproot program written in bech32 and a v0 program written in bech32m', () => {
    const program = hex.decode('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
    const v1InBech32 = bech32.encode('bc', [1, ...bech32.toWords(program)]);
    const v0InBech32m = bech32m.encode('bc', [0, ...bech32m.toWords(program.subarray(0, 20))]);
    expect(addressToScript(v1InBech32, net('bc'))).toBeUndefined();
    expect(addressToScript(v0InBech32m, net('bc'))).toBeUndefined();
  });

  it('refuses a v0 program of a length BIP-141 does not define', () => {
    const address = bech32.encode('bc', [0, ...bech32.toWords(new Uint8Array(25))]);
    expect(addressToScript(address, net('bc'))).toBeUndefined();
    expect(scriptToAddress(`0019${'00'.repeat(25)}`, net('bc'))).toBeUndefined();
  });

  it("refuses another network's addresses", () => {
    expect(addressToScript('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', net('ltc'))).toBeUndefined();
    expect(addressToScript('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', net('tb'))).toBeUndefined();
  });

  it('refuses text that is no address', () => {
    for (const text of ['', 'bc1', 'hello', '0x' + 'ab'.repeat(20), '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3']) {
      expect(addressToScript(text, net('bc'))).toBeUndefined();
    }
  });

  it('has no address for OP_RETURN data, a bare public key, an empty or malformed script', () => {
    const scripts = ['6a24aa21a9ed' + '00'.repeat(32), `21${'02'.repeat(33)}ac`, '', 'zz', '0014ab', '0'];
    for (const s of scripts) expect(scriptToAddress(s, net('bc'))).toBeUndefined();
  });
});

describe('Litecoin addresses', () => {
  const hash = hex.decode('751e76e8199196d454941c45d1b3a323f1433bd6');
  const p2sh = `a914${hex.encode(hash)}87`;

  it('writes P2PKH as L… and P2SH as M… on mainnet', () => {
    expect(scriptToAddress(`76a914${hex.encode(hash)}88ac`, net('ltc'))).toMatch(/^L/);
    expect(scriptToAddress(p2sh, net('ltc'))).toMatch(/^M/);
  });

  it('still reads a P2SH address in the old 3… form, as the same script', () => {
    const old = base58check.encode(Uint8Array.of(0x05, ...hash));
    expect(old).toMatch(/^3/);
    expect(addressToScript(old, net('ltc'))).toBe(p2sh);
  });

  it('writes P2WPKH with the ltc prefix', () => {
    expect(scriptToAddress('0014751e76e8199196d454941c45d1b3a323f1433bd6', net('ltc'))).toMatch(/^ltc1q/);
  });
});

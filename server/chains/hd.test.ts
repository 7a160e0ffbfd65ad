import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountKeyFromSeed, bigintTweakAdd, childPublicKeys, deriveReceiveAddress, lowerCaseReceiveAddresses, nativeCurve, receiveAddresses, receiveNode } from './hd';

// The mnemonic of anvil and Hardhat, whose first accounts every EVM developer has seen.
const TEST_MNEMONIC = 'test test test test test test test test test test test junk';
const account = accountKeyFromSeed(mnemonicToSeedSync(TEST_MNEMONIC));
const receive = receiveNode(account);

describe('receive addresses', () => {
  it("derives the wallets' addresses m/44'/60'/0'/0/i, checksummed", () => {
    const addresses = receiveAddresses(receive);
    expect(addresses(0)).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(addresses(1)).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    expect(deriveReceiveAddress(receive, 2)).toBe('0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC');
    expect(lowerCaseReceiveAddresses(receive)(2)).toBe('0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc');
  });

  it('derives from the public key alone what the private key derives', () => {
    const publicOnly = HDKey.fromExtendedKey(receive.publicExtendedKey);
    expect(receiveAddresses(publicOnly)(5)).toBe(receiveAddresses(receive)(5));
  });
});

describe('childPublicKeys', () => {
  const compressed = childPublicKeys(receive, true);
  const uncompressed = childPublicKeys(receive, false);
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  const scure = (index: number) => receive.deriveChild(index).publicKey!;

  it('runs on libsecp256k1 here (the JavaScript path is for platforms without its bindings)', () => {
    expect(nativeCurve).toBe(true);
  });

  it("gives @scure/bip32's child public key for any non-hardened index, compressed or not", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fff_ffff }), (index) => {
        const expected = scure(index);
        expect(hex(compressed(index))).toBe(hex(expected));
        expect(hex(uncompressed(index))).toBe(hex(secp256k1.Point.fromBytes(expected).toBytes(false)));
      }),
      { numRuns: 50 },
    );
  });

  it('gives the same keys on the JavaScript path, and refuses the tweaks BIP-32 calls invalid', () => {
    const tweakAdd = bigintTweakAdd(receive.publicKey!);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (tweak) => {
        const expected = secp256k1.Point.fromBytes(receive.publicKey!).add(secp256k1.Point.BASE.multiply(BigInt(`0x${hex(tweak)}`) || 1n));
        if (tweak.every((b) => b === 0)) expect(() => tweakAdd(receive.publicKey!, tweak, true)).toThrow();
        else expect(hex(tweakAdd(receive.publicKey!, tweak, true))).toBe(hex(expected.toBytes(true)));
      }),
      { numRuns: 50 },
    );
    const order = secp256k1.Point.Fn.ORDER;
    expect(() => tweakAdd(receive.publicKey!, Buffer.from(order.toString(16), 'hex'), true)).toThrow(/invalid tweak/);
  });

  it('refuses hardened and invalid indexes', () => {
    for (const index of [0x8000_0000, -1, 1.5]) expect(() => compressed(index)).toThrow(/non-hardened child index/);
  });
});

import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { deriveAhead, endDeriveAhead, type AheadKind } from './derive-ahead';
import { getAddress } from 'viem';
import { checksumAddress } from './eip55';
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
        if (tweak.every((b) => b === 0)) expect(() => tweakAdd(tweak, true)).toThrow();
        else expect(hex(tweakAdd(tweak, true))).toBe(hex(expected.toBytes(true)));
      }),
      { numRuns: 50 },
    );
    const order = secp256k1.Point.Fn.ORDER;
    expect(() => tweakAdd(Buffer.from(order.toString(16), 'hex'), true)).toThrow(/invalid tweak/);
  });

  it('refuses hardened and invalid indexes', () => {
    for (const index of [0x8000_0000, -1, 1.5]) expect(() => compressed(index)).toThrow(/non-hardened child index/);
  });
});

describe('keys derived ahead on the worker', () => {
  const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : 'none');
  // A parent of its own per test: nothing derived ahead for it yet.
  const freshParent = () => HDKey.fromMasterSeed(randomBytes(32)).deriveChild(0);
  /** Keys of a fresh parent derived ahead, once the range after `index` has come back from the worker. */
  const primed = async (kind: AheadKind, index: number) => {
    const parent = freshParent();
    const ahead = deriveAhead(parent.publicKey!, parent.chainCode!, kind);
    ahead.take(index);
    await ahead.settled();
    return { parent, ahead };
  };

  it('derives the next indexes ahead, the keys the calling thread would, each served once, and more as they run low', async () => {
    const parent = freshParent();
    const ahead = deriveAhead(parent.publicKey!, parent.chainCode!, 'uncompressed');
    const expected = (i: number) => hex(secp256k1.Point.fromBytes(parent.deriveChild(i).publicKey!).toBytes(false));
    expect(ahead.take(0)).toBeUndefined();
    await ahead.settled();
    for (let i = 1; i <= 200; i++) expect(hex(ahead.take(i)), `index ${i}`).toBe(expected(i));
    expect(ahead.take(5)).toBeUndefined();
    // Taking 200 of 256 left few: the next range was asked for.
    await ahead.settled();
    for (const i of [201, 256, 257, 400, 456]) expect(hex(ahead.take(i)), `index ${i}`).toBe(expected(i));
  });

  it.runIf(existsSync('/proc/thread-self'))('runs the worker at the lowest priority, behind the thread serving requests', async () => {
    await primed('compressed', 0);
    // The 19th field of a thread's stat is its nice value.
    const nice = readdirSync('/proc/self/task').map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
    expect(nice).toContain(19);
  });

  it('derives compressed keys ahead for UTXO chains', async () => {
    const { parent, ahead } = await primed('compressed', 9);
    expect(hex(ahead.take(10))).toBe(hex(parent.deriveChild(10).publicKey!));
  });

  it('derives EVM addresses ahead, lower case and checksummed, as this thread derives them', async () => {
    const { parent, ahead } = await primed('evm', 0);
    const onThread = receiveAddresses(parent);
    for (const i of [1, 2, 100, 256]) {
      const text = Buffer.from(ahead.take(i)!).toString('latin1');
      expect(`0x${text.slice(40)}`, `index ${i}`).toBe(onThread(i));
      expect(`0x${text.slice(0, 40)}`).toBe(onThread(i).toLowerCase());
    }
    // Through the deriver the engine uses, once its worker has answered: the address in lower case, and the
    // checksum the worker sent kept for the view.
    const lower = lowerCaseReceiveAddresses(parent);
    lower(0);
    await lower.settled();
    for (let i = 1; i <= 300; i++) {
      const address = lower(i);
      expect(address, `index ${i}`).toBe(onThread(i).toLowerCase());
      // viem's, not ours: ours reads the checksum kept, which both sides would share.
      expect(checksumAddress(address), `index ${i}`).toBe(getAddress(address));
    }
  });

  it('starts over when asked far behind what it derived (a new database in the same process)', async () => {
    const { parent, ahead } = await primed('compressed', 5000);
    expect(hex(ahead.take(5001))).toBe(hex(parent.deriveChild(5001).publicKey!));
    expect(ahead.take(1)).toBeUndefined();
    await ahead.settled();
    expect(hex(ahead.take(2))).toBe(hex(parent.deriveChild(2).publicKey!));
  });

  // Last: the worker stays ended for this file.
  it('leaves every derivation to the calling thread once the worker has ended, with the same keys', async () => {
    const parent = freshParent();
    const keys = childPublicKeys(parent, true);
    expect(hex(keys(0))).toBe(hex(parent.deriveChild(0).publicKey!));
    await endDeriveAhead();
    await keys.settled();
    for (const i of [1, 2, 300]) expect(hex(keys(i))).toBe(hex(parent.deriveChild(i).publicKey!));
    const ahead = deriveAhead(parent.publicKey!, parent.chainCode!, 'compressed');
    ahead.take(0);
    await ahead.settled();
    expect(ahead.take(1)).toBeUndefined();
  });
});

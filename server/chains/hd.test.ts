import { HDKey } from '@scure/bip32';
import { derivingOffThread } from './derive-off-thread';
import { mnemonicToSeedSync } from '@scure/bip39';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountKeyFromSeed, childPublicKeys, deriveReceiveAddress, receiveAddresses, receiveAddressesOffThread, receiveNode } from './hd';

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
  });

  it('derives from the public key alone what the private key derives', () => {
    const publicOnly = HDKey.fromExtendedKey(receive.publicExtendedKey);
    expect(receiveAddresses(publicOnly)(5)).toBe(receiveAddresses(receive)(5));
  });
});

describe('receive addresses on a worker thread', () => {
  it('are the addresses derived on this thread, for many asked at once, in the order asked', async () => {
    const offThread = receiveAddressesOffThread(receive);
    const indexes = [0, 1, 2, 7, 19, 1000, 0x7fff_ffff, ...Array.from({ length: 40 }, (_, i) => 5000 + i)];
    expect(await Promise.all(indexes.map((i) => offThread(i)))).toEqual(indexes.map((i) => receiveAddresses(receive)(i)));
    expect(await offThread(0)).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    // They came from the worker (a worker that failed would leave them to this thread, with the same results).
    expect(derivingOffThread()).toBe(true);
  });

  it('refuses a hardened index as this thread does', async () => {
    await expect(receiveAddressesOffThread(receive)(0x8000_0000)).rejects.toThrow(/non-hardened child index/);
  });
});

describe('childPublicKeys', () => {
  const children = childPublicKeys(receive);

  it("gives @scure/bip32's child public key for any non-hardened index", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fff_ffff }), (index) => {
        expect(Buffer.from(children(index).toBytes(true)).toString('hex')).toBe(Buffer.from(receive.deriveChild(index).publicKey!).toString('hex'));
      }),
      { numRuns: 50 },
    );
  });

  it('refuses hardened and invalid indexes', () => {
    for (const index of [0x8000_0000, -1, 1.5]) expect(() => children(index)).toThrow(/non-hardened child index/);
  });
});

/**
 * EVM addresses from BIP-32 keys. An account-level key (m/44'/60'/0', what
 * wallets export as the account xpub) gives receive addresses at
 * m/44'/60'/0'/0/i, the path MetaMask, Ledger and Trezor use.
 */
import { HDKey } from '@scure/bip32';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { createHmac } from 'node:crypto';
import { getAddress, keccak256 } from 'viem';
import { childPublicKeyOffThread } from './derive-off-thread';

type Point = typeof secp256k1.Point.BASE;

/** The address of an uncompressed public key (65 bytes): the last 20 bytes of the Keccak-256 of its x and y, checksummed. */
function addressOfPublicKey(uncompressed: Uint8Array): `0x${string}` {
  return getAddress(`0x${keccak256(uncompressed.subarray(1)).slice(-40)}`);
}

/** The receive-address node (…/0) below an account key. */
export function receiveNode(accountKey: HDKey): HDKey {
  return accountKey.deriveChild(0);
}

/**
 * The public keys of `parent`'s non-hardened children (BIP-32 CKDpub), as
 * curve points. Same results as `parent.deriveChild(i).publicKey`, at a
 * fraction of the cost, which matters because every invoice derives one:
 * the parent point is decoded once instead of per child, the HMAC is
 * Node's, and no HDKey is built per child (its constructor decodes the point
 * again and hashes it for a fingerprint nobody reads), and the tweak·G
 * product is computed in variable time, about twice as fast as scure's
 * constant-time one. Variable time is safe here: this is public derivation
 * of public keys, no private key is involved (Payframe never holds one), and
 * what the timing could at most hint at, the chain code, yields addresses,
 * never funds.
 */
export function childPublicKeys(parent: HDKey): (index: number) => Point {
  const { publicKey, chainCode } = parent;
  if (!publicKey || !chainCode) throw new Error('the key has no public key or chain code');
  const parentPoint = secp256k1.Point.fromBytes(publicKey);
  const data = new Uint8Array(37);
  data.set(publicKey);
  const view = new DataView(data.buffer);
  return (index) => {
    if (!Number.isInteger(index) || index < 0 || index >= 0x8000_0000) throw new RangeError(`a non-hardened child index is an integer in [0, 2^31), got ${index}`);
    view.setUint32(33, index);
    const digest = createHmac('sha512', chainCode).update(data).digest();
    const tweak = BigInt(`0x${digest.toString('hex', 0, 32)}`);
    // BIP-32's invalid cases (I_L ≥ n, or the point at infinity; odds about 2^-127) move on to the next index:
    // scure's derivation does that, so it answers them.
    if (tweak === 0n || tweak >= secp256k1.Point.Fn.ORDER) return viaHdKey(parent, index);
    const child = parentPoint.add(secp256k1.Point.BASE.multiplyUnsafe(tweak));
    return child.equals(secp256k1.Point.ZERO) ? viaHdKey(parent, index) : child;
  };
}

function viaHdKey(parent: HDKey, index: number): Point {
  const child = parent.deriveChild(index);
  if (!child.publicKey) throw new Error('derived key has no public key');
  return secp256k1.Point.fromBytes(child.publicKey);
}

/** Receive address i below `receive` (a node from receiveNode), checksummed; `receiveAddresses` when deriving many. */
export function deriveReceiveAddress(receive: HDKey, index: number): `0x${string}` {
  return receiveAddresses(receive)(index);
}

/** The receive addresses below `receive`, with the parent's work done once. */
export function receiveAddresses(receive: HDKey): (index: number) => `0x${string}` {
  const children = childPublicKeys(receive);
  return (index) => addressOfPublicKey(children(index).toBytes(false));
}

/** The same addresses, their curve work done on a worker thread (derive-off-thread.ts): what creating an invoice uses. */
export function receiveAddressesOffThread(receive: HDKey): (index: number) => Promise<`0x${string}`> {
  const children = childPublicKeys(receive);
  return async (index) => addressOfPublicKey(await childPublicKeyOffThread(receive, index, (i) => children(i).toBytes(false)));
}

export function accountKeyFromSeed(seed: Uint8Array): HDKey {
  return HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'");
}

/**
 * EVM addresses from BIP-32 keys. An account-level key (m/44'/60'/0', what
 * wallets export as the account xpub) gives receive addresses at
 * m/44'/60'/0'/0/i, the path MetaMask, Ledger and Trezor use.
 */
import { HDKey } from '@scure/bip32';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { deriveAhead, type AheadKind, type DerivedAhead } from './derive-ahead';
import { checksumAddress, rememberChecksum } from './eip55';
import { lowerCaseHex } from './evm-address.mjs';

/** The parent's point plus `tweak`·G, serialized compressed or not; the parent is bound when the function is made. */
type TweakAdd = (tweak: Uint8Array, compressed: boolean) => Uint8Array;
type Bindings = typeof import('secp256k1/bindings');

/**
 * libsecp256k1 (Bitcoin Core's curve library, through the secp256k1
 * package's prebuilt Node bindings): a child key in about a tenth of the time
 * of the same arithmetic in JavaScript bigints. Where the bindings do not load
 * (a platform without a prebuilt binary and no compiler), the JavaScript
 * path below gives the same keys, slower.
 */
const native: Bindings | undefined = (() => {
  try {
    return createRequire(import.meta.url)('secp256k1/bindings') as Bindings;
  } catch {
    return undefined;
  }
})();

/**
 * libsecp256k1's point addition, given the parent as x and y (65 bytes), converted once: from the 33 bytes of a
 * compressed key it would find y again (a square root) for every child: 42 µs a point addition, 36 from x and
 * y (one-off).
 */
function nativeTweakAdd({ publicKeyConvert, publicKeyTweakAdd }: Bindings, parent: Uint8Array): TweakAdd {
  const uncompressed = publicKeyConvert(parent, false);
  return (tweak, compressed) => publicKeyTweakAdd(uncompressed, tweak, compressed);
}

/** Whether child keys come from libsecp256k1 (false: the JavaScript path). */
export const nativeCurve = native !== undefined;

/** The address of an uncompressed public key (65 bytes), in lower case. */
const lowerCaseAddress = (uncompressed: Uint8Array): `0x${string}` => `0x${lowerCaseHex(uncompressed)}`;

/** The receive-address node (…/0) below an account key. */
export function receiveNode(accountKey: HDKey): HDKey {
  return accountKey.deriveChild(0);
}

/**
 * The public keys of `parent`'s non-hardened children (BIP-32 CKDpub),
 * serialized compressed (33 bytes) or not (65). Same results as
 * `parent.deriveChild(i).publicKey`, at a fraction of the cost, which matters
 * because every invoice derives one: the HMAC is Node's, the point addition
 * libsecp256k1's (or, without it, the parent point is decoded once and the
 * tweak·G product computed in variable time, about twice as fast as scure's
 * constant-time one), and no HDKey is built per child (its constructor
 * decodes the point again and hashes it for a fingerprint nobody reads).
 * Variable time is safe here: this is public derivation of public keys, no
 * private key is involved (Payframe never holds one), and what the timing
 * could at most hint at, the chain code, yields addresses, never funds.
 */
export function childPublicKeys(parent: HDKey, compressed: boolean, ahead: DerivedAhead | null = aheadOf(parent, compressed ? 'compressed' : 'uncompressed')): ChildPublicKeys {
  const { publicKey, chainCode } = parent;
  if (!publicKey || !chainCode) throw new Error('the key has no public key or chain code');
  const data = new Uint8Array(37);
  data.set(publicKey);
  const view = new DataView(data.buffer);
  const tweakAdd = native ? nativeTweakAdd(native, publicKey) : bigintTweakAdd(publicKey);
  const children = (index: number) => {
    if (!Number.isInteger(index) || index < 0 || index >= 0x8000_0000) throw new RangeError(`a non-hardened child index is an integer in [0, 2^31), got ${index}`);
    const derived = ahead?.take(index);
    if (derived) return derived;
    view.setUint32(33, index);
    const tweak = createHmac('sha512', chainCode).update(data).digest().subarray(0, 32);
    try {
      return tweakAdd(tweak, compressed);
    } catch {
      // BIP-32's invalid cases (I_L ≥ n, or the point at infinity; odds about 2^-127) move on to the next
      // index: scure's derivation does that, so it answers them.
      const child = parent.deriveChild(index).publicKey;
      if (!child) throw new Error('derived key has no public key');
      return secp256k1.Point.fromBytes(child).toBytes(compressed);
    }
  };
  return Object.assign(children, { settled: () => ahead?.settled() ?? Promise.resolve() });
}

/** The worker runs libsecp256k1 too: without it, everything is derived on the calling thread. */
function aheadOf(parent: HDKey, kind: AheadKind): DerivedAhead | null {
  return native && parent.publicKey && parent.chainCode ? deriveAhead(parent.publicKey, parent.chainCode, kind) : null;
}

/** A derivation by index; `settled()` waits for what is being derived ahead (derive-ahead.ts), for tests. */
export type Derived<T> = ((index: number) => T) & { settled(): Promise<void> };
export type ChildPublicKeys = Derived<Uint8Array>;

/** The point addition in JavaScript, with `parent`'s point decoded once: throws where libsecp256k1's would. */
export function bigintTweakAdd(parent: Uint8Array): TweakAdd {
  const { Point } = secp256k1;
  const parentPoint = Point.fromBytes(parent);
  return (tweakBytes, compressed) => {
    const tweak = BigInt(`0x${Buffer.from(tweakBytes).toString('hex')}`);
    if (tweak === 0n || tweak >= Point.Fn.ORDER) throw new RangeError('invalid tweak');
    const child = parentPoint.add(Point.BASE.multiplyUnsafe(tweak));
    if (child.equals(Point.ZERO)) throw new RangeError('the point at infinity');
    return child.toBytes(compressed);
  };
}

/** Receive address i below `receive` (a node from receiveNode), checksummed: one address (the CLI's first, the sandbox's buyer). */
export function deriveReceiveAddress(receive: HDKey, index: number): `0x${string}` {
  return receiveAddresses(receive)(index);
}

/** The receive addresses below `receive`, checksummed, derived on this thread (nothing ahead) with the parent's work done once. */
export function receiveAddresses(receive: HDKey): (index: number) => `0x${string}` {
  const children = childPublicKeys(receive, false, null);
  return (index) => checksumAddress(lowerCaseAddress(children(index)));
}

/**
 * The same in lower case, as the engine stores them. The worker derives the next addresses ahead with their
 * checksum, which is kept for the checkout view (eip55.ts), so an invoice's address costs this thread no hash.
 */
export function lowerCaseReceiveAddresses(receive: HDKey): Derived<`0x${string}`> {
  const ahead = aheadOf(receive, 'evm');
  // Its keys are not derived ahead: the addresses are.
  const children = childPublicKeys(receive, false, null);
  const addresses = (index: number): `0x${string}` => {
    const derived = ahead?.take(index);
    if (!derived) return lowerCaseAddress(children(index));
    const text = Buffer.from(derived.buffer, derived.byteOffset, derived.length).toString('latin1');
    const lower = text.slice(0, 40);
    rememberChecksum(lower, text.slice(40));
    return `0x${lower}`;
  };
  return Object.assign(addresses, { settled: () => ahead?.settled() ?? Promise.resolve() });
}

export function accountKeyFromSeed(seed: Uint8Array): HDKey {
  return HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'");
}

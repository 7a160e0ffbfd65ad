/**
 * Invoice addresses for UTXO chains: native SegWit (P2WPKH, BIP-84) below
 * the merchant's account-level extended public key, m/84'/coin'/0'. Receive
 * addresses are …/0/i, the ones every BIP-84 wallet shows and watches.
 *
 * Wallets write the same key with different 4-byte versions: Core and
 * descriptor wallets xpub/tpub, Electrum and Trezor zpub/vpub (SLIP-0132),
 * some Litecoin wallets Ltub/ttub. Only the version differs; the key below is
 * the same, so any of them is accepted when it suits the chain's network.
 */
import { HDKey } from '@scure/bip32';
import { bech32, createBase58check } from '@scure/base';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { UtxoNetwork } from './networks';
import { childPublicKeys } from '../hd';

/** SLIP-0132's registered versions of single-signature keys (public, private). */
const VERSIONS = {
  xpub: { public: 0x0488b21e, private: 0x0488ade4, privateName: 'xprv', test: false, wrapped: false },
  ypub: { public: 0x049d7cb2, private: 0x049d7878, privateName: 'yprv', test: false, wrapped: true },
  zpub: { public: 0x04b24746, private: 0x04b2430c, privateName: 'zprv', test: false, wrapped: false },
  Ltub: { public: 0x019da462, private: 0x019d9cfe, privateName: 'Ltpv', test: false, wrapped: false },
  Mtub: { public: 0x01b26ef6, private: 0x01b26792, privateName: 'Mtpv', test: false, wrapped: true },
  tpub: { public: 0x043587cf, private: 0x04358394, privateName: 'tprv', test: true, wrapped: false },
  upub: { public: 0x044a5262, private: 0x044a4e28, privateName: 'uprv', test: true, wrapped: true },
  vpub: { public: 0x045f1cf6, private: 0x045f18bc, privateName: 'vprv', test: true, wrapped: false },
  ttub: { public: 0x0436f6e1, private: 0x0436ef7d, privateName: 'ttpv', test: true, wrapped: false },
} as const;

type KeyPrefix = keyof typeof VERSIONS;

export type AccountKeyCheck = { ok: true; key: HDKey; prefix: KeyPrefix } | { ok: false; reason: string };

/** BIP-84's account level, m/84'/coin'/0'. */
const ACCOUNT_DEPTH = 3;
const EXTENDED_KEY_BYTES = 78;
const base58check = createBase58check(sha256);
const PRIVATE_PREFIXES = Object.values(VERSIONS).map((v) => v.privateName);

const privateKeyReason = (prefix: string) =>
  `this is an extended PRIVATE key (${prefix}…); Payframe only needs (and must only ever get) the extended public key`;

/**
 * Checks a merchant's account key for a chain on `network`. Refuses private
 * keys, keys of the other network family (a tpub for mainnet), keys whose
 * version says the wallet uses wrapped SegWit (ypub, upub, Mtub: BIP-49, so
 * native SegWit addresses below it are ones that wallet never shows), and
 * keys not at the account level. The reason never contains the key.
 */
export function parseAccountKey(text: string, network: UtxoNetwork): AccountKeyCheck {
  const trimmed = text.trim();
  const path = `m/84'/${network.coinType}'/0'`;
  let bytes: Uint8Array;
  try {
    bytes = base58check.decode(trimmed);
  } catch {
    // A private key with a typo is still named for what it is.
    const privatePrefix = PRIVATE_PREFIXES.find((p) => trimmed.startsWith(p));
    if (privatePrefix) return { ok: false, reason: privateKeyReason(privatePrefix) };
    return { ok: false, reason: 'not a valid extended public key: its characters or checksum are wrong (expected zpub…, xpub… or, on test networks, vpub…/tpub…)' };
  }
  if (bytes.length !== EXTENDED_KEY_BYTES) return { ok: false, reason: `not an extended key: it decodes to ${bytes.length} bytes, not ${EXTENDED_KEY_BYTES}` };
  const version = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const entry = Object.entries(VERSIONS).find(([, v]) => v.public === version || v.private === version);
  if (!entry) return { ok: false, reason: `unknown extended key version 0x${version.toString(16).padStart(8, '0')}; Payframe takes a single-signature account key (zpub…, xpub…, vpub…, tpub…, Ltub…)` };
  const [prefix, v] = entry as [KeyPrefix, (typeof VERSIONS)[KeyPrefix]];
  // BIP-32: key data starting with 0x00 is a private key, whatever the version says.
  if (v.private === version || bytes[45] === 0) return { ok: false, reason: privateKeyReason(v.privateName) };
  const want = network.testKeys ? 'vpub… or tpub…' : 'zpub… or xpub…';
  if (v.wrapped) {
    return { ok: false, reason: `a ${prefix} is the key of a wrapped-SegWit (BIP-49) account; Payframe pays to native SegWit addresses, so give the account key at ${path} (${want})` };
  }
  if (v.test !== network.testKeys) {
    return { ok: false, reason: `a ${prefix} is a ${v.test ? 'test-network' : 'main-network'} key, but this chain (${network.bech32Prefix}) needs a ${v.test ? 'main-network' : 'test-network'} one (${want})` };
  }
  let key: HDKey;
  try {
    key = HDKey.fromExtendedKey(trimmed, { public: v.public, private: v.private });
  } catch {
    return { ok: false, reason: 'not a valid extended public key: its public key is not a point on the curve' };
  }
  // Below a key of another depth the addresses are real but not the ones the merchant's wallet shows.
  if (key.depth !== ACCOUNT_DEPTH) {
    return { ok: false, reason: `this key is at depth ${key.depth}; give the account-level key at depth ${ACCOUNT_DEPTH} (${path}), which wallets export as the account ${prefix}` };
  }
  return { ok: true, key, prefix };
}

/** The bech32 P2WPKH address (witness v0, BIP-141/173) of a compressed public key. */
export function p2wpkhAddress(publicKey: Uint8Array, bech32Prefix: string): string {
  if (publicKey.length !== 33) throw new Error(`P2WPKH needs a 33-byte compressed public key, got ${publicKey.length} bytes`);
  const program = ripemd160(sha256(publicKey));
  return bech32.encode(bech32Prefix, [0, ...bech32.toWords(program)]);
}

/**
 * Address i of a branch below an account key: branch 0 receives (invoice
 * addresses), 1 is the wallet's change. The branch node is derived once, so
 * each address costs one non-hardened derivation (hd.ts: childPublicKeys).
 */
export function addressDeriver(accountKey: HDKey, bech32Prefix: string, branch: 0 | 1 = 0): (index: number) => string {
  const children = childPublicKeys(accountKey.deriveChild(branch), true);
  return (index) => p2wpkhAddress(children(index), bech32Prefix);
}

/**
 * The key as Bitcoin/Litecoin Core's descriptors want it (xpub… or tpub…,
 * whatever the wallet wrote), e.g. for `wpkh(<key>/0/*)` in deriveaddresses
 * to check Payframe's derivation against the node's.
 */
export function descriptorKey(accountKey: HDKey, network: UtxoNetwork): string {
  const v = network.testKeys ? VERSIONS.tpub : VERSIONS.xpub;
  const { publicKey, chainCode, depth, index, parentFingerprint } = accountKey;
  if (!publicKey || !chainCode) throw new Error('the key has no public key or chain code');
  return new HDKey({ publicKey, chainCode, depth, index, parentFingerprint, versions: { public: v.public, private: v.private } }).publicExtendedKey;
}

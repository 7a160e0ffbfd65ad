/**
 * EVM addresses from BIP-32 keys. An account-level key (m/44'/60'/0', what
 * wallets export as the account xpub) gives receive addresses at
 * m/44'/60'/0'/0/i, the path MetaMask, Ledger and Trezor use.
 */
import { HDKey } from '@scure/bip32';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { getAddress, keccak256 } from 'viem';

function addressFromPublicKey(compressed: Uint8Array): `0x${string}` {
  const uncompressed = secp256k1.Point.fromBytes(compressed).toBytes(false);
  return getAddress(`0x${keccak256(uncompressed.slice(1)).slice(-40)}`);
}

/** The receive-address node (…/0) below an account key. */
export function receiveNode(accountKey: HDKey): HDKey {
  return accountKey.deriveChild(0);
}

export function deriveReceiveAddress(receive: HDKey, index: number): `0x${string}` {
  const child = receive.deriveChild(index);
  if (!child.publicKey) throw new Error('derived key has no public key');
  return addressFromPublicKey(child.publicKey);
}

export function accountKeyFromSeed(seed: Uint8Array): HDKey {
  return HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'");
}


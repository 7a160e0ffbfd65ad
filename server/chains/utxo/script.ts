/**
 * Addresses ↔ output scripts (scriptPubKey, hex). Blocks are matched by
 * script: one canonical form per output whatever the address's case or
 * encoding, and the node always sends it (the address it sends is absent
 * for scripts it has no address for).
 *
 * Invoice addresses are P2WPKH; a sender's can be any standard type, so
 * P2PKH, P2SH, P2WSH and taproot (witness v1, bech32m) are decoded too.
 * https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki,
 * https://github.com/bitcoin/bips/blob/master/bip-0350.mediawiki
 */
import { bech32, bech32m, createBase58check, hex } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import type { UtxoNetwork } from './networks';

const base58check = createBase58check(sha256);
const OP_0 = 0x00;
/** OP_1…OP_16 are 0x51…0x60: witness versions 1…16. */
const OP_1 = 0x51;
const OP_DUP = 0x76;
const OP_HASH160 = 0xa9;
const OP_EQUALVERIFY = 0x88;
const OP_CHECKSIG = 0xac;
const OP_EQUAL = 0x87;

/** The output script of `address` on `network` as lower-case hex, or undefined when it is not one of its addresses. */
export function addressToScript(address: string, network: UtxoNetwork): string | undefined {
  const witness = decodeSegwit(address, network.bech32Prefix);
  if (witness) return hex.encode(witnessScript(witness.version, witness.program));
  let bytes: Uint8Array;
  try {
    bytes = base58check.decode(address);
  } catch {
    return undefined;
  }
  if (bytes.length !== 21) return undefined;
  const [version] = bytes;
  const hash = bytes.subarray(1);
  if (version === network.pubKeyHash) return hex.encode(Uint8Array.of(OP_DUP, OP_HASH160, 20, ...hash, OP_EQUALVERIFY, OP_CHECKSIG));
  if (network.scriptHash.includes(version!)) return hex.encode(Uint8Array.of(OP_HASH160, 20, ...hash, OP_EQUAL));
  return undefined;
}

/**
 * The address of an output script as the node writes it (lower-case bech32;
 * P2SH with the network's current version), or undefined for scripts that
 * have none: bare public keys and multisig, OP_RETURN data, non-standard.
 */
export function scriptToAddress(scriptHex: string, network: UtxoNetwork): string | undefined {
  if (!/^(?:[0-9a-f]{2})*$/i.test(scriptHex)) return undefined;
  const s = hex.decode(scriptHex.toLowerCase());
  const witnessVersion = s[0] === OP_0 ? 0 : s[0]! >= OP_1 && s[0]! <= OP_1 + 15 ? s[0]! - OP_1 + 1 : undefined;
  if (witnessVersion !== undefined && s.length === 2 + s[1]! && validProgram(witnessVersion, s.length - 2)) {
    return encodeSegwit(network.bech32Prefix, witnessVersion, s.subarray(2));
  }
  if (s.length === 25 && s[0] === OP_DUP && s[1] === OP_HASH160 && s[2] === 20 && s[23] === OP_EQUALVERIFY && s[24] === OP_CHECKSIG) {
    return base58check.encode(Uint8Array.of(network.pubKeyHash, ...s.subarray(3, 23)));
  }
  if (s.length === 23 && s[0] === OP_HASH160 && s[1] === 20 && s[22] === OP_EQUAL) {
    return base58check.encode(Uint8Array.of(network.scriptHash[0]!, ...s.subarray(2, 22)));
  }
  return undefined;
}

function witnessScript(version: number, program: Uint8Array): Uint8Array {
  return Uint8Array.of(version === 0 ? OP_0 : OP_1 + version - 1, program.length, ...program);
}

/** BIP-141: a v0 program is a key hash (20) or a script hash (32); later versions take 2…40 bytes. */
function validProgram(version: number, length: number): boolean {
  return version === 0 ? length === 20 || length === 32 : length >= 2 && length <= 40;
}

/** Version 0 is written in bech32, every later version in bech32m (BIP-350): a mix-up is refused. */
function encodeSegwit(prefix: string, version: number, program: Uint8Array): string {
  return (version === 0 ? bech32 : bech32m).encode(prefix, [version, ...bech32.toWords(program)]);
}

function decodeSegwit(address: string, prefix: string): { version: number; program: Uint8Array } | undefined {
  // bech32 is either all lower or all upper case (BIP-173); the HRP compares case-insensitively.
  if (address.toLowerCase() !== address && address.toUpperCase() !== address) return undefined;
  const lower = address.toLowerCase();
  if (!lower.startsWith(`${prefix}1`)) return undefined;
  for (const coder of [bech32, bech32m]) {
    const decoded = coder.decodeUnsafe(lower);
    if (!decoded || decoded.prefix !== prefix || decoded.words.length === 0) continue;
    const [version, ...words] = decoded.words;
    if (version === undefined || version > 16 || (coder === bech32) !== (version === 0)) return undefined;
    const program = bech32.fromWordsUnsafe(words);
    if (!program || !validProgram(version, program.length)) return undefined;
    return { version, program };
  }
  return undefined;
}

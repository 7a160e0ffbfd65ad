// EVM addresses from public keys, and EIP-55's checksum: plain JavaScript, so that the derive-ahead worker
// (derive-ahead-worker.mjs), which has no TypeScript loader, computes them with the same code as hd.ts and
// eip55.ts. Hex without the 0x.
import { keccak_256 } from '@noble/hashes/sha3.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const encoder = new TextEncoder();

/** The address of an uncompressed public key (65 bytes), lower-case hex: the last 20 bytes of the Keccak-256 of its x and y. */
export function lowerCaseHex(uncompressed) {
  const hash = keccak_256(uncompressed.subarray(1));
  let lower = '';
  for (let i = 12; i < 32; i++) lower += HEX[hash[i]];
  return lower;
}

/** EIP-55: a letter of the lower-case hex is upper case where the Keccak-256 of that hex (as ASCII) has a nibble ≥ 8. */
export function checksumHex(lower) {
  const hash = keccak_256(encoder.encode(lower));
  let out = '';
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += nibble >= 8 ? lower[i].toUpperCase() : lower[i];
  }
  return out;
}

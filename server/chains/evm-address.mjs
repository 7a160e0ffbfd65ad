// EVM addresses from public keys, and EIP-55's checksum: plain JavaScript, so that the derive-ahead worker
// (derive-ahead-worker.mjs), which has no TypeScript loader, computes them with the same code as hd.ts and
// eip55.ts. Hex without the 0x.
//
// Keccak-256 from js-sha3: 2.4–2.9 times as fast as @noble/hashes' on these 40- and 64-byte inputs (one-off, Node
// 20), and every invoice's address takes two (its own, and its checksum's).
import sha3 from 'js-sha3';

const { keccak256 } = sha3;

/** The address of an uncompressed public key (65 bytes), lower-case hex: the last 20 bytes of the Keccak-256 of its x and y. */
export function lowerCaseHex(uncompressed) {
  return keccak256(uncompressed.subarray(1)).slice(24);
}

/** EIP-55: a letter of the lower-case hex is upper case where the Keccak-256 of that hex (as ASCII) has a nibble ≥ 8. */
export function checksumHex(lower) {
  const hash = keccak256(lower);
  let out = '';
  for (let i = 0; i < 40; i++) out += hash.charCodeAt(i) >= 56 /* '8' */ ? lower[i].toUpperCase() : lower[i];
  return out;
}

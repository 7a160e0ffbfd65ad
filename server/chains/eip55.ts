/**
 * EIP-55 checksummed EVM addresses: a letter of the hex is upper case where
 * the Keccak-256 of the lower-case hex (as ASCII) has a nibble ≥ 8. Written
 * out here rather than viem's getAddress, which every view of an EVM invoice
 * calls: viem's converts through hex strings and bytes and cost three times
 * the hash (eip55.test.ts checks the results against viem's). A view names
 * its address two or three times (shown, in the payment URI, a sender), and
 * every version of an invoice has a view: the last addresses checksummed are
 * kept, so an address is hashed about once.
 */
import { checksumHex } from './evm-address.mjs';

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Whether `address` is an EVM address: 0x and 40 hex digits, in any case. */
export const isEvmAddress = (address: string): boolean => ADDRESS.test(address);

/** Checksummed addresses by their lower-case hex: the last 5,000 to 10,000 (two generations, the older dropped whole). */
const KEPT = 5_000;
let kept = new Map<string, `0x${string}`>();
let older = new Map<string, `0x${string}`>();

/** `address` (0x and 40 hex digits, any case) with EIP-55's checksum. Throws for anything else. */
export function checksumAddress(address: string): `0x${string}` {
  if (!isEvmAddress(address)) throw new Error(`not an EVM address: ${JSON.stringify(address)}`);
  const lower = address.slice(2).toLowerCase();
  const known = kept.get(lower) ?? older.get(lower);
  if (known) return known;
  const checksummed = `0x${checksumHex(lower)}` as const;
  remember(lower, checksummed);
  return checksummed;
}

/** Keeps a checksum computed elsewhere (the derive-ahead worker): `lower` and `checksummed` are 40 hex digits. */
export function rememberChecksum(lower: string, checksummed: string): void {
  remember(lower, `0x${checksummed}`);
}

// Dropping the oldest one by one cost more than the hash it saves: a Map's first key is found past every deleted one.
function remember(lower: string, checksummed: `0x${string}`): void {
  kept.set(lower, checksummed);
  if (kept.size < KEPT) return;
  older = kept;
  kept = new Map();
}

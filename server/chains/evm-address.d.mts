/** The address of an uncompressed public key (65 bytes), as 40 lower-case hex digits (no 0x). */
export function lowerCaseHex(uncompressed: Uint8Array): string;
/** EIP-55's checksum of 40 lower-case hex digits (no 0x). */
export function checksumHex(lower: string): string;

/**
 * Random identifiers that begin with the time they were made. A B-tree
 * index of random keys takes each new one on a leaf page of its own, so every
 * insert dirties a page the commit writes out again; keys that start with the
 * time go to the few pages at the end of the index. The randomness after the
 * time keeps them as unguessable as before (80 bits for ids, 74 for UUIDs).
 */
import { randomBytes } from 'node:crypto';

/** 16 bytes as base64url (22 characters): the time in ms (6 bytes, big-endian), then 10 random bytes. */
export function timeOrderedId(now: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  return bytes.toString('base64url');
}

/** A UUIDv7 (RFC 9562): the time in ms, the version and variant, the rest random. */
export function uuidV7(now: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

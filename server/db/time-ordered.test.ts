import { describe, expect, it } from 'vitest';
import { timeOrderedId, uuidV7 } from './time-ordered';

describe('time-ordered identifiers', () => {
  const T = Date.UTC(2026, 10, 30, 10, 0, 0);

  it('ids: 22 base64url characters whose first 6 bytes are the time, the rest random', () => {
    const a = timeOrderedId(T);
    const b = timeOrderedId(T);
    expect(a).toMatch(/^[\w-]{22}$/);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64url').readUIntBE(0, 6)).toBe(T);
    expect(Buffer.from(timeOrderedId(T + 1), 'base64url').readUIntBE(0, 6)).toBe(T + 1);
    // The same millisecond, the same first 8 characters: neighbours in an index.
    expect(a.slice(0, 8)).toBe(b.slice(0, 8));
    expect(a.slice(8)).not.toBe(b.slice(8));
  });

  it('UUIDv7: version 7, RFC 9562 variant, the time first, and sortable as text by time', () => {
    const u = uuidV7(T);
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(u.replace(/-/g, '').slice(0, 12), 16)).toBe(T);
    expect(uuidV7(T) < uuidV7(T + 1)).toBe(true);
    expect(new Set(Array.from({ length: 100 }, () => uuidV7(T))).size).toBe(100);
  });
});

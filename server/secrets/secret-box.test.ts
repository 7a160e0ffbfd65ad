import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isSealed, parseMasterKey, SecretBox, SecretBoxError, type Sealed } from './secret-box';

const key = randomBytes(32);
const box = new SecretBox(key);
const SECRET = 'sk_0123456789abcdef0123456789abcdef';
const CONTEXT = 'api_keys.secret:pk_one';

/** What open() threw, so a test can look at the whole error. */
function refusal(run: () => unknown): SecretBoxError {
  try {
    run();
  } catch (err) {
    if (err instanceof SecretBoxError) return err;
    throw err;
  }
  throw new Error('expected a SecretBoxError, nothing was thrown');
}

const bytesOf = (sealed: string) => Buffer.from(sealed.slice('enc:v1:'.length), 'base64url');
const sealedOf = (bytes: Buffer) => `enc:v1:${bytes.toString('base64url')}` as Sealed;

describe('SecretBox', () => {
  it('opens what it sealed, for any text', () => {
    for (const text of [SECRET, '', 'whsec_k+/=', 'xpub6C…ünïcødé 🔑', 'x'.repeat(10_000)]) {
      const sealed = box.seal(text, CONTEXT);
      expect(box.open(sealed, CONTEXT)).toBe(text);
    }
  });

  it('writes enc:v1: and base64url of a 12-byte IV, the ciphertext and a 16-byte tag, with no trace of the plaintext', () => {
    const sealed = box.seal(SECRET, CONTEXT);
    expect(sealed).toMatch(/^enc:v1:[A-Za-z0-9_-]+$/);
    expect(isSealed(sealed)).toBe(true);
    expect(bytesOf(sealed)).toHaveLength(12 + Buffer.byteLength(SECRET) + 16);
    expect(sealed).not.toContain(SECRET.slice(3, 12));
    expect(isSealed(SECRET)).toBe(false);
  });

  it('draws a fresh IV for every seal, so the same secret never seals to the same text', () => {
    const sealed = Array.from({ length: 50 }, () => box.seal(SECRET, CONTEXT));
    expect(new Set(sealed).size).toBe(50);
    expect(new Set(sealed.map((s) => bytesOf(s).subarray(0, 12).toString('hex'))).size).toBe(50);
  });

  it('refuses a value with any byte altered: IV, ciphertext or tag', () => {
    const bytes = bytesOf(box.seal(SECRET, CONTEXT));
    for (let i = 0; i < bytes.length; i++) {
      const altered = Buffer.from(bytes);
      altered[i]! ^= 0x01;
      expect(() => box.open(sealedOf(altered), CONTEXT), `byte ${i}`).toThrow(SecretBoxError);
    }
  });

  it('refuses a value cut short, or its tag cut to fewer bytes', () => {
    const bytes = bytesOf(box.seal(SECRET, CONTEXT));
    expect(() => box.open(sealedOf(bytes.subarray(0, bytes.length - 4)), CONTEXT)).toThrow(SecretBoxError);
    expect(() => box.open(sealedOf(bytes.subarray(0, 20)), CONTEXT)).toThrow(/truncated/);
  });

  it('refuses a value moved to another row or column (the context is authenticated)', () => {
    const sealed = box.seal(SECRET, CONTEXT);
    expect(() => box.open(sealed, 'api_keys.secret:pk_two')).toThrow(SecretBoxError);
    expect(() => box.open(sealed, 'webhook_subscriptions.secret_key:pk_one')).toThrow(SecretBoxError);
  });

  it('refuses a value sealed under another master key', () => {
    const sealed = new SecretBox(randomBytes(32)).seal(SECRET, CONTEXT);
    expect(() => box.open(sealed, CONTEXT)).toThrow(/does not open: it was sealed under another master key, for another row, or altered/);
  });

  it('refuses a value in the clear rather than taking it as the secret', () => {
    expect(() => box.open(SECRET as Sealed, CONTEXT)).toThrow(/is not sealed/);
  });

  it('never shows the plaintext or the key in an error, or when the box is printed', () => {
    const other = new SecretBox(randomBytes(32));
    const errors = [refusal(() => other.open(box.seal(SECRET, CONTEXT), CONTEXT)), refusal(() => box.open(SECRET as Sealed, CONTEXT))];
    const printed = [...errors.map((e) => `${e.message}\n${e.stack}`), inspect(box, { showHidden: true }), JSON.stringify(box), String(box)].join('\n');
    for (const forbidden of [SECRET, key.toString('hex'), key.toString('base64'), key.toString('base64url')]) expect(printed).not.toContain(forbidden);
    expect(errors[0]!.message).toContain(CONTEXT);
  });

  it('takes only a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes, not 16/);
  });
});

describe('parseMasterKey', () => {
  const k = Buffer.from(Array.from({ length: 32 }, (_, i) => 255 - i * 3));

  it('reads 64 hex digits and the base64 (standard or URL-safe, padded or not) of 32 bytes, around whitespace', () => {
    for (const text of [k.toString('hex'), k.toString('hex').toUpperCase(), k.toString('base64'), k.toString('base64url'), ` ${k.toString('hex')}\n`]) {
      expect(parseMasterKey(text), text).toEqual(k);
    }
  });

  it('refuses anything else', () => {
    for (const text of ['', 'password', k.toString('hex').slice(2), `${k.toString('hex')}00`, `${k.toString('hex').slice(1)}g`, randomBytes(31).toString('base64'), randomBytes(33).toString('base64')]) {
      expect(parseMasterKey(text), text).toBeUndefined();
    }
  });
});

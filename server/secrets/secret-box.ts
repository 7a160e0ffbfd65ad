/**
 * Secrets at rest: AES-256-GCM under the master key. A sealed value is
 * self-describing text, `enc:v1:` + base64url(iv | ciphertext | tag), so a
 * value stored in the clear before encryption at rest is told apart from a
 * sealed one (seal-stored.ts) and a later format can sit beside this one.
 *
 * The context (table, column and the row's key, see columns.ts) is bound as
 * additional authenticated data: a sealed value copied into another row or
 * column does not open (NIST SP 800-38D, 7.2).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A secret as stored: only seal() makes one, only open() reads one. */
export type Sealed = string & { readonly __sealed: unique symbol };

const PREFIX = 'enc:v1:';
/** 96 bits, GCM's own size; a random IV per seal is safe for far more than 2^32 seals under one key. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const MASTER_KEY_BYTES = 32;

/** A value that does not open: another master key, another row's value, or altered bytes. Never carries the plaintext or the key. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

export function isSealed(value: string): value is Sealed {
  return value.startsWith(PREFIX);
}

/**
 * Seals and opens secrets under one 32-byte master key.
 * @example
 *   const box = new SecretBox(key);
 *   const stored = box.seal(secret, `api_keys.secret:${publicKey}`);
 *   box.open(stored, `api_keys.secret:${publicKey}`) === secret;
 */
export class SecretBox {
  // A private field: util.inspect, console.log and JSON.stringify of a box show no key.
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== MASTER_KEY_BYTES) throw new SecretBoxError(`a master key is ${MASTER_KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
  }

  seal(plaintext: string, context: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}` as Sealed;
  }

  open(sealed: Sealed, context: string): string {
    if (!isSealed(sealed)) throw new SecretBoxError(`the stored ${context} is not sealed (no ${PREFIX} prefix)`);
    const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError(`the stored ${context} is truncated`);
    // The tag length is fixed: a shorter tag would be accepted by GCM and is far easier to forge.
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`the stored ${context} does not open: it was sealed under another master key, for another row, or altered`);
    }
  }
}

/**
 * A master key as an operator writes it: 64 hex digits, or the base64
 * (standard or URL-safe, padded or not) of 32 bytes. Undefined for anything
 * else, so callers can name the variable or file without echoing the text.
 */
export function parseMasterKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  // 43 base64 digits carry 258 bits: 32 bytes and two spare bits. Node's base64 decoder reads both alphabets.
  if (/^([A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?$/.test(t)) return Buffer.from(t, 'base64');
  return undefined;
}

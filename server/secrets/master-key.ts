/**
 * Where the master key comes from, for the entry points only (server/main.ts,
 * server/cli.ts): PAYFRAME_MASTER_KEY when set, else DATA_DIR/master.key,
 * written with 32 random bytes and mode 0600 on the first start. The key file
 * beside the database is what keeps a copy of the database alone from
 * revealing a secret, but it must be backed up with it: without the key the
 * secrets cannot be read.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';
import { MASTER_KEY_BYTES, parseMasterKey, SecretBox } from './secret-box';

const KEY_FILE = 'master.key';

/** A master key that cannot be used; the message names the file and the fix, never the key. */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

export interface MasterKeys {
  secrets: SecretBox;
  /** The key being retired during a rotation (PAYFRAME_PREVIOUS_MASTER_KEY). */
  previous: SecretBox | undefined;
  /** For the start-up log: where the key came from, never the key. */
  from: string;
}

export function loadMasterKeys(config: Pick<Config, 'dataDir' | 'masterKey' | 'previousMasterKey'>): MasterKeys {
  const previous = config.previousMasterKey && new SecretBox(config.previousMasterKey);
  if (config.masterKey) return { secrets: new SecretBox(config.masterKey), previous, from: 'PAYFRAME_MASTER_KEY' };
  const file = join(config.dataDir, KEY_FILE);
  const created = createKeyFile(file);
  return { secrets: new SecretBox(readKeyFile(file)), previous, from: created ? `${file} (created now: back it up with the database)` : file };
}

/** Writes a new key unless the file exists; true when it wrote one. */
function createKeyFile(file: string): boolean {
  let fd: number;
  try {
    // Exclusive: a key that exists is never replaced, even one another process wrote a moment ago.
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${randomBytes(MASTER_KEY_BYTES).toString('hex')}\n`);
    // On disk before any secret is sealed under it: a crash must not lose the key and keep the secrets.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readKeyFile(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const mode = fstatSync(fd).mode & 0o777;
    // Writable by others is as bad as readable: whoever swaps the key can read every secret sealed after.
    if (mode & 0o077) {
      throw new MasterKeyError(`${file} holds the master key but other users have access to it (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
    }
    const key = parseMasterKey(readFileSync(fd, 'utf8'));
    if (!key) {
      throw new MasterKeyError(`${file} is not a master key (64 hex digits, or the base64 of 32 bytes); restore it from the backup taken with the database`);
    }
    return key;
  } finally {
    closeSync(fd);
  }
}

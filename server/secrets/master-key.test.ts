import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterKeys, MasterKeyError } from './master-key';
import { SecretBox } from './secret-box';
import { tempDirPerTest } from '../testing/temp-dir';

describe('loadMasterKeys', () => {
  const tmp = tempDirPerTest('payframe-key-');
  const keyFile = () => tmp.path('master.key');

  /** Whether two boxes hold the same key: one opens what the other sealed. */
  const sameKey = (a: SecretBox, b: SecretBox) => {
    try {
      return b.open(a.seal('probe', 'ctx'), 'ctx') === 'probe';
    } catch {
      return false;
    }
  };

  it('creates DATA_DIR/master.key on the first start, 32 random bytes in hex, mode 0600, and reads the same key after', () => {
    const first = loadMasterKeys({ dataDir: tmp.dir, masterKey: undefined, previousMasterKey: undefined });
    expect(first.from).toBe(`${keyFile()} (created now: back it up with the database)`);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile(), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    const again = loadMasterKeys({ dataDir: tmp.dir, masterKey: undefined, previousMasterKey: undefined });
    expect(again.from).toBe(keyFile());
    expect(sameKey(first.secrets, again.secrets)).toBe(true);
    expect(first.previous).toBeUndefined();
  });

  it('gives each new data directory its own key', () => {
    const other = mkdtempSync(join(tmpdir(), 'payframe-key-'));
    try {
      const a = loadMasterKeys({ dataDir: tmp.dir, masterKey: undefined, previousMasterKey: undefined });
      const b = loadMasterKeys({ dataDir: other, masterKey: undefined, previousMasterKey: undefined });
      expect(sameKey(a.secrets, b.secrets)).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('takes PAYFRAME_MASTER_KEY when set, and then writes no file', () => {
    const key = randomBytes(32);
    const keys = loadMasterKeys({ dataDir: tmp.dir, masterKey: key, previousMasterKey: undefined });
    expect(keys.from).toBe('PAYFRAME_MASTER_KEY');
    expect(sameKey(keys.secrets, new SecretBox(key))).toBe(true);
    expect(existsSync(keyFile())).toBe(false);
  });

  it('passes the previous key of a rotation on', () => {
    const previous = randomBytes(32);
    const keys = loadMasterKeys({ dataDir: tmp.dir, masterKey: randomBytes(32), previousMasterKey: previous });
    expect(sameKey(keys.previous!, new SecretBox(previous))).toBe(true);
  });

  it('reads a key file an operator wrote in base64', () => {
    const key = randomBytes(32);
    writeFileSync(keyFile(), key.toString('base64'), { mode: 0o600 });
    expect(sameKey(loadMasterKeys({ dataDir: tmp.dir, masterKey: undefined, previousMasterKey: undefined }).secrets, new SecretBox(key))).toBe(true);
  });

  it.each([0o640, 0o604, 0o620, 0o644])('refuses a key file other users have access to (mode %o), saying how to fix it', (mode) => {
    const key = randomBytes(32).toString('hex');
    writeFileSync(keyFile(), key, { mode: 0o600 });
    chmodSync(keyFile(), mode);
    const load = () => loadMasterKeys({ dataDir: tmp.dir, masterKey: undefined, previousMasterKey: undefined });
    expect(load).toThrow(MasterKeyError);
    expect(load).toThrow(`${keyFile()} holds the master key but other users have access to it (mode ${mode.toString(8)}); run: chmod 600 ${keyFile()}`);
  });

  it('refuses a key file that exists but holds no key, without printing what it holds', () => {
    const text = `${randomBytes(31).toString('hex')}`;
    writeFileSync(keyFile(), text, { mode: 0o600 });
    let message = '';
    try {
      loadMasterKeys({ dataDir: tmp.dir, masterKey: undefined, previousMasterKey: undefined });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(`${keyFile()} is not a master key (64 hex digits, or the base64 of 32 bytes); restore it from the backup taken with the database`);
    expect(readFileSync(keyFile(), 'utf8')).toBe(text);
  });
});

import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

describe('parseConfig', () => {
  it('gives defaults that work on a laptop', () => {
    expect(parseConfig({})).toEqual({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      publicUrl: 'http://localhost:3000',
      sandbox: true,
      sandboxAutoMineMs: 5000,
      sandboxFinalConfirmations: 3,
      chainsFile: undefined,
    });
  });

  it('turns the sandbox off in production unless SANDBOX asks for it', () => {
    expect(parseConfig({ NODE_ENV: 'production' }).sandbox).toBe(false);
    expect(parseConfig({ NODE_ENV: 'production', SANDBOX: '1' }).sandbox).toBe(true);
    expect(parseConfig({ SANDBOX: '0' }).sandbox).toBe(false);
  });

  it('derives PUBLIC_URL from PORT and strips a trailing slash', () => {
    expect(parseConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(parseConfig({ PUBLIC_URL: 'https://pay.example.com/' }).publicUrl).toBe('https://pay.example.com');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ SANDBOX: 'maybe' }, 'SANDBOX'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ SANDBOX_AUTOMINE_MS: '-1' }, 'SANDBOX_AUTOMINE_MS'],
  ])('names the variable that is wrong: %j', (env, name) => {
    expect(() => parseConfig(env)).toThrow(new RegExp(`^invalid configuration:\\n  ${name}: `));
  });
});

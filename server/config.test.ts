import { describe, expect, it } from 'vitest';
import { parseConfig, publicUrlOn } from './config';

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
      webhookAllowPrivateTargets: true,
      webhookScheduleMs: undefined,
    });
  });

  it('allows private webhook targets exactly while the sandbox is on, unless WEBHOOK_ALLOW_PRIVATE_TARGETS says otherwise', () => {
    expect(parseConfig({ NODE_ENV: 'production' }).webhookAllowPrivateTargets).toBe(false);
    expect(parseConfig({ SANDBOX: '0' }).webhookAllowPrivateTargets).toBe(false);
    expect(parseConfig({ NODE_ENV: 'production', SANDBOX: '1' }).webhookAllowPrivateTargets).toBe(true);
    expect(parseConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: '0' }).webhookAllowPrivateTargets).toBe(false);
    expect(parseConfig({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: '1' }).webhookAllowPrivateTargets).toBe(true);
  });

  it('reads WEBHOOK_SCHEDULE_MS as a list of milliseconds', () => {
    expect(parseConfig({ WEBHOOK_SCHEDULE_MS: '200,400,800' }).webhookScheduleMs).toEqual([200, 400, 800]);
    expect(parseConfig({ WEBHOOK_SCHEDULE_MS: '' }).webhookScheduleMs).toBeUndefined();
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

  it('names the port bound in a public URL on port 0, the default one with PORT=0 included', () => {
    expect(publicUrlOn(parseConfig({ PORT: '0' }).publicUrl, 41234)).toBe('http://localhost:41234');
    expect(publicUrlOn('http://127.0.0.1:0', 41234)).toBe('http://127.0.0.1:41234');
    expect(publicUrlOn('https://pay.example.com:0/base', 41234)).toBe('https://pay.example.com:41234/base');
    expect(publicUrlOn(parseConfig({ PORT: '0', PUBLIC_URL: 'https://pay.example.com/' }).publicUrl, 41234)).toBe('https://pay.example.com');
    expect(publicUrlOn(parseConfig({ PORT: '3000' }).publicUrl, 3000)).toBe('http://localhost:3000');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ SANDBOX: 'maybe' }, 'SANDBOX'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ SANDBOX_AUTOMINE_MS: '-1' }, 'SANDBOX_AUTOMINE_MS'],
    [{ SANDBOX_AUTOMINE_MS: '2147483648' }, 'SANDBOX_AUTOMINE_MS'],
    [{ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE_TARGETS'],
    [{ WEBHOOK_SCHEDULE_MS: '30s,60s' }, 'WEBHOOK_SCHEDULE_MS'],
  ])('names the variable that is wrong: %j', (env, name) => {
    expect(() => parseConfig(env)).toThrow(new RegExp(`^invalid configuration:\\n  ${name}: `));
  });
});

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
      limits: { perIp: 200, perKey: 100, failedSignaturesPerMinute: 20, streamsPerIp: 50, streamsPerInvoice: 20, trustProxy: 0, widgetChoicesPerMinute: 30 },
      replayProtection: true,
      rates: {
        sources: ['fixed'],
        fixed: { ETH_USD: '3000', USDT_USD: '1', USDC_USD: '1', BNB_USD: '600', MATIC_USD: '0.5', BTC_USD: '60000', LTC_USD: '80', ETH_EUR: '2800', USDT_EUR: '0.93', USDC_EUR: '0.93', BTC_EUR: '56000', LTC_EUR: '75' },
        timeoutMs: 3000,
        cacheMs: 60_000,
        maxAgeMs: 300_000,
      },
      quoteLockMs: 900_000,
      masterKey: undefined,
      previousMasterKey: undefined,
    });
  });

  it('quotes from the price APIs in production, and from the fixed table while the sandbox is on', () => {
    expect(parseConfig({ NODE_ENV: 'production' }).rates.sources).toEqual(['coingecko', 'kraken', 'coinbase']);
    expect(parseConfig({ NODE_ENV: 'production', SANDBOX: '1' }).rates.sources).toEqual(['fixed']);
    expect(parseConfig({ RATE_SOURCES: 'kraken, coinbase' }).rates.sources).toEqual(['kraken', 'coinbase']);
    expect(parseConfig({ RATES_FIXED: 'ETH_USD=3100.50,USDT_USD=1.0002' }).rates.fixed).toEqual({ ETH_USD: '3100.5', USDT_USD: '1.0002' });
  });

  it('refuses a rate that is not a positive decimal, naming its pair', () => {
    expect(() => parseConfig({ RATES_FIXED: 'ETH_USD=abc' })).toThrow('ETH_USD: the rate must be a positive decimal string');
  });

  it('reads PAYFRAME_MASTER_KEY as 64 hex digits or the base64 of 32 bytes', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7));
    expect(parseConfig({ PAYFRAME_MASTER_KEY: key.toString('hex') }).masterKey).toEqual(key);
    expect(parseConfig({ PAYFRAME_MASTER_KEY: key.toString('base64') }).masterKey).toEqual(key);
    expect(parseConfig({ PAYFRAME_MASTER_KEY: key.toString('base64url') }).masterKey).toEqual(key);
    expect(parseConfig({ PAYFRAME_PREVIOUS_MASTER_KEY: `${key.toString('hex')}\n` }).previousMasterKey).toEqual(key);
  });

  it('refuses any other PAYFRAME_MASTER_KEY, naming the variable and never echoing the value', () => {
    const wrong = ['', 'correct horse battery staple', 'ab'.repeat(31), 'ab'.repeat(33), `${'ab'.repeat(31)}zz`, Buffer.alloc(31, 5).toString('base64'), Buffer.alloc(48, 5).toString('base64')];
    for (const value of wrong) {
      let message = '';
      try {
        parseConfig({ PAYFRAME_MASTER_KEY: value });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/must be 64 hex digits or the base64 of 32 bytes.*\n  → at PAYFRAME_MASTER_KEY/);
      if (value) expect(message).not.toContain(value);
    }
    expect(() => parseConfig({ PAYFRAME_PREVIOUS_MASTER_KEY: 'x' })).toThrow(/must be .*\n  → at PAYFRAME_PREVIOUS_MASTER_KEY/);
  });

  it('keeps the data in PostgreSQL with DATABASE_URL, and refuses another URL without echoing it (it may hold a password)', () => {
    expect(parseConfig({}).databaseUrl).toBeUndefined();
    expect(parseConfig({ DATABASE_URL: 'postgres://payframe:pw@db:5432/payframe' }).databaseUrl).toBe('postgres://payframe:pw@db:5432/payframe');
    expect(parseConfig({ DATABASE_URL: 'postgresql://db/payframe' }).databaseUrl).toBe('postgresql://db/payframe');
    for (const value of ['mysql://root:secret-pw@db/payframe', 'secret-pw', 'postgres://']) {
      expect(() => parseConfig({ DATABASE_URL: value })).toThrow(/must be a PostgreSQL URL.*\n  → at DATABASE_URL/);
      expect(() => parseConfig({ DATABASE_URL: value })).not.toThrow(/secret-pw/);
    }
  });

  it('reads the abuse limits, and refuses replay protection off in production', () => {
    expect(parseConfig({ RATE_LIMIT_PER_KEY: '5', SSE_MAX_PER_INVOICE: '2', TRUST_PROXY: '1' }).limits).toMatchObject({ perKey: 5, streamsPerInvoice: 2, trustProxy: 1 });
    expect(() => parseConfig({ RATE_LIMIT_PER_IP: '0' })).toThrow(/RATE_LIMIT_PER_IP/);
    expect(parseConfig({ REPLAY_PROTECTION: 'off' }).replayProtection).toBe(false);
    expect(() => parseConfig({ NODE_ENV: 'production', REPLAY_PROTECTION: 'off' })).toThrow(/REPLAY_PROTECTION: cannot be off in production/);
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
    [{ RATE_SOURCES: 'kraken,binance' }, 'RATE_SOURCES'],
    [{ RATE_SOURCES: ',' }, 'RATE_SOURCES'],
    [{ RATES_FIXED: 'ETH_USD:3000' }, 'RATES_FIXED'],
    [{ QUOTE_LOCK_MS: '999' }, 'QUOTE_LOCK_MS'],
  ])('names the variable that is wrong: %j', (env, name) => {
    expect(() => parseConfig(env)).toThrow(new RegExp(`^invalid configuration:\\n✖ .*\\n  → at ${name}(\\[\\d+\\])?$`));
  });
});

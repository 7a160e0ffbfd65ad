/**
 * Configuration: the environment, parsed by one schema. Every variable has a
 * default that works on a laptop; a wrong one stops the start with its name.
 */
import { z } from 'zod';
import { DEFAULT_LIMITS, type Limits } from './http/rate-limit';
import { DEFAULT_FIXED_RATES, parseRateTable } from './rates/fixed';
import { RATE_SOURCE_IDS } from './rates/rates';
import { parseMasterKey } from './secrets/secret-box';

const flag = z
  .enum(['0', '1', 'true', 'false', 'on', 'off', ''])
  .transform((v) => (v === '' ? undefined : ['1', 'true', 'on'].includes(v)));

// The message never repeats the value: it is a key, or close to one.
const masterKey = z.string().transform((text, ctx) => {
  const key = parseMasterKey(text);
  if (!key) ctx.addIssue({ code: 'custom', message: 'must be 64 hex digits or the base64 of 32 bytes (e.g. from: openssl rand -hex 32)' });
  return key ?? z.NEVER;
});

const positive = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

const rateSources = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s !== ''))
  .pipe(z.array(z.enum(RATE_SOURCE_IDS, { error: `each must be one of ${RATE_SOURCE_IDS.join(', ')}` })).min(1, 'must name at least one source'));

// ETH_USD=3000,USDT_USD=1.0002
const fixedRates = z.string().transform((v, ctx) => {
  const entries = v.split(',').filter((e) => e.trim() !== '').map((e) => e.trim().split('='));
  if (entries.some((e) => e.length !== 2)) {
    ctx.addIssue({ code: 'custom', message: 'must be PAIR=RATE pairs separated by commas, e.g. ETH_USD=3000,USDT_USD=1.0002' });
    return z.NEVER;
  }
  const table = parseRateTable(Object.fromEntries(entries));
  if (!table.ok) ctx.addIssue({ code: 'custom', message: table.reason });
  return table.ok ? table.rates : z.NEVER;
});

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // 0: any free port (tests, benchmarks); the one bound is printed at start.
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  // The message never repeats the value: the URL may hold a password.
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a PostgreSQL URL, postgres://user:password@host:5432/database (unset: SQLite under DATA_DIR)')
    .optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SANDBOX: flag.optional(),
  SANDBOX_AUTOMINE_MS: z.coerce.number().int().min(0).max(2_147_483_647, 'must be at most 2147483647 (the longest timer Node keeps)').default(5000),
  SANDBOX_FINAL_CONFIRMATIONS: z.coerce.number().int().min(1).max(100).default(3),
  CHAINS_FILE: z.string().min(1).optional(),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: flag.optional(),
  WEBHOOK_SCHEDULE_MS: z
    .string()
    .regex(/^(\d{1,10}(,\d{1,10}){0,99})?$/, 'must be a comma-separated list of milliseconds, e.g. 200,400,800')
    .transform((v) => (v === '' ? undefined : v.split(',').map(Number)))
    .optional(),
  RATE_LIMIT_PER_IP: positive(DEFAULT_LIMITS.perIp),
  RATE_LIMIT_PER_KEY: positive(DEFAULT_LIMITS.perKey),
  RATE_LIMIT_FAILED_SIGNATURES: positive(DEFAULT_LIMITS.failedSignaturesPerMinute),
  SSE_MAX_PER_IP: positive(DEFAULT_LIMITS.streamsPerIp),
  SSE_MAX_PER_INVOICE: positive(DEFAULT_LIMITS.streamsPerInvoice),
  RATE_LIMIT_WIDGET_CHOICES: positive(DEFAULT_LIMITS.widgetChoicesPerMinute),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(DEFAULT_LIMITS.trustProxy),
  REPLAY_PROTECTION: flag.optional(),
  RATE_SOURCES: rateSources.optional(),
  RATES_FIXED: fixedRates.optional(),
  RATE_TIMEOUT_MS: positive(3000),
  RATE_CACHE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  RATE_MAX_AGE_MS: positive(5 * 60_000),
  // Below a minute only for tests and demos that show a re-quote.
  QUOTE_LOCK_MS: z.coerce.number().int().min(1000, 'must be at least 1000 (a second)').max(86_400_000).default(15 * 60_000),
  PAYFRAME_MASTER_KEY: masterKey.optional(),
  PAYFRAME_PREVIOUS_MASTER_KEY: masterKey.optional(),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL, shared by every instance; undefined: the SQLite file DATA_DIR/payframe.db. */
  databaseUrl: string | undefined;
  publicUrl: string;
  sandbox: boolean;
  sandboxAutoMineMs: number;
  sandboxFinalConfirmations: number;
  /** Path of the JSON list of EVM chains to watch; none: only the sandbox. */
  chainsFile: string | undefined;
  /** Lets webhooks go to loopback, private and link-local addresses. */
  webhookAllowPrivateTargets: boolean;
  /** Replaces Calypso's retry waits (for tests); undefined: Calypso's. */
  webhookScheduleMs: number[] | undefined;
  limits: Limits;
  /** Refuse a signed request sent again (on unless REPLAY_PROTECTION=off, which production refuses). */
  replayProtection: boolean;
  /** Where rates come from, in order, and how long an answer is kept and trusted. */
  rates: { sources: string[]; fixed: Record<string, string>; timeoutMs: number; cacheMs: number; maxAgeMs: number };
  /** How long a fiat invoice's quote holds before it is quoted again. */
  quoteLockMs: number;
  /** The key sealing secrets at rest; undefined: the one in DATA_DIR/master.key (secrets/master-key.ts). */
  masterKey: Buffer | undefined;
  /** The key being retired: secrets still sealed under it are sealed again under masterKey at start. */
  previousMasterKey: Buffer | undefined;
};

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new Error(`invalid configuration:\n${z.prettifyError(result.error)}`);
  }
  const e = result.data;
  if (e.REPLAY_PROTECTION === false && e.NODE_ENV === 'production') {
    throw new Error('invalid configuration:\n  REPLAY_PROTECTION: cannot be off in production (a captured request could be replayed); it exists for benchmarks');
  }
  const sandbox = e.SANDBOX ?? e.NODE_ENV !== 'production';
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    // The sandbox mints fake payments: never on in production unless asked for by name.
    sandbox,
    sandboxAutoMineMs: e.SANDBOX_AUTOMINE_MS,
    sandboxFinalConfirmations: e.SANDBOX_FINAL_CONFIRMATIONS,
    chainsFile: e.CHAINS_FILE,
    // On exactly when the sandbox is (same default): the demo and tests use local receivers; in production a webhook URL must be public.
    webhookAllowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? e.SANDBOX ?? e.NODE_ENV !== 'production',
    webhookScheduleMs: e.WEBHOOK_SCHEDULE_MS,
    limits: {
      perIp: e.RATE_LIMIT_PER_IP,
      perKey: e.RATE_LIMIT_PER_KEY,
      failedSignaturesPerMinute: e.RATE_LIMIT_FAILED_SIGNATURES,
      streamsPerIp: e.SSE_MAX_PER_IP,
      streamsPerInvoice: e.SSE_MAX_PER_INVOICE,
      trustProxy: e.TRUST_PROXY,
      widgetChoicesPerMinute: e.RATE_LIMIT_WIDGET_CHOICES,
    },
    replayProtection: e.REPLAY_PROTECTION ?? true,
    rates: {
      // The sandbox has no network to ask, and its demo moves the rate by hand (POST /api/sandbox/rates).
      sources: e.RATE_SOURCES ?? (sandbox ? ['fixed'] : ['coingecko', 'kraken', 'coinbase']),
      fixed: e.RATES_FIXED ?? { ...DEFAULT_FIXED_RATES },
      timeoutMs: e.RATE_TIMEOUT_MS,
      cacheMs: e.RATE_CACHE_MS,
      maxAgeMs: e.RATE_MAX_AGE_MS,
    },
    quoteLockMs: e.QUOTE_LOCK_MS,
    masterKey: e.PAYFRAME_MASTER_KEY,
    previousMasterKey: e.PAYFRAME_PREVIOUS_MASTER_KEY,
  };
}

/**
 * The base of pay links once listening. With PORT=0 the system picks the port,
 * so a public URL on port 0 — the default one then is — names the port bound.
 */
export function publicUrlOn(publicUrl: string, boundPort: number): string {
  const url = new URL(publicUrl);
  if (url.port !== '0') return publicUrl;
  url.port = String(boundPort);
  return url.href.replace(/\/$/, '');
}

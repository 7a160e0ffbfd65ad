/**
 * Configuration: the environment, parsed by one schema. Every variable has a
 * default that works on a laptop; a wrong one stops the start with its name.
 */
import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', 'on', 'off', ''])
  .transform((v) => (v === '' ? undefined : ['1', 'true', 'on'].includes(v)));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // 0: any free port (tests, benchmarks); the one bound is printed at start.
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
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
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
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
};

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = result.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    // The sandbox mints fake payments: never on in production unless asked for by name.
    sandbox: e.SANDBOX ?? e.NODE_ENV !== 'production',
    sandboxAutoMineMs: e.SANDBOX_AUTOMINE_MS,
    sandboxFinalConfirmations: e.SANDBOX_FINAL_CONFIRMATIONS,
    chainsFile: e.CHAINS_FILE,
    // On exactly when the sandbox is (same default): the demo and tests use local receivers; in production a webhook URL must be public.
    webhookAllowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? e.SANDBOX ?? e.NODE_ENV !== 'production',
    webhookScheduleMs: e.WEBHOOK_SCHEDULE_MS,
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

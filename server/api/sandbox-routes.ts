/** Sandbox controls. Mounted only while the sandbox is on. */
import { Hono } from 'hono';
import { bodyLimit } from '../http/body-limit';
import { z } from 'zod';
import type { SandboxChain } from '../chains/sandbox';
import { ApiError } from '../http/errors';
import { parseAmount } from '../money/amount';
import type { CurrencyTable } from '../money/currencies';
import { parseRateTable } from '../rates/fixed';
import type { Rates } from '../rates/rates';
import { parseOrThrow } from './validation';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be 0x followed by 40 hex digits');
/** Sandbox BTC and LTC invoices have bech32 addresses (bcrt1…, rltc1…), in either case (BIP-173). */
const bech32Address = z.string().regex(/^(?:[a-z]{1,83}1[02-9ac-hj-np-z]{6,87}|[A-Z]{1,83}1[02-9AC-HJ-NP-Z]{6,87})$/, 'must be 0x followed by 40 hex digits, or a bech32 address (bcrt1…)');
const paySchema = z.object({ address: z.union([address, bech32Address], { error: 'must be 0x followed by 40 hex digits, or a bech32 address (bcrt1…)' }), currency: z.string().max(32), amount: z.string().max(64), from: address.optional() });
const mineSchema = z.object({ blocks: z.number().int().min(1).max(100).optional() });
const ratesSchema = z.object({ rates: z.record(z.string().max(32), z.string().max(64)).refine((r) => Object.keys(r).length <= 100, 'at most 100 pairs') });
const reorgSchema = z.object({ depth: z.number().int().min(1).max(100), drop: z.union([z.literal('all'), z.array(z.string().max(80)).max(1000)]).optional() });

const MAX_BODY_BYTES = 16 * 1024;

/** An empty body means "all defaults"; anything else must be JSON. */
async function jsonBody(req: { text(): Promise<string> }): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('INVALID_JSON', 'the body is not valid JSON');
  }
}

export function sandboxRoutes(sandbox: SandboxChain, currencies: CurrencyTable, rates: Rates) {
  return new Hono()
    // Counts the bytes as they stream in, chunked bodies too, rather than trusting content-length.
    .use(
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: () => {
          throw new ApiError('PAYLOAD_TOO_LARGE', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
        },
      }),
    )
    .post('/payments', async (c) => {
      const p = parseOrThrow(paySchema, await jsonBody(c.req), '');
      const currency = currencies.find(p.currency);
      if (!currency) throw new ApiError('UNSUPPORTED_CURRENCY', `currency: "${p.currency}" is not a supported currency`);
      const amount = parseAmount({ text: p.amount, isNumber: false }, currency.decimals, currency.decimals);
      if (!amount.ok) throw new ApiError('VALIDATION_FAILED', `amount ${amount.reason}`);
      const txHash = await sandbox.pay({ to: p.address, currency: currency.code, amount: amount.units, from: p.from });
      return c.json({ txHash });
    })
    .post('/mine', async (c) => {
      const p = parseOrThrow(mineSchema, await jsonBody(c.req), '');
      const tip = await sandbox.mine(p.blocks ?? 1);
      return c.json({ height: tip.number, hash: tip.hash });
    })
    // Moves the fixed table's rates: quotes already made keep theirs until they expire.
    .post('/rates', async (c) => {
      const p = parseOrThrow(ratesSchema, await jsonBody(c.req), '');
      const table = parseRateTable(p.rates);
      if (!table.ok) throw new ApiError('VALIDATION_FAILED', `rates.${table.reason}`);
      if (!rates.fixed) throw new ApiError('INVALID_STATE', 'RATE_SOURCES does not list "fixed", so its rates are not used; add it to move rates by hand');
      return c.json({ rates: rates.fixed.set(table.rates) });
    })
    .post('/reorg', async (c) => {
      const p = parseOrThrow(reorgSchema, await jsonBody(c.req), '');
      const tip = await sandbox.reorg(p.depth, p.drop ?? []);
      return c.json({ height: tip.number, hash: tip.hash });
    });
}

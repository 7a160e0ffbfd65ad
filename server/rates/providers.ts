/**
 * The public price APIs, each read as its documentation describes it:
 * - CoinGecko `GET /api/v3/simple/price?ids=ethereum&vs_currencies=usd&include_last_updated_at=true`
 *   → `{"ethereum":{"usd":3000.12,"last_updated_at":1732449600}}`; errors
 *   `{"status":{"error_code":429,"error_message":"…"}}` or `{"error":"…"}`
 *   (docs.coingecko.com, Errors & Rate Limits).
 * - Kraken `GET /0/public/Ticker?pair=ETHUSD` → `{"error":[],"result":{"XETHZUSD":{"c":["3000.10000","0.1"],…}}}`,
 *   keyed by Kraken's own pair name; errors in `error` (`["EQuery:Unknown asset pair"]`), often with HTTP 200.
 * - Coinbase `GET /v2/prices/ETH-USD/spot` → `{"data":{"amount":"3000.12","base":"ETH","currency":"USD"}}`;
 *   errors `{"errors":[{"id":"not_found","message":"…"}]}`.
 * CoinGecko writes prices as JSON numbers: they are read as their source
 * text (contract/lossless-json.ts), never through a float.
 */
import { z } from 'zod';
import { parseJsonKeepingNumbers } from '../../contract/lossless-json';
import { RateError, type Pair } from './rate-source';
import { providerSays, type Provider } from './remote-source';

function json(status: number, body: string, exactKeys: ReadonlySet<string> = new Set()): unknown {
  try {
    return parseJsonKeepingNumbers(body, exactKeys, 'text');
  } catch {
    throw new RateError(`HTTP ${status} with an answer that is not JSON`);
  }
}

function shaped<T>(schema: z.ZodType<T>, value: unknown, status: number, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RateError(`HTTP ${status} without ${what}`);
  return parsed.data;
}

/** CoinGecko's coin ids (its /coins/list) for the assets Payframe's currency table has. */
const COINGECKO_IDS: Readonly<Record<string, string>> = {
  BTC: 'bitcoin',
  ETH: 'ethereum',
  USDT: 'tether',
  USDC: 'usd-coin',
  BNB: 'binancecoin',
  MATIC: 'matic-network',
  LTC: 'litecoin',
};

const coingeckoError = z.object({
  status: z.object({ error_message: z.string() }).optional(),
  error: z.union([z.string(), z.object({ status: z.object({ error_message: z.string() }) })]).optional(),
});

export const coingecko: Provider = {
  id: 'coingecko',
  defaultBaseUrl: 'https://api.coingecko.com',
  path(pair) {
    const id = COINGECKO_IDS[pair.base];
    if (!id) throw new RateError(`no CoinGecko id for ${pair.base}`);
    return `/api/v3/simple/price?ids=${id}&vs_currencies=${pair.quote.toLowerCase()}&include_last_updated_at=true&precision=full`;
  },
  read(status, body, pair) {
    const vs = pair.quote.toLowerCase();
    const value = json(status, body, new Set([vs]));
    if (status !== 200) {
      const e = coingeckoError.safeParse(value);
      const message = e.success ? (e.data.status?.error_message ?? (typeof e.data.error === 'string' ? e.data.error : e.data.error?.status.error_message)) : undefined;
      throw providerSays(status, message);
    }
    const id = COINGECKO_IDS[pair.base]!;
    const answer = shaped(
      z.object({ [id]: z.object({ [vs]: z.string(), last_updated_at: z.number().int().positive().optional() }) }),
      value,
      status,
      `a price of ${id} in ${vs}`,
    );
    const price = answer[id]!;
    return { rate: price[vs] as string, at: typeof price.last_updated_at === 'number' ? price.last_updated_at * 1000 : undefined };
  },
};

/** Kraken calls bitcoin XBT. */
const krakenAsset = (asset: string) => (asset === 'BTC' ? 'XBT' : asset);

const krakenAnswer = z.object({
  error: z.array(z.string()),
  result: z.record(z.string(), z.object({ c: z.tuple([z.string(), z.string()]).rest(z.string()) })).optional(),
});

export const kraken: Provider = {
  id: 'kraken',
  defaultBaseUrl: 'https://api.kraken.com',
  path: (pair) => `/0/public/Ticker?pair=${krakenAsset(pair.base)}${pair.quote}`,
  read(status, body) {
    const answer = shaped(krakenAnswer, json(status, body), status, "Kraken's {error, result}");
    if (answer.error.length > 0 || status !== 200) throw providerSays(status, answer.error.join('; '));
    // Keyed by Kraken's own name for the pair (XETHZUSD for ETHUSD): the one entry, whatever its key.
    const tickers = Object.values(answer.result ?? {});
    if (tickers.length !== 1) throw new RateError(`HTTP ${status} with ${tickers.length} tickers for one pair`);
    // c: the last trade closed, [price, lot volume].
    return { rate: tickers[0]!.c[0] };
  },
};

const coinbaseAnswer = z.object({ data: z.object({ amount: z.string(), base: z.string().optional(), currency: z.string().optional() }) });
const coinbaseError = z.object({ errors: z.array(z.object({ id: z.string().optional(), message: z.string() })).min(1) });

export const coinbase: Provider = {
  id: 'coinbase',
  defaultBaseUrl: 'https://api.coinbase.com',
  path: (pair) => `/v2/prices/${pair.base}-${pair.quote}/spot`,
  read(status, body, pair: Pair) {
    const value = json(status, body);
    if (status !== 200) {
      const e = coinbaseError.safeParse(value);
      throw providerSays(status, e.success ? e.data.errors.map((x) => x.message).join('; ') : undefined);
    }
    const { data } = shaped(coinbaseAnswer, value, status, 'data.amount');
    if ((data.base !== undefined && data.base !== pair.base) || (data.currency !== undefined && data.currency !== pair.quote)) {
      throw new RateError(`HTTP ${status} with the price of ${data.base}-${data.currency}, not ${pair.base}-${pair.quote}`);
    }
    return { rate: data.amount };
  },
};

export const PROVIDERS: readonly Provider[] = [coingecko, kraken, coinbase];

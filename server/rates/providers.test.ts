/**
 * Each price API adapter against a local HTTP server that answers in the
 * provider's documented format (see providers.ts): good answers, its error
 * bodies, a timeout, garbage; and the cache and staleness limit around them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/harness';
import { startReceiver, type Receiver, type Responder } from '../webhooks/test-receiver';
import { coinbase, coingecko, kraken } from './providers';
import { RateError, type Pair } from './rate-source';
import { RemoteRates, type Provider } from './remote-source';

const ETH_USD: Pair = { base: 'ETH', quote: 'USD' };
/** Long enough for any answer of the local server on a loaded machine; short, for the tests of a server that never answers. */
const TIMEOUT_MS = 30_000;
const HANG_TIMEOUT_MS = 300;
const CACHE_MS = 60_000;
const MAX_AGE_MS = 5 * 60_000;

let server: Receiver;
let clock: FakeClock;

beforeEach(async () => {
  server = await startReceiver();
  clock = new FakeClock();
});
afterEach(() => server.close());

const jsonAnswer = (status: number, body: string): Responder => () => ({ status, body, headers: { 'content-type': 'application/json' } });

function source(provider: Provider, timeoutMs = TIMEOUT_MS) {
  return new RemoteRates(provider, { clock, timeoutMs, cacheMs: CACHE_MS, maxAgeMs: MAX_AGE_MS, baseUrl: `http://127.0.0.1:${server.port}` });
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RateError);
  return (err as RateError).message;
}

const nowSeconds = () => Math.floor(clock.now() / 1000);

describe('coingecko', () => {
  it('reads /simple/price exactly, from the JSON number text, with its last_updated_at', async () => {
    server.respond = () => ({ status: 200, body: `{"ethereum":{"usd":3012.123456789012345,"last_updated_at":${nowSeconds() - 30}}}` });
    expect(await source(coingecko).rate(ETH_USD)).toEqual({ rate: '3012.123456789012345', fetchedAt: (nowSeconds() - 30) * 1000 });
    expect(server.received[0]!.path).toBe('/api/v3/simple/price?ids=ethereum&vs_currencies=usd&include_last_updated_at=true&precision=full');
  });

  it('reads a price written with an exponent', async () => {
    server.respond = jsonAnswer(200, '{"tether":{"usd":9.998e-1}}');
    expect((await source(coingecko).rate({ base: 'USDT', quote: 'USD' })).rate).toBe('0.9998');
  });

  it('refuses a price whose last_updated_at is older than the staleness limit', async () => {
    server.respond = jsonAnswer(200, `{"ethereum":{"usd":3000,"last_updated_at":${nowSeconds() - 600}}}`);
    expect(await failure(source(coingecko).rate(ETH_USD))).toMatch(/older than the 300 s/);
  });

  it('repeats the error_message of a 429', async () => {
    server.respond = jsonAnswer(429, '{"status":{"error_code":429,"error_message":"You\'ve exceeded the Rate Limit."}}');
    expect(await failure(source(coingecko).rate(ETH_USD))).toBe("HTTP 429: You've exceeded the Rate Limit.");
  });

  it('repeats a flat {"error"} body', async () => {
    server.respond = jsonAnswer(400, '{"error":"invalid vs_currency"}');
    expect(await failure(source(coingecko).rate(ETH_USD))).toBe('HTTP 400: invalid vs_currency');
  });

  it('has no rate when the answer lacks the pair', async () => {
    server.respond = jsonAnswer(200, '{}');
    expect(await failure(source(coingecko).rate(ETH_USD))).toBe('HTTP 200 without a price of ethereum in usd');
  });

  it.each(['<html>Bad gateway</html>', '{"ethereum":{"usd":"3000"', '{"ethereum":{"usd":-3000}}', '{"ethereum":{"usd":0}}'])('has no rate from the garbage %j', async (body) => {
    server.respond = jsonAnswer(200, body);
    expect(await failure(source(coingecko).rate(ETH_USD))).toMatch(/^HTTP 200 (with an answer that is not JSON|without a price|with a rate that is not a positive decimal)/);
  });
});

describe('kraken', () => {
  it('reads the last trade price of the one ticker, whatever Kraken names the pair', async () => {
    server.respond = jsonAnswer(
      200,
      '{"error":[],"result":{"XETHZUSD":{"a":["3001.00000","1","1.000"],"b":["3000.50000","2","2.000"],"c":["3000.90000","0.05000000"],"v":["1","2"],"p":["1","2"],"t":[1,2],"l":["1","2"],"h":["1","2"],"o":"2990.00"}}}',
    );
    expect(await source(kraken).rate(ETH_USD)).toEqual({ rate: '3000.9', fetchedAt: clock.now() });
    expect(server.received[0]!.path).toBe('/0/public/Ticker?pair=ETHUSD');
  });

  it('asks for bitcoin as XBT', async () => {
    server.respond = jsonAnswer(200, '{"error":[],"result":{"XXBTZUSD":{"c":["95000.1","0.1"]}}}');
    expect((await source(kraken).rate({ base: 'BTC', quote: 'USD' })).rate).toBe('95000.1');
    expect(server.received[0]!.path).toBe('/0/public/Ticker?pair=XBTUSD');
  });

  it('repeats the error array Kraken answers with HTTP 200', async () => {
    server.respond = jsonAnswer(200, '{"error":["EQuery:Unknown asset pair"]}');
    expect(await failure(source(kraken).rate(ETH_USD))).toBe('HTTP 200: EQuery:Unknown asset pair');
  });

  it('has no rate from a body that is not its {error, result}', async () => {
    server.respond = jsonAnswer(200, '{"result":{"XETHZUSD":{"c":[3000]}}}');
    expect(await failure(source(kraken).rate(ETH_USD))).toBe("HTTP 200 without Kraken's {error, result}");
  });

  it('has no rate when the request times out', async () => {
    server.respond = () => 'hang';
    expect(await failure(source(kraken, HANG_TIMEOUT_MS).rate(ETH_USD))).toBe(`no answer within ${HANG_TIMEOUT_MS} ms`);
  });
});

describe('coinbase', () => {
  it('reads the spot price of the pair', async () => {
    server.respond = jsonAnswer(200, '{"data":{"amount":"3000.12","base":"ETH","currency":"USD"}}');
    expect(await source(coinbase).rate(ETH_USD)).toEqual({ rate: '3000.12', fetchedAt: clock.now() });
    expect(server.received[0]!.path).toBe('/v2/prices/ETH-USD/spot');
  });

  it('repeats the errors[].message of a 404', async () => {
    server.respond = jsonAnswer(404, '{"errors":[{"id":"not_found","message":"Invalid currency"}]}');
    expect(await failure(source(coinbase).rate(ETH_USD))).toBe('HTTP 404: Invalid currency');
  });

  it('refuses the price of another pair than it asked for', async () => {
    server.respond = jsonAnswer(200, '{"data":{"amount":"95000","base":"BTC","currency":"USD"}}');
    expect(await failure(source(coinbase).rate(ETH_USD))).toMatch(/price of BTC-USD, not ETH-USD/);
  });

  it('says only the status of a 5xx without a body it knows', async () => {
    server.respond = jsonAnswer(503, '');
    expect(await failure(source(coinbase).rate(ETH_USD))).toBe('HTTP 503 with an answer that is not JSON');
  });
});

describe.each([coingecko, kraken, coinbase])('$id, like every adapter,', (provider) => {
  it('has no rate when the provider does not answer within the timeout', async () => {
    server.respond = () => 'hang';
    expect(await failure(source(provider, HANG_TIMEOUT_MS).rate(ETH_USD))).toBe(`no answer within ${HANG_TIMEOUT_MS} ms`);
  });

  it.each(['', 'garbage', '<html><body>502 Bad Gateway</body></html>', '{"truncated":', '[]', 'null'])('has no rate from the malformed body %j', async (body) => {
    server.respond = jsonAnswer(200, body);
    expect(await failure(source(provider).rate(ETH_USD))).toMatch(/^HTTP 200 (with an answer that is not JSON|without )/);
  });
});

describe('RemoteRates cache and staleness', () => {
  it('answers from its cache within the cache time, without asking again', async () => {
    server.respond = jsonAnswer(200, '{"data":{"amount":"3000","base":"ETH","currency":"USD"}}');
    const rates = source(coinbase);
    await rates.rate(ETH_USD);
    clock.advance(CACHE_MS - 1);
    expect((await rates.rate(ETH_USD)).rate).toBe('3000');
    expect(server.received).toHaveLength(1);
    server.respond = jsonAnswer(200, '{"data":{"amount":"3100","base":"ETH","currency":"USD"}}');
    clock.advance(1);
    expect((await rates.rate(ETH_USD)).rate).toBe('3100');
    expect(server.received).toHaveLength(2);
  });

  it('falls back on its cached rate while the provider fails, until the rate passes the staleness limit', async () => {
    server.respond = jsonAnswer(200, '{"data":{"amount":"3000","base":"ETH","currency":"USD"}}');
    const rates = source(coinbase);
    const first = await rates.rate(ETH_USD);
    server.respond = jsonAnswer(500, '{"errors":[{"id":"internal_server_error","message":"Internal server error"}]}');
    clock.advance(CACHE_MS);
    expect(await rates.rate(ETH_USD)).toEqual(first);
    clock.advance(MAX_AGE_MS - CACHE_MS + 1);
    expect(await failure(rates.rate(ETH_USD))).toMatch(/^HTTP 500: Internal server error, and its last rate \(.*\) is too old to quote$/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error';
import { FakeClock } from '../testing/harness';
import { startReceiver, type Receiver } from '../webhooks/test-receiver';
import { parseRateTable } from './fixed';
import { createRates, type RatesConfig } from './rates';

const ETH_USD = { base: 'ETH', quote: 'USD' };
let kraken: Receiver;
let coinbase: Receiver;
let clock: FakeClock;

beforeEach(async () => {
  [kraken, coinbase] = await Promise.all([startReceiver(), startReceiver()]);
  clock = new FakeClock();
});
afterEach(() => Promise.all([kraken.close(), coinbase.close()]));

/** A timeout no answer of a local server reaches on a loaded machine; one that never answers ('hang') still runs into it. */
const config = (sources: string[], timeoutMs = 30_000): RatesConfig => ({
  sources,
  fixed: { ETH_USD: '3000' },
  timeoutMs,
  cacheMs: 0,
  maxAgeMs: 60_000,
  baseUrls: { kraken: `http://127.0.0.1:${kraken.port}`, coinbase: `http://127.0.0.1:${coinbase.port}` },
});

describe('createRates', () => {
  it('asks the sources in the order of RATE_SOURCES and answers with the first rate, naming its source', async () => {
    kraken.respond = () => ({ status: 200, body: '{"error":[],"result":{"XETHZUSD":{"c":["3001.5","1"]}}}' });
    coinbase.respond = () => ({ status: 200, body: '{"data":{"amount":"2999","base":"ETH","currency":"USD"}}' });
    const rates = createRates(config(['kraken', 'coinbase']), clock);
    expect(await rates.rate(ETH_USD)).toEqual({ rate: '3001.5', source: 'kraken', fetchedAt: clock.now() });
    expect(coinbase.received).toHaveLength(0);
  });

  it('falls back to the next source when one fails', async () => {
    kraken.respond = () => ({ status: 200, body: '{"error":["EService:Unavailable"]}' });
    coinbase.respond = () => ({ status: 200, body: '{"data":{"amount":"2999","base":"ETH","currency":"USD"}}' });
    const rates = createRates(config(['kraken', 'coinbase']), clock);
    expect(await rates.rate(ETH_USD)).toMatchObject({ rate: '2999', source: 'coinbase' });
  });

  it('refuses to quote with RATE_UNAVAILABLE, saying why, when no source has a rate', async () => {
    kraken.respond = () => 'hang';
    coinbase.respond = () => ({ status: 200, body: 'not json' });
    const err = await createRates(config(['kraken', 'coinbase'], 3_000), clock)
      .rate(ETH_USD)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({
      code: 'RATE_UNAVAILABLE',
      message: 'no current rate for ETH_USD (kraken: no answer within 3000 ms; coinbase: HTTP 200 with an answer that is not JSON); try again shortly',
    });
  });

  it('quotes from the fixed table, which can be moved, and has no rate for a pair it lacks', async () => {
    const rates = createRates(config(['fixed']), clock);
    expect(await rates.rate(ETH_USD)).toEqual({ rate: '3000', source: 'fixed', fetchedAt: clock.now() });
    rates.fixed!.set({ ETH_USD: '3100' });
    expect((await rates.rate(ETH_USD)).rate).toBe('3100');
    await expect(rates.rate({ base: 'ETH', quote: 'JPY' })).rejects.toMatchObject({ code: 'RATE_UNAVAILABLE', message: expect.stringContaining('fixed: the fixed table has no rate for ETH_JPY') });
  });

  it('has no fixed table to move when RATE_SOURCES does not list it', () => {
    expect(createRates(config(['coinbase']), clock).fixed).toBeUndefined();
  });

  it('refuses an unknown source by name', () => {
    expect(() => createRates(config(['binance']), clock)).toThrow('unknown rate source "binance"; known: fixed, coingecko, kraken, coinbase');
  });
});

describe('parseRateTable', () => {
  it('reads pairs in BASE_QUOTE notation with decimal-string rates', () => {
    expect(parseRateTable({ ETH_USD: '3000.50', USDT_USD: '1.0002' })).toEqual({ ok: true, rates: { ETH_USD: '3000.5', USDT_USD: '1.0002' } });
  });

  it.each([
    [{ ethusd: '1' }, 'ethusd: a pair is BASE_QUOTE in capitals, e.g. ETH_USD'],
    [{ ETH_XYZ: '1' }, 'ETH_XYZ: XYZ is not an ISO 4217 currency'],
    [{ ETH_USD: '0' }, 'ETH_USD: the rate must be a positive decimal string such as "3000" or "1.0002"'],
    [{ ETH_USD: '-3' }, 'ETH_USD: the rate must be a positive decimal string such as "3000" or "1.0002"'],
    [{ ETH_USD: '3e3' }, 'ETH_USD: the rate must be a positive decimal string such as "3000" or "1.0002"'],
    [{ ETH_USD: 3000 as unknown as string }, 'ETH_USD: the rate must be a positive decimal string such as "3000" or "1.0002"'],
  ])('refuses %j', (input, reason) => {
    expect(parseRateTable(input)).toEqual({ ok: false, reason });
  });
});

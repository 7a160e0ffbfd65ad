import { describe, expect, it } from 'vitest';
import { findFiat } from './fiat';

describe('findFiat', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KWD', 3],
    ['ARS', 2],
  ])('knows %s with %i minor units', (code, minorUnits) => {
    expect(findFiat(code)).toEqual({ code, minorUnits });
  });

  it.each(['usd', 'US', 'USDT', 'ETH', 'ZZZ', '', 'U$D'])('does not know %j', (code) => {
    expect(findFiat(code)).toBeUndefined();
  });
});

import fc from 'fast-check';
import { encodeFunctionData, erc20Abi, getAddress, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { NATIVE_POSITION, nativeTransfers, pendingTransfers, tokenTransfers, type ScanContext, type ScanLog, type ScanTx, type Transfer } from './scan';

const addr = (n: number): Hex => `0x${n.toString(16).padStart(2, '0').repeat(20)}`;
const txHash = (n: number): Hex => `0x${n.toString(16).padStart(64, '0')}`;

const PAYEE = addr(0xab);
const OTHER_PAYEE = addr(0xcd);
const STRANGER = addr(0x55);
const BUYER = addr(0xbb);
const USDT = addr(0xe1);
const USDC = addr(0xe2);
const UNCONFIGURED = addr(0xe3);

const ctx: ScanContext = {
  watched: new Set([PAYEE, OTHER_PAYEE]),
  nativeCurrency: 'ETH',
  tokens: new Map([
    [USDT, 'USDT'],
    [USDC, 'USDC'],
  ]),
};

function tx(over: Partial<ScanTx> = {}): ScanTx {
  return { hash: txHash(1), from: BUYER, to: PAYEE, value: 10n ** 16n, input: '0x', ...over };
}

function log(over: Partial<ScanLog> = {}): ScanLog {
  return { transactionHash: txHash(1), logIndex: 0, address: USDT, from: BUYER, to: PAYEE, value: 1_000_000n, ...over };
}

const transferCall = (to: Hex, value: bigint) => encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, value] });

describe('nativeTransfers', () => {
  it('reports value sent to a watched address with the native position', () => {
    expect(nativeTransfers([tx()], ctx)).toEqual([
      { txHash: txHash(1), position: NATIVE_POSITION, from: BUYER, to: PAYEE, currency: 'ETH', amount: 10n ** 16n },
    ]);
  });

  it('ignores value sent to an address nobody watches', () => {
    expect(nativeTransfers([tx({ to: STRANGER })], ctx)).toEqual([]);
  });

  it('ignores a contract creation, which has no recipient', () => {
    expect(nativeTransfers([tx({ to: null })], ctx)).toEqual([]);
  });

  it('ignores a zero-value transaction to a watched address', () => {
    expect(nativeTransfers([tx({ value: 0n })], ctx)).toEqual([]);
  });

  it('matches checksummed and upper-case addresses and reports them in lower case', () => {
    const found = nativeTransfers(
      [tx({ hash: txHash(1), to: getAddress(PAYEE), from: getAddress(BUYER) }), tx({ hash: txHash(2), to: `0x${OTHER_PAYEE.slice(2).toUpperCase()}` })],
      ctx,
    );
    expect(found.map((t) => [t.txHash, t.to, t.from])).toEqual([
      [txHash(1), PAYEE, BUYER],
      [txHash(2), OTHER_PAYEE, BUYER],
    ]);
  });

  it('reports every matching transaction of a block, in block order', () => {
    const txs = [tx({ hash: txHash(1), to: OTHER_PAYEE }), tx({ hash: txHash(2), to: STRANGER }), tx({ hash: txHash(3), value: 7n })];
    expect(nativeTransfers(txs, ctx).map((t) => [t.txHash, t.to, t.amount])).toEqual([
      [txHash(1), OTHER_PAYEE, 10n ** 16n],
      [txHash(3), PAYEE, 7n],
    ]);
  });

  it('finds nothing when nothing is watched', () => {
    expect(nativeTransfers([tx()], { ...ctx, watched: new Set() })).toEqual([]);
  });
});

describe('tokenTransfers', () => {
  it('reports a configured token transfer to a watched address as position 0 of its transaction', () => {
    expect(tokenTransfers([log({ logIndex: 17 })], ctx)).toEqual([
      { txHash: txHash(1), position: 0, from: BUYER, to: PAYEE, currency: 'USDT', amount: 1_000_000n },
    ]);
  });

  it('names the currency configured for the emitting contract, whatever the case of its address', () => {
    const found = tokenTransfers([log({ address: getAddress(USDC) }), log({ transactionHash: txHash(2), address: `0x${USDT.slice(2).toUpperCase()}` })], ctx);
    expect(found.map((t) => t.currency)).toEqual(['USDC', 'USDT']);
  });

  it('ignores Transfer logs of contracts that are not configured, even to a watched address', () => {
    expect(tokenTransfers([log({ address: UNCONFIGURED })], ctx)).toEqual([]);
  });

  it('ignores transfers to addresses nobody watches', () => {
    expect(tokenTransfers([log({ to: STRANGER })], ctx)).toEqual([]);
  });

  it('matches a checksummed recipient and reports addresses in lower case', () => {
    expect(tokenTransfers([log({ to: getAddress(PAYEE), from: getAddress(BUYER) })], ctx)).toMatchObject([{ to: PAYEE, from: BUYER }]);
  });

  it('skips a zero-value transfer but still counts it in the positions', () => {
    const found = tokenTransfers([log({ logIndex: 1, value: 0n }), log({ logIndex: 2, value: 5n })], ctx);
    expect(found.map((t) => [t.position, t.amount])).toEqual([[1, 5n]]);
  });

  it('numbers several transfers of one transaction by their order among the configured tokens\' logs', () => {
    const logs = [
      log({ logIndex: 10, to: STRANGER }),
      log({ logIndex: 11, address: UNCONFIGURED }),
      log({ logIndex: 12, address: USDC, to: OTHER_PAYEE, value: 2n }),
      log({ logIndex: 13, value: 3n }),
    ];
    expect(tokenTransfers(logs, ctx).map((t) => [t.position, t.to, t.currency, t.amount])).toEqual([
      [1, OTHER_PAYEE, 'USDC', 2n],
      [2, PAYEE, 'USDT', 3n],
    ]);
  });

  it('numbers each transaction\'s transfers from 0, however the transactions interleave in the block', () => {
    const logs = [
      log({ transactionHash: txHash(1), logIndex: 0, value: 1n }),
      log({ transactionHash: txHash(2), logIndex: 1, value: 2n }),
      log({ transactionHash: txHash(1), logIndex: 2, value: 3n }),
      log({ transactionHash: txHash(2), logIndex: 3, value: 4n }),
    ];
    expect(tokenTransfers(logs, ctx).map((t) => [t.txHash, t.position, t.amount])).toEqual([
      [txHash(1), 0, 1n],
      [txHash(2), 0, 2n],
      [txHash(1), 1, 3n],
      [txHash(2), 1, 4n],
    ]);
  });

  it('orders logs given out of order by their log index, without reordering the caller\'s array', () => {
    const logs = [log({ logIndex: 9, value: 3n }), log({ logIndex: 2, value: 1n }), log({ logIndex: 5, value: 2n })];
    const before = [...logs];
    expect(tokenTransfers(logs, ctx).map((t) => [t.position, t.amount])).toEqual([
      [0, 1n],
      [1, 2n],
      [2, 3n],
    ]);
    expect(logs).toEqual(before);
  });

  it('gives the same positions when a reorg moves the transaction to other log indexes', () => {
    const logs = [
      log({ transactionHash: txHash(1), logIndex: 0, value: 1n }),
      log({ transactionHash: txHash(2), logIndex: 1, address: USDC, value: 2n }),
      log({ transactionHash: txHash(1), logIndex: 2, to: OTHER_PAYEE, value: 3n }),
      log({ transactionHash: txHash(1), logIndex: 3, address: UNCONFIGURED, value: 4n }),
      log({ transactionHash: txHash(1), logIndex: 4, value: 5n }),
    ];
    const inOtherBlock = logs.map((l) => ({ ...l, logIndex: l.logIndex + 137 }));
    const positions = tokenTransfers(logs, ctx).map((t) => [t.txHash, t.position, t.amount]);
    expect(positions).toEqual([
      [txHash(1), 0, 1n],
      [txHash(2), 0, 2n],
      [txHash(1), 1, 3n],
      [txHash(1), 2, 5n],
    ]);
    expect(tokenTransfers(inOtherBlock, ctx).map((t) => [t.txHash, t.position, t.amount])).toEqual(positions);
  });

  it('gives a log the same position whichever addresses are watched', () => {
    const logs = [log({ logIndex: 0, to: STRANGER }), log({ logIndex: 1 })];
    const strangerWatched = { ...ctx, watched: new Set([PAYEE, STRANGER]) };
    expect(tokenTransfers(logs, ctx).map((t) => t.position)).toEqual([1]);
    expect(tokenTransfers(logs, strangerWatched).map((t) => [t.to, t.position])).toEqual([
      [STRANGER, 0],
      [PAYEE, 1],
    ]);
  });

  it('finds nothing when no token is configured', () => {
    expect(tokenTransfers([log()], { ...ctx, tokens: new Map() })).toEqual([]);
  });
});

describe('pendingTransfers', () => {
  it('reports the native value of a pending transaction to a watched address', () => {
    expect(pendingTransfers(tx(), ctx)).toEqual([
      { txHash: txHash(1), position: NATIVE_POSITION, from: BUYER, to: PAYEE, currency: 'ETH', amount: 10n ** 16n },
    ]);
  });

  it('decodes a direct ERC-20 transfer(to, value) call to a configured token as position 0', () => {
    const pending = tx({ to: getAddress(USDT), value: 0n, input: transferCall(getAddress(PAYEE), 25_500_000n) });
    expect(pendingTransfers(pending, ctx)).toEqual([{ txHash: txHash(1), position: 0, from: BUYER, to: PAYEE, currency: 'USDT', amount: 25_500_000n }]);
  });

  it('gives a pending transfer() the identity its Transfer log gets once mined', () => {
    const pending = pendingTransfers(tx({ to: USDT, value: 0n, input: transferCall(PAYEE, 5n) }), ctx);
    const mined = tokenTransfers([log({ logIndex: 42, value: 5n })], ctx);
    expect(pending.map((t) => [t.txHash, t.position])).toEqual(mined.map((t) => [t.txHash, t.position]));
  });

  it('ignores a transfer() call to an address nobody watches', () => {
    expect(pendingTransfers(tx({ to: USDT, value: 0n, input: transferCall(STRANGER, 5n) }), ctx)).toEqual([]);
  });

  it('ignores a transfer() of zero', () => {
    expect(pendingTransfers(tx({ to: USDT, value: 0n, input: transferCall(PAYEE, 0n) }), ctx)).toEqual([]);
  });

  it('ignores a transfer() call to a contract that is not a configured token', () => {
    expect(pendingTransfers(tx({ to: UNCONFIGURED, value: 0n, input: transferCall(PAYEE, 5n) }), ctx)).toEqual([]);
  });

  it('does not decode transferFrom, whose Transfer log only the mined block shows', () => {
    const input = encodeFunctionData({ abi: erc20Abi, functionName: 'transferFrom', args: [BUYER, PAYEE, 5n] });
    expect(pendingTransfers(tx({ to: USDT, value: 0n, input }), ctx)).toEqual([]);
  });

  it.each([
    ['the bare selector', '0xa9059cbb'],
    ['a missing value argument', transferCall(PAYEE, 5n).slice(0, 74)],
    ['a truncated value argument', transferCall(PAYEE, 5n).slice(0, -2)],
    ['non-hex data', '0xa9059cbbzz'],
  ])('ignores malformed transfer calldata (%s) without throwing', (_, input) => {
    expect(pendingTransfers(tx({ to: USDT, value: 0n, input: input as Hex }), ctx)).toEqual([]);
  });

  it('ignores a pending contract creation, whatever its calldata', () => {
    expect(pendingTransfers(tx({ to: null, input: transferCall(PAYEE, 5n) }), ctx)).toEqual([]);
  });
});

describe('scan matching (property)', () => {
  const POOL = Array.from({ length: 8 }, (_, i) => addr(0x10 + i));
  const TOKENS = [USDT, USDC, UNCONFIGURED];
  /** An address as a node or a decoder may spell it: lower case, checksummed, or upper-case hex. */
  const spelled = (a: Hex) => fc.constantFrom<Hex>(a, getAddress(a), `0x${a.slice(2).toUpperCase()}`);
  const anyAddress = fc.constantFrom(...POOL).chain(spelled);
  const amount = fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 30n }));
  const watched = fc.subarray(POOL).map((a) => new Set<string>(a));
  const context = (w: Set<string>): ScanContext => ({ ...ctx, watched: w });

  const txs = fc.array(
    fc.record({ hash: fc.integer({ min: 1, max: 1000 }).map(txHash), from: anyAddress, to: fc.option(anyAddress, { nil: null }), value: amount, input: fc.constant<Hex>('0x') }),
    { maxLength: 30 },
  );

  /** Logs of a few transactions, with distinct log indexes handed out in a random order. */
  const logs = fc
    .array(
      fc.record({ tx: fc.integer({ min: 1, max: 4 }), address: fc.constantFrom(...TOKENS).chain(spelled), from: anyAddress, to: anyAddress, value: amount }),
      { maxLength: 30 },
    )
    .chain((raw) =>
      fc.shuffledSubarray(
        raw.map((_, i) => i),
        { minLength: raw.length, maxLength: raw.length },
      ).map((indexes) => raw.map((l, i): ScanLog => ({ transactionHash: txHash(l.tx), logIndex: indexes[i]!, address: l.address, from: l.from, to: l.to, value: l.value }))),
    );

  it('finds exactly the native transfers a naive filter finds', () => {
    fc.assert(
      fc.property(watched, txs, (w, block) => {
        const expected: Transfer[] = block
          .filter((t) => t.to !== null && t.value > 0n && w.has(t.to.toLowerCase()))
          .map((t) => ({ txHash: t.hash, position: NATIVE_POSITION, from: t.from.toLowerCase(), to: t.to!.toLowerCase(), currency: 'ETH', amount: t.value }));
        expect(nativeTransfers(block, context(w))).toEqual(expected);
      }),
    );
  });

  it('finds exactly the token transfers a naive filter finds, at positions no log-index shift changes', () => {
    fc.assert(
      fc.property(watched, logs, fc.integer({ min: 1, max: 10_000 }), (w, blockLogs, shift) => {
        const configured = [...blockLogs].sort((a, b) => a.logIndex - b.logIndex).filter((l) => ctx.tokens.has(l.address.toLowerCase()));
        const expected = configured
          .map((l): Transfer => ({
            txHash: l.transactionHash,
            position: configured.filter((o) => o.transactionHash === l.transactionHash && o.logIndex < l.logIndex).length,
            from: l.from.toLowerCase(),
            to: l.to.toLowerCase(),
            currency: ctx.tokens.get(l.address.toLowerCase())!,
            amount: l.value,
          }))
          .filter((t) => t.amount > 0n && w.has(t.to));
        expect(tokenTransfers(blockLogs, context(w))).toEqual(expected);
        expect(tokenTransfers(blockLogs.map((l) => ({ ...l, logIndex: l.logIndex + shift })), context(w))).toEqual(expected);
      }),
    );
  });
});

/**
 * The currency table. Codes follow Calypso: a suffix selects the network
 * (`USDT` is Ethereum, `USDT_BSC` BNB Smart Chain). `scale` is the most
 * decimals an invoice amount may carry; `decimals` are the chain's units.
 * The built-in rows are the well-known mainnet assets; CHAINS_FILE adds or
 * overrides rows (see chains/chains-file.ts).
 */
export interface Currency {
  code: string;
  /** The network the currency lives on: "ethereum", "bsc", "polygon", or a configured chain's name. */
  network: string;
  decimals: number;
  scale: number;
  /** ERC-20 contract; absent for the native coin. */
  token?: `0x${string}`;
  paidConfirmations: number;
  finalConfirmations: number;
}

const ETH_CONF = { paidConfirmations: 1, finalConfirmations: 12 } as const;
const BSC_CONF = { paidConfirmations: 1, finalConfirmations: 15 } as const;
const POLYGON_CONF = { paidConfirmations: 1, finalConfirmations: 64 } as const;
/** Six blocks, about an hour: the depth Bitcoin's exchanges and BTCPay's default treat as settled. */
const BTC_CONF = { paidConfirmations: 1, finalConfirmations: 6 } as const;
/** Litecoin's blocks come four times as often (2.5 min): twelve are half an hour. */
const LTC_CONF = { paidConfirmations: 1, finalConfirmations: 12 } as const;

const BUILT_IN_CURRENCIES: readonly Currency[] = [
  { code: 'ETH', network: 'ethereum', decimals: 18, scale: 8, ...ETH_CONF },
  { code: 'USDT', network: 'ethereum', decimals: 6, scale: 6, token: '0xdAC17F958D2ee523a2206206994597C13D831ec7', ...ETH_CONF },
  { code: 'USDC', network: 'ethereum', decimals: 6, scale: 6, token: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', ...ETH_CONF },
  { code: 'BNB', network: 'bsc', decimals: 18, scale: 8, ...BSC_CONF },
  { code: 'USDT_BSC', network: 'bsc', decimals: 18, scale: 6, token: '0x55d398326f99059fF775485246999027B3197955', ...BSC_CONF },
  { code: 'USDC_BSC', network: 'bsc', decimals: 18, scale: 6, token: '0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d', ...BSC_CONF },
  { code: 'MATIC', network: 'polygon', decimals: 18, scale: 8, ...POLYGON_CONF },
  { code: 'USDT_MATIC', network: 'polygon', decimals: 6, scale: 6, token: '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', ...POLYGON_CONF },
  { code: 'USDC_MATIC', network: 'polygon', decimals: 6, scale: 6, token: '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359', ...POLYGON_CONF },
  // UTXO coins: 8 decimals (satoshi, litoshi), the network in networks.ts; a CHAINS_FILE entry of kind "utxo" serves them.
  { code: 'BTC', network: 'bitcoin', decimals: 8, scale: 8, ...BTC_CONF },
  { code: 'LTC', network: 'litecoin', decimals: 8, scale: 8, ...LTC_CONF },
];

export class CurrencyTable {
  private readonly byCode: Map<string, Currency>;

  /** The built-in rows, with `overrides` replacing or adding rows by code. */
  constructor(overrides: readonly Currency[] = []) {
    this.byCode = new Map([...BUILT_IN_CURRENCIES, ...overrides].map((c) => [c.code, c]));
  }

  find(code: string): Currency | undefined {
    return this.byCode.get(code);
  }

  all(): Currency[] {
    return [...this.byCode.values()];
  }
}

/** The table without configuration: what the sandbox serves. */
export const BUILT_IN_TABLE = new CurrencyTable();

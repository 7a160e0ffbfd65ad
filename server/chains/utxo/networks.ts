/**
 * The parameters that make BTC and LTC, main and test networks, one code
 * path: how their addresses are written, which extended-key versions belong
 * to them and which URI scheme their wallets open. A chain in CHAINS_FILE
 * names its network by the bech32 prefix (`"bech32Prefix": "rltc"`).
 *
 * Values from Bitcoin Core's and Litecoin Core's chainparams.cpp (base58
 * versions, bech32 HRPs), SLIP-0044 (coin types) and BIP-21.
 */

/** Satoshi and litoshi: every amount on these chains is in units of 10^-8 coin. */
export const UTXO_DECIMALS = 8;

export interface UtxoNetwork {
  /** The human-readable part of its bech32 addresses (BIP-173), e.g. "bc", "rltc". */
  bech32Prefix: string;
  /** SLIP-0044 coin type in m/84'/coin'/0': 0 for BTC, 2 for LTC, 1 for every test network. */
  coinType: number;
  /** The URI scheme its wallets register (BIP-21); test networks use the main network's. */
  uriScheme: 'bitcoin' | 'litecoin';
  /** Base58 version byte of P2PKH addresses. */
  pubKeyHash: number;
  /** Base58 version bytes of P2SH addresses; the first is the one the node writes (Litecoin moved to "M…"/"Q…" and still reads "3…"/"2…"). */
  scriptHash: readonly number[];
  /**
   * Whether its extended keys are the test networks' (tpub…) rather than the
   * main networks' (xpub…). Core's descriptors accept only this one family.
   */
  testKeys: boolean;
  /** What the node's getblockchaininfo says `chain` is on this network (Bitcoin's signet shares testnet's prefix). */
  coreChains: readonly string[];
}

const UTXO_NETWORKS: readonly UtxoNetwork[] = [
  { bech32Prefix: 'bc', coinType: 0, uriScheme: 'bitcoin', pubKeyHash: 0x00, scriptHash: [0x05], testKeys: false, coreChains: ['main'] },
  { bech32Prefix: 'tb', coinType: 1, uriScheme: 'bitcoin', pubKeyHash: 0x6f, scriptHash: [0xc4], testKeys: true, coreChains: ['test', 'testnet4', 'signet'] },
  { bech32Prefix: 'bcrt', coinType: 1, uriScheme: 'bitcoin', pubKeyHash: 0x6f, scriptHash: [0xc4], testKeys: true, coreChains: ['regtest'] },
  { bech32Prefix: 'ltc', coinType: 2, uriScheme: 'litecoin', pubKeyHash: 0x30, scriptHash: [0x32, 0x05], testKeys: false, coreChains: ['main'] },
  { bech32Prefix: 'tltc', coinType: 1, uriScheme: 'litecoin', pubKeyHash: 0x6f, scriptHash: [0x3a, 0xc4], testKeys: true, coreChains: ['test'] },
  { bech32Prefix: 'rltc', coinType: 1, uriScheme: 'litecoin', pubKeyHash: 0x6f, scriptHash: [0x3a, 0xc4], testKeys: true, coreChains: ['regtest'] },
];

/** The network whose bech32 addresses start with `prefix` + "1", if Payframe knows it. */
export function networkByPrefix(prefix: string): UtxoNetwork | undefined {
  return UTXO_NETWORKS.find((n) => n.bech32Prefix === prefix);
}

/**
 * A Litecoin regtest chain for the UTXO adapter's tests (and dev:litecoin):
 * its CHAINS_FILE entry for a node of testing/litecoind.ts, and the
 * merchant's account key, as a wallet exports it for a test network.
 */
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { parseChains, type UtxoChainConfig } from '../chains/chains-file';
import { descriptorKey, parseAccountKey } from '../chains/utxo/keys';
import { networkByPrefix } from '../chains/utxo/networks';

export const RLTC = networkByPrefix('rltc')!;

/** The merchant's wallet: Payframe only ever sees the account key m/84'/1'/0' below it. */
const MERCHANT_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const account = HDKey.fromMasterSeed(mnemonicToSeedSync(MERCHANT_MNEMONIC)).derive("m/84'/1'/0'");
/** The merchant's key as Electrum-style wallets write it for a test network (SLIP-0132 vpub). */
export const MERCHANT_VPUB = new HDKey({
  publicKey: account.publicKey!,
  chainCode: account.chainCode!,
  depth: account.depth,
  index: account.index,
  parentFingerprint: account.parentFingerprint,
  versions: { public: 0x045f1cf6, private: 0x045f18bc },
}).publicExtendedKey;

/** The merchant's key, parsed as Payframe reads it. */
export function merchantAccountKey() {
  const check = parseAccountKey(MERCHANT_VPUB, RLTC);
  if (!check.ok) throw new Error(check.reason);
  return check.key;
}

/** The same key as Core's descriptors take it: `wpkh(<tpub>/0/*)` gives the invoice addresses. */
export const merchantDescriptorKey = (): string => descriptorKey(merchantAccountKey(), RLTC);

/** The CHAINS_FILE entry of a litecoind regtest node, as parsed (defaults filled). */
export function litecoinRegtest(rpcUrl: string, over: Partial<UtxoChainConfig> = {}): UtxoChainConfig {
  const [config] = parseChains([
    { name: 'litecoin-regtest', kind: 'utxo', rpcUrl, nativeCurrency: 'LTC', bech32Prefix: 'rltc', coinType: 1, paidConfirmations: 1, finalConfirmations: 3, pollIntervalMs: 50, ...over },
  ]);
  return config as UtxoChainConfig;
}

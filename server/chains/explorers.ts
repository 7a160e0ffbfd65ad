/**
 * By chain name, where a buyer can look a transaction up: the chains'
 * `explorerTxUrl` (CHAINS_FILE), which the checkout's receipt links the
 * payment to. The sandbox has no explorer.
 */
import type { AnyChainConfig } from './chains-file';

export function explorers(configs: readonly AnyChainConfig[]): Map<string, string> {
  return new Map(configs.flatMap((c) => (c.explorerTxUrl ? [[c.name, c.explorerTxUrl] as const] : [])));
}

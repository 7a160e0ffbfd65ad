/**
 * Pays an invoice from the wallet of the node `npm run dev:litecoin` runs:
 *   npm run litecoin:pay -- <invoice address> <amount in LTC>
 */
import { readFileSync } from 'node:fs';
import { BitcoinRpc } from '../server/chains/utxo/rpc';
import { LITECOIN_STATE_FILE } from './dev-litecoin-state';

const [address, amount] = process.argv.slice(2);
if (!address || !amount || !/^\d+(\.\d{1,8})?$/.test(amount)) {
  console.error('usage: npm run litecoin:pay -- <invoice address> <amount in LTC, e.g. 0.01>');
  process.exit(2);
}
const { rpcUrl } = JSON.parse(readFileSync(LITECOIN_STATE_FILE, 'utf8')) as { rpcUrl: string };
// The amount goes to the node as text: Core reads it exactly.
const txid = await new BitcoinRpc(rpcUrl).call('sendtoaddress', [address, amount]);
console.log(`sent ${amount} LTC to ${address}: ${String(txid)}`);

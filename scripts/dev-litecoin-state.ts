import { join } from 'node:path';

/** Where `npm run dev:litecoin` leaves the node's RPC URL (with its credentials) and the merchant for `npm run litecoin:pay`. */
export const LITECOIN_STATE_FILE = join(import.meta.dirname, '..', 'data', 'litecoin', 'dev-state.json');

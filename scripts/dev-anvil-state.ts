import { join } from 'node:path';

/** The development merchant's wallet. Real merchants keep their mnemonic to themselves and give Payframe the xpub only. */
export const DEV_MERCHANT_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
/** Where `npm run dev:anvil` leaves the chain's facts for `npm run anvil:pay`. */
export const DEV_STATE_FILE = join(import.meta.dirname, '..', 'data', 'anvil', 'dev-state.json');

/**
 * The language the merchant chose for an invoice's or a payment widget's
 * checkout (`locale` in the create request): a language tag, or null for
 * "the buyer's browser decides".
 */
import { statements } from './statements';

export const migration = statements([`ALTER TABLE invoices ADD COLUMN locale TEXT`, `ALTER TABLE widgets ADD COLUMN locale TEXT`]);

/** The merchant contract (contract/): accepted signatures for replay protection, and which payments a webhook has already reported as received. */
import { statements } from './statements';

export const migration = statements([
  `CREATE TABLE signed_requests (
    sign TEXT PRIMARY KEY,
    route TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID`,
  `CREATE INDEX signed_requests_by_expiry ON signed_requests (expires_at)`,
  // 1 once INVOICE_FUNDS_RECEIVED_FOR_INVOICE has reported the payment (it reached paidConfirmations); 0 again if a reorg takes that back.
  `ALTER TABLE payments ADD COLUMN credited INTEGER NOT NULL DEFAULT 0`,
  `UPDATE payments SET credited = 1 WHERE removed = 0 AND block_number IS NOT NULL AND EXISTS (
    SELECT 1 FROM invoices i JOIN chain_tips t ON t.chain = i.chain
    WHERE i.id = payments.invoice_id AND t.height - payments.block_number + 1 >= i.paid_confirmations
  )`,
  `DROP TABLE webhook_invoice_marks`,
]);

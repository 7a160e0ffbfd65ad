/**
 * Brings every stored secret under the current master key. The runtime and
 * the CLI run it at each start, after the schema migrations:
 * - a value still in the clear (written before secrets were encrypted at
 *   rest) is sealed;
 * - a value sealed under the previous master key (given during a rotation,
 *   PAYFRAME_PREVIOUS_MASTER_KEY) is sealed again under the current one;
 * - every other value must open: a wrong or lost key stops the start here,
 *   with the fix, rather than failing every signed request after it.
 * One transaction: a crash leaves all of it or none; a second run finds
 * nothing to do.
 */
import { sql } from 'kysely';
import { onPostgres } from '../db/dialect';
import type { Db } from '../db/schema';
import { secretContext } from './columns';
import { isSealed, SecretBoxError, type SecretBox, type Sealed } from './secret-box';

export interface SealReport {
  /** Values found in the clear, now sealed. */
  sealed: number;
  /** Values found under the previous master key, now under the current one. */
  resealed: number;
}

export async function sealStoredSecrets(db: Db, secrets: SecretBox, previous?: SecretBox): Promise<SealReport> {
  const report: SealReport = { sealed: 0, resealed: 0 };
  const bring = (value: string, context: string): Sealed | undefined => {
    if (!isSealed(value)) {
      report.sealed++;
      return secrets.seal(value, context);
    }
    try {
      secrets.open(value, context);
      return undefined;
    } catch (err) {
      if (!previous) throw wrongKey(err);
    }
    try {
      const plaintext = previous.open(value, context);
      report.resealed++;
      return secrets.seal(plaintext, context);
    } catch (err) {
      throw wrongKey(err);
    }
  };

  await db.transaction().execute(async (trx) => {
    for (const row of await trx.selectFrom('api_keys').select(['key', 'secret']).execute()) {
      const secret = bring(row.secret, secretContext.apiSecret(row.key));
      if (secret) await trx.updateTable('api_keys').set({ secret }).where('key', '=', row.key).execute();
    }
    for (const row of await trx.selectFrom('webhook_subscriptions').select(['id', 'public_key', 'secret_key', 'previous_secret_key']).execute()) {
      const current = bring(row.secret_key, secretContext.webhookSecret(row.public_key));
      const before = row.previous_secret_key === null ? undefined : bring(row.previous_secret_key, secretContext.previousWebhookSecret(row.public_key));
      if (current || before) {
        await trx
          .updateTable('webhook_subscriptions')
          .set({ secret_key: current ?? row.secret_key, previous_secret_key: before ?? row.previous_secret_key })
          .where('id', '=', row.id)
          .execute();
      }
    }
    for (const row of await trx.selectFrom('merchant_xpubs').select(['account', 'family', 'xpub']).execute()) {
      const xpub = bring(row.xpub, secretContext.xpub(row.account, row.family));
      if (xpub) await trx.updateTable('merchant_xpubs').set({ xpub }).where('account', '=', row.account).where('family', '=', row.family).execute();
    }
  });

  if (report.sealed + report.resealed > 0) {
    if (onPostgres(db)) {
      // The replaced values sit in dead row versions: rewrite the three tables. (PostgreSQL's WAL and
      // its backups are the operator's to expire: docs/deploy.md.)
      await sql`VACUUM FULL api_keys, webhook_subscriptions, merchant_xpubs`.execute(db);
    } else {
      // The replaced values (clear, or under a key being retired) still sit in free space of the
      // file and in the WAL: rebuild the file and empty the WAL so that no copy of them stays behind.
      await sql`VACUUM`.execute(db);
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    }
  }
  return report;
}

function wrongKey(err: unknown): SecretBoxError {
  return new SecretBoxError(
    `${(err as Error).message}. Start with the master key this database was sealed under ` +
      '(PAYFRAME_MASTER_KEY, or DATA_DIR/master.key restored from the backup taken with the database); ' +
      'to change the master key, give the old one as PAYFRAME_PREVIOUS_MASTER_KEY for one start (docs/security.md)',
  );
}

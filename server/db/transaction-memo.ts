/**
 * Reads made once per transaction: within one transaction nothing else
 * writes (the engine is the one writer, and the rows memoized are ones the
 * transaction does not change), so a read that 1,000 invoice changes of one
 * block would each repeat — the chain's tip, a merchant's webhook
 * subscriptions — is made once and shared. Lives as long as its transaction.
 */
class TransactionMemo {
  readonly #values = new Map<string, Promise<unknown>>();

  get<T>(key: string, read: () => Promise<T>): Promise<T> {
    let value = this.#values.get(key) as Promise<T> | undefined;
    if (!value) this.#values.set(key, (value = read()));
    return value;
  }
}

const memos = new WeakMap<object, TransactionMemo>();

/**
 * The memo of transaction `trx`, shared by whatever runs in it: the invoices of one group commit's batch
 * (db/group-commit.ts) each read their merchant's overpay tolerance and webhook subscriptions once per batch.
 */
export function memoOf(trx: object): TransactionMemo {
  let memo = memos.get(trx);
  if (!memo) memos.set(trx, (memo = new TransactionMemo()));
  return memo;
}

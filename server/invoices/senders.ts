/**
 * How many senders paid an invoice, for the "more than one sender" rule.
 * A payment's sender (payments.sender) is a space-separated list of what
 * identifies whoever made it: on an EVM chain its one `from` address; on a
 * UTXO chain the addresses its inputs spend from plus the outpoints its
 * transaction spends and its other outputs (chains/utxo/senders.ts), so a
 * top-up that spends the first payment's change is seen as the same buyer.
 * Payments sharing any item are one sender, transitively. An empty sender
 * (it could not be determined) counts as none: it neither adds a sender nor
 * joins two.
 */
export function countSenders(senders: readonly string[]): number {
  // One payment (nearly every invoice): no sets to join.
  if (senders.length <= 1) return senders.length === 1 && senders[0]!.split(' ').some(Boolean) ? 1 : 0;
  const parent = senders.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  const counted: number[] = [];
  senders.forEach((sender, i) => {
    const items = sender.split(' ').filter(Boolean);
    if (items.length === 0) return;
    counted.push(i);
    for (const item of items) {
      const other = owner.get(item);
      if (other === undefined) owner.set(item, i);
      else parent[root(i)] = root(other);
    }
  });
  return new Set(counted.map(root)).size;
}

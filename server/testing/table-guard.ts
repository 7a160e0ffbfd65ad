/**
 * Records which tables the queries through a database handle touch, so a
 * test can show that a part (a chain adapter) keeps to its own tables while
 * it runs against the real engine. Raw SQL, which it cannot see into, counts
 * as the table "(raw sql)".
 */
import type { Kysely, OperationNode } from 'kysely';

export function watchTables<DB>(db: Kysely<DB>): { db: Kysely<DB>; touched: Set<string> } {
  const touched = new Set<string>();
  const guarded = db.withPlugin({
    transformQuery({ node }) {
      collect(node, touched);
      return node;
    },
    async transformResult({ result }) {
      return result;
    },
  });
  return { db: guarded, touched };
}

function collect(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collect(child, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const kind = (node as OperationNode).kind;
  if (kind === 'TableNode') into.add((node as { table: { identifier: { name: string } } }).table.identifier.name);
  for (const child of Object.values(node)) collect(child, into);
}

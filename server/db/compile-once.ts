/**
 * A hot query built and compiled by Kysely once, then run with new values:
 * per call no builder, no operation tree, no compiler pass — on a read that
 * takes microseconds in SQLite those were most of the JavaScript it cost.
 * It works on every dialect: the SQL text is the dialect's own, and the
 * values go to the driver as parameters, as a compiled query's always do.
 *
 * ```ts
 * const invoiceState = compileOnce(db, (id: string) => db.selectFrom('invoices').select('state').where('id', '=', id));
 * const [row] = await invoiceState('inv_…');
 * ```
 */
import { createQueryId, type Compilable, type Kysely } from 'kysely';

/**
 * `build` is called once, with a stand-in for each of its parameters (as
 * many as its `length`: plain parameters, no defaults or rest); every stand-in
 * must reach the compiled parameters as it was given (a value the builder
 * transforms, or drops, could not be replaced later: that throws here, at
 * start, not on a request). Parameters the query holds itself (a LIMIT)
 * keep their compiled values.
 */
export function compileOnce<A extends unknown[], R>(db: Kysely<any>, build: (...args: A) => Compilable<R>): (...args: A) => Promise<R[]> {
  const standIns = Array.from({ length: build.length }, (_, i) => `\u0000compileOnce argument ${i}`);
  const compiled = build(...(standIns as A)).compile();
  const slots = compiled.parameters.map((p) => standIns.indexOf(p as string));
  const missing = standIns.findIndex((_, i) => !slots.includes(i));
  if (missing >= 0) throw new Error(`compileOnce: argument ${missing} does not reach the compiled parameters as given (${compiled.sql})`);
  return async (...args) => {
    const parameters = slots.map((slot, i) => (slot < 0 ? compiled.parameters[i] : args[slot]));
    // A query id of its own per run: plugins key what they keep of a run by it.
    const result = await db.executeQuery<R>({ ...compiled, parameters, queryId: createQueryId() });
    return result.rows;
  };
}

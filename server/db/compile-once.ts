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
import { createQueryId, type Compilable, type Kysely, type QueryResult } from 'kysely';
import { runOnHeldConnection } from './sqlite-dialect';

/**
 * `build` is called once, with a stand-in for each of its parameters (as
 * many as its `length`: plain parameters, no defaults or rest); every stand-in
 * must reach the compiled parameters as it was given (a value the builder
 * transforms, or drops, could not be replaced later: that throws here, at
 * start, not on a request). Parameters the query holds itself (a LIMIT)
 * keep their compiled values.
 */
export function compileOnce<A extends unknown[], R>(db: Kysely<any>, build: (...args: A) => Compilable<R>): (...args: A) => Promise<R[]> {
  const run = compiledRun<A, R>(build.length, (standIns) => build(...standIns));
  return async (...args) => (await run(db, args)).rows;
}

/**
 * The same for a query that runs on whichever database or transaction the
 * caller holds (the engine's, inside its transactions): compiled on the first
 * run, once per database (its transactions share its dialect), then run on
 * the `q` of each call. `build` gets a query creator first, then the stand-ins.
 *
 * ```ts
 * const invoiceById = statement((q: Kysely<Database>, id: string) => q.selectFrom('invoices').selectAll().where('id', '=', id));
 * const [row] = await invoiceById(trx, 'inv_…');
 * ```
 */
export function statement<DB, A extends unknown[], R>(build: (q: Kysely<DB>, ...args: A) => Compilable<R>): (q: Kysely<DB>, ...args: A) => Promise<R[]> {
  return statementOf(build.length - 1, build);
}

/** `statement` for a `build` that takes `arity` values after the query creator, through a rest parameter. */
export function statementOf<DB, A extends unknown[], R>(arity: number, build: (q: Kysely<DB>, ...args: A) => Compilable<R>): (q: Kysely<DB>, ...args: A) => Promise<R[]> {
  const run = onEachDatabase(arity, build);
  // Not async: a build that cannot be compiled throws at its first call, not in a promise.
  return (q, ...args) => run(q, args).then((result) => result.rows);
}

/**
 * `statement` for a write whose caller needs only how many rows it changed (an insert that may do nothing):
 * no RETURNING, which made SQLite keep and hand back a row, about a third of a small insert's cost.
 */
export function changes<DB, A extends unknown[]>(build: (q: Kysely<DB>, ...args: A) => Compilable<unknown>): (q: Kysely<DB>, ...args: A) => Promise<number> {
  return changesOf(build.length - 1, build);
}

/** `changes` for a `build` that takes `arity` values after the query creator, through a rest parameter. */
export function changesOf<DB, A extends unknown[]>(arity: number, build: (q: Kysely<DB>, ...args: A) => Compilable<unknown>): (q: Kysely<DB>, ...args: A) => Promise<number> {
  const run = onEachDatabase(arity, build);
  return (q, ...args) => run(q, args).then((result) => Number(result.numAffectedRows ?? 0n));
}

function onEachDatabase<DB, A extends unknown[], R>(arity: number, build: (q: Kysely<DB>, ...args: A) => Compilable<R>): (q: Kysely<DB>, args: A) => Promise<QueryResult<R>> {
  const byDatabase = new WeakMap<object, (q: Kysely<DB>, args: A) => Promise<QueryResult<R>>>();
  return (q, args) => {
    // A transaction's executor carries its database's adapter: one compilation serves the database and all its transactions.
    const key = q.getExecutor().adapter;
    let run = byDatabase.get(key);
    if (!run) byDatabase.set(key, (run = compiledRun<A, R>(arity, (standIns) => build(q, ...standIns))));
    return run(q, args);
  };
}

function compiledRun<A extends unknown[], R>(arity: number, compile: (standIns: A) => Compilable<R>): (q: Kysely<any>, args: A) => Promise<QueryResult<R>> {
  const standIns = Array.from({ length: arity }, (_, i) => `\u0000compileOnce argument ${i}`);
  const compiled = compile(standIns as A).compile();
  const slots = compiled.parameters.map((p) => standIns.indexOf(p as string));
  const missing = standIns.findIndex((_, i) => !slots.includes(i));
  if (missing >= 0) throw new Error(`compileOnce: argument ${missing} does not reach the compiled parameters as given (${compiled.sql})`);
  return async (q, args) => {
    const parameters = slots.map((slot, i) => (slot < 0 ? compiled.parameters[i] : args[slot]));
    // Inside a SQLite transaction, straight on the connection it holds (sqlite-dialect.ts).
    const held = runOnHeldConnection(q);
    if (held) return held({ ...compiled, parameters }) as QueryResult<R>;
    // A query id of its own per run: plugins key what they keep of a run by it.
    return q.executeQuery<R>({ ...compiled, parameters, queryId: createQueryId() });
  };
}

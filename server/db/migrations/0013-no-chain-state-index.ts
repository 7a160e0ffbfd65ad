/**
 * The index on invoices (chain, state) goes: every invoice created and every change of state wrote it (1–2 µs
 * of an update's 7–9, one-off), and the one query that could use it, the addresses a chain watches
 * (invoices/chain-sink.ts), read every invoice of the chain through it, as it reads only the open and the
 * recently expired ones through (state, expires_at) now.
 */
import { statements } from './statements';

export const migration = statements([`DROP INDEX invoices_by_chain_state`]);

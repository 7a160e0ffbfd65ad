/**
 * Remembers each accepted `Sign` for as long as its timestamp is accepted,
 * with the route that accepted it. Calypso signs only the body, so without
 * this a captured request could be sent again (a second invoice, a second
 * archive) or to another route (a signed read sent to /subscription/webhook
 * would answer every webhook secret). In the database, so several processes
 * on one database refuse each other's replays too.
 */
import { changes, compileOnce } from '../db/compile-once';
import { groupCommit } from '../db/group-commit';
import type { Db } from '../db/schema';

/** How many expired claims one statement of the prune deletes, about. */
const PRUNE_CHUNK = 1000;

export function createReplayGuard(db: Db) {
  // Compiled once: every signed request claims its Sign, so these two run on every one.
  const insert = changes((q: Db, sign: string, route: string, until: number) =>
    q
      .insertInto('signed_requests')
      .values({ sign, route, expires_at: until })
      .onConflict((oc) => oc.columns(['expires_at', 'sign']).doNothing()),
  );
  // By the whole key: the same bytes always carry the same timestamp, so a replay names the same expiry.
  const firstRoute = compileOnce(db, (sign: string, until: number) => db.selectFrom('signed_requests').select('route').where('expires_at', '=', until).where('sign', '=', sign));
  const chunkEnd = compileOnce(db, (now: number, offset: number) =>
    db.selectFrom('signed_requests').select('expires_at').where('expires_at', '<', now).orderBy('expires_at').limit(1).offset(offset),
  );
  return {
    /**
     * Records `sign` as accepted by `route` until `until` (epoch ms). Returns
     * null when this is its first time, else the route that accepted it first.
     * The insert is atomic: of concurrent identical requests exactly one gets null.
     */
    async claim(sign: string, route: string, until: number): Promise<string | null> {
      // The row can vanish between the two statements (pruned as expired): then try again.
      for (let attempt = 0; attempt < 3; attempt++) {
        // Its commit shared with the other requests of the same few turns of the event loop (db/group-commit.ts).
        if ((await groupCommit(db).statement((q) => insert(q, sign, route, until))) > 0) return null;
        const [first] = await firstRoute(sign, until);
        if (first) return first.route;
      }
      throw new Error('replay guard: a signed request kept vanishing while being claimed');
    },

    /**
     * Deletes what can no longer be replayed: its timestamp is outside the window now. About a thousand at a
     * time, in order of expiry, letting requests run between: one statement over a busy minute's claims held
     * the database for its whole length (60 ms for 48,000, one-off).
     */
    async prune(now: number): Promise<number> {
      let deleted = 0;
      for (;;) {
        // The expiry of the chunk's last claim: every claim up to it goes (a few more when several share it).
        const [last] = await chunkEnd(now, PRUNE_CHUNK - 1);
        const until = last ? db.deleteFrom('signed_requests').where('expires_at', '<=', last.expires_at) : db.deleteFrom('signed_requests').where('expires_at', '<', now);
        deleted += Number((await until.executeTakeFirst()).numDeletedRows);
        if (!last) return deleted;
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

export type ReplayGuard = ReturnType<typeof createReplayGuard>;

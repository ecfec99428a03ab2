import type { Kysely, KyselyPlugin } from 'kysely';

/**
 * The same database handle, except that the first statement of `kind` run through it waits for
 * `during` once its result is back, before the caller sees it: the caller's transaction is open
 * and holds whatever that statement took. Stages an interleaving at an exact point, without timing.
 */
export function pauseAfter<DB>(db: Kysely<DB>, kind: 'SelectQueryNode' | 'InsertQueryNode', during: () => Promise<void>): Kysely<DB> {
  const matching = new Set<string>();
  let paused = false;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      if (args.node.kind === kind) matching.add(args.queryId.queryId);
      return args.node;
    },
    async transformResult(args) {
      if (!paused && matching.has(args.queryId.queryId)) {
        paused = true;
        await during();
      }
      return args.result;
    },
  };
  return db.withPlugin(plugin);
}

import type { Logger } from 'pino';
import { redact } from '../../connectors/shared/redact.js';
import type { Repositories, Store } from '../store/store.js';
import { RecentEvents } from './recent-events.js';

/** What the claims need of the store: its repositories, a transaction over them, and its secrets so a driver's error can be logged without them. */
export type WebhookClaimsStore = Repositories & Pick<Store, 'transaction' | 'secrets'>;

/** A failure of the caller's own work (the deletions), told apart from the store failing to claim. */
class HandlingFailed {
  constructor(readonly err: unknown) {}
}

/**
 * Which of a webhook batch's events this instance is the first to see, across every instance
 * sharing the store (webhook_events, store/webhook-events.ts), so that a delivery HubSpot repeats
 * to another instance behind the load balancer is not rescored twice.
 *
 * The claim and the caller's handling (the deletions a batch carries) run in one transaction: if
 * the handling fails, the claims roll back with it, and HubSpot's retry is applied rather than
 * taken for a duplicate. A privacy deletion must never be lost that way, which giving the claims
 * back in a second statement could not promise. On PostgreSQL another instance claiming the same
 * event meanwhile waits for that transaction, and then finds it claimed or free.
 *
 * When the store fails (PostgreSQL down or cut off), this process's memory decides, as it did for
 * every instance before, until the store answers again; both turns are logged once, as the shared
 * rate limits do (security/shared-rate-limit-store.ts). A repeat that reaches another instance
 * meanwhile is rescored again: wasted work, not harm. The memory also notes what the store
 * claimed, so that during an outage this instance still knows its own recent events.
 */
export class WebhookEventClaims {
  #failing = false;

  constructor(
    private readonly store: WebhookClaimsStore,
    private readonly logger: Logger,
    private readonly crm: string,
    readonly memory = new RecentEvents(),
  ) {}

  /**
   * Runs `handle` with the keys of `keys` seen for the first time and the repositories to apply
   * them with (inside the claim's transaction when the store answers). What `handle` throws is
   * thrown, with the claims given back.
   */
  async claim<T>(keys: readonly string[], now: number, handle: (first: ReadonlySet<string>, repos: Repositories) => Promise<T>): Promise<T> {
    const noted: string[] = [];
    let claimedAny = false;
    let result: T;
    try {
      result = await this.store.transaction(async (tx) => {
        const claimed = await tx.webhookEvents.claim(this.crm, keys, new Date(now));
        // A key the store has not seen but this process handled while the store was away is a repeat all the same.
        const first = new Set([...claimed].filter((key) => this.memory.firstTime(key, now)));
        noted.push(...first);
        claimedAny = claimed.size > 0;
        try {
          return await handle(first, tx);
        } catch (err) {
          throw new HandlingFailed(err);
        }
      });
    } catch (err) {
      for (const key of noted) this.memory.forget(key);
      if (err instanceof HandlingFailed) throw err.err;
      this.#storeFailed(err);
      return this.#inMemory(keys, now, handle);
    }
    this.#storeAnswered();
    if (claimedAny) await this.#prune(now);
    return result;
  }

  async #inMemory<T>(keys: readonly string[], now: number, handle: (first: ReadonlySet<string>, repos: Repositories) => Promise<T>): Promise<T> {
    const first = new Set(keys.filter((key) => this.memory.firstTime(key, now)));
    try {
      return await handle(first, this.store);
    } catch (err) {
      for (const key of first) this.memory.forget(key);
      throw err;
    }
  }

  /**
   * Opportunistic: each batch that claimed an event removes the ids past HubSpot's retry horizon,
   * in one DELETE by the received_at index, which mostly finds nothing to delete.
   */
  async #prune(now: number): Promise<void> {
    await this.store.webhookEvents.prune(new Date(now)).catch((err: Error) => {
      // Harmless: the rows wait for the next batch's prune, and a store that stopped answering is said by the next claim.
      this.logger.debug({ err: redact(err?.message ?? String(err), this.store.secrets()) }, 'webhook event ids not pruned');
    });
  }

  #storeFailed(err: unknown): void {
    if (this.#failing) return;
    this.#failing = true;
    const reason = redact((err as Error)?.message ?? String(err), this.store.secrets());
    this.logger.warn(
      { crm: this.crm, err: reason },
      `${this.crm} webhooks: the store did not answer, so this instance tells repeated events apart by itself until it does (a repeat that reaches another instance is rescored again meanwhile)`,
    );
  }

  #storeAnswered(): void {
    if (!this.#failing) return;
    this.#failing = false;
    this.logger.info({ crm: this.crm }, `${this.crm} webhooks: the store answers again; repeated events are told apart across instances again`);
  }
}

import { MemoryStore, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { redact } from '../../../connectors/shared/redact.js';
import { RATE_LIMIT_STATEMENT_TIMEOUT_MS, type RateLimitHitsRepository } from '../../store/rate-limit-hits.js';

/** What a limit needs of the store: its hit counts, and its secrets so a driver's error can be logged without them. */
export interface RateLimitHitsSource {
  rateLimitHits: RateLimitHitsRepository;
  secrets(): string[];
}

/**
 * How long a request waits for the store's count before counting in memory: PostgreSQL's own
 * cancel of the statement (rate-limit-hits.ts) plus a little for the answer to come back. A store
 * that answers nothing at all (a server that took the connection and went silent, a pool with no
 * free connection) is caught by this side alone; the pool would wait 10 s (postgres-connection.ts).
 */
export const STORE_DEADLINE_MS = RATE_LIMIT_STATEMENT_TIMEOUT_MS + 250;
/** After the store failed or ran out of time, how long every request counts in memory before the store is asked again. */
export const STORE_BACK_OFF_MS = 30_000;

export interface StoreWaits {
  deadlineMs: number;
  backOffMs: number;
  /** The clock the back-off is measured on (tests step it rather than wait). */
  now(): number;
}

/**
 * An express-rate-limit Store (the interface of express-rate-limit 8.x, node_modules/express-rate-limit/dist/index.d.ts
 * `Store`: init/get/increment/decrement/resetKey, with `localKeys` false for a database and a
 * `prefix` for its double-count check) over leadlift's own store, so that every instance sharing
 * the store counts one address's attempts together (rate-limit-hits.ts).
 *
 * When the store fails (PostgreSQL down or cut off), the count falls back to this process's memory,
 * as every limit counted before, until the store answers again; both turns are logged once. A
 * store that hangs rather than fails costs one request STORE_DEADLINE_MS, then none for
 * STORE_BACK_OFF_MS (they count in memory at once), so a hung database slows one login in 30 s,
 * not every one by the pool's 10 s. Not
 * failing closed: a 500 or 429 for every login while the database is away would lock the admins
 * out of the pages that say what is wrong. Not failing open either (express-rate-limit's
 * passOnStoreError, which covers only the increment, and would let a guesser who can slow the
 * database down guess without limit): per-process counting is the limit every instance had.
 */
export class SharedRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  #windowMs = 60_000;
  readonly #memory = new MemoryStore();
  #failing = false;
  /** Until when (on waits.now) the store is not asked; 0 while it answers. */
  #askAgainAt = 0;

  constructor(
    private readonly store: RateLimitHitsSource,
    /** The limit's name in the table ("login", "metrics-token"): each limit counts apart. */
    private readonly limiter: string,
    private readonly logger: Logger,
    private readonly waits: StoreWaits = { deadlineMs: STORE_DEADLINE_MS, backOffMs: STORE_BACK_OFF_MS, now: Date.now },
  ) {
    this.prefix = `${limiter}:`;
  }

  init(options: Options): void {
    this.#windowMs = options.windowMs;
    this.#memory.init(options);
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    return this.#either(
      async () => {
        const { hits, resetAt } = await this.store.rateLimitHits.hit(this.limiter, key, this.#windowMs);
        return { totalHits: hits, resetTime: resetAt };
      },
      () => this.#memory.increment(key),
    );
  }

  async decrement(key: string): Promise<void> {
    await this.#either(
      () => this.store.rateLimitHits.unhit(this.limiter, key),
      () => this.#memory.decrement(key),
    );
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.#either(
      async () => {
        const row = await this.store.rateLimitHits.get(this.limiter, key);
        return row ? { totalHits: row.hits, resetTime: row.resetAt } : undefined;
      },
      () => this.#memory.get(key),
    );
  }

  async resetKey(key: string): Promise<void> {
    await this.#memory.resetKey(key);
    await this.#either(
      () => this.store.rateLimitHits.reset(this.limiter, key),
      async () => undefined,
    );
  }

  async #either<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.#failing && this.waits.now() < this.#askAgainAt) return local();
    let result: T;
    try {
      result = await this.#withinDeadline(shared());
    } catch (err) {
      this.#askAgainAt = this.waits.now() + this.waits.backOffMs;
      if (!this.#failing) {
        this.#failing = true;
        const reason = redact((err as Error)?.message ?? String(err), this.store.secrets());
        this.logger.warn(
          { limiter: this.limiter, err: reason, retryInSeconds: this.waits.backOffMs / 1000 },
          `${this.limiter} limit: the store did not answer, so this instance counts attempts by itself until it does (the limit then holds per instance, not across instances)`,
        );
      }
      return local();
    }
    if (this.#failing) {
      this.#failing = false;
      this.logger.info({ limiter: this.limiter }, `${this.limiter} limit: the store answers again; attempts are counted across instances again`);
    }
    return result;
  }

  /** The store's answer, or a rejection once the deadline passes; a late answer (or failure) is then dropped. */
  #withinDeadline<T>(pending: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.waits.deadlineMs} ms`)),
        this.waits.deadlineMs,
      );
      // Never what keeps a process alive that is closing.
      timer.unref();
    });
    pending.catch(() => undefined);
    return Promise.race([pending, late]).finally(() => clearTimeout(timer));
  }
}

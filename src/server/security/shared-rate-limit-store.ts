import { MemoryStore, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { redact } from '../../../connectors/shared/redact.js';
import type { RateLimitHitsRepository } from '../../store/rate-limit-hits.js';

/** What a limit needs of the store: its hit counts, and its secrets so a driver's error can be logged without them. */
export interface RateLimitHitsSource {
  rateLimitHits: RateLimitHitsRepository;
  secrets(): string[];
}

/**
 * An express-rate-limit Store (the interface of express-rate-limit 8.x, node_modules/express-rate-limit/dist/index.d.ts
 * `Store`: init/get/increment/decrement/resetKey, with `localKeys` false for a database and a
 * `prefix` for its double-count check) over leadlift's own store, so that every instance sharing
 * the store counts one address's attempts together (rate-limit-hits.ts).
 *
 * When the store fails (PostgreSQL down or cut off), the count falls back to this process's memory,
 * as every limit counted before, until the store answers again; both turns are logged once. Not
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

  constructor(
    private readonly store: RateLimitHitsSource,
    /** The limit's name in the table ("login", "metrics-token"): each limit counts apart. */
    private readonly limiter: string,
    private readonly logger: Logger,
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
    let result: T;
    try {
      result = await shared();
    } catch (err) {
      if (!this.#failing) {
        this.#failing = true;
        const reason = redact((err as Error)?.message ?? String(err), this.store.secrets());
        this.logger.warn(
          { limiter: this.limiter, err: reason },
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
}

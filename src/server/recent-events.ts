import { WEBHOOK_EVENT_HORIZON_MS } from '../store/webhook-events.js';

/**
 * A bounded memory of recently seen webhook event ids: HubSpot retries a delivery it thinks
 * failed, and the same event must not trigger a second rescore. Oldest ids are forgotten first;
 * by then HubSpot has long stopped retrying them.
 */
export class RecentEvents {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly capacity = 50_000,
    private readonly ttlMs = WEBHOOK_EVENT_HORIZON_MS,
  ) {}

  /** true the first time an id is offered (within the memory), false for a repeat. */
  firstTime(id: string, now = Date.now()): boolean {
    const at = this.seen.get(id);
    if (at !== undefined && now - at < this.ttlMs) return false;
    this.seen.delete(id);
    this.seen.set(id, now);
    while (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value as string);
    return true;
  }

  /** Forgets an id, so its next offer counts as the first (an event whose handling failed). */
  forget(id: string): void {
    this.seen.delete(id);
  }

  get size(): number {
    return this.seen.size;
  }
}

import type { SandboxContext } from '../context.js';
import type { ContactEvent, HubspotRecords } from './store.js';
import { signatureV1, signatureV3 } from './webhook-signature.js';

/** HubSpot sends at most this many events in one request. */
const MAX_BATCH = 100;

export interface WebhookOptions {
  /** How long events gather before a batch is sent (default 200 ms). */
  batchMs: number;
  /** Delivery attempts per batch, the first included (HubSpot makes up to 10 over a day). */
  maxAttempts: number;
  /** Wait before the first retry; doubles each time (default 1000 ms). */
  retryBaseMs: number;
}

export interface DeliveryRecord {
  at: number;
  targetUrl: string;
  events: number;
  attemptNumber: number;
  status: number; // 0 when the request failed without a response
  error?: string;
}

type WebhookEvent = Record<string, unknown>;

/**
 * Turns contact changes into HubSpot webhook events for the active subscriptions, gathers them
 * into batches of up to 100 and POSTs them, signed, to the app's target URL; failed batches are
 * retried with attemptNumber counting up. Batches go out one at a time.
 */
export class WebhookDispatcher {
  readonly deliveries: DeliveryRecord[] = [];
  private queue: WebhookEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();
  private pendingRetries = new Set<NodeJS.Timeout>();
  private inFlight = new Set<Promise<void>>();
  private nextEventId = 1;
  private closed = false;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly records: HubspotRecords,
    public options: WebhookOptions,
  ) {
    records.onContactEvent((event) => this.enqueue(event));
  }

  private enqueue(event: ContactEvent): void {
    const state = this.records.state;
    if (!state.webhookSettings || this.closed) return;
    for (const sub of state.subscriptions) {
      if (!sub.active) continue;
      const common = {
        eventId: this.nextEventId,
        subscriptionId: sub.id,
        portalId: state.app.portalId,
        appId: state.app.appId,
        occurredAt: event.at,
        attemptNumber: 0,
        objectId: Number(event.id),
        changeSource: event.source,
        sourceId: event.source === 'INTEGRATION' ? String(state.app.appId) : 'userId:1',
      };
      if (sub.eventType === 'contact.creation' && event.kind === 'creation') {
        this.queue.push({ ...common, subscriptionType: 'contact.creation', changeFlag: 'CREATED' });
      } else if (sub.eventType === 'contact.propertyChange' && event.kind === 'propertyChange' && sub.propertyName === event.name) {
        this.queue.push({ ...common, subscriptionType: 'contact.propertyChange', propertyName: event.name, propertyValue: event.value });
      } else if (sub.eventType === 'contact.deletion' && event.kind === 'deletion') {
        this.queue.push({ ...common, subscriptionType: 'contact.deletion', changeFlag: 'DELETED' });
      } else if (sub.eventType === 'contact.privacyDeletion' && event.kind === 'privacyDeletion') {
        // HubSpot documents no changeFlag for privacy deletions: the subscription type says it all.
        this.queue.push({ ...common, subscriptionType: 'contact.privacyDeletion' });
      } else if (sub.eventType === 'contact.merge' && event.kind === 'merge') {
        // The merge fields as HubSpot's developer changelog "New subscription types for Webhooks"
        // lists them: primaryObjectId (the primary, whose values win), mergedObjectIds (the secondary
        // ones, an array), newObjectId (the record the merge created, apart from primaryObjectId
        // because merges create one now) and numberOfPropertiesMoved. objectId, common to all events,
        // is the primary's as in the merge payloads integrations document (HubSpot's text says
        // nothing of it); ids are numbers like every event's objectId.
        this.queue.push({
          ...common,
          subscriptionType: 'contact.merge',
          primaryObjectId: Number(event.id),
          mergedObjectIds: event.mergedIds.map(Number),
          newObjectId: Number(event.newId),
          numberOfPropertiesMoved: event.propertiesMoved,
        });
      } else continue;
      this.nextEventId++;
    }
    if (this.queue.length >= MAX_BATCH) void this.flush();
    else if (this.queue.length > 0 && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.batchMs);
      this.timer.unref();
    }
  }

  /** Sends everything queued now and waits for it (retries scheduled later are not awaited). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.sending = this.sending.then(() => this.send(batch, 0));
    }
    await this.sending;
    await Promise.all(this.inFlight);
  }

  /** Stops timers and retries; events still queued are dropped. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.pendingRetries) clearTimeout(t);
    this.pendingRetries.clear();
    this.queue = [];
  }

  clear(): void {
    this.queue = [];
    this.deliveries.length = 0;
    for (const t of this.pendingRetries) clearTimeout(t);
    this.pendingRetries.clear();
  }

  private async send(batch: WebhookEvent[], attemptNumber: number): Promise<void> {
    const settings = this.records.state.webhookSettings;
    if (!settings || this.closed) return;
    const body = JSON.stringify(batch.map((e) => ({ ...e, attemptNumber })));
    const secret = this.records.state.app.clientSecret;
    const timestamp = Date.now(); // wall clock: receivers check it against their own clock (5-minute window)
    const record: DeliveryRecord = { at: this.ctx.clock.now(), targetUrl: settings.targetUrl, events: batch.length, attemptNumber, status: 0 };
    try {
      const response = await fetch(settings.targetUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (leadlift sandbox)',
          'X-HubSpot-Signature-v3': signatureV3(secret, 'POST', settings.targetUrl, body, timestamp),
          'X-HubSpot-Request-Timestamp': String(timestamp),
          'X-HubSpot-Signature': signatureV1(secret, body),
          'X-HubSpot-Signature-Version': 'v1',
        },
        body,
        signal: AbortSignal.timeout(5000),
      });
      record.status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (err) {
      record.error = (err as Error).message;
    }
    this.deliveries.push(record);
    if (this.deliveries.length > 1000) this.deliveries.splice(0, 500);
    if (record.status >= 200 && record.status < 300) return;
    if (attemptNumber + 1 >= this.options.maxAttempts || this.closed) return;
    const timer = setTimeout(() => {
      this.pendingRetries.delete(timer);
      const retry = this.send(batch, attemptNumber + 1).finally(() => this.inFlight.delete(retry));
      this.inFlight.add(retry);
    }, this.options.retryBaseMs * 2 ** attemptNumber);
    timer.unref();
    this.pendingRetries.add(timer);
  }
}

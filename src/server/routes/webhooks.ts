import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { connectedHubspotPortal } from '../connected-portal.js';
import { applyContactDeletions, DELETION_EVENTS, isDeletionEvent } from '../contact-deletions.js';
import { contactMerge, MERGE_EVENT } from '../contact-merges.js';
import type { ServerDeps } from '../deps.js';
import { verifyHubspotSignatureV3 } from '../hubspot-signature.js';
import { webhookRateLimit } from '../security/rate-limits.js';
import { WebhookEventClaims } from '../webhook-event-claims.js';

const objectId = z.union([z.number(), z.string()]);
const hubspotEvent = z
  .object({
    eventId: z.union([z.number(), z.string()]),
    subscriptionType: z.string().max(100),
    objectId,
    portalId: z.union([z.number(), z.string()]).optional(),
    propertyName: z.string().max(200).optional(),
    changeSource: z.string().max(100).optional(),
    attemptNumber: z.number().optional(),
    // contact.merge only (contact-merges.ts)
    primaryObjectId: objectId.optional(),
    mergedObjectIds: z.array(objectId).max(1000).optional(),
    newObjectId: objectId.optional(),
  })
  .passthrough();
const hubspotBatch = z.array(hubspotEvent).max(1000);

/**
 * HubSpot webhooks: verified (v3 signature, at most five minutes old), deduplicated by event id
 * across every instance sharing the store (webhook-event-claims.ts),
 * and answered at once; the changed contacts are then rescored in the background, where only
 * a changed score, tier or reasons is written back. Deletions are applied before the answer
 * (see contact-deletions.ts): a 2xx tells HubSpot a privacy deletion is done, so it must be. A
 * merge is applied with them (contact-merges.ts): the merged-away ids are archived, and the
 * record the merge left is rescored like a changed contact.
 *
 * Only events of the connected portal count: every portal that installed the app is sent
 * webhooks signed with the same client secret, and a contact id of another portal can be one of
 * ours, so an event naming another portal (or none) is ignored and counted as `otherPortal`.
 * While the connected portal's id is not known (HubSpot not connected yet, or its id could not be
 * read), no event can be told apart and the batch is refused with a 503: nothing is applied, and
 * HubSpot sends it again later (it retries failed deliveries for about a day).
 */
export function webhookRoutes(deps: ServerDeps, claims = new WebhookEventClaims(deps.store, deps.logger, 'hubspot')): Router {
  const router = Router();
  const ownProperties = new Set(deps.manifest.hubspot.properties.map((p) => p.name));
  const counted = (result: string, n = 1) => deps.metrics.webhookEvents.inc({ crm: 'hubspot', result }, n);

  router.post('/webhooks/hubspot', webhookRateLimit(), express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const secret = deps.settings.hubspot.clientSecret;
    if (!secret) {
      counted('rejected');
      return res.status(503).json({ error: 'HubSpot webhooks are not set up on this server (HUBSPOT_CLIENT_SECRET is missing).' });
    }
    const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const now = deps.now?.() ?? Date.now();
    const checks = candidateUris(req, deps.settings.publicUrl).map((uri) =>
      verifyHubspotSignatureV3({
        clientSecret: secret,
        method: req.method,
        uri,
        rawBody,
        signature: req.get('x-hubspot-signature-v3'),
        timestamp: req.get('x-hubspot-request-timestamp'),
        now,
      }),
    );
    if (!checks.some((c) => c.ok)) {
      const reason = checks.find((c) => !c.ok && c.reason !== 'mismatch') ?? checks[0];
      const why = !reason.ok ? reason.reason : 'mismatch';
      counted('rejected');
      deps.logger.warn({ why, ip: req.ip }, 'HubSpot webhook refused');
      return res.status(401).json({ error: why === 'stale' ? 'Request timestamp is more than five minutes old.' : why === 'missing' ? 'Missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp.' : 'Signature does not match.' });
    }

    let events: z.infer<typeof hubspotBatch>;
    try {
      const parsed = hubspotBatch.safeParse(JSON.parse(rawBody));
      if (!parsed.success) throw new Error(parsed.error.issues[0].message);
      events = parsed.data;
    } catch (err) {
      counted('rejected');
      return res.status(400).json({ error: `Body is not a HubSpot event batch: ${(err as Error).message}` });
    }

    const portal = await connectedHubspotPortal(deps.connections);
    if (!('portalId' in portal)) {
      counted('failed', events.length);
      deps.logger.warn({ events: events.length }, `HubSpot webhook batch not applied: the connected portal's id is not known, so no event can be checked against it (${portal.problem}); HubSpot sends the batch again`);
      return res.status(503).json({ error: "leadlift does not know yet which HubSpot portal it is connected to, so this batch was not applied; HubSpot sends it again." });
    }

    // Before anything else, deduplication included: another portal's event id says nothing about ours.
    const isOurs = (e: (typeof events)[number]) => e.portalId !== undefined && String(e.portalId) === String(portal.portalId);
    const ours = events.filter(isOurs);
    const otherPortal = events.length - ours.length;
    const otherPortals = new Set(events.filter((e) => !isOurs(e)).map((e) => String(e.portalId ?? '(none)')));
    const keyOf = (e: (typeof ours)[number]) => `${e.portalId}:${e.eventId}`;

    let sorted: SortedBatch;
    let firstSeen = 0;
    try {
      sorted = await claims.claim(ours.map(keyOf), now, async (first, repos) => {
        // Each first-seen event once: an id twice in one batch is a repeat too.
        const taken = new Set<string>();
        const fresh = ours.filter((e) => first.has(keyOf(e)) && !taken.has(keyOf(e)) && taken.add(keyOf(e)));
        firstSeen = fresh.length;
        const batch = sortBatch(fresh, ownProperties);
        batch.duplicates = ours.length - fresh.length;
        await applyContactDeletions(repos, batch.deletions);
        return batch;
      });
    } catch (err) {
      // The claims went back with it, so HubSpot's retry of this batch is applied rather than taken for a duplicate.
      counted('failed', firstSeen);
      deps.logger.error({ err: (err as Error).message }, 'HubSpot webhook deletions not applied');
      // Our own words only: a driver's message can name hosts or users of the database.
      return res.status(500).json({ error: 'The deletions in this batch could not be stored; HubSpot sends it again.' });
    }
    const { accepted, duplicates, ignored, archived, forgotten, merged, contacts, deletions } = sorted;
    // A deleted contact has nothing left to rescore, whatever else the batch said about it.
    for (const id of [...deletions.archive, ...deletions.forget]) contacts.delete(id);
    if (otherPortal > 0) {
      // Once per batch, ids only: which portals sent events this server does not serve.
      deps.logger.warn({ events: otherPortal, portals: [...otherPortals].slice(0, 10), connectedPortal: portal.portalId }, `HubSpot webhook events of another portal ignored: ${otherPortal} event(s) from portal(s) ${[...otherPortals].slice(0, 10).join(', ')}, while this server is connected to portal ${portal.portalId}`);
    }
    counted('other-portal', otherPortal);
    counted('accepted', accepted);
    counted('duplicate', duplicates);
    counted('ignored', ignored);
    counted('archived', archived);
    counted('forgotten', forgotten);
    counted('merged', merged);
    if (contacts.size > 0) {
      void deps.loop.rescore('hubspot', [...contacts]).catch((err: Error) => deps.logger.error({ err: err.message }, 'rescore after a HubSpot webhook failed'));
    }
    res.json({ accepted, duplicates, ignored, archived, forgotten, merged, contacts: contacts.size, otherPortal });
  });

  return router;
}

type HubspotEvent = z.infer<typeof hubspotEvent>;

/** What a batch's first-seen events ask for, and their counts for the answer and /metrics. */
interface SortedBatch {
  accepted: number;
  duplicates: number;
  ignored: number;
  archived: number;
  forgotten: number;
  merged: number;
  /** Contacts to rescore. */
  contacts: Set<string>;
  deletions: { archive: Set<string>; forget: Set<string> };
}

function sortBatch(events: readonly HubspotEvent[], ownProperties: ReadonlySet<string>): SortedBatch {
  const batch: SortedBatch = { accepted: 0, duplicates: 0, ignored: 0, archived: 0, forgotten: 0, merged: 0, contacts: new Set(), deletions: { archive: new Set(), forget: new Set() } };
  for (const e of events) {
    if (isDeletionEvent(e.subscriptionType)) {
      const action = DELETION_EVENTS[e.subscriptionType];
      batch.deletions[action].add(String(e.objectId));
      if (action === 'archive') batch.archived++;
      else batch.forgotten++;
      continue;
    }
    if (e.subscriptionType === MERGE_EVENT) {
      const { mergedAway, survivor } = contactMerge(e);
      for (const id of mergedAway) batch.deletions.archive.add(id);
      batch.contacts.add(survivor);
      batch.merged++;
      continue;
    }
    // Our own score writes come back as property changes: rescoring on them would loop.
    if (!e.subscriptionType.startsWith('contact.') || (e.propertyName && ownProperties.has(e.propertyName))) {
      batch.ignored++;
      continue;
    }
    batch.accepted++;
    batch.contacts.add(String(e.objectId));
  }
  return batch;
}

/**
 * HubSpot signs the URL it was told to call. Behind a proxy that is the public URL; otherwise the
 * URL the request arrived at. Either must match: the signature, not the URL, is the proof.
 */
function candidateUris(req: Request, publicUrl: string): string[] {
  const own = `${req.protocol}://${req.get('host')}${req.originalUrl}`;
  const configured = `${publicUrl}${req.originalUrl}`;
  return own === configured ? [own] : [own, configured];
}

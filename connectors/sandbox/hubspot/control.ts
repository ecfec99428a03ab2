import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { HubspotDeps } from './deps.js';
import { checkPropertyValues, propertyErrorsMessage } from './property-values.js';
import type { WebhookDispatcher } from './webhook-delivery.js';
import { SUPPORTED_EVENTS } from './webhooks-api.js';

const webhookSetup = z.object({
  targetUrl: z.string().url(),
  events: z.array(z.object({ eventType: z.enum(SUPPORTED_EVENTS), propertyName: z.string().optional() })).default([]),
});

const deliveryOptions = z.object({
  batchMs: z.number().int().nonnegative().optional(),
  maxAttempts: z.number().int().min(1).max(10).optional(),
  retryBaseMs: z.number().int().nonnegative().optional(),
});

/**
 * HubSpot parts of the control API (/__sandbox/hubspot): the app's credentials, a one-call webhook
 * setup, delivery inspection, and edits made "by a rep in the HubSpot UI" (changeSource CRM_UI).
 */
export function hubspotControl(deps: HubspotDeps, webhooks: WebhookDispatcher): Router {
  const router = Router();
  const { records, ctx } = deps;

  router.get('/app', (_req, res) => res.json(records.state.app));

  router.patch('/app', (req, res) => {
    // scopes (required) and optionalScopes: what the next install must and may ask for, as a
    // developer edits them in the app's settings; tokens already issued keep theirs, as in HubSpot.
    // portalId: the portal the next install is into (an admin installing the app in another
    // portal); tokens already issued keep saying theirs. The records stay one set for all portals.
    const scopeList = z.array(z.string().min(1)).optional();
    const parsed = z
      .object({ clientId: z.string().min(1).optional(), clientSecret: z.string().min(1).optional(), scopes: scopeList, optionalScopes: scopeList, portalId: z.number().int().positive().optional() })
      .strict()
      .safeParse(req.body);
    if (!parsed.success) return res.status(400).json({ error: parsed.error.issues[0]?.message });
    Object.assign(records.state.app, parsed.data);
    res.json(records.state.app);
  });

  router.put('/webhooks', (req, res) => {
    const parsed = webhookSetup.safeParse(req.body);
    if (!parsed.success) return res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ') });
    const now = ctx.clock.now();
    const state = records.state;
    state.webhookSettings = { targetUrl: parsed.data.targetUrl, maxConcurrentRequests: 10, createdAt: now, updatedAt: now };
    state.subscriptions = parsed.data.events.map((e) => ({ id: state.nextSubscriptionId++, ...e, active: true, createdAt: now, updatedAt: now }));
    res.json({ targetUrl: parsed.data.targetUrl, subscriptions: state.subscriptions, clientSecret: state.app.clientSecret, appId: state.app.appId });
  });

  router.patch('/webhooks/options', (req, res) => {
    const parsed = deliveryOptions.safeParse(req.body);
    if (!parsed.success) return res.status(400).json({ error: parsed.error.issues[0]?.message });
    Object.assign(webhooks.options, parsed.data);
    res.json(webhooks.options);
  });

  router.get('/webhooks/deliveries', (_req, res) => res.json({ results: webhooks.deliveries }));

  router.post('/webhooks/flush', async (_req, res) => {
    await webhooks.flush();
    res.json({ results: webhooks.deliveries });
  });

  router.patch('/contacts/:id', (req, res) => {
    const contact = records.get('contacts', req.params.id);
    if (!contact || contact.archived) return res.status(404).json({ error: `No contact ${req.params.id}` });
    const checked = checkPropertyValues(records.state.properties.contacts, req.body?.properties ?? {});
    if (!checked.ok) return res.status(400).json({ error: propertyErrorsMessage(checked.errors) });
    records.update('contacts', contact, checked.values, 'CRM_UI');
    res.json({ id: contact.id, properties: contact.properties });
  });

  // An import or workflow touching many contacts in one go: they all share one lastmodifieddate,
  // which no sequence of 100-input batch updates can produce.
  router.patch('/contacts', (req, res) => {
    const parsed = z.object({ ids: z.array(z.string()).min(1), properties: z.record(z.string()) }).strict().safeParse(req.body);
    if (!parsed.success) return res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ') });
    const contacts = parsed.data.ids.map((id) => records.get('contacts', id));
    const missing = parsed.data.ids.filter((_, i) => !contacts[i] || contacts[i]!.archived);
    if (missing.length > 0) return res.status(404).json({ error: `No contacts ${missing.join(', ')}` });
    const checked = checkPropertyValues(records.state.properties.contacts, parsed.data.properties);
    if (!checked.ok) return res.status(400).json({ error: propertyErrorsMessage(checked.errors) });
    const at = ctx.clock.now();
    for (const contact of contacts) records.update('contacts', contact!, checked.values, 'IMPORT', at);
    res.json({ at: new Date(at).toISOString(), results: contacts.map((c) => ({ id: c!.id, properties: c!.properties })) });
  });

  router.post('/oauth/code', (req, res) => {
    const redirectUri = String(req.body?.redirectUri ?? '');
    if (!URL.canParse(redirectUri)) return res.status(400).json({ error: 'redirectUri must be a URL' });
    const code = `code-${randomBytes(18).toString('base64url')}`;
    // As an install that asked for every scope the app configures.
    const { scopes, optionalScopes } = records.state.app;
    records.state.authCodes.set(code, { redirectUri, expiresAt: ctx.clock.now() + 600_000, scopes: [...new Set([...scopes, ...optionalScopes])], portalId: records.state.app.portalId });
    res.json({ code });
  });

  return router;
}

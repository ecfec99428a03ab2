import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { HubspotDeps } from './deps.js';
import { sendHubspotError, validationError } from './errors.js';
import type { WebhookSubscription } from './store.js';

const settingsInput = z.object({
  targetUrl: z.string().url(),
  throttling: z.object({ maxConcurrentRequests: z.number().int().min(1), period: z.string().optional() }).optional(),
});

export const SUPPORTED_EVENTS = ['contact.creation', 'contact.propertyChange', 'contact.deletion', 'contact.privacyDeletion', 'contact.merge'] as const;
const subscriptionInput = z.object({
  eventType: z.enum(SUPPORTED_EVENTS, { errorMap: () => ({ message: `the sandbox sends ${SUPPORTED_EVENTS.join(', ')} events only` }) }),
  propertyName: z.string().optional(),
  active: z.boolean().optional(),
});

/**
 * The webhooks v3 API (/webhooks/v3/{appId}/settings and /subscriptions), authenticated with a
 * developer API key (`hapikey`) as in HubSpot. Events go to the target URL signed with the app's
 * client secret (see the control API for reading or setting it).
 */
export function webhooksApi(deps: HubspotDeps): Router {
  const router = Router();
  const { records, ctx } = deps;
  const state = () => records.state;
  const appOk = (req: Request, res: Response) => {
    if (Number(req.params.appId) === state().app.appId) return true;
    sendHubspotError(res, 404, 'OBJECT_NOT_FOUND', `App ${req.params.appId} not found; the sandbox app id is ${state().app.appId}.`);
    return false;
  };

  router.get('/webhooks/v3/:appId/settings', (req, res) => {
    if (!appOk(req, res)) return;
    const settings = state().webhookSettings;
    if (!settings) return sendHubspotError(res, 404, 'OBJECT_NOT_FOUND', 'No webhook settings for this app yet.');
    res.json(viewSettings(settings));
  });

  router.put('/webhooks/v3/:appId/settings', (req, res) => {
    if (!appOk(req, res)) return;
    const parsed = settingsInput.safeParse(req.body);
    if (!parsed.success) return validationError(res, `Invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const now = ctx.clock.now();
    const old = state().webhookSettings;
    state().webhookSettings = {
      targetUrl: parsed.data.targetUrl,
      maxConcurrentRequests: parsed.data.throttling?.maxConcurrentRequests ?? 10,
      createdAt: old?.createdAt ?? now,
      updatedAt: now,
    };
    res.json(viewSettings(state().webhookSettings!));
  });

  router.delete('/webhooks/v3/:appId/settings', (req, res) => {
    if (!appOk(req, res)) return;
    state().webhookSettings = null;
    res.status(204).end();
  });

  router.get('/webhooks/v3/:appId/subscriptions', (req, res) => {
    if (!appOk(req, res)) return;
    res.json({ results: state().subscriptions.map(viewSubscription) });
  });

  router.post('/webhooks/v3/:appId/subscriptions', (req, res) => {
    if (!appOk(req, res)) return;
    const parsed = subscriptionInput.safeParse(req.body);
    if (!parsed.success) return validationError(res, `Invalid subscription: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const { eventType, propertyName, active } = parsed.data;
    if (eventType === 'contact.propertyChange') {
      if (!propertyName) return validationError(res, 'contact.propertyChange subscriptions need a propertyName');
      if (!records.state.properties.contacts.has(propertyName)) return validationError(res, `Contact property ${propertyName} does not exist`);
    }
    const now = ctx.clock.now();
    const sub: WebhookSubscription = { id: state().nextSubscriptionId++, eventType, propertyName, active: active ?? true, createdAt: now, updatedAt: now };
    state().subscriptions.push(sub);
    res.status(201).json(viewSubscription(sub));
  });

  router.get('/webhooks/v3/:appId/subscriptions/:id', (req, res) => {
    if (!appOk(req, res)) return;
    const sub = state().subscriptions.find((s) => s.id === Number(req.params.id));
    if (!sub) return sendHubspotError(res, 404, 'OBJECT_NOT_FOUND', `Subscription ${req.params.id} not found.`);
    res.json(viewSubscription(sub));
  });

  router.patch('/webhooks/v3/:appId/subscriptions/:id', (req, res) => {
    if (!appOk(req, res)) return;
    const sub = state().subscriptions.find((s) => s.id === Number(req.params.id));
    if (!sub) return sendHubspotError(res, 404, 'OBJECT_NOT_FOUND', `Subscription ${req.params.id} not found.`);
    if (typeof req.body?.active === 'boolean') sub.active = req.body.active;
    sub.updatedAt = ctx.clock.now();
    res.json(viewSubscription(sub));
  });

  router.delete('/webhooks/v3/:appId/subscriptions/:id', (req, res) => {
    if (!appOk(req, res)) return;
    state().subscriptions = state().subscriptions.filter((s) => s.id !== Number(req.params.id));
    res.status(204).end();
  });

  return router;
}

function viewSettings(s: { targetUrl: string; maxConcurrentRequests: number; createdAt: number; updatedAt: number }): Record<string, unknown> {
  return { targetUrl: s.targetUrl, throttling: { maxConcurrentRequests: s.maxConcurrentRequests, period: 'SECONDLY' }, createdAt: new Date(s.createdAt).toISOString(), updatedAt: new Date(s.updatedAt).toISOString() };
}

function viewSubscription(s: WebhookSubscription): Record<string, unknown> {
  return {
    id: s.id,
    eventType: s.eventType,
    ...(s.propertyName ? { propertyName: s.propertyName } : {}),
    active: s.active,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}

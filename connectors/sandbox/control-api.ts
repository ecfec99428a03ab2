import { Router } from 'express';
import { z } from 'zod';
import { addFault, faultRuleInput, removeFault } from './fault-rules.js';
import type { SandboxRuntime } from './runtime.js';

export interface ControlHooks {
  /** Reset: empty everything, then seed again unless asked not to. */
  reset(reseed: boolean): Promise<void>;
  /** Write the --state file now (no-op without --state). */
  save(): Promise<void>;
  /** Base URLs and credentials, as the CLI prints them. */
  info(): Record<string, unknown>;
}

const optionsInput = z
  .object({
    hubspotRateLimit: z.number().int().positive(),
    hubspotSearchRateLimit: z.number().int().positive(),
    hubspotDailyLimit: z.number().int().nonnegative(),
    salesforceDailyLimit: z.number().int().nonnegative(),
    salesforceBulkHold: z.boolean(),
    salesforceLeadHistory: z.boolean(),
    salesforceEditConvertedLeads: z.boolean(),
    salesforceFieldSecurity: z.boolean(),
    salesforceUserPermissions: z.object({ managePermissionSets: z.boolean(), assignPermissionSets: z.boolean() }).strict(),
    hubspotSearchTieOrder: z.enum(['id', 'scrambled']),
  })
  .partial()
  .strict();

/**
 * The control API under /__sandbox/: JSON in and out, for tests and demos only. It belongs to no
 * CRM, skips auth, rate limits and faults, and app code never calls it.
 */
export function controlApi(runtime: SandboxRuntime, hooks: ControlHooks): Router {
  const router = Router();
  const bad = (res: import('express').Response, error: z.ZodError) =>
    res.status(400).json({ error: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });

  router.get('/', (_req, res) => res.json(hooks.info()));

  router.get('/faults', (_req, res) => res.json({ results: runtime.faults }));
  router.post('/faults', (req, res) => {
    const inputs = Array.isArray(req.body) ? req.body : [req.body];
    const parsed = z.array(faultRuleInput).safeParse(inputs);
    if (!parsed.success) return bad(res, parsed.error);
    const added = parsed.data.map((input) => addFault(runtime, input));
    res.status(201).json(Array.isArray(req.body) ? { results: added } : added[0]);
  });
  router.delete('/faults/:id', (req, res) => {
    if (!removeFault(runtime, req.params.id)) return res.status(404).json({ error: `No fault rule ${req.params.id}` });
    res.status(204).end();
  });
  router.delete('/faults', (_req, res) => {
    runtime.faults.length = 0;
    res.status(204).end();
  });

  router.get('/requests', (req, res) => {
    const crm = req.query.crm as string | undefined;
    const since = req.query.since === undefined ? undefined : Number(req.query.since);
    const results = runtime.log.filter((r) => (!crm || r.crm === crm) && (since === undefined || r.at >= since));
    res.json({ total: results.length, results });
  });
  router.delete('/requests', (_req, res) => {
    runtime.log.length = 0;
    res.status(204).end();
  });

  router.get('/hidden', (_req, res) =>
    res.json({ hubspot: Object.fromEntries(runtime.hidden.hubspot), salesforce: Object.fromEntries(runtime.hidden.salesforce) }),
  );

  router.get('/clock', (_req, res) => res.json({ now: runtime.clock.now(), iso: new Date(runtime.clock.now()).toISOString(), offsetMs: runtime.clock.offset() }));
  router.post('/clock/advance', (req, res) => {
    const parsed = z.object({ ms: z.number().nonnegative() }).strict().safeParse(req.body);
    if (!parsed.success) return bad(res, parsed.error);
    runtime.clock.advance(parsed.data.ms);
    runtime.changed();
    res.json({ now: runtime.clock.now(), iso: new Date(runtime.clock.now()).toISOString(), offsetMs: runtime.clock.offset() });
  });

  router.get('/options', (_req, res) => res.json(runtime.options));
  router.patch('/options', (req, res) => {
    const parsed = optionsInput.safeParse(req.body);
    if (!parsed.success) return bad(res, parsed.error);
    Object.assign(runtime.options, parsed.data);
    res.json(runtime.options);
  });

  router.post('/reset', async (req, res, next) => {
    try {
      await hooks.reset(req.body?.reseed !== false);
      res.json(hooks.info());
    } catch (err) {
      next(err);
    }
  });

  router.post('/save', async (_req, res, next) => {
    try {
      await hooks.save();
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

  return router;
}

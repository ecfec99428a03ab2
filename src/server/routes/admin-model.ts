import { hasUsableCredential } from '../crm-credential.js';
import { Router } from 'express';
import { z } from 'zod';
import type { CrmName } from '../../../connectors/types.js';
import { InputError } from '../../domain/errors.js';
import { CycleRunningError } from '../../jobs/cycle-lock-errors.js';
import { rollbackUnderCycleLock } from '../../jobs/model-rollback.js';
import { tiersInUse } from '../../jobs/tiers-in-use.js';
import type { ServerDeps } from '../deps.js';
import { setFlash, takeFlash } from '../flash.js';
import { modelPageData } from '../model-page-data.js';
import { csrfToken } from '../security/csrf.js';
import { sessionOf } from '../security/session.js';
import { activityText, modelPage } from '../views/model-page.js';
import { rollbackConfirmPage } from '../views/rollback-confirm-page.js';

const crmParam = z.enum(['hubspot', 'salesforce']);
const retrainInput = z.object({ crm: crmParam }).passthrough();
const rollbackInput = z.object({ crm: crmParam, version: z.string().min(1).max(100), confirm: z.string().max(100).optional() }).passthrough();

/** The model page, its activity status, and the retrain and roll back buttons. */
export function adminModelRoutes(deps: ServerDeps): Router {
  const router = Router();

  router.get('/admin/model', async (req, res, next) => {
    try {
      const known = await crmsWithModels(deps);
      const asked = crmParam.safeParse(req.query.crm);
      const crm: CrmName = asked.success ? asked.data : (known[0] ?? 'hubspot');
      const crms = [...new Set<CrmName>([...known, ...deps.connections.list().map((c) => c.crm)])];
      const now = deps.now?.() ?? Date.now();
      res.type('html').send(
        modelPage({
          csrf: csrfToken(req),
          user: sessionOf(req).user!,
          data: await modelPageData(deps.store, crm, now, (await tiersInUse(deps.store, deps.config)).map((t) => t.name)),
          drift: await deps.driftCache.get(crm, now),
          crms: crms.length > 0 ? crms : [crm],
          // "Retrain now" would only fail with "not connected yet" before the install stored tokens.
          connected: await hasUsableCredential(deps.connections.get(crm), deps.store),
          activity: await deps.loop.activityNow(crm),
          lastCycle: await deps.store.runs.lastEnded('cycle', crm),
          flash: takeFlash(req),
        }).value,
      );
    } catch (err) {
      next(err);
    }
  });

  router.get('/admin/model/activity.json', async (req, res, next) => {
    const crm = crmParam.safeParse(req.query.crm);
    if (!crm.success) return res.status(400).json({ error: 'crm must be hubspot or salesforce' });
    try {
      // `text`: the status line in the server's words, so the pages' polls say what a reload would.
      const activity = await deps.loop.activityNow(crm.data);
      res.json({ ...activity, text: activityText(activity) });
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/model/retrain', (req, res) => {
    const input = retrainInput.safeParse(req.body);
    if (!input.success) return res.status(400).type('text/plain').send('Choose HubSpot or Salesforce.');
    const { crm } = input.data;
    const started = deps.loop.startRetrain(crm);
    deps.logger.info({ user: sessionOf(req).user, crm, started: started.started }, 'retrain requested');
    setFlash(req, started.started ? 'Retraining started: the new model replaces the active one only if it ranks the newest closed leads better.' : started.message);
    res.redirect(303, `/admin/model?crm=${crm}`);
  });

  router.post('/admin/model/rollback', async (req, res, next) => {
    const input = rollbackInput.safeParse(req.body);
    if (!input.success) return res.status(400).type('text/plain').send('Choose a model version to roll back to.');
    const { crm, version, confirm } = input.data;
    const user = sessionOf(req).user!;
    try {
      // Enforced here: a rollback rewrites the CRM's scores, so it takes a second submit naming the version.
      if (confirm !== version) {
        await deps.store.models.rollbackTarget(crm, version);
        const active = (await deps.store.models.active(crm))?.version ?? null;
        return res.type('html').send(rollbackConfirmPage({ csrf: csrfToken(req), user, crm, version, active, connected: deps.connections.get(crm) !== null }).value);
      }
      const { before, model } = await rollbackUnderCycleLock(deps.store, crm, version);
      await deps.store.audit.append({ actor: user, key: `model.${crm}.active`, before, after: model.version });
      deps.logger.info({ user, crm, from: before, to: model.version }, 'model rolled back');
      void deps.loop.rescore(crm).catch((err: Error) => deps.logger.error({ crm, err: err.message }, 'rescore after rollback failed'));
      setFlash(req, `Rolled back: ${model.version} is the active model again; open leads are being rescored with it.`);
    } catch (err) {
      if (!(err instanceof InputError || err instanceof CycleRunningError)) return next(err);
      setFlash(req, err.message);
    }
    res.redirect(303, `/admin/model?crm=${crm}`);
  });

  return router;
}

async function crmsWithModels(deps: ServerDeps): Promise<CrmName[]> {
  const out: CrmName[] = [];
  for (const crm of ['hubspot', 'salesforce'] as CrmName[]) if ((await deps.store.models.list(crm)).length > 0) out.push(crm);
  return out;
}

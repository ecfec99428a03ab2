import { Router } from 'express';
import { z } from 'zod';
import { CRM_NAMES, type CrmName } from '../../../connectors/types.js';
import { tiersInUse } from '../../jobs/tiers-in-use.js';
import { crmRecordBase, crmRecordUrl } from '../crm-record-link.js';
import type { ServerDeps } from '../deps.js';
import { leadPageData } from '../lead-page-data.js';
import { csrfToken } from '../security/csrf.js';
import { sessionOf } from '../security/session.js';
import { leadPage } from '../views/lead-page.js';
import { leadsPage } from '../views/leads-page.js';
import { messagePage } from '../views/message-page.js';

export const LEADS_PER_PAGE = 50;

const crmParam = z.enum(['hubspot', 'salesforce']);
// Anything else (a mistyped page, an empty box) reads as "no filter", as a form left blank does.
const listQuery = z.object({
  tier: z.string().trim().min(1).max(100).optional().catch(undefined),
  q: z.string().trim().min(1).max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
});

/** The Leads pages: the open leads as reps see them, and one lead's score history. */
export function adminLeadsRoutes(deps: ServerDeps): Router {
  const router = Router();

  router.get('/admin/leads', async (req, res, next) => {
    try {
      const crms = await leadCrms(deps);
      const asked = crmParam.safeParse(req.query.crm);
      const crm: CrmName = asked.success ? asked.data : crms[0];
      const { tier, q, page } = listQuery.parse(req.query);
      const filter = { tier, leadId: q };
      const [rows, total, tiers] = await Promise.all([
        deps.store.openLeads.page(crm, filter, { limit: LEADS_PER_PAGE, offset: (page - 1) * LEADS_PER_PAGE }),
        deps.store.openLeads.count(crm, filter),
        tiersInUse(deps.store, deps.config),
      ]);
      const names = tiers.map((t) => t.name);
      res.type('html').send(
        leadsPage({
          csrf: csrfToken(req),
          user: sessionOf(req).user!,
          crm,
          crms: crms.includes(crm) ? crms : [...crms, crm],
          // A tier asked for that is no longer one (a bookmark from before a rename) stays chosen.
          tiers: tier && !names.includes(tier) ? [...names, tier] : names,
          tier: tier ?? null,
          query: q ?? null,
          rows,
          total,
          page,
          perPage: LEADS_PER_PAGE,
          knownElsewhere: q !== undefined && rows.length === 0 && (await leadPageData(deps.store, crm, q)) !== null,
        }).value,
      );
    } catch (err) {
      next(err);
    }
  });

  router.get('/admin/leads/:crm/:id', async (req, res, next) => {
    try {
      const crm = crmParam.safeParse(req.params.crm);
      const id = req.params.id;
      const data = crm.success && id.length <= 100 ? await leadPageData(deps.store, crm.data, id) : null;
      if (!data) {
        const where = crm.success ? `in ${CRM_NAMES[crm.data]}` : 'in a CRM leadlift knows (HubSpot or Salesforce)';
        return res.status(404).type('html').send(messagePage({ title: 'Not found', message: `leadlift has no lead ${id} ${where}: it was never synced, or the id is mistyped.`, csrf: csrfToken(req), user: sessionOf(req).user, back: { href: '/admin/leads', label: 'Back to the leads' } }).value);
      }
      const base = data.kind === 'lead' ? await crmRecordBase(deps, data.crm) : null;
      res.type('html').send(leadPage({ csrf: csrfToken(req), user: sessionOf(req).user!, data, crmUrl: base ? crmRecordUrl(base, data.leadId) : null }).value);
    } catch (err) {
      next(err);
    }
  });

  return router;
}

/** The connected CRMs, else those with a model (a store read after a disconnect), else HubSpot. */
async function leadCrms(deps: ServerDeps): Promise<CrmName[]> {
  const connected = deps.connections.list().map((c) => c.crm);
  if (connected.length > 0) return connected;
  const out: CrmName[] = [];
  for (const crm of ['hubspot', 'salesforce'] as CrmName[]) if ((await deps.store.models.list(crm)).length > 0) out.push(crm);
  return out.length > 0 ? out : ['hubspot'];
}

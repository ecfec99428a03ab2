import { Router, type Request } from 'express';
import { CRM_NAMES, type CrmName } from '../../../connectors/types.js';
import type { Tier } from '../../config/tiers.js';
import { LeadliftError } from '../../domain/errors.js';
import { fieldLabel } from '../../domain/manifest.js';
import { checkCrmAccount, CrmAccountSwitchedError } from '../../jobs/crm-account-check.js';
import { retireTierOptions, schemaFields } from '../../jobs/retiring-tier-options.js';
import { TIERS_SETTING, tiersInUse } from '../../jobs/tiers-in-use.js';
import type { ServerDeps } from '../deps.js';
import { csrfToken } from '../security/csrf.js';
import { sessionOf } from '../security/session.js';
import { scoreDistribution, type ScoreDistribution } from '../score-distribution.js';
import { resolveTierRows, rowsForTiers, rowsFromBody, tierProblems, type TierRow } from '../tier-form.js';
import { takeFlash, setFlash } from '../flash.js';
import { recentConversionByTier } from '../recent-conversion.js';
import { setRescoreAfterSave, takeRescoreAfterSave, tierPageActivities, type RescoreAfterSave } from '../rescore-after-save.js';
import { confirmOf, confirmToken, tierWarnings } from '../tier-warnings.js';
import { tiersPage } from '../views/tiers-page.js';


/**
 * The tier editor: current tiers, a live preview of the open leads each would hold, validation
 * next to each field, and a save that is audited and pushed to every connected CRM's tier options.
 */
export function adminTierRoutes(deps: ServerDeps): Router {
  const router = Router();
  const crms = () => deps.connections.list().map((c) => c.crm);
  const distribution = async () => scoreDistribution(deps.store, allCrms(), deps.now?.() ?? Date.now());

  /** The model page's recent leads figures for each connected CRM, in today's tiers' order. */
  const tierConversion = async () => {
    const names = (await tiersInUse(deps.store, deps.config)).map((t) => t.name);
    const now = deps.now?.() ?? Date.now();
    return Promise.all(crms().map(async (crm) => ({ name: CRM_NAMES[crm], recent: await recentConversionByTier(deps.store, crm, names, now) })));
  };

  const render = async (req: Request, rows: TierRow[], dist: ScoreDistribution, formError: string | null, flash: string | null, held: { warnings: string[]; confirm: string } | null = null, refused = false, saved: RescoreAfterSave | null = null) => {
    const history = await deps.store.audit.list({ key: TIERS_SETTING, limit: 20 });
    return tiersPage({
      csrf: csrfToken(req),
      user: sessionOf(req).user!,
      rows,
      preview: rows.map((r) => r.preview),
      openLeads: dist.total,
      perDay: dist.perDay,
      perDayDays: dist.days,
      connected: crms().map((c) => CRM_NAMES[c]),
      activities: await tierPageActivities(deps.loop, crms(), saved),
      formError,
      refused,
      flash,
      history,
      scale: deps.config.scoring.scale,
      warnings: held?.warnings ?? tierWarnings(rows, dist),
      confirm: held?.confirm ?? null,
      probabilityLabels: { hubspot: fieldLabel(deps.manifest, 'hubspot', 'probability'), salesforce: fieldLabel(deps.manifest, 'salesforce', 'probability') },
      conversion: await tierConversion(),
    }).value;
  };

  router.get('/admin', async (req, res, next) => {
    try {
      const tiers = await tiersInUse(deps.store, deps.config);
      const dist = await distribution();
      res.type('html').send(await render(req, rowsForTiers(tiers, dist), dist, null, takeFlash(req), null, false, takeRescoreAfterSave(req)));
    } catch (err) {
      next(err);
    }
  });

  // The tier form lives on /admin and posts to /admin/tiers: a refused save leaves the browser at
  // /admin/tiers, and a reload or a bookmark of it must reach the form, not a 404.
  router.get('/admin/tiers', (_req, res) => res.redirect(303, '/admin'));

  router.post('/admin/tiers/preview', async (req, res, next) => {
    try {
      const input = rowsFromBody(req.body);
      if ('error' in input) return res.status(400).json({ error: input.error });
      const dist = await distribution();
      const result = resolveTierRows(input.rows, dist);
      res.json({
        total: dist.total,
        perDay: dist.perDay,
        formError: result.formError,
        problems: tierProblems(result.rows),
        rows: result.rows.map((r) => ({ resolvedMin: r.resolvedMin, errors: r.errors, preview: r.preview })),
        valid: result.tiers !== null,
        warnings: tierWarnings(result.rows, dist),
      });
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/tiers', async (req, res, next) => {
    try {
      const input = rowsFromBody(req.body);
      const dist = await distribution();
      if ('error' in input) return res.status(400).type('html').send(await render(req, rowsForTiers(await tiersInUse(deps.store, deps.config), dist), dist, input.error, null, null, true));
      const result = resolveTierRows(input.rows, dist);
      if (!result.tiers) {
        // The summary lists every fault and names its row; the same messages sit beside the fields.
        return res.status(422).type('html').send(await render(req, result.rows, dist, result.formError, null, null, true));
      }
      // Enforced here, not only in tiers.js: a capacity that empties the other tiers needs a second, confirmed submit.
      const warnings = tierWarnings(result.rows, dist);
      const confirm = confirmToken(result.tiers);
      if (warnings.length > 0 && confirmOf(req.body) !== confirm) {
        return res.status(422).type('html').send(await render(req, result.rows, dist, null, null, { warnings, confirm }));
      }
      const user = sessionOf(req).user!;
      const previous = await tiersInUse(deps.store, deps.config);
      const saved = await deps.store.settings.set(TIERS_SETTING, result.tiers, user);
      deps.logger.info({ user, tiers: result.tiers, changed: saved.changed }, 'tiers saved');
      const since = new Date().toISOString();
      const pushed = saved.changed ? await pushTierOptions(deps, previous, result.tiers) : { notes: [], rescoring: [] };
      setFlash(req, saved.changed ? `Tiers saved. ${pushed.notes.join(' ')}`.trim() : 'Nothing changed: these are the tiers already in use.');
      if (pushed.rescoring.length > 0) setRescoreAfterSave(req, { since, crms: pushed.rescoring });
      res.redirect(303, '/admin');
    } catch (err) {
      next(err);
    }
  });

  return router;
}

/**
 * Every connected CRM gets the new tier names as options of its tier field, then a rescore. Names
 * dropped stay options until the rescore has rewritten every lead holding them (the push removes
 * them then), so no lead shows a value its CRM no longer lists.
 */
async function pushTierOptions(deps: ServerDeps, previous: Tier[], tiers: Tier[]): Promise<{ notes: string[]; rescoring: CrmName[] }> {
  const notes: string[] = [];
  const rescored: CrmName[] = [];
  const before = new Set(previous.map((t) => t.name));
  const added = tiers.map((t) => t.name).filter((n) => !before.has(n));
  for (const connector of deps.connections.list()) {
    const name = CRM_NAMES[connector.crm];
    try {
      // Before the field is written: a connection to another portal or org than the store's data
      // would get leadlift's fields created there, only for the rescore to be refused after.
      await checkCrmAccount({ store: deps.store, connector, log: (text, level) => deps.logger[level === 'warn' ? 'warn' : 'info']({ crm: connector.crm }, text) });
      const retiring = await retireTierOptions(deps.store, connector.crm, previous, tiers);
      const report = await connector.ensureSchema(await schemaFields(deps.store, deps.manifest, connector.crm, tiers));
      const changed = [...report.created, ...report.updated];
      // A manager who moved a threshold expects the leads to move: say that they do, and when.
      const rescoring = ' Its leads are being rescored into the new tiers now.';
      // In the manager's words: the field reps see (manifest.json's label) and the names it lets them pick, not "tier options".
      const tierField = `the field “${fieldLabel(deps.manifest, connector.crm, 'tier')}”`;
      notes.push(
        changed.length > 0
          ? `${name}: ${tierField} now offers these tier names.${rescoring}${optionChanges(added, retiring)}`
          : `${name}: ${tierField} already offered these tier names, so it needed no change.${rescoring}${optionChanges([], retiring)}`,
      );
      // Leads keep their old tier until rescored; do that now rather than at the next scheduled sync.
      rescored.push(connector.crm);
      void deps.loop.rescore(connector.crm).catch((err: Error) => deps.logger.error({ crm: connector.crm, err: err.message }, 'rescore after a tier change failed'));
    } catch (err) {
      deps.logger.error({ crm: connector.crm, err: err instanceof Error ? err.message : String(err) }, 'tier options not pushed');
      // A switched account is not retried by the next sync: it is refused the same way until the admin chooses.
      const retry = err instanceof CrmAccountSwitchedError ? '' : ' The next sync tries again.';
      notes.push(`${name}: the tier names could not be written to the field “${fieldLabel(deps.manifest, connector.crm, 'tier')}”. ${shownFailure(err)}${retry}`);
    }
  }
  return { notes, rescoring: rescored };
}

/**
 * A LeadliftError's message is written for the admin and never holds a secret; anything else (a
 * library's or the runtime's own words) may quote a URL, a token or a stack frame, so the page
 * only points to the log, which has it.
 */
function shownFailure(err: unknown): string {
  if (err instanceof LeadliftError) return /[.!?]$/.test(err.message) ? err.message : `${err.message}.`;
  return 'Something unexpected went wrong; the server log has the details.';
}

function optionChanges(added: string[], retiring: string[]): string {
  const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');
  const parts: string[] = [];
  if (added.length > 0) parts.push(` Added ${quoted(added)}.`);
  if (retiring.length > 0) {
    parts.push(
      ` ${quoted(retiring)} will be removed once the rescore has rewritten the leads that hold ${retiring.length === 1 ? 'it' : 'them'}.` +
        ' CRM views, lists, reports and workflows that filter on the old name must be updated to the new one.',
    );
  }
  return parts.join('');
}

function allCrms(): CrmName[] {
  return ['hubspot', 'salesforce'];
}

import { z } from 'zod';
import { InputError } from '../domain/errors.js';
import type { ForgetResult } from '../store/forget-leads.js';

// CRM ids are digits (HubSpot) or letters and digits (Salesforce). Anything else is refused
// without being echoed: it may be an email or a name pasted by mistake.
const leadId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/);

const flags = z.object({
  crm: z.enum(['hubspot', 'salesforce']),
  lead: z.array(leadId).min(1).optional(),
  all: z.boolean().optional(),
  json: z.boolean().optional(),
});

/** The action of `leadlift forget`; its flags and help are in forget-command.ts. */
export async function forgetCommand(raw: Record<string, unknown>): Promise<void> {
  const f = parseFlags(raw);
  // The store and the CRM settings' modules (both SDKs) load once the flags are good: a bad --crm or
  // --lead is said at once.
  const [{ openStore }, { cliActor, loopStorePlan, missingSandboxStore }] = await Promise.all([import('../store/store.js'), import('./store-commands.js')]);
  const plan = await loopStorePlan(f.crm);
  // The sandbox's lock guards its folder against deletion, not its store (which handles concurrent
  // writers): forget neither takes nor checks it, so it works while `npm start` runs.
  const missing = missingSandboxStore(plan, { crms: [f.crm], nothingDone: 'Nothing was forgotten and no id was put on the suppression list.' });
  if (missing) {
    process.stderr.write(`${missing}, so ${f.all ? 'there is nothing to clear' : 'none of these ids is stored'}.\n`);
    return;
  }
  const store = await openStore(plan.store);
  if (f.all) {
    try {
      await (await import('./forget-all.js')).forgetAll(store, f.crm, { json: f.json === true });
    } finally {
      await store.close();
    }
    return;
  }
  try {
    // No cycle lock: the suppression list keeps a running cycle from storing these leads again
    // (it drops what it loaded of them at its next write), as it does for a webhook's forget.
    const result = await store.forget(f.crm, f.lead!, { actor: cliActor() });
    if (f.json) process.stdout.write(`${JSON.stringify({ crm: result.crm, leads: result.leads, removed: result.removed, notFound: result.notFound })}\n`);
    else process.stdout.write(`${summary(result)}\n`);
    if (result.notFound.length === result.leads.length) {
      process.stderr.write(`None of these ids was found in the store (${store.location}); they are on the suppression list anyway.\n`);
    } else if (result.notFound.length > 0) {
      process.stderr.write(`Not found in the store (${store.location}): ${result.notFound.join(', ')}; on the suppression list anyway.\n`);
    }
    process.stderr.write(`Store: ${store.location}. Later syncs leave these leads out; ${f.crm} still holds them until they are deleted there too.\n`);
  } finally {
    await store.close();
  }
}

function parseFlags(raw: Record<string, unknown>): z.infer<typeof flags> {
  const parsed = flags.safeParse(raw);
  if (parsed.success) {
    const { lead, all } = parsed.data;
    if (all && lead) throw new InputError('leadlift forget: give either --lead (some leads) or --all (all of the CRM\'s data, to switch to another portal or org), not both');
    if (!all && !lead) throw new InputError('leadlift forget --lead: name at least one lead id (repeat --lead for several), or give --all to clear all of the CRM\'s data');
    return parsed.data;
  }
  const issue = parsed.error.issues[0];
  if (issue.path[0] === 'crm') {
    throw new InputError(raw.crm === undefined ? 'leadlift forget --crm: required, hubspot or salesforce' : `leadlift forget --crm: must be hubspot or salesforce (got "${String(raw.crm)}")`);
  }
  if (issue.path[0] === 'lead' && issue.path.length === 1) {
    throw new InputError('leadlift forget --lead: name at least one lead id (repeat --lead for several)');
  }
  const position = Number(issue.path[1]) + 1;
  throw new InputError(
    `leadlift forget --lead (number ${position}): not a CRM lead id; ids hold letters, digits, "_", "-", "." and ":" only (an email or name is not an id; give one id per --lead)`,
  );
}

function summary(result: ForgetResult): string {
  // Staged outcomes only exist while a re-derive is under way: named then, apart from the lead's outcome.
  const { stagedOutcomes, ...tables } = result.removed;
  const rows = [...Object.entries(tables).map(([table, n]) => `${table} ${n}`), ...(stagedOutcomes > 0 ? [`staged outcomes ${stagedOutcomes}`] : [])].join(', ');
  const total = Object.values(result.removed).reduce((s, n) => s + n, 0);
  const found = result.leads.filter((id) => !result.notFound.includes(id));
  const unknown = result.notFound.length > 0 ? ` ${result.notFound.length} more id${result.notFound.length === 1 ? ' was' : 's were'} not in the store (${result.notFound.join(', ')}).` : '';
  return `Forgot ${found.length} ${result.crm} lead${found.length === 1 ? '' : 's'}${found.length > 0 ? ` (${found.join(', ')})` : ''}: ${total} rows removed (${rows}).${unknown}`;
}

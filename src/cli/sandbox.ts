import { CRM_NAMES } from '../../connectors/types.js';
import { z } from 'zod';
import { issueWords, shownValue } from '../config/issue-words.js';
import { InputError } from '../domain/errors.js';
import type { SeedLead } from '../../connectors/sandbox/context.js';
import { counted } from '../domain/counted.js';
import { refuseBlockedPort } from './port-settings.js';

const PORT_WORDS = 'must be a port number 0-65535 (0: any free port)';
const SHARE_WORDS = 'must be a share from 0 to 1, e.g. 0.2 for the newest fifth';

const flags = z
  .object({
    port: z.coerce.number({ invalid_type_error: PORT_WORDS }).int(PORT_WORDS).min(0, PORT_WORDS).max(65_535, PORT_WORDS).default(4010),
    crm: z.enum(['hubspot', 'salesforce', 'both']).default('both'),
    seed: z.string().optional(),
    label: z.string().optional(),
    positive: z.string().optional(),
    order: z.string().optional(),
    id: z.string().optional(),
    sep: z.string().min(1).optional(),
    labels: z.string().optional(),
    optionLabels: z.string().optional(),
    openFraction: z.coerce.number({ invalid_type_error: SHARE_WORDS }).min(0, SHARE_WORDS).max(1, SHARE_WORDS).default(0.2),
    state: z.string().optional(),
    token: z.string().min(8, 'must be at least 8 characters').optional(),
    salesforceClientId: z.string().min(1).optional(),
    salesforceClientSecret: z.string().min(1).optional(),
  })
  .superRefine((f, ctx) => {
    // --positive may be left out: the seed reader works it out for a yes/no label, as evaluate does.
    if (f.seed && !f.label) ctx.addIssue({ code: 'custom', path: ['seed'], message: '--seed needs --label COL (and --positive VALUE unless the label is a yes/no column)' });
  });

const SEED_HINT =
  'To seed it, restart with --seed FILE --label COL (and --positive VALUE unless the label is a yes/no column), e.g. ' +
  '--seed config/sample/bank-marketing-sample.csv --label y (see `leadlift sandbox --help`).';

/** The action of `leadlift sandbox`; its flags and help are in sandbox-command.ts. Runs until interrupted. */
export async function sandboxCommand(raw: Record<string, unknown>): Promise<void> {
  const f = parseSandboxFlags(raw);
  refuseBlockedPort(f.port, '--port');
  // The sandbox server (express, both CRMs' routes) and the seed reader load once the flags are
  // good: a bad --port or --token is said at once.
  const [{ startSandbox }, { loadSeedFile }, { loadSeedLabels, loadSeedOptionLabels }, { assertPortFree, portInUseOr }] = await Promise.all([
    import('../../connectors/sandbox/server.js'),
    import('../../connectors/sandbox/seed.js'),
    import('../../connectors/sandbox/seed-labels.js'),
    import('../jobs/port-in-use.js'),
  ]);
  const port = { port: f.port, host: '127.0.0.1', setting: '--port N' };
  // All before the seed is read: a taken port or a bad labels file should not cost the wait for a large seed.
  await assertPortFree(port);
  const seedLabels = f.labels ? await loadSeedLabels(f.labels) : undefined;
  const seedValueLabels = f.optionLabels ? await loadSeedOptionLabels(f.optionLabels) : undefined;
  let seed: SeedLead[] | undefined;
  if (f.seed) {
    process.stderr.write(`Reading seed ${f.seed}…\n`);
    seed = await loadSeedFile(f.seed, { label: f.label!, positive: f.positive, order: f.order, id: f.id, sep: f.sep, openFraction: f.openFraction }, Date.now());
  }
  if (seed) {
    for (const [flag, named] of [['--labels', seedLabels], ['--option-labels', seedValueLabels]] as const) {
      const stray = strayColumns(named, seed);
      // Said, not refused: a labels file is often shared across exports, and the seed still loads.
      if (stray.length > 0) process.stderr.write(`leadlift sandbox: ${flag} names ${stray.map((c) => `"${c}"`).join(', ')}, which the seed has no column for: ${stray.length === 1 ? 'it is' : 'they are'} not used. The seed's columns: ${Object.keys(seed[0]?.values ?? {}).join(', ')}.\n`);
    }
  }
  const salesforce = { clientId: f.salesforceClientId, clientSecret: f.salesforceClientSecret };
  const sandbox = await startSandbox({ port: f.port, crm: f.crm, token: f.token, seed, seedLabels, seedValueLabels, stateFile: f.state, salesforce }).catch((err: unknown) => {
    throw portInUseOr(err, port);
  });
  for (const warning of sandbox.warnings) process.stderr.write(`leadlift sandbox: ${warning}\n`);
  if (sandbox.seededOnLoad.length > 0) {
    process.stderr.write(`leadlift sandbox: ${f.state} held no ${sandbox.seededOnLoad.map((c) => CRM_NAMES[c]).join(' or ')} yet: seeded it from --seed; the rest was loaded from the file.\n`);
  } else if (sandbox.loadedFrom === 'state' && seed) process.stderr.write(`leadlift sandbox: ${f.state} already holds a sandbox; it was loaded and --seed was not applied.\n`);
  // Said before the ready lines: a CRM that starts empty is part of how the sandbox started.
  if (sandbox.emptyOnLoad.length > 0) {
    process.stderr.write(`leadlift sandbox: ${f.state} held no ${sandbox.emptyOnLoad.map((c) => CRM_NAMES[c]).join(' or ')} yet, so it starts empty. ${SEED_HINT}\n`);
  }
  // Listening for Ctrl-C before saying it is ready: a caller that stops it at once is then handled too.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const app = sandbox.hubspot?.app();
  const lines = [
    `Sandbox running (${sandbox.loadedFrom === 'empty' ? 'empty' : sandbox.loadedFrom === 'state' ? `state from ${f.state}` : `${counted(seed?.length ?? 0, 'seeded lead')}`}). Ctrl-C stops it.`,
    sandbox.hubspotUrl ? `HubSpot basePath: ${sandbox.hubspotUrl}` : null,
    sandbox.salesforceUrl ? `Salesforce instanceUrl: ${sandbox.salesforceUrl}` : null,
    `Access token: ${sandbox.token}`,
    app ? `HubSpot app: appId ${app.appId}, client id ${app.clientId}, client secret ${app.clientSecret}` : null,
    sandbox.salesforceApp ? `Salesforce connected app: client id ${sandbox.salesforceApp.clientId}, client secret ${sandbox.salesforceApp.clientSecret}` : null,
    `Control API: ${sandbox.url}/__sandbox/`,
  ];
  process.stdout.write(`${lines.filter((l) => l !== null).join('\n')}\n`);
  if (sandbox.loadedFrom === 'empty') {
    process.stderr.write(`leadlift sandbox: it holds no leads yet. ${SEED_HINT}\n`);
  }
  await stopped;
  await sandbox.close();
}

/** The columns a labels file names that no seeded lead has (the label column included: it is not seeded). */
function strayColumns(named: Record<string, unknown> | undefined, seed: readonly SeedLead[]): string[] {
  if (!named || seed.length === 0) return [];
  const columns = new Set(Object.keys(seed[0].values));
  return Object.keys(named).filter((column) => !columns.has(column));
}

/** The flags commander read, checked: a bad one is an InputError naming it. */
export function parseSandboxFlags(raw: Record<string, unknown>): z.output<typeof flags> {
  const parsed = flags.safeParse(raw);
  if (!parsed.success) throw flagError(parsed.error.issues[0], raw);
  return parsed.data;
}

/** The flag a bad value came in, said in the words the settings use, with the value unless it is a secret. */
function flagError(issue: z.ZodIssue, raw: Record<string, unknown>): InputError {
  const key = String(issue.path[0] ?? '');
  const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const secret = key === 'token' || key === 'salesforceClientSecret';
  const value = raw[key];
  // The seed check names its own flags; the value of --seed is not what is wrong there.
  const shown = !secret && issue.code !== 'custom' && value !== undefined ? ` (got ${shownValue(value)})` : '';
  return new InputError(`leadlift sandbox ${flag}: ${issueWords(issue)}${shown}`);
}

import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { SeedLead } from './context.js';
import type { SeedValueLabels } from './seed-options.js';
import { controlCallersOnly } from './control-callers.js';
import { controlApi } from './control-api.js';
import { salesforceControl } from './salesforce/control.js';
import { crmForPath } from './crm-for-path.js';
import { faultMiddleware } from './fault-middleware.js';
import { createHubspotSandbox, type HubspotSandbox, type HubspotSandboxOptions } from './hubspot/index.js';
import { hubspotError } from './hubspot/errors.js';
import { unserved } from './salesforce/errors.js';
import { requestLogMiddleware } from './request-log.js';
import { createSalesforceRouter, salesforceConnectedApp, seedSalesforce, type SalesforceConnectedApp } from './salesforce/index.js';
import { createRuntime, type SandboxRuntime } from './runtime.js';
import { createStateSaver, readStateFile, type StateSaver } from './state-file.js';
import { SandboxStateSaveError, SandboxStateUnwritableError } from './state-save-error.js';

export type SandboxCrm = 'hubspot' | 'salesforce' | 'both';

export interface SandboxOptions {
  /** Default 4010; 0 picks a free port (tests). */
  port?: number;
  /** Default 127.0.0.1: the sandbox accepts a fixed token and is not meant to be reachable from elsewhere. */
  host?: string;
  crm?: SandboxCrm;
  /** The access token both CRMs accept; random when absent. */
  token?: string;
  /** Leads to seed at start and again on reset (ignored when --state already holds data). */
  seed?: SeedLead[];
  /**
   * Reads the seed when `seed` is absent and one is needed: no --state file yet, a CRM the file
   * does not hold yet, or a reset. Lets a large seed go unread on a restart that does not need it.
   */
  loadSeed?: () => Promise<SeedLead[]>;
  /** Called just before loadSeed runs (a large seed takes half a minute): the caller can say so first. */
  onSeeding?: () => void;
  /** CSV column -> the label its seeded property/field shows, as a portal admin would have named it. */
  seedLabels?: Record<string, string>;
  /** CSV column -> stored value -> its option label: such a column is seeded as a dropdown (seed-options.ts). */
  seedValueLabels?: SeedValueLabels;
  /** --state FILE: loaded at start when it exists, saved (debounced) on every change and on close. */
  stateFile?: string;
  saveDebounceMs?: number;
  hubspotRateLimit?: number;
  hubspotSearchRateLimit?: number;
  hubspotDailyLimit?: number;
  salesforceDailyLimit?: number;
  hubspot?: HubspotSandboxOptions;
  /** The Salesforce connected app's consumer key and secret (connected-app.ts has the defaults). */
  salesforce?: Partial<SalesforceConnectedApp>;
}

export interface RunningSandbox {
  url: string;
  token: string;
  /** basePath for @hubspot/api-client, or null when HubSpot is not served. */
  hubspotUrl: string | null;
  /** instanceUrl for jsforce, or null when Salesforce is not served. */
  salesforceUrl: string | null;
  ctx: SandboxRuntime;
  hubspot: HubspotSandbox | null;
  /** The Salesforce connected app, or null when Salesforce is not served. */
  salesforceApp: SalesforceConnectedApp | null;
  /** Anything the operator should know about how the sandbox started. */
  warnings: string[];
  /** Where the state came from: a --state file, the seed, or nothing. */
  loadedFrom: 'state' | 'seed' | 'empty';
  /** CRMs the --state file did not hold yet, seeded as a fresh sandbox would be (the rest came from the file). */
  seededOnLoad: Array<'hubspot' | 'salesforce'>;
  /** CRMs the --state file did not hold yet and no seed was given for: they start empty. */
  emptyOnLoad: Array<'hubspot' | 'salesforce'>;
  close(): Promise<void>;
}

/**
 * Starts the sandbox: one express app on 127.0.0.1 serving the HubSpot API (/oauth, /crm,
 * /webhooks), the Salesforce API (/services, /id) and the control API (/__sandbox), with request
 * logging, fault injection and optional state persistence.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const crm = options.crm ?? 'both';
  const runtime = createRuntime(options);
  const warnings: string[] = [];
  const hubspot = crm !== 'salesforce' ? createHubspotSandbox(runtime, options.hubspot) : null;
  const salesforceApp = salesforceConnectedApp(options.salesforce);
  const salesforceRouter = crm !== 'hubspot' ? createSalesforceRouter(runtime, salesforceApp) : null;
  const saver: StateSaver | null = options.stateFile ? createStateSaver(runtime, options.stateFile, options.saveDebounceMs) : null;
  if (saver) runtime.onChanged(() => saver.schedule());

  let seed = options.seed;
  const mounted = [...(hubspot ? ['hubspot' as const] : []), ...(salesforceRouter ? ['salesforce' as const] : [])];
  /** Seeds the given CRMs; false when there is no seed to seed them from. */
  const seedCrms = async (crms: Array<'hubspot' | 'salesforce'>) => {
    if (!seed && options.loadSeed) {
      options.onSeeding?.();
      seed = await options.loadSeed();
    }
    if (!seed || seed.length === 0) return false;
    if (crms.includes('hubspot')) hubspot?.seed(seed, options.seedLabels, options.seedValueLabels);
    if (crms.includes('salesforce')) seedSalesforce(runtime, seed, options.seedLabels, options.seedValueLabels);
    return true;
  };
  const seedAll = () => seedCrms(mounted);

  let url = '';
  const info = () => ({
    url,
    token: runtime.token,
    hubspot: hubspot ? { basePath: url, app: hubspot.app() } : null,
    salesforce: salesforceRouter ? { instanceUrl: url, app: salesforceApp } : null,
    clock: new Date(runtime.clock.now()).toISOString(),
    warnings,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLogMiddleware(runtime));
  app.use(markChanges(runtime));
  app.use(express.json({ limit: '64mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  // Before either CRM's control routes: every /__sandbox/ route is guarded alike (control-callers.ts).
  app.use('/__sandbox', controlCallersOnly);
  if (hubspot) app.use('/__sandbox/hubspot', hubspot.control);
  if (salesforceRouter) app.use('/__sandbox/salesforce', salesforceControl(runtime));
  app.use(
    '/__sandbox',
    controlApi(runtime, {
      info,
      async reset(reseed) {
        runtime.resetState();
        if (reseed) await seedAll();
        runtime.changed();
      },
      save: async () => saver?.flush(),
    }),
  );
  app.use(faultMiddleware(runtime));
  if (hubspot) app.use(hubspot.router);
  if (salesforceRouter) app.use(salesforceRouter);
  app.use(notFound);
  app.use(errors);

  let loadedFrom: RunningSandbox['loadedFrom'] = 'empty';
  let seededOnLoad: RunningSandbox['seededOnLoad'] = [];
  let emptyOnLoad: RunningSandbox['emptyOnLoad'] = [];
  let server: Server;
  try {
    const saved = options.stateFile ? await readStateFile(options.stateFile) : null;
    if (saved) {
      runtime.loadState(saved);
      loadedFrom = 'state';
      // A file written with --crm salesforce holds no HubSpot part (and the reverse): that CRM
      // starts as a fresh sandbox's would, not empty, and the other CRM's state is kept.
      const missing = mounted.filter((name) => !(name in saved.parts));
      if (missing.length > 0 && (await seedCrms(missing))) {
        seededOnLoad = missing;
        await firstSave(saver, options.stateFile!);
      } else emptyOnLoad = missing;
    } else if (await seedAll()) {
      loadedFrom = 'seed';
      await firstSave(saver, options.stateFile);
    }

    server = await new Promise((resolve, reject) => {
      const s = app.listen(options.port ?? 4010, options.host ?? '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
  } catch (err) {
    // No sandbox runs: stop the webhook timers already started, or they outlive the failed start.
    hubspot?.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  runtime.options.baseUrl = url;

  return {
    url,
    token: runtime.token,
    hubspotUrl: hubspot ? url : null,
    salesforceUrl: salesforceRouter ? url : null,
    ctx: runtime,
    hubspot,
    salesforceApp: salesforceRouter ? salesforceApp : null,
    warnings,
    loadedFrom,
    seededOnLoad,
    emptyOnLoad,
    async close() {
      hubspot?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await saver?.flush({ final: true });
    },
  };
}

/** Any write that reached a CRM or the control API may have changed state: tell the --state saver. */
function markChanges(runtime: SandboxRuntime): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') res.on('finish', () => runtime.changed());
    next();
  };
}

const notFound: RequestHandler = (req, res) => {
  const crm = crmForPath(req.path);
  if (crm === 'salesforce') return void res.status(404).json(unserved(req).body());
  if (crm === 'hubspot') {
    // HubSpot's answer for a path it does not serve: no category, unlike a missing object's
    // OBJECT_NOT_FOUND. The sandbox's note rides in a header so the body stays HubSpot's.
    res.setHeader('x-leadlift-sandbox-note', `The sandbox does not serve ${req.method} ${req.path}`);
    return void res.status(404).json({ status: 'error', message: 'resource not found', correlationId: randomUUID() });
  }
  res.status(404).json({ error: `No control endpoint ${req.method} ${req.path}` });
};

/** Malformed bodies and unexpected failures, answered in the shape of the CRM that was called. */
const errors: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  const parseFailed = (err as { type?: string }).type === 'entity.parse.failed';
  const status = parseFailed ? 400 : 500;
  const message = parseFailed ? `Invalid input JSON: ${(err as Error).message}` : `Sandbox failure: ${(err as Error).message}`;
  if (!parseFailed) process.stderr.write(`sandbox: ${req.method} ${req.path} failed: ${(err as Error).stack ?? err}\n`);
  const crm = crmForPath(req.path);
  if (crm === 'salesforce') return void res.status(status).json([{ message, errorCode: parseFailed ? 'JSON_PARSER_ERROR' : 'UNKNOWN_EXCEPTION' }]);
  if (crm === 'hubspot') return void res.status(status).json(hubspotError(parseFailed ? 'VALIDATION_ERROR' : 'INTERNAL_ERROR', message));
  res.status(status).json({ error: message });
};

/** The save right after seeding: a --state file that cannot be written stops the start, said as such. */
async function firstSave(saver: StateSaver | null, file: string | undefined): Promise<void> {
  if (!saver || !file) return;
  await saver.flush().catch((err: unknown) => {
    throw new SandboxStateUnwritableError(file, err instanceof SandboxStateSaveError ? err.cause : err);
  });
}

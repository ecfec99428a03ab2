import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxContext } from '../context.js';
import { RecordError, SalesforceApiError, notFound, sendSalesforceError, unserved } from './errors.js';
import { bulk2Router } from './routes/bulk2.js';
import { collectionsRouter } from './routes/collections.js';
import { identityHandler, oauthRouter } from './routes/oauth.js';
import { queryRouter } from './routes/query.js';
import { sobjectsRouter } from './routes/sobjects.js';
import { toolingRouter } from './routes/tooling.js';
import { isSupportedVersion, limitsHandler, resourcesHandler, versionsHandler } from './routes/versions.js';
import { authenticate, countApiRequest } from './session.js';
import { stateFor } from './state.js';
import { salesforceConnectedApp, type SalesforceConnectedApp } from './connected-app.js';

/**
 * The Salesforce half of the sandbox: OAuth on /services/oauth2, the identity URL on /id, and the
 * REST API on /services/data/vXX.X (sobjects, query, composite, tooling, jobs/ingest, limits).
 * Mounted at the server root. Deleted records are found with queryAll (IsDeleted = true), which is
 * how an incremental sync notices deletions, or with /sobjects/{type}/deleted/. Resources it does
 * not serve (POST /composite, Bulk 2.0 query jobs, ...) are Salesforce's NOT_FOUND with a note.
 */

export { seedSalesforce, seedFieldName } from './seed.js';
export { DEFAULT_SALESFORCE_APP, salesforceConnectedApp, type SalesforceConnectedApp } from './connected-app.js';

/** Registers the public key or X.509 certificate (PEM) that signs a client's JWT bearer assertions. */
export function registerSalesforceJwtKey(ctx: SandboxContext, clientId: string, pem: string): void {
  stateFor(ctx).auth.jwtKeys.set(clientId, pem);
}

function errorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  if (err instanceof SalesforceApiError) return sendSalesforceError(res, err);
  if (err instanceof RecordError) return sendSalesforceError(res, err.toApiError());
  const bodyError = err as { type?: string; status?: number; message?: string };
  if (bodyError.type === 'entity.parse.failed') {
    return sendSalesforceError(res, new SalesforceApiError(400, 'JSON_PARSER_ERROR', `Unexpected character in the request body: ${bodyError.message ?? ''}`));
  }
  if (bodyError.type === 'entity.too.large') {
    return sendSalesforceError(res, new SalesforceApiError(413, 'REQUEST_ENTITY_TOO_LARGE', 'The request body is too large'));
  }
  sendSalesforceError(res, new SalesforceApiError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${(err as Error)?.message ?? String(err)}`));
}

export function createSalesforceRouter(ctx: SandboxContext, app: SalesforceConnectedApp = salesforceConnectedApp()): Router {
  const state = stateFor(ctx);
  const root = express.Router();

  root.use('/services/oauth2', oauthRouter(ctx, state, app));
  root.get('/id/:org/:user', identityHandler(ctx, state));
  root.get(['/services/data', '/services/data/'], versionsHandler);

  const api = express.Router({ mergeParams: true });
  api.use((req, res, next) => {
    if (!isSupportedVersion(req.params.version)) {
      next(notFound());
      return;
    }
    res.locals.sfVersion = req.params.version.slice(1);
    next();
  });
  api.use(authenticate(ctx, state), countApiRequest(ctx, state));
  api.use(express.json({ limit: '50mb' }));
  api.get('/', resourcesHandler(ctx));
  api.get('/limits', limitsHandler(ctx, state));
  api.use('/sobjects', sobjectsRouter(ctx, state));
  api.use('/query', queryRouter(ctx, state, { includeDeleted: false, tooling: false }));
  api.use('/queryAll', queryRouter(ctx, state, { includeDeleted: true, tooling: false }));
  api.use('/composite/sobjects', collectionsRouter(ctx, state));
  api.use('/tooling', toolingRouter(ctx, state));
  api.use('/jobs/ingest', bulk2Router(ctx, state));
  api.use((req, _res, next) => next(unserved(req)));

  root.use('/services/data/:version', api);
  root.use(['/services', '/id'], errorHandler);
  return root;
}

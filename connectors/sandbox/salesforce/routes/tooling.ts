import express, { type Router } from 'express';
import type { SandboxContext } from '../../context.js';
import { SalesforceApiError, notFound } from '../errors.js';
import { normalizeId } from '../ids.js';
import { createCustomField, customFieldObject, updateCustomField } from '../schema/custom-fields.js';
import { forgetFieldPermissions } from '../permission-sets.js';
import { describeGlobal, describeObject } from '../schema/describe.js';
import type { SalesforceState } from '../state.js';
import { outputValue } from '../values.js';
import { queryRouter } from './query.js';

/**
 * The slice of the Tooling API the app uses to install its fields: CustomField create, read,
 * update (new picklist values) and delete, and SOQL over CustomField. A created field shows up in
 * the object's describe at once and can be written and queried.
 */

export function toolingRouter(ctx: SandboxContext, state: SalesforceState): Router {
  const router = express.Router({ mergeParams: true });
  const object = customFieldObject();
  const version = (res: express.Response) => res.locals.sfVersion as string;

  router.use('/query', queryRouter(ctx, state, { includeDeleted: false, tooling: true }));

  router.get('/sobjects', (_req, res) => {
    res.json(describeGlobal([object], version(res)));
  });

  router.use('/sobjects/:type', (req, _res, next) => {
    if (req.params.type.toLowerCase() !== 'customfield') {
      next(new SalesforceApiError(404, 'NOT_FOUND', `The requested resource does not exist`));
      return;
    }
    next();
  });

  router.get('/sobjects/:type/describe', (_req, res) => {
    res.json(describeObject(object, version(res)));
  });

  router.post('/sobjects/:type', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const created = createCustomField(state, body.FullName, body.Metadata, ctx.clock.now(), state.securesNewFields());
    res.status(201).json({ id: created.Id, success: true, errors: [], warnings: [], infos: [] });
  });

  const find = (rawId: string) => {
    const id = normalizeId(rawId);
    const record = id ? state.customFields.get(id) : undefined;
    if (!record) throw notFound();
    return record;
  };

  router.get('/sobjects/:type/:id', (req, res) => {
    const record = find(req.params.id);
    const out: Record<string, unknown> = {
      attributes: { type: 'CustomField', url: `/services/data/v${version(res)}/tooling/sobjects/CustomField/${record.Id}` },
    };
    for (const f of object.fields) out[f.name] = outputValue(f, (record as unknown as Record<string, unknown>)[f.name]);
    res.json(out);
  });

  router.patch('/sobjects/:type/:id', (req, res) => {
    const record = find(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.FullName !== undefined && body.FullName !== record.FullName) {
      throw new SalesforceApiError(400, 'FIELD_INTEGRITY_EXCEPTION', 'FullName cannot be changed; create a new field instead');
    }
    updateCustomField(state, record.Id, body.Metadata, ctx.clock.now());
    res.status(204).end();
  });

  router.delete('/sobjects/:type/:id', (req, res) => {
    const record = find(req.params.id);
    const [objectName, fieldName] = record.FullName.split('.');
    const target = state.objects.get(objectName.toLowerCase());
    if (target) {
      const key = fieldName.toLowerCase();
      const field = target.byName.get(key);
      target.byName.delete(key);
      if (field) target.fields.splice(target.fields.indexOf(field), 1);
      for (const r of state.records.get(target.name)?.values() ?? []) delete r[fieldName];
    }
    state.customFields.delete(record.Id);
    state.ungranted.delete(record.FullName.toLowerCase());
    state.readOnlyFields.delete(record.FullName.toLowerCase());
    forgetFieldPermissions(state, record.FullName);
    res.status(204).end();
  });

  return router;
}

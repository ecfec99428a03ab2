import { Router, type Response } from 'express';
import { z } from 'zod';
import type { HubspotDeps } from './deps.js';
import type { PropertyDef, PropertyGroupDef, PropertyOption } from './default-properties.js';
import { sendHubspotError, validationError } from './errors.js';
import { typeOr404 } from './objects-routes.js';
import { batchInputs } from './batch-routes.js';
import { batchResult, batchError } from './batch-response.js';
import type { ObjectType } from './object-types.js';
import { fieldTypeProblem } from './property-field-types.js';

const TYPES = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'] as const;
const FIELD_TYPES = ['textarea', 'text', 'date', 'file', 'number', 'select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation', 'phonenumber', 'html'] as const;

const optionInput = z.object({
  label: z.string(),
  value: z.string(),
  description: z.string().optional(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().default(false),
});

const propertyCreate = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must start with a lower-case letter and hold only a-z, 0-9 and _'),
  label: z.string().min(1),
  type: z.enum(TYPES),
  fieldType: z.enum(FIELD_TYPES),
  groupName: z.string().min(1),
  description: z.string().optional(),
  options: z.array(optionInput).optional(),
  displayOrder: z.number().int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  calculationFormula: z.string().optional(),
  externalOptions: z.boolean().optional(),
  referencedObjectType: z.string().optional(),
});

const propertyUpdate = propertyCreate.omit({ name: true, hasUniqueValue: true, externalOptions: true, referencedObjectType: true }).partial();
const groupCreate = z.object({ name: z.string().regex(/^[a-z][a-z0-9_]*$/), label: z.string().min(1), displayOrder: z.number().int().optional() });
const groupUpdate = groupCreate.omit({ name: true }).partial();

/** /crm/v3/properties/{type}: property and property-group definitions, including enumeration options. */
export function propertiesRoutes(deps: HubspotDeps): Router {
  const router = Router();
  const { records, ctx } = deps;
  const props = (type: ObjectType) => records.state.properties[type];
  const groups = (type: ObjectType) => records.state.groups[type];

  router.get('/crm/v3/properties/:type/groups', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    res.json({ results: [...groups(type).values()].filter((g) => !g.archived).map(viewGroup) });
  });

  router.get('/crm/v3/properties/:type/groups/:name', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const group = groups(type).get(req.params.name);
    if (!group || group.archived) return groupNotFound(res, req.params.name);
    res.json(viewGroup(group));
  });

  router.post('/crm/v3/properties/:type/groups', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const input = parse(groupCreate, req.body, res);
    if (!input) return;
    const existing = groups(type).get(input.name);
    if (existing && !existing.archived) {
      return sendHubspotError(res, 409, 'OBJECT_ALREADY_EXISTS', `A property group named '${input.name}' already exists.`, { context: { name: [input.name] } });
    }
    const group: PropertyGroupDef = { name: input.name, label: input.label, displayOrder: input.displayOrder ?? -1, archived: false };
    groups(type).set(group.name, group);
    res.status(201).json(viewGroup(group));
  });

  router.patch('/crm/v3/properties/:type/groups/:name', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const group = groups(type).get(req.params.name);
    if (!group || group.archived) return groupNotFound(res, req.params.name);
    const input = parse(groupUpdate, req.body, res);
    if (!input) return;
    Object.assign(group, input);
    res.json(viewGroup(group));
  });

  router.delete('/crm/v3/properties/:type/groups/:name', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const group = groups(type).get(req.params.name);
    if (group) group.archived = true;
    res.status(204).end();
  });

  router.post('/crm/v3/properties/:type/batch/read', (req, res) => {
    const type = typeOr404(req, res);
    const inputs = type && batchInputs(req.body, res);
    if (!type || !inputs) return;
    const startedAt = ctx.clock.now();
    const archived = req.body.archived === true;
    const found: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const def = props(type).get(String(input?.name));
      if (def && def.archived === archived) found.push(viewProperty(def));
      else missing.push(String(input?.name));
    }
    const errors = missing.length > 0 ? [batchError('OBJECT_NOT_FOUND', `Properties not found: ${missing.join(', ')}`, { names: missing })] : [];
    const result = batchResult(200, found, errors, startedAt, ctx.clock.now());
    res.status(result.status).json(result.body);
  });

  router.post('/crm/v3/properties/:type/batch/create', (req, res) => {
    const type = typeOr404(req, res);
    const inputs = type && batchInputs(req.body, res);
    if (!type || !inputs) return;
    const startedAt = ctx.clock.now();
    const created: unknown[] = [];
    const errors: Array<Record<string, unknown>> = [];
    for (const raw of inputs) {
      const parsed = propertyCreate.safeParse(raw);
      if (!parsed.success) {
        errors.push(batchError('VALIDATION_ERROR', zodMessage(parsed.error), { name: [String(raw?.name)] }));
        continue;
      }
      const problem = createProblem(type, parsed.data);
      if (problem) errors.push(batchError(problem.category, problem.message, { name: [parsed.data.name] }));
      else created.push(viewProperty(createProperty(type, parsed.data)));
    }
    const result = batchResult(201, created, errors, startedAt, ctx.clock.now());
    res.status(result.status).json(result.body);
  });

  router.get('/crm/v3/properties/:type', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const archived = req.query.archived === 'true';
    res.json({ results: [...props(type).values()].filter((p) => p.archived === archived).map(viewProperty) });
  });

  router.get('/crm/v3/properties/:type/:name', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const def = props(type).get(req.params.name);
    if (!def || def.archived !== (req.query.archived === 'true')) return propertyNotFound(res, req.params.name);
    res.json(viewProperty(def));
  });

  router.post('/crm/v3/properties/:type', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const input = parse(propertyCreate, req.body, res);
    if (!input) return;
    const problem = createProblem(type, input);
    if (problem) return sendHubspotError(res, problem.status, problem.category, problem.message, { context: { name: [input.name] } });
    res.status(201).json(viewProperty(createProperty(type, input)));
  });

  router.patch('/crm/v3/properties/:type/:name', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const def = props(type).get(req.params.name);
    if (!def || def.archived) return propertyNotFound(res, req.params.name);
    const input = parse(propertyUpdate, req.body, res);
    if (!input) return;
    if (def.hubspotDefined && (input.type || input.fieldType)) {
      return validationError(res, `The type of HubSpot-defined property ${def.name} cannot be changed.`);
    }
    if (input.groupName && !groups(type).get(input.groupName)) return validationError(res, `Property group ${input.groupName} does not exist.`);
    const pairing = fieldTypeProblem(input.type ?? def.type, input.fieldType ?? def.fieldType);
    if (pairing) return validationError(res, pairing);
    const { options, ...rest } = input;
    Object.assign(def, rest, { updatedAt: ctx.clock.now() });
    // HubSpot replaces the option list wholesale on update.
    if (options) def.options = options.map(toOption);
    res.json(viewProperty(def));
  });

  router.delete('/crm/v3/properties/:type/:name', (req, res) => {
    const type = typeOr404(req, res);
    if (!type) return;
    const def = props(type).get(req.params.name);
    if (!def || def.archived) return propertyNotFound(res, req.params.name);
    if (def.hubspotDefined) return validationError(res, `HubSpot-defined property ${def.name} cannot be archived.`);
    def.archived = true;
    def.archivedAt = ctx.clock.now();
    res.status(204).end();
  });

  function createProblem(type: ObjectType, input: z.infer<typeof propertyCreate>): { status: number; category: string; message: string } | null {
    const existing = props(type).get(input.name);
    if (existing && !existing.archived) return { status: 409, category: 'OBJECT_ALREADY_EXISTS', message: `Property named '${input.name}' already exists.` };
    const group = groups(type).get(input.groupName);
    if (!group || group.archived) return { status: 400, category: 'VALIDATION_ERROR', message: `Property group ${input.groupName} does not exist.` };
    const pairing = fieldTypeProblem(input.type, input.fieldType);
    if (pairing) return { status: 400, category: 'VALIDATION_ERROR', message: pairing };
    return null;
  }

  function createProperty(type: ObjectType, input: z.infer<typeof propertyCreate>): PropertyDef {
    const now = ctx.clock.now();
    const def: PropertyDef = {
      name: input.name,
      label: input.label,
      type: input.type,
      fieldType: input.fieldType,
      description: input.description ?? '',
      groupName: input.groupName,
      options: (input.options ?? []).map(toOption),
      displayOrder: input.displayOrder ?? -1,
      hasUniqueValue: input.hasUniqueValue ?? false,
      hidden: input.hidden ?? false,
      formField: input.formField ?? false,
      calculated: false,
      externalOptions: input.externalOptions ?? false,
      hubspotDefined: false,
      readOnlyValue: false,
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    props(type).set(def.name, def);
    return def;
  }

  return router;
}

function toOption(o: z.infer<typeof optionInput>, i: number): PropertyOption {
  return { label: o.label, value: o.value, description: o.description, displayOrder: o.displayOrder ?? i, hidden: o.hidden };
}

/** A Property on the wire (the SDK's Property model). */
export function viewProperty(def: PropertyDef): Record<string, unknown> {
  const view: Record<string, unknown> = {
    updatedAt: new Date(def.updatedAt).toISOString(),
    createdAt: new Date(def.createdAt).toISOString(),
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: def.description,
    groupName: def.groupName,
    options: def.options.map((o) => ({ label: o.label, value: o.value, ...(o.description ? { description: o.description } : {}), displayOrder: o.displayOrder ?? 0, hidden: o.hidden })),
    displayOrder: def.displayOrder,
    calculated: def.calculated,
    externalOptions: def.externalOptions,
    hasUniqueValue: def.hasUniqueValue,
    hidden: def.hidden,
    hubspotDefined: def.hubspotDefined,
    modificationMetadata: { archivable: !def.hubspotDefined, readOnlyDefinition: def.hubspotDefined, readOnlyValue: def.readOnlyValue },
    formField: def.formField,
    archived: def.archived,
  };
  if (def.archivedAt !== undefined) view.archivedAt = new Date(def.archivedAt).toISOString();
  return view;
}

function viewGroup(group: PropertyGroupDef): Record<string, unknown> {
  return { name: group.name, label: group.label, displayOrder: group.displayOrder, archived: group.archived };
}

function propertyNotFound(res: Response, name: string): void {
  sendHubspotError(res, 404, 'OBJECT_NOT_FOUND', `Unable to find property ${name}.`, { context: { name: [name] } });
}

function groupNotFound(res: Response, name: string): void {
  sendHubspotError(res, 404, 'OBJECT_NOT_FOUND', `Unable to find property group ${name}.`, { context: { name: [name] } });
}

function parse<T extends z.ZodTypeAny>(schema: T, body: unknown, res: Response): z.infer<T> | null {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  validationError(res, zodMessage(parsed.error));
  return null;
}

function zodMessage(error: z.ZodError): string {
  return `Invalid input: ${error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`;
}

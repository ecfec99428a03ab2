import type { SandboxContext } from '../context.js';
import type { ObjectDef } from './schema/fields.js';
import { leadHistoryObject } from './schema/lead-history.js';
import { standardObjects } from './schema/standard-objects.js';
import { permissionObjects } from './schema/permission-objects.js';
import { applyCustomField, type CustomFieldRecord } from './schema/custom-fields.js';
import type { QueryCursor } from './query/cursor.js';
import type { IngestJob } from './bulk/job.js';

/**
 * Everything the Salesforce half of the sandbox remembers. One state per SandboxContext, shared
 * by the router and the seeder, registered with the context so the control API can reset it and
 * --state can persist it.
 */

/** A stored record: canonical field names; datetimes as epoch ms, dates as YYYY-MM-DD. */
export type SfRecord = Record<string, unknown>;

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  expiresAt: number;
}

export interface SalesforceState {
  /** Lower-cased object name -> definition (standard fields plus custom ones). */
  objects: Map<string, ObjectDef>;
  /** Canonical object name -> id -> record, in creation order. Deleted records stay, IsDeleted. */
  records: Map<string, Map<string, SfRecord>>;
  /** Tooling API CustomField rows by id. */
  customFields: Map<string, CustomFieldRecord>;
  /** LeadHistory rows by id, in the order the changes happened (see lead-history.ts). */
  leadHistory: Map<string, SfRecord>;
  /**
   * Whether Lead field history is on (the context's salesforceLeadHistory option): read at each
   * write and query, so the control API can switch it mid-test. Not persisted: it is a setting.
   */
  tracksLeadHistory: () => boolean;
  /**
   * Whether converted leads may be edited (the context's salesforceEditConvertedLeads option), read
   * at each write like tracksLeadHistory. Not persisted: it is a setting.
   */
  editsConvertedLeads: () => boolean;
  /**
   * Whether a custom field created through the Tooling API starts without field-level security for
   * the integration user (the context's salesforceFieldSecurity option), read at each create.
   */
  securesNewFields: () => boolean;
  /** What the integration user may do with permission sets (the context's salesforceUserPermissions), read at each write. */
  userPermissions: () => UserPermissions;
  /**
   * Lower-cased FullNames ("lead.lead_score__c") of custom fields the integration user has no
   * field-level security on: kept in customFields (Tooling lists them) but off their object, so
   * describe, SOQL and every write treat them as no such column, as Salesforce does.
   */
  ungranted: Set<string>;
  /**
   * Lower-cased FullNames of custom fields the integration user may read but not edit (Read Access
   * without Edit Access): describe lists them createable and updateable false, queries read them,
   * and a write naming them is INVALID_FIELD_FOR_INSERT_UPDATE.
   */
  readOnlyFields: Set<string>;
  /** One serial for every generated id, so ids never repeat across objects. */
  serial: number;
  cursors: Map<string, QueryCursor>;
  jobs: Map<string, IngestJob>;
  /** DailyApiRequests: requests counted in the current sandbox-clock UTC day. */
  usage: { day: string; used: number };
  auth: {
    /** Issued access token -> expiry (sandbox clock ms). The context's token never expires. */
    accessTokens: Map<string, number>;
    refreshTokens: Set<string>;
    codes: Map<string, AuthCode>;
    /** Connected app client id -> PEM public key or certificate for JWT bearer assertions. */
    jwtKeys: Map<string, string>;
  };
}

/** The integration user's system permissions that decide whether leadlift can grant itself field-level security. */
export interface UserPermissions {
  /** "Manage Profiles and Permission Sets": create permission sets and their FieldPermissions. */
  managePermissionSets: boolean;
  /** "Assign Permission Sets": create PermissionSetAssignment rows. */
  assignPermissionSets: boolean;
}

export function createState(
  tracksLeadHistory: () => boolean = () => true,
  editsConvertedLeads: () => boolean = () => false,
  securesNewFields: () => boolean = () => false,
  userPermissions: () => UserPermissions = () => ({ managePermissionSets: true, assignPermissionSets: true }),
): SalesforceState {
  const objects = new Map<string, ObjectDef>();
  const records = new Map<string, Map<string, SfRecord>>();
  for (const o of [...standardObjects(), ...permissionObjects()]) {
    objects.set(o.name.toLowerCase(), o);
    records.set(o.name, new Map());
  }
  return {
    objects,
    records,
    customFields: new Map(),
    leadHistory: new Map(),
    tracksLeadHistory,
    editsConvertedLeads,
    securesNewFields,
    userPermissions,
    ungranted: new Set(),
    readOnlyFields: new Set(),
    serial: 1,
    cursors: new Map(),
    jobs: new Map(),
    usage: { day: '', used: 0 },
    auth: { accessTokens: new Map(), refreshTokens: new Set(), codes: new Map(), jwtKeys: new Map() },
  };
}

export function nextSerial(state: SalesforceState): number {
  return state.serial++;
}

export function recordsOf(state: SalesforceState, objectName: string): Map<string, SfRecord> {
  const map = state.records.get(objectName);
  if (!map) throw new Error(`no record store for ${objectName}`);
  return map;
}

/** Records are dumped as rows of values under one field list per object: a 40,000-lead org
 * saves and loads in about half the time and size of one JSON object per record. */
interface DumpedRecords {
  fields: string[];
  rows: unknown[][];
}

interface DumpedState {
  version: 2;
  records: Record<string, DumpedRecords>;
  customFields: CustomFieldRecord[];
  /** Absent in files saved before the sandbox kept LeadHistory. */
  leadHistory?: DumpedRecords;
  serial: number;
  usage: { day: string; used: number };
  jobs: IngestJob[];
  accessTokens: Array<[string, number]>;
  refreshTokens: string[];
  jwtKeys: Array<[string, string]>;
  /** Absent in files saved before the sandbox modelled field-level security. */
  ungranted?: string[];
  /** Absent in files saved before the sandbox modelled read-only field-level security. */
  readOnlyFields?: string[];
}

function dumpRecords(object: ObjectDef, map: Map<string, SfRecord>): DumpedRecords {
  const fields = new Set<string>();
  for (const f of object.fields) if (f.type !== 'complexvalue' && f.type !== 'address') fields.add(f.name);
  for (const r of map.values()) {
    for (const k of Object.keys(r)) fields.add(k);
    break;
  }
  const names = [...fields];
  const rows: unknown[][] = [];
  for (const r of map.values()) rows.push(names.map((n) => r[n] ?? null));
  return { fields: names, rows };
}

function loadRecords(map: Map<string, SfRecord>, { fields, rows }: DumpedRecords): void {
  for (const row of rows) {
    const r: SfRecord = {};
    for (let i = 0; i < fields.length; i++) r[fields[i]] = row[i];
    map.set(r.Id as string, r);
  }
}

function dump(state: SalesforceState): DumpedState {
  const records: Record<string, DumpedRecords> = {};
  for (const [name, map] of state.records) records[name] = dumpRecords(state.objects.get(name.toLowerCase())!, map);
  return {
    version: 2,
    records,
    customFields: [...state.customFields.values()],
    leadHistory: dumpRecords(leadHistoryObject(), state.leadHistory),
    serial: state.serial,
    usage: state.usage,
    jobs: [...state.jobs.values()].filter((j) => j.state !== 'InProgress'),
    accessTokens: [...state.auth.accessTokens],
    refreshTokens: [...state.auth.refreshTokens],
    jwtKeys: [...state.auth.jwtKeys],
    ungranted: [...state.ungranted],
    readOnlyFields: [...state.readOnlyFields],
  };
}

function load(state: SalesforceState, data: unknown): void {
  const d = data as DumpedState;
  if (!d || d.version !== 2) throw new Error('Salesforce sandbox state: unknown format');
  reset(state);
  state.ungranted = new Set(d.ungranted ?? []);
  state.readOnlyFields = new Set(d.readOnlyFields ?? []);
  // Records first: the permission sets among them decide which custom fields the user sees.
  for (const [name, dumped] of Object.entries(d.records)) {
    const map = state.records.get(name);
    if (map) loadRecords(map, dumped);
  }
  for (const cf of d.customFields) {
    state.customFields.set(cf.Id, cf);
    applyCustomField(state, cf);
  }
  if (d.leadHistory) loadRecords(state.leadHistory, d.leadHistory);
  state.serial = d.serial;
  state.usage = d.usage;
  for (const j of d.jobs) state.jobs.set(j.id, j);
  state.auth.accessTokens = new Map(d.accessTokens);
  state.auth.refreshTokens = new Set(d.refreshTokens);
  state.auth.jwtKeys = new Map(d.jwtKeys);
}

/** Hidden outcomes are the context's to persist and clear, not this part's; settings stay. */
function reset(state: SalesforceState): void {
  Object.assign(state, createState(state.tracksLeadHistory, state.editsConvertedLeads, state.securesNewFields, state.userPermissions));
}

const states = new WeakMap<SandboxContext, SalesforceState>();

/** The state of this context's Salesforce sandbox, created and registered on first use. */
export function stateFor(ctx: SandboxContext): SalesforceState {
  let state = states.get(ctx);
  if (!state) {
    const s = createState(
      () => ctx.options.salesforceLeadHistory,
      () => ctx.options.salesforceEditConvertedLeads,
      () => ctx.options.salesforceFieldSecurity,
      () => ctx.options.salesforceUserPermissions,
    );
    states.set(ctx, s);
    ctx.registerState('salesforce', {
      dump: () => dump(s),
      load: (data) => load(s, data),
      reset: () => reset(s),
    });
    state = s;
  }
  return state;
}

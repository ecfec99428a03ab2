import { randomBytes } from 'node:crypto';
import { DEFAULT_GROUPS, defaultProperties, LIFECYCLE_STAGES, type PropertyDef, type PropertyGroupDef } from './default-properties.js';
import { MODIFIED_PROPERTY, type ObjectType } from './object-types.js';
import { loadManifest } from '../../../src/domain/manifest.js';

export interface HsObject {
  id: string;
  /** Only set values; an unset property is absent (the API shows it as null when asked for). */
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** Merged away (merge): the record both merged ids now lead to. Archived, but not listed among the archived. */
  mergedInto?: string;
  /**
   * Values written through the API, the control API or derived from them, oldest first, per
   * property (propertiesWithHistory). Seeded records start without: their current value stands
   * for the history (object-view.ts).
   */
  history?: Record<string, PropertyHistoryEntry[]>;
}

export interface PropertyHistoryEntry {
  value: string;
  timestamp: number;
  /** HubSpot's sourceType: who wrote it, or CALCULATED for what HubSpot derives itself. */
  sourceType: ChangeSource | 'CALCULATED';
}

/** The app the sandbox pretends the connector is: ids for webhooks, credentials for OAuth. */
export interface HubspotApp {
  appId: number;
  portalId: number;
  hubDomain: string;
  clientId: string;
  clientSecret: string;
  /** Required: every install URL must ask for all of them in `scope` (install-scopes.ts). */
  scopes: string[];
  /** Optional: an install URL may ask for them, in `scope` or `optional_scope`. */
  optionalScopes: string[];
}

export interface IssuedAccessToken {
  expiresAt: number;
  scopes: string[];
  refreshToken: string;
  /** The portal the install was into (the app's portalId then); absent in state saved before it was kept: the app's. */
  portalId?: number;
}

/** What an install's refresh token grants, and in which portal (absent: the app's, as for IssuedAccessToken). */
export interface IssuedRefreshToken {
  scopes: string[];
  portalId?: number;
}

export interface WebhookSubscription {
  id: number;
  eventType: string;
  propertyName?: string;
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface WebhookSettings {
  targetUrl: string;
  maxConcurrentRequests: number;
  createdAt: number;
  updatedAt: number;
}

/** Who made a change, as webhook events report it in changeSource. */
export type ChangeSource = 'INTEGRATION' | 'CRM_UI' | 'IMPORT';

export type ContactEvent =
  | { kind: 'creation'; id: string; at: number; source: ChangeSource }
  | { kind: 'propertyChange'; id: string; at: number; source: ChangeSource; name: string; value: string }
  | { kind: 'deletion'; id: string; at: number; source: ChangeSource }
  | { kind: 'privacyDeletion'; id: string; at: number; source: ChangeSource }
  /** id: the primary's; newId: the record the merge created; propertiesMoved: values it took from the secondary. */
  | { kind: 'merge'; id: string; at: number; source: ChangeSource; mergedIds: string[]; newId: string; propertiesMoved: number };

export interface HubspotState {
  nextId: number;
  objects: Record<ObjectType, Map<string, HsObject>>;
  /** Numeric ids in creation order, for `after` paging by binary search. */
  order: Record<ObjectType, number[]>;
  emailIndex: Map<string, string>;
  properties: Record<ObjectType, Map<string, PropertyDef>>;
  groups: Record<ObjectType, Map<string, PropertyGroupDef>>;
  /** contact id -> deal ids, and back. */
  contactDeals: Map<string, Set<string>>;
  dealContacts: Map<string, Set<string>>;
  app: HubspotApp;
  accessTokens: Map<string, IssuedAccessToken>;
  refreshTokens: Map<string, IssuedRefreshToken>;
  /** What each unspent code grants: the scopes its install was consented with. */
  authCodes: Map<string, { redirectUri: string; expiresAt: number; scopes: string[]; portalId?: number }>;
  webhookSettings: WebhookSettings | null;
  subscriptions: WebhookSubscription[];
  nextSubscriptionId: number;
}

export function defaultApp(): HubspotApp {
  return {
    appId: 1_000_001,
    portalId: 9_000_001,
    hubDomain: 'leadlift-sandbox.hubspot.test',
    clientId: 'leadlift-sandbox-client',
    clientSecret: randomBytes(16).toString('hex'),
    // What the app asks for at install (manifest.json), so the sandbox grants exactly that; a token
    // it issues may call only the CRM APIs these scopes open (scopes.ts). The control API can
    // narrow them, as a developer editing the app's scopes does before the next install.
    scopes: [...loadManifest().hubspot.scopes],
    optionalScopes: [],
  };
}

export function emptyState(now: number, app: HubspotApp): HubspotState {
  const props = (type: ObjectType) => new Map(defaultProperties(type, now).map((p) => [p.name, p]));
  const groups = (type: ObjectType) => new Map(DEFAULT_GROUPS[type].map((g) => [g.name, { ...g }]));
  return {
    nextId: 1001,
    objects: { contacts: new Map(), deals: new Map() },
    order: { contacts: [], deals: [] },
    emailIndex: new Map(),
    properties: { contacts: props('contacts'), deals: props('deals') },
    groups: { contacts: groups('contacts'), deals: groups('deals') },
    contactDeals: new Map(),
    dealContacts: new Map(),
    app,
    accessTokens: new Map(),
    refreshTokens: new Map(),
    authCodes: new Map(),
    webhookSettings: null,
    subscriptions: [],
    nextSubscriptionId: 1,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Values kept per property for propertiesWithHistory, newest ones. */
export const HISTORY_KEPT = 20;

/**
 * Record writes with HubSpot's bookkeeping: ids, createdate, last-modified stamps on every write,
 * lifecycle-stage dates, the closed flags of deals, the unique email index, and contact events
 * for webhooks. Values are assumed validated (property-values.ts).
 */
export class HubspotRecords {
  private listeners: Array<(event: ContactEvent) => void> = [];

  constructor(
    public state: HubspotState,
    private readonly now: () => number,
  ) {}

  onContactEvent(listener: (event: ContactEvent) => void): void {
    this.listeners.push(listener);
  }

  get(type: ObjectType, id: string): HsObject | undefined {
    return this.state.objects[type].get(id);
  }

  contactByEmail(email: string): HsObject | undefined {
    const id = this.state.emailIndex.get(email.toLowerCase());
    return id ? this.state.objects.contacts.get(id) : undefined;
  }

  create(type: ObjectType, values: Record<string, string>, source: ChangeSource, createdAt?: number, quiet = false): HsObject {
    const at = this.now();
    const id = String(this.state.nextId++);
    const created = createdAt ?? (values.createdate ? Date.parse(values.createdate) : at);
    const obj: HsObject = { id, properties: {}, createdAt: created, updatedAt: at, archived: false };
    this.state.objects[type].set(id, obj);
    this.state.order[type].push(Number(id));
    this.apply(type, obj, { ...values, hs_object_id: id, createdate: iso(created) }, at, true, source);
    if (type === 'contacts' && !quiet) {
      this.emit({ kind: 'creation', id, at, source });
      for (const [name, value] of Object.entries(obj.properties)) this.emit({ kind: 'propertyChange', id, at, source, name, value });
    }
    return obj;
  }

  /**
   * Seeding's fast path (tens of thousands of rows): the caller hands over a finished property
   * object, taken as is; only the record bookkeeping (id, dates, email index) is added.
   */
  insertSeeded(type: ObjectType, properties: Record<string, string>, createdAt: number, updatedAt: number): HsObject {
    const id = String(this.state.nextId++);
    properties.hs_object_id = id;
    properties.createdate = iso(createdAt);
    properties[MODIFIED_PROPERTY[type]] = iso(updatedAt);
    const obj: HsObject = { id, properties, createdAt, updatedAt, archived: false };
    this.state.objects[type].set(id, obj);
    this.state.order[type].push(Number(id));
    if (type === 'contacts' && properties.email) this.state.emailIndex.set(properties.email.toLowerCase(), id);
    return obj;
  }

  update(type: ObjectType, obj: HsObject, values: Record<string, string>, source: ChangeSource, at = this.now()): void {
    const changed = this.apply(type, obj, values, at, false, source);
    if (type === 'contacts') for (const name of changed) this.emit({ kind: 'propertyChange', id: obj.id, at, source, name, value: obj.properties[name] ?? '' });
  }

  archive(type: ObjectType, obj: HsObject, source: ChangeSource): void {
    if (obj.archived) return;
    obj.archived = true;
    obj.archivedAt = this.now();
    if (type === 'contacts' && obj.properties.email) this.state.emailIndex.delete(obj.properties.email.toLowerCase());
    if (type === 'contacts') this.emit({ kind: 'deletion', id: obj.id, at: obj.archivedAt, source });
  }

  /**
   * A contact merge as HubSpot does it since contact merges create a record (developer changelog,
   * "Updated merge functionality for contacts and companies"): a new contact with a new id takes
   * both; the primary's values are current, the secondary's fill what the primary lacks (knowledge
   * base, "Merge records"), except that the lifecycle stage furthest down the funnel is kept. Both
   * old ids then lead to the new record (getMerged); neither is listed or searched any more, and
   * neither shows in the archived listing (merged-away contacts are not reported as deleted). The
   * deals of both move to it, both emails find it, and hs_merged_object_ids lists every id merged
   * into it, earlier merges' included. It is reported as one contact.merge event (webhook-delivery.ts),
   * neither as a creation nor as deletions.
   */
  merge(primary: HsObject, secondary: HsObject, source: ChangeSource): HsObject {
    const stage = furthestStage(primary.properties.lifecyclestage, secondary.properties.lifecyclestage);
    const merged = [secondary, primary].flatMap((o) => [...(o.properties.hs_merged_object_ids?.split(';') ?? []), o.id]);
    const values: Record<string, string> = { ...secondary.properties, ...primary.properties, hs_merged_object_ids: [...new Set(merged)].join(';') };
    if (stage) values.lifecyclestage = stage;
    for (const name of ['hs_object_id', 'createdate', 'lastmodifieddate']) delete values[name];
    const propertiesMoved = Object.keys(values).filter((name) => name !== 'hs_merged_object_ids' && values[name] !== primary.properties[name]).length;
    const emails = [primary, secondary].map((o) => o.properties.email).filter((e): e is string => !!e);
    const deals = [...new Set([...this.associated('contacts', primary.id), ...this.associated('contacts', secondary.id)])];
    const at = this.now();
    for (const old of [primary, secondary]) {
      for (const dealId of this.associated('contacts', old.id)) this.dissociate(old.id, dealId);
      if (old.properties.email) this.state.emailIndex.delete(old.properties.email.toLowerCase());
      Object.assign(old, { archived: true, archivedAt: at });
    }
    const created = this.create('contacts', values, source, Math.min(primary.createdAt, secondary.createdAt), true);
    primary.mergedInto = secondary.mergedInto = created.id;
    for (const email of emails) this.state.emailIndex.set(email.toLowerCase(), created.id);
    for (const dealId of deals) this.associate(created.id, dealId);
    this.emit({ kind: 'merge', id: primary.id, at, source, mergedIds: [secondary.id], newId: created.id, propertiesMoved });
    return created;
  }

  /** The record an id leads to: itself, or the one it was merged into (through later merges too). */
  getMerged(type: ObjectType, id: string): HsObject | undefined {
    let obj = this.get(type, id);
    while (obj?.mergedInto) obj = this.get(type, obj.mergedInto);
    return obj;
  }

  /**
   * A GDPR delete: the contact goes for good, with its associations, and is not listed among the
   * archived either. HubSpot reports it as a deletion (unless it was archived before, which was
   * reported then) and as a privacy deletion.
   */
  purge(obj: HsObject, source: ChangeSource): void {
    const at = this.now();
    const wasArchived = obj.archived;
    if (obj.properties.email && this.state.emailIndex.get(obj.properties.email.toLowerCase()) === obj.id) this.state.emailIndex.delete(obj.properties.email.toLowerCase());
    this.state.objects.contacts.delete(obj.id);
    const order = this.state.order.contacts;
    const index = order.indexOf(Number(obj.id));
    if (index >= 0) order.splice(index, 1);
    for (const dealId of this.associated('contacts', obj.id)) this.dissociate(obj.id, dealId);
    this.state.contactDeals.delete(obj.id);
    if (!wasArchived) this.emit({ kind: 'deletion', id: obj.id, at, source });
    this.emit({ kind: 'privacyDeletion', id: obj.id, at, source });
  }

  associate(contactId: string, dealId: string): void {
    link(this.state.contactDeals, contactId, dealId);
    link(this.state.dealContacts, dealId, contactId);
  }

  dissociate(contactId: string, dealId: string): void {
    this.state.contactDeals.get(contactId)?.delete(dealId);
    this.state.dealContacts.get(dealId)?.delete(contactId);
  }

  associated(type: ObjectType, id: string): string[] {
    return [...((type === 'contacts' ? this.state.contactDeals : this.state.dealContacts).get(id) ?? [])];
  }

  /** Sets values (empty clears), stamps derived properties; returns the names whose value changed. */
  private apply(type: ObjectType, obj: HsObject, values: Record<string, string>, at: number, creating: boolean, source: ChangeSource): string[] {
    const props = obj.properties;
    const changed: string[] = [];
    const set = (name: string, value: string | undefined, sourceType: PropertyHistoryEntry['sourceType'] = source) => {
      const old = props[name];
      if (value === undefined || value === '') {
        if (old === undefined) return;
        delete props[name];
      } else {
        if (old === value) return;
        props[name] = value;
      }
      changed.push(name);
      const history = (obj.history ??= {});
      // A record seeded without history keeps its first value as the oldest entry.
      if (!history[name] && old !== undefined && !creating) history[name] = [{ value: old, timestamp: obj.updatedAt, sourceType: 'IMPORT' }];
      const entries = (history[name] ??= []);
      entries.push({ value: value ?? '', timestamp: at, sourceType });
      // Bounded, so the score writes of many cycles do not grow a --state file without end.
      if (entries.length > HISTORY_KEPT) entries.splice(0, entries.length - HISTORY_KEPT);
    };
    const calculated = (name: string, value: string | undefined) => set(name, value, 'CALCULATED');
    const oldEmail = props.email;
    const oldStage = props.lifecyclestage;
    for (const [name, value] of Object.entries(values)) {
      const def = this.state.properties[type].get(name);
      if (def?.readOnlyValue && !creating) continue;
      set(name, value, def?.readOnlyValue ? 'CALCULATED' : source);
    }
    if (type === 'contacts') {
      if (props.email !== oldEmail) {
        if (oldEmail) this.state.emailIndex.delete(oldEmail.toLowerCase());
        if (props.email) this.state.emailIndex.set(props.email.toLowerCase(), obj.id);
      }
      if (props.lifecyclestage && props.lifecyclestage !== oldStage) {
        const stamp = `hs_lifecyclestage_${props.lifecyclestage}_date`;
        if (!values[stamp]) calculated(stamp, iso(creating ? obj.createdAt : at));
      }
    } else {
      const stage = props.dealstage;
      calculated('hs_is_closed', String(stage === 'closedwon' || stage === 'closedlost'));
      calculated('hs_is_closed_won', String(stage === 'closedwon'));
    }
    if (changed.length > 0 || creating) {
      obj.updatedAt = at;
      calculated(MODIFIED_PROPERTY[type], iso(at));
    }
    return changed.filter((name) => name !== MODIFIED_PROPERTY[type]);
  }

  private emit(event: ContactEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** The lifecycle stage furthest down the funnel ("other" is on none). */
function furthestStage(a: string | undefined, b: string | undefined): string | undefined {
  const rank = (stage: string | undefined) => (stage && stage !== 'other' ? LIFECYCLE_STAGES.indexOf(stage) : -1);
  return rank(b) > rank(a) ? b : (a ?? b);
}

function link(map: Map<string, Set<string>>, from: string, to: string): void {
  let set = map.get(from);
  if (!set) map.set(from, (set = new Set()));
  set.add(to);
}

/** JSON-friendly form of the whole HubSpot state, for --state files. */
export function dumpState(state: HubspotState): unknown {
  const objects = (type: ObjectType) => [...state.objects[type].values()];
  const mapOfSets = (map: Map<string, Set<string>>) => [...map].map(([k, v]) => [k, [...v]]);
  return {
    nextId: state.nextId,
    objects: { contacts: objects('contacts'), deals: objects('deals') },
    properties: { contacts: [...state.properties.contacts.values()], deals: [...state.properties.deals.values()] },
    groups: { contacts: [...state.groups.contacts.values()], deals: [...state.groups.deals.values()] },
    contactDeals: mapOfSets(state.contactDeals),
    app: state.app,
    accessTokens: [...state.accessTokens],
    refreshTokens: [...state.refreshTokens],
    webhookSettings: state.webhookSettings,
    subscriptions: state.subscriptions,
    nextSubscriptionId: state.nextSubscriptionId,
  };
}

interface DumpedState {
  nextId: number;
  objects: Record<ObjectType, HsObject[]>;
  properties: Record<ObjectType, PropertyDef[]>;
  groups: Record<ObjectType, PropertyGroupDef[]>;
  contactDeals: Array<[string, string[]]>;
  // optionalScopes is missing from states saved before apps had them.
  app: Omit<HubspotApp, 'optionalScopes'> & Partial<Pick<HubspotApp, 'optionalScopes'>>;
  accessTokens: Array<[string, IssuedAccessToken]>;
  refreshTokens: Array<[string, IssuedRefreshToken]>;
  webhookSettings: WebhookSettings | null;
  subscriptions: WebhookSubscription[];
  nextSubscriptionId: number;
}

export function loadState(data: unknown): HubspotState {
  const d = data as DumpedState;
  const state = emptyState(Date.now(), { ...d.app, optionalScopes: d.app.optionalScopes ?? [] });
  state.nextId = d.nextId;
  for (const type of ['contacts', 'deals'] as const) {
    for (const obj of d.objects[type]) {
      state.objects[type].set(obj.id, obj);
      state.order[type].push(Number(obj.id));
      if (type === 'contacts' && obj.properties.email && !obj.archived) state.emailIndex.set(obj.properties.email.toLowerCase(), obj.id);
    }
    state.order[type].sort((a, b) => a - b);
    state.properties[type] = new Map(d.properties[type].map((p) => [p.name, p]));
    state.groups[type] = new Map(d.groups[type].map((g) => [g.name, g]));
  }
  for (const [contactId, dealIds] of d.contactDeals) {
    for (const dealId of dealIds) {
      link(state.contactDeals, contactId, dealId);
      link(state.dealContacts, dealId, contactId);
    }
  }
  state.accessTokens = new Map(d.accessTokens);
  state.refreshTokens = new Map(d.refreshTokens);
  state.webhookSettings = d.webhookSettings;
  state.subscriptions = d.subscriptions;
  state.nextSubscriptionId = d.nextSubscriptionId;
  return state;
}

import { randomBytes } from 'node:crypto';
import type { SandboxContext, StatePart } from './context.js';
import { createClock, type OffsetClock } from './clock.js';

/** Everything --state writes: the clock offset, the hidden outcomes and each registered part. */
export interface PersistedState {
  format: 'leadlift-sandbox-state';
  version: 1;
  savedAt: string;
  clockOffset: number;
  hidden: { hubspot: Array<[string, 'won' | 'lost']>; salesforce: Array<[string, 'won' | 'lost']> };
  parts: Record<string, unknown>;
}

export interface RuntimeOptions {
  token?: string;
  hubspotRateLimit?: number;
  hubspotSearchRateLimit?: number;
  hubspotDailyLimit?: number;
  salesforceDailyLimit?: number;
}

/**
 * The context implementation the server hands to both CRM halves, plus what only the server
 * needs: the registered parts (to dump, load and reset them) and a change signal for persistence.
 */
export interface SandboxRuntime extends SandboxContext {
  clock: OffsetClock;
  readonly parts: ReadonlyMap<string, StatePart>;
  dumpState(): PersistedState;
  loadState(state: PersistedState): void;
  /** Empties every CRM, the hidden outcomes, faults and log, and puts the clock back. */
  resetState(): void;
  /** Signals that state changed (the --state saver listens). */
  changed(): void;
  onChanged(listener: () => void): void;
}

export function createRuntime(options: RuntimeOptions = {}): SandboxRuntime {
  const parts = new Map<string, StatePart>();
  const listeners: Array<() => void> = [];
  // Parts found in a state file that no mounted CRM claimed (e.g. --crm hubspot on a file that
  // also holds Salesforce) are written back untouched rather than lost.
  let unclaimed: Record<string, unknown> = {};
  const runtime: SandboxRuntime = {
    clock: createClock(),
    token: options.token ?? `sandbox-${randomBytes(18).toString('base64url')}`,
    log: [],
    faults: [],
    hidden: { hubspot: new Map(), salesforce: new Map() },
    options: {
      hubspotRateLimit: options.hubspotRateLimit ?? 100,
      hubspotSearchRateLimit: options.hubspotSearchRateLimit ?? 5,
      hubspotDailyLimit: options.hubspotDailyLimit ?? 250_000,
      salesforceDailyLimit: options.salesforceDailyLimit ?? 100_000,
      salesforceBulkHold: false,
      salesforceLeadHistory: true,
      salesforceEditConvertedLeads: false,
      salesforceFieldSecurity: true,
      salesforceUserPermissions: { managePermissionSets: true, assignPermissionSets: true },
      hubspotSearchTieOrder: 'scrambled',
      baseUrl: '',
    },
    parts,
    registerState(name, part) {
      if (parts.has(name)) throw new Error(`Sandbox state part "${name}" is registered twice`);
      parts.set(name, part);
    },
    dumpState() {
      const dumped: Record<string, unknown> = { ...unclaimed };
      for (const [name, part] of parts) dumped[name] = part.dump();
      return {
        format: 'leadlift-sandbox-state',
        version: 1,
        savedAt: new Date().toISOString(),
        clockOffset: runtime.clock.offset(),
        hidden: { hubspot: [...runtime.hidden.hubspot], salesforce: [...runtime.hidden.salesforce] },
        parts: dumped,
      };
    },
    loadState(state) {
      runtime.clock.setOffset(state.clockOffset);
      runtime.hidden.hubspot = new Map(state.hidden.hubspot);
      runtime.hidden.salesforce = new Map(state.hidden.salesforce);
      unclaimed = {};
      for (const [name, data] of Object.entries(state.parts)) {
        const part = parts.get(name);
        if (part) part.load(data);
        else unclaimed[name] = data;
      }
    },
    resetState() {
      for (const part of parts.values()) part.reset();
      runtime.hidden.hubspot.clear();
      runtime.hidden.salesforce.clear();
      runtime.faults.length = 0;
      runtime.log.length = 0;
      runtime.clock.setOffset(0);
      unclaimed = {};
    },
    changed() {
      for (const listener of listeners) listener();
    },
    onChanged(listener) {
      listeners.push(listener);
    },
  };
  return runtime;
}

import type { Connector, CrmName } from '../../connectors/types.js';
import { replaceable, type Replaceable } from './replaced-connector.js';

/**
 * The CRMs the server can talk to right now: those configured from the environment at start,
 * plus any an admin connects through the install flow while it runs.
 */
export interface CrmConnections {
  get(crm: CrmName): Connector | null;
  list(): Connector[];
  /**
   * Connects `connector` for its CRM. The one it replaces, if any, refuses its CRM calls from now
   * on (replaced-connector.ts), so a run still holding it stops instead of writing to the portal or
   * org left behind; `because` says why in that run's error.
   */
  set(connector: Connector, because?: string): void;
  /** Disconnects the CRM (its stored tokens are gone); a run still holding its connector stops as for set. */
  remove(crm: CrmName, because: string): void;
}

export function crmConnections(initial: Connector[] = []): CrmConnections {
  const byCrm = new Map<CrmName, Replaceable>(initial.map((c) => [c.crm, replaceable(c)]));
  const retire = (crm: CrmName, because: string) => {
    byCrm.get(crm)?.retire(because);
    byCrm.delete(crm);
  };
  return {
    get: (crm) => byCrm.get(crm)?.connector ?? null,
    list: () => [...byCrm.values()].map((r) => r.connector),
    set: (connector, because = 'it was reconnected from the Connections page') => {
      if (byCrm.get(connector.crm)?.connector === connector) return;
      retire(connector.crm, because);
      byCrm.set(connector.crm, replaceable(connector));
    },
    remove: retire,
  };
}

import type { Connector, CrmName } from '../../connectors/types.js';

/**
 * The CRMs the server can talk to right now: those configured from the environment at start,
 * plus any an admin connects through the install flow while it runs.
 */
export interface CrmConnections {
  get(crm: CrmName): Connector | null;
  list(): Connector[];
  set(connector: Connector): void;
}

export function crmConnections(initial: Connector[] = []): CrmConnections {
  const byCrm = new Map<CrmName, Connector>(initial.map((c) => [c.crm, c]));
  return {
    get: (crm) => byCrm.get(crm) ?? null,
    list: () => [...byCrm.values()],
    set: (connector) => void byCrm.set(connector.crm, connector),
  };
}

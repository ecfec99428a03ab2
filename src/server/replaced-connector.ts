import { CRM_NAMES, type Connector, type CrmName } from '../../connectors/types.js';
import { LeadliftError } from '../domain/errors.js';

/**
 * A cycle, rescore or install holds the connector it started with for its whole run, so swapping
 * the one in CrmConnections alone would let that run go on reading from and writing scores to the
 * portal or org the admin just left. A replaced connector refuses every call to its CRM instead:
 * the run stops at its next CRM call (what it already wrote stays recorded), and the next one
 * uses the new connection.
 */
export class ConnectionReplacedError extends LeadliftError {
  constructor(crm: CrmName, because: string) {
    super(
      `The ${CRM_NAMES[crm]} connection this run started with was replaced while it ran (${because}), so it stopped before its next call to the ${CRM_NAMES[crm]} it was connected to: nothing more was read from or written to it. The next cycle uses the new connection.`,
    );
  }
}

/**
 * The Connector methods that never call the CRM (secrets, notes, push planning, the outcome rule):
 * they stay usable, e.g. to scrub a failure's text. Every other method is taken for a CRM call and
 * refused once retired, so a method added later is guarded without being listed here.
 */
const LOCAL_CALLS = new Set<PropertyKey>(['secrets', 'setNoteListener', 'planPush', 'pushWithinDailyLimit', 'outcomeRule', 'objectOfId', 'scoredObject']);

export interface Replaceable {
  connector: Connector;
  /** From now on every CRM call of `connector` throws ConnectionReplacedError with `because`. */
  retire(because: string): void;
}

/** `connector`, as the same object to its users, with a switch that ends its calls to the CRM. */
export function replaceable(connector: Connector): Replaceable {
  let retired: string | null = null;
  const refuse = () => {
    if (retired !== null) throw new ConnectionReplacedError(connector.crm, retired);
  };
  // A pull is read page by page: a retirement between pages stops it at the next one.
  const guardedPages = <T>(pages: AsyncIterable<T>): AsyncIterable<T> => ({
    [Symbol.asyncIterator]() {
      const it = pages[Symbol.asyncIterator]();
      return {
        next: async () => {
          refuse();
          return it.next();
        },
        return: async (value?: unknown) => (it.return ? it.return(value) : { done: true as const, value: undefined }),
      };
    },
  });
  // The target inherits from the connector and owns nothing: a Proxy must return a target's own
  // read-only, non-configurable property as it is, which would let such a method (a test's
  // Object.create(connector, {...}) defines them so) past the guard, or throw.
  const guarded = new Proxy(Object.create(connector) as Connector, {
    // Its own keys are the connector's, so a spread ({ ...connector, pullLeads }) copies them,
    // guarded; reported configurable, as the empty target allows whatever the connector's are.
    ownKeys: () => Reflect.ownKeys(connector),
    getOwnPropertyDescriptor(_target, prop) {
      const own = Reflect.getOwnPropertyDescriptor(connector, prop);
      return own && { ...own, configurable: true };
    },
    get(_target, prop, receiver) {
      const value: unknown = Reflect.get(connector, prop, receiver);
      if (LOCAL_CALLS.has(prop) || typeof value !== 'function') return value;
      const call = (args: unknown[]): unknown => (value as (...a: unknown[]) => unknown).apply(connector, args);
      // A pull refuses at its first page; every other CRM call returns a promise, which rejects.
      if (prop === 'pullLeads' || prop === 'pullOutcomes') return (...args: unknown[]) => guardedPages(call(args) as AsyncIterable<unknown>);
      return async (...args: unknown[]) => {
        refuse();
        return call(args);
      };
    },
  });
  return {
    connector: guarded,
    retire: (because) => void (retired ??= because),
  };
}

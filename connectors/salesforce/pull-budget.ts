import type { Cursor, Page } from '../types.js';
import type { ApiBudget, BudgetSource } from './api-budget.js';
import type { ApiCaller } from './api-caller.js';

/**
 * The pulls keep to the same share of the org's DailyApiRequests as the push (config `apiShare`):
 * the share is what leadlift may spend in all, and a sync of a large org (or a first one) could
 * otherwise spend it before the push sends a single score. Every request a pull sends is taken
 * from the connector's budget; when the share is reached the pull stops before that request, the
 * pages already handed over stay stored with their checkpoint, and the next sync resumes from it.
 */

/** The share is reached: the pull ends here, on purpose (not an error the cycle reports). */
class ApiShareReached extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

/** `caller`, with each request taken from the budget first and the budget re-read from Salesforce's answer after. */
function budgetedCaller(caller: ApiCaller, budgetFor: BudgetSource): ApiCaller {
  let budget: Promise<ApiBudget> | null = null;
  return {
    async call(action, request, options = {}) {
      budget ??= budgetFor(options.stats ?? { apiCalls: 0, rateLimited: 0 });
      const current = await budget;
      if (!current.take(options.requests ?? 1)) throw new ApiShareReached(current.describe());
      try {
        return await caller.call(action, request, options);
      } finally {
        // Retries and other integrations' use show in the usage Salesforce reports on each answer.
        current.sync(await caller.connection());
      }
    },
    connection: () => caller.connection(),
    get totals() {
      return caller.totals;
    },
    ownFields: caller.ownFields,
    get onNote() {
      return caller.onNote;
    },
    set onNote(listener) {
      caller.onNote = listener;
    },
  };
}

/**
 * What a pull still has to say when the share stops it mid-way: asked for at the stop, and put on
 * the cut-short page after the stop note. A pull that says something once after its last page
 * (how the outcome pull dated leads closed by Status) would otherwise never say it: the stop ends
 * the pull before that last page, and the admin would not learn, e.g., that LeadHistory cannot be
 * read and the leads handed over were dated by LastModifiedDate.
 */
export type SayAtStop = (note: () => string | null) => void;

/**
 * The pages `pull` reads through a budgeted caller, ended by a last empty `cutShort` page saying
 * that the share stopped it (so the sync logs it and keeps the checkpoint of the last full page,
 * and a re-derive of every outcome knows it did not read them all), followed there by what the
 * pull asked to say at a stop (`atStop`). A page cut short by the stop is not handed over: it is
 * read whole by the next sync.
 */
export async function* withinApiShare<T>(
  caller: ApiCaller,
  budgetFor: BudgetSource,
  start: Cursor | null,
  what: string,
  pull: (caller: ApiCaller, atStop: SayAtStop) => AsyncIterable<Page<T>>,
): AsyncGenerator<Page<T>> {
  let last = start;
  const atStop: Array<() => string | null> = [];
  try {
    for await (const page of pull(budgetedCaller(caller, budgetFor), (note) => atStop.push(note))) {
      last = page.cursor;
      yield page;
    }
  } catch (err) {
    if (!(err instanceof ApiShareReached)) throw err;
    const note =
      `The Salesforce ${what} sync stopped at leadlift's share of the org's API requests (${err.detail}; SALESFORCE_API_SHARE): ` +
      'what it read is kept and the next sync resumes from there.';
    const more = atStop.map((say) => say()).filter((n): n is string => n !== null);
    yield { records: [], cursor: last ?? {}, notes: [note, ...more], cutShort: true };
  }
}

import type { DescribeSObjectResult } from 'jsforce';
import type { ApiCaller } from './api-caller.js';

/** How long one describe answers for: a cycle's steps share it; a field or picklist edited in Setup is seen within this. */
const FRESH_MS = 60_000;

/**
 * Kept per connector, keyed by its request counter (`totals`): a pull's budgeted caller
 * (pull-budget.ts) is another object around the same connector's caller and shares that counter.
 */
const described = new WeakMap<object, Map<string, { at: number; result: Promise<DescribeSObjectResult> }>>();

/**
 * The object's describe, read once for the steps of a cycle that need it (the lost-status check,
 * the lead fields to query, the field labels for reasons) instead of once each: every describe is a
 * counted API request and a large payload. A failed describe is not kept.
 */
export function describeObject(caller: ApiCaller, object: string, action: string): Promise<DescribeSObjectResult> {
  let byObject = described.get(caller.totals);
  if (!byObject) described.set(caller.totals, (byObject = new Map()));
  const kept = byObject.get(object);
  if (kept && Date.now() - kept.at < FRESH_MS) return kept.result;
  const result = caller.call(action, (conn) => conn.describe(object));
  byObject.set(object, { at: Date.now(), result });
  result.catch(() => byObject!.get(object)?.result === result && byObject!.delete(object));
  return result;
}

/** Drops the kept describe of `object`: the schema step is about to change its fields, which the next describe must show. */
export function forgetDescribe(caller: ApiCaller, object: string): void {
  described.get(caller.totals)?.delete(object);
}

import type { SandboxContext } from '../context.js';

/**
 * Partial-batch faults for Salesforce writes: a matching FaultRule makes a share of the records
 * in one sObject Collections call or Bulk API job fail with UNABLE_TO_LOCK_ROW, the transient
 * error a busy org gives. Which records fail is spread evenly through the batch, so a test can
 * predict it from the share.
 */

export function partialBatchShare(ctx: SandboxContext, method: string, path: string): number | null {
  for (const rule of ctx.faults) {
    if (rule.kind !== 'partial-batch') continue;
    if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
    if (!new RegExp(rule.pathPattern).test(path)) continue;
    if (rule.rate !== undefined && Math.random() >= rule.rate) continue;
    if (rule.count !== undefined) {
      rule.count -= 1;
      if (rule.count <= 0) ctx.faults.splice(ctx.faults.indexOf(rule), 1);
    }
    return rule.share ?? 0.5;
  }
  return null;
}

/** Positions (0-based) of the records that fail when `share` of `n` must fail. */
export function failingPositions(n: number, share: number): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (Math.floor((i + 1) * share) > Math.floor(i * share)) out.add(i);
  }
  return out;
}

export const lockRowError = (id: string | null) => ({
  statusCode: 'UNABLE_TO_LOCK_ROW',
  message: `unable to obtain exclusive access to this record or 1 records: ${id ?? ''}`.trim(),
  fields: [] as string[],
});

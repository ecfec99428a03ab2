import type { SandboxContext } from '../context.js';
import { partialBatchFailures, takeFault } from '../fault-rules.js';

/**
 * Partial-batch faults for Salesforce writes: a matching FaultRule makes a share of the records
 * in one sObject Collections call or Bulk API job fail with UNABLE_TO_LOCK_ROW, the transient
 * error a busy org gives. Rules are matched on the full request path (as the control API takes
 * them), not the path inside this router.
 */

function fullPath(req: { method: string; originalUrl: string }): { method: string; path: string } {
  return { method: req.method, path: req.originalUrl.split('?')[0] };
}

/** Positions (0-based) of the records in a collections call that fail. */
export function collectionFailures(
  ctx: SandboxContext,
  req: { method: string; originalUrl: string },
  size: number,
): Set<number> {
  return partialBatchFailures(ctx, fullPath(req), size);
}

/** The share of a Bulk API job's rows that fail, decided when its data is uploaded. */
export function bulkFailShare(ctx: SandboxContext, req: { method: string; originalUrl: string }): number | null {
  const { method, path } = fullPath(req);
  const rule = takeFault(ctx, method, path, ['partial-batch']);
  return rule ? (rule.share ?? 0.5) : null;
}

/** Job rows that fail for a share: as many as the collections rule (rounded, at least one), spread evenly. */
export function bulkFailures(size: number, share: number): Set<number> {
  const failing = share === 0 || size === 0 ? 0 : Math.min(size, Math.max(1, Math.round(share * size)));
  const out = new Set<number>();
  for (let k = 0; k < failing; k++) out.add(Math.floor((k * size) / failing));
  return out;
}

export const lockRowError = (id: string | null) => ({
  statusCode: 'UNABLE_TO_LOCK_ROW',
  message: `unable to obtain exclusive access to this record or 1 records: ${id ?? ''}`.trim(),
  fields: [] as string[],
});

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FaultRule, SandboxContext } from './context.js';

export const faultRuleInput = z
  .object({
    id: z.string().min(1).optional(),
    method: z.string().min(1).optional(),
    pathPattern: z.string().min(1),
    kind: z.enum(['rate-limit', 'server-error', 'latency', 'drop', 'partial-batch']),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().positive().optional(),
    ms: z.number().nonnegative().optional(),
    status: z.number().int().min(400).max(599).optional(),
    share: z.number().min(0).max(1).optional(),
  })
  .strict()
  .superRefine((rule, issues) => {
    try {
      new RegExp(rule.pathPattern);
    } catch (err) {
      issues.addIssue({ code: 'custom', path: ['pathPattern'], message: `not a regular expression: ${(err as Error).message}` });
    }
  });

const compiled = new WeakMap<FaultRule, RegExp>();

function patternOf(rule: FaultRule): RegExp {
  let re = compiled.get(rule);
  if (!re) {
    re = new RegExp(rule.pathPattern);
    compiled.set(rule, re);
  }
  return re;
}

export function addFault(ctx: SandboxContext, input: z.infer<typeof faultRuleInput>): FaultRule {
  const rule: FaultRule = { ...input, id: input.id ?? randomUUID() };
  ctx.faults.splice(0, ctx.faults.length, ...ctx.faults.filter((r) => r.id !== rule.id), rule);
  return rule;
}

export function removeFault(ctx: SandboxContext, id: string): boolean {
  const i = ctx.faults.findIndex((r) => r.id === id);
  if (i < 0) return false;
  ctx.faults.splice(i, 1);
  return true;
}

/**
 * The first rule of one of `kinds` that matches this request and whose dice roll hits. A hit uses
 * up one of the rule's `count`; a rule whose count reaches zero retires.
 */
export function takeFault(
  ctx: SandboxContext,
  method: string,
  path: string,
  kinds: ReadonlyArray<FaultRule['kind']>,
): FaultRule | null {
  for (const rule of ctx.faults) {
    if (!kinds.includes(rule.kind)) continue;
    if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
    if (!patternOf(rule).test(path)) continue;
    if (Math.random() >= (rule.rate ?? 1)) continue;
    if (rule.count !== undefined) {
      rule.count -= 1;
      if (rule.count <= 0) removeFault(ctx, rule.id);
    }
    return rule;
  }
  return null;
}

/**
 * For the CRM routers: which inputs of a batch of `size` an active partial-batch rule makes fail
 * (indexes into the batch), or an empty set when no rule hits. The share is rounded but at least
 * one input fails whenever a rule with a non-zero share hits.
 */
export function partialBatchFailures(
  ctx: SandboxContext,
  req: { method: string; path: string },
  size: number,
): Set<number> {
  const rule = size > 0 ? takeFault(ctx, req.method, req.path, ['partial-batch']) : null;
  if (!rule) return new Set();
  const share = rule.share ?? 0.5;
  const failing = share === 0 ? 0 : Math.min(size, Math.max(1, Math.round(share * size)));
  const order = Array.from({ length: size }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return new Set(order.slice(0, failing));
}

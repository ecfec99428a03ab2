import { Router } from 'express';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { grantFieldSecurity } from './schema/custom-fields.js';
import { stateFor } from './state.js';

/**
 * Salesforce parts of the control API (/__sandbox/salesforce): what an admin does in Setup that
 * the integration user cannot do through the API it is given.
 */

const grantInput = z
  .object({
    fields: z.array(z.string().regex(/^\w+\.\w+__c$/, 'must be Object.Field__c')).min(1),
    /** 'edit' (default): Read and Edit Access; 'read': Read Access alone, the field is read-only. */
    access: z.enum(['read', 'edit']).default('edit'),
  })
  .strict();

export function salesforceControl(ctx: SandboxContext): Router {
  const router = Router();
  // Set Field-Level Security for the integration user: Read and Edit (or, with access 'read', Read
  // alone) on custom fields, such as those created while salesforceFieldSecurity was on. Answers
  // the ones whose access changed, those still ungranted and those read-only.
  router.post('/field-security', (req, res) => {
    const parsed = grantInput.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
      return;
    }
    const state = stateFor(ctx);
    const granted = grantFieldSecurity(state, parsed.data.fields, parsed.data.access);
    const names = (set: Set<string>) => [...state.customFields.values()].filter((cf) => set.has(cf.FullName.toLowerCase())).map((cf) => cf.FullName);
    res.json({ granted, ungranted: names(state.ungranted), readOnly: names(state.readOnlyFields) });
  });
  return router;
}

import { Router } from 'express';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { grantFieldSecurity } from './schema/custom-fields.js';
import { stateFor } from './state.js';

/**
 * Salesforce parts of the control API (/__sandbox/salesforce): what an admin does in Setup that
 * the integration user cannot do through the API it is given.
 */

const grantInput = z.object({ fields: z.array(z.string().regex(/^\w+\.\w+__c$/, 'must be Object.Field__c')).min(1) }).strict();

export function salesforceControl(ctx: SandboxContext): Router {
  const router = Router();
  // Set Field-Level Security: Read and Edit for the integration user on fields created while
  // salesforceFieldSecurity was on. Answers the ones newly granted and those still ungranted.
  router.post('/field-security', (req, res) => {
    const parsed = grantInput.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
      return;
    }
    const state = stateFor(ctx);
    const granted = grantFieldSecurity(state, parsed.data.fields);
    const ungranted = [...state.customFields.values()].filter((cf) => state.ungranted.has(cf.FullName.toLowerCase())).map((cf) => cf.FullName);
    res.json({ granted, ungranted });
  });
  return router;
}

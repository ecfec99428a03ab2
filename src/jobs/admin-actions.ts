import { z } from 'zod';
import type { CrmName } from '../../connectors/types.js';
import type { Store } from '../store/store.js';
import type { PushResult } from './push.js';

/**
 * What the last push told the CRM admin to do by hand, kept beside the sync cursors (like the
 * push jobs, it is machine state, not a manager's setting) so an hourly loop does not repeat it.
 */
export const ADMIN_ACTIONS_STREAM = 'admin-actions';

const said = z.object({ actions: z.array(z.string()), refused: z.boolean() });

/** The CRM refused a write on our own fields, which only field-level security or a missing field explains. */
function fieldsRefused(push: PushResult): boolean {
  return push.failures.some((f) => /field-level security/i.test(f.message));
}

/**
 * The admin actions worth printing after this push: all of them when the situation changed since
 * they were last said (the schema step created fields, the actions read differently, or writes
 * started or stopped being refused on our fields), none when it is the same situation again. A
 * push that wrote nothing ran no schema step and says nothing about it, so it changes nothing.
 */
export async function adminActionsToSay(store: Store, crm: CrmName, push: PushResult): Promise<string[]> {
  if (push.adminActions.length === 0) return [];
  const now = { actions: push.adminActions, refused: fieldsRefused(push) };
  const before = said.safeParse(await store.checkpoints.get(crm, ADMIN_ACTIONS_STREAM));
  const same =
    before.success &&
    push.fieldsCreated.length === 0 &&
    before.data.refused === now.refused &&
    before.data.actions.length === now.actions.length &&
    before.data.actions.every((a, i) => a === now.actions[i]);
  if (same) return [];
  await store.checkpoints.set(crm, ADMIN_ACTIONS_STREAM, now);
  return now.actions;
}

import { z } from 'zod';
import type { CrmName, PendingPushJob } from '../../connectors/types.js';
import type { Store } from '../store/store.js';

/**
 * The CRM write jobs a push could not read the outcome of (PushReport.pendingJobs), kept between
 * runs so the next push reads them instead of writing their leads again. They live in the
 * checkpoints table beside the sync cursors: like a cursor, each is where a step resumes.
 */

export const PUSH_JOBS_STREAM = 'push-jobs';

const storedJobs = z.object({
  jobs: z.array(z.object({ id: z.string().min(1), leadIds: z.array(z.string().min(1)) })),
});

export async function loadPushJobs(store: Store, crm: CrmName): Promise<PendingPushJob[]> {
  const parsed = storedJobs.safeParse(await store.checkpoints.get(crm, PUSH_JOBS_STREAM));
  // Unreadable means unknown: the leads are sent again, the worst being one repeated write.
  return parsed.success ? parsed.data.jobs : [];
}

export async function savePushJobs(store: Store, crm: CrmName, jobs: readonly PendingPushJob[]): Promise<void> {
  if (jobs.length === 0) await store.checkpoints.clear(crm, PUSH_JOBS_STREAM);
  else await store.checkpoints.set(crm, PUSH_JOBS_STREAM, { jobs });
}

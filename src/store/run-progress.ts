import { z } from 'zod';

/**
 * What runs.progress holds (migration 014): an install's, retrain's or rescore's activity as the instance
 * running it shows it (loop-runner.ts), so any instance sharing the store shows the same step,
 * counts and words. Written at most once a second (server/run-progress-writer.ts).
 */
const runProgressSchema = z.object({
  task: z.enum(['install', 'retrain', 'rescore']),
  step: z.enum(['schema', 'sync', 'train', 'score', 'push']).nullable(),
  done: z.number(),
  total: z.number(),
  /** The status words while it runs (a step's, or the loop's last note). */
  message: z.string(),
  /** When the task was started (the button or the callback), which its page shows; the run starts later, under the lock. */
  startedAt: z.string(),
  /** When this was written: a run whose instance died stopped about here. */
  at: z.string(),
  /** The words the owning instance shows for a finished run, written before the run is closed ok. */
  outcome: z.string().optional(),
});

export type RunProgress = z.infer<typeof runProgressSchema>;

/** Null for none, and for text this version cannot read (a newer leadlift's): then the run shows as other instances' cycles do. */
export function parseRunProgress(text: string | null): RunProgress | null {
  if (text === null) return null;
  try {
    const parsed = runProgressSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

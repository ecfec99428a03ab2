import type { CycleStep } from './deps.js';

/**
 * How the admin is told where a cycle was cut short, by a stop (SIGINT/SIGTERM) or by a lost
 * PostgreSQL connection, and what stays of it. One row per step, so the two accounts of the same
 * step cannot drift apart: what is kept is the same fact; only a lost connection adds what the
 * store shows and what the next cycle does, as its statement under way rolled back.
 */
interface StepWords {
  /** "while <stopped>, after syncing …" in a stop's message. */
  stopped: string;
  /** "during the <lost>" in a lost connection's message. */
  lost: string;
  /** What stays, whichever cut it short. */
  kept: string;
  /** Said after `kept` by a stop only. */
  stopKept?: string;
  /** Said after `kept` by a lost connection only. */
  lostKept?: string;
  /** What the next cycle does after resuming, when there is more to say. */
  resumes?: string;
}

const STEP_WORDS: Record<CycleStep, StepWords> = {
  sync: { stopped: 'syncing', lost: 'sync', kept: 'what was synced is kept' },
  train: { stopped: 'training', lost: 'training', kept: 'what was synced is kept', lostKept: ' and the model in service is the one the store shows' },
  // A prune runs after the new model is stored, so that is kept too.
  prune: {
    stopped: 'pruning old store history after training',
    lost: 'prune after training',
    kept: 'what was synced and the model just trained are kept',
    stopKept: ' (the history pruned by then is counted in the audit trail, the rest goes at the next prune)',
    lostKept: ', and the history not yet pruned goes at the next prune',
  },
  score: { stopped: 'scoring', lost: 'scoring', kept: 'what was synced is kept', resumes: ' and scores again' },
  push: { stopped: 'writing scores back', lost: 'write-back to the CRM', kept: 'what was synced and scored is kept', resumes: ' and writes what it has not recorded as written' },
};

/** A stop's words for the step it caught: "while <during>", and what is kept. */
export function stoppedStepWords(step: CycleStep): { during: string; kept: string } {
  const w = STEP_WORDS[step];
  return { during: w.stopped, kept: `${w.kept}${w.stopKept ?? ''}` };
}

/** A lost store connection's words for the step it caught: "during the <during>", and what is kept and what the next cycle does. */
export function lostStepWords(step: CycleStep): { during: string; kept: string } {
  const w = STEP_WORDS[step];
  return { during: w.lost, kept: `${w.kept}${w.lostKept ?? ''}; the next cycle resumes from it${w.resumes ?? ''}` };
}

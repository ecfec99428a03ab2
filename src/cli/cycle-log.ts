import type { CrmName } from '../../connectors/types.js';
import type { CycleOutcome, CycleSummary } from '../jobs/cycle.js';
import type { CycleKind, CycleReporter } from '../jobs/schedule.js';
import { StopRequestedError } from '../jobs/stop-request.js';
import type { ServeLog } from '../server/log.js';
import { cycleTable, pushCounts } from './cycle-table.js';
import { asProgressStream, logLines, type LogLines } from './log-lines.js';
import { loopProgress, type LoopProgress } from './loop-progress.js';
import type { CycleOutput } from './run.js';

/**
 * `serve`'s first cycle: on a terminal in text format the bars of `run`; otherwise every
 * progress line (heartbeat's start, count every 10 s, end) and note is a log event with the CRM
 * and, once it is recorded, the run id.
 */
export function firstCycleOutput(log: ServeLog, tty = Boolean(process.stderr.isTTY)): CycleOutput | undefined {
  if (log.format === 'text' && tty) return undefined;
  const runIds = new Map<CrmName, string>();
  return {
    progress: (crm) => leveledSteps(logLines(log.logger, 'info', () => ({ crm, runId: runIds.get(crm) }))),
    note: (text) => log.logger.warn(text),
    onRun: (crm, runId) => runIds.set(crm, runId),
  };
}

/**
 * A scheduled cycle's steps in the log: one line as each starts and one as it ends ("Syncing leads
 * and outcomes: started" … "finished, 8,238 in 83.0 s"), never a bar or a count every few seconds
 * (an hourly cycle would fill the log), each with the CRM, the cycle kind and the run id.
 */
export function scheduledCycleReporter(log: ServeLog): (kind: CycleKind, crm: CrmName) => CycleReporter {
  return (kind, crm) => {
    let runId: string | undefined;
    const steps = leveledSteps(logLines(log.logger, 'info', () => ({ crm, kind, runId })), Infinity);
    return {
      onProgress: steps.listener,
      log: (message, level) => steps.note(message, level),
      onRun: (id) => (runId = id),
      ended(result) {
        if ('outcome' in result) {
          if (result.outcome.ran) steps.endCycle(result.outcome.summary);
          return;
        }
        steps.fail(result.error instanceof StopRequestedError ? 'stopped' : 'failed');
        if (result.failure) log.logger.error({ crm, kind, runId }, result.failure);
      },
    };
  };
}

/**
 * A cycle's steps written to log lines, with the levels a log needs: a warning note at warn (so
 * LOG_LEVEL=warn keeps it), and the step under way ending "stopped" or "failed" at warn, since it
 * did not finish. Shared by the first cycle and the scheduled ones, so both say it alike.
 */
function leveledSteps(lines: LogLines, heartbeatEveryMs?: number): LoopProgress {
  const steps = loopProgress('', { stream: asProgressStream(lines), ...(heartbeatEveryMs !== undefined && { heartbeatEveryMs }) });
  return {
    ...steps,
    note(text, level = 'info') {
      // The heartbeat writes a note at once, so the level set here is the one its line gets.
      const was = lines.level;
      lines.level = level;
      try {
        steps.note(text);
      } finally {
        lines.level = was;
      }
    },
    fail(how) {
      lines.level = 'warn';
      steps.fail(how);
    },
  };
}

/**
 * A cycle's summary: in json one event of fields per CRM (a table would be 25 unlabelled events
 * in a log shipper); in text the table `run` prints.
 */
export function logCycleSummaries(log: ServeLog, what: string, summaries: CycleSummary[]): void {
  if (summaries.length === 0) return;
  if (log.format === 'text') {
    log.logger.info(`${what}:\n${cycleTable(summaries)}`);
    return;
  }
  for (const s of summaries) log.logger.info(summaryFields(s), what);
}

/** serve's first cycle: the table on stdout, as `run` prints it, or in json one log event per CRM. */
export function firstCycleDone(log: ServeLog, summaries: CycleSummary[]): void {
  if (log.format === 'json') logCycleSummaries(log, 'first cycle done', summaries);
  else process.stdout.write(`${cycleTable(summaries)}\n`);
}

export function logCycleOutcome(log: ServeLog, kind: CycleKind, outcome: CycleOutcome): void {
  if (outcome.ran) logCycleSummaries(log, `${kind} cycle done`, [outcome.summary]);
}

/** The table's rows as flat fields (cycle-table.ts says what each means). */
export function summaryFields(s: CycleSummary): Record<string, unknown> {
  const push = pushCounts(s);
  return {
    crm: s.crm,
    leadsRead: s.sync.leads,
    leadsChanged: s.sync.leadsChanged,
    outcomesRead: s.sync.outcomes,
    outcomesChanged: s.sync.outcomesChanged,
    model: s.model?.version ?? null,
    auc: s.model?.auc ?? null,
    trained: s.train.trained,
    promoted: s.train.promoted ?? false,
    scored: s.score.scored,
    written: s.push.written,
    unchanged: push.unchanged,
    failed: s.push.failed,
    // Without the held-back scores, which heldBack counts: a shipper summing both would count them twice.
    retryLater: push.retried,
    heldBack: push.heldBack,
    apiCalls: s.apiCalls,
    rateLimited: s.rateLimited,
    seconds: Number(s.seconds.toFixed(1)),
  };
}

import { counted } from '../domain/counted.js';
import { exclusionsBeyond } from '../features/carried-exclusions.js';
import type { ModelBundle } from '../model/bundle.js';
import type { EvaluationReport } from '../model/evaluation/report.js';
import { calibrationBins, rocPoints, topFactors } from '../model/evaluation/curves.js';
import { bundleOf } from '../model/evaluation/run-evaluation.js';
import { measureOnTestLeads, round } from '../model/evaluation/measure-on-test.js';
import { auc } from '../model/evaluation/metrics.js';
import { aucUpperBound } from '../model/evaluation/auc-interval.js';
import { fitModel } from '../model/fit-model.js';
import { prepareForFit } from '../model/prepare-for-fit.js';
import { refitExclusion, servedAfterRefit } from '../model/refit-exclusion.js';
import { blendedContributions } from '../model/blend.js';
import type { Tier } from '../config/tiers.js';
import type { StoredComparison } from '../domain/promotion-reason.js';
import { activeModelAuc } from './active-model-auc.js';
import { outcomeRuleForModel, trainedUnderEarlierRule } from './model-outcome-rule.js';
import { StopRequestedError } from './stop-request.js';
import { featureOptionsWithCrmLabels } from './crm-field-labels.js';
import { clock, type LoopDeps } from './deps.js';
import { modelVersionAt } from './model-version.js';
import { buildTrainingSet, type TrainingSet } from './training-set.js';
import { loopSecrets, runError } from './run-error.js';
import { NoFeaturesError, SameOutcomeError } from '../model/training-errors.js';
import type { Connector } from '../../connectors/types.js';

export type TrainDecision = 'forced' | 'no active model' | 'outcome rule changed' | 'retrain due' | 'not due';

export interface TrainResult {
  trained: boolean;
  /** Why training ran or did not (plain words). */
  reason: string;
  version?: string;
  promoted?: boolean;
  /** AUC of the new model on the whole time split's test part (the model page's headline figure). */
  auc?: number;
  /** The active model's AUC the decision used (as comparison.activeAuc; compare it with comparison.candidateAuc, not `auc`). */
  activeAuc?: number | null;
  /** The promotion decision as stored with the model: its own figures, basis and reason (see describePromotion). */
  comparison?: StoredComparison;
  baselineAuc?: number;
  testLeads?: number;
  /**
   * The active model learnt from outcomes under an earlier outcome rule: its stored AUC does not
   * compare, so the decision measured it again on the newest closed leads under the rule in force.
   */
  activeUnderEarlierRule?: boolean;
}

/**
 * Whether this cycle trains: forced, no model in use yet, the outcome rule changed since the model
 * in use learnt (once: a training since the change, promoted or not, settles it), or the last
 * training is too old.
 */
export async function trainingDue(deps: LoopDeps, force: boolean): Promise<TrainDecision> {
  if (force) return 'forced';
  const crm = deps.connector.crm;
  const active = await deps.store.models.active(crm);
  if (!active) return 'no active model';
  const last = await deps.store.runs.lastFinished('train', crm);
  const earlier = await trainedUnderEarlierRule(deps.store, crm, active);
  if (earlier && !(last && earlier.changedAt !== undefined && last.startedAt >= earlier.changedAt)) return 'outcome rule changed';
  const ageHours = last ? (clock(deps) - Date.parse(last.startedAt)) / 3_600_000 : Infinity;
  return ageHours >= deps.config.loop.retrainAfterHours ? 'retrain due' : 'not due';
}

/**
 * Trains when due: evaluates the recipe on a time split (older closed leads train, the newest
 * test), measures the active model on the same newest leads, and promotes the new model only if
 * its AUC is higher. A promoted model is refitted on every closed lead first (under drift the
 * newest matter most); either way the model is stored with its evaluation.
 */
export async function trainIfDue(deps: LoopDeps, options: { force?: boolean; tiers: readonly Tier[]; syncCutShort?: readonly string[] }): Promise<TrainResult> {
  const decision = await trainingDue(deps, options.force ?? false);
  if (decision === 'not due') return { trained: false, reason: 'the active model is recent enough; no training due' };
  // A pull stopped at the API share has read part of the history, in SystemModstamp order, not a
  // sample of it: a first model fitted on it learnt from whichever leads changed first and would be
  // promoted as the first one, with no model in service to beat. Training stays due and runs once a
  // sync reads to the end. With a model in service a cut-short pull leaves only the newest changes
  // unread, and a candidate must beat that model on the same newest leads: the nightly retrain of a
  // busy org whose syncs often end at the share is not put off.
  if (options.syncCutShort?.length && !(await deps.store.models.active(deps.connector.crm))) {
    return { trained: false, reason: waitsForFullSync(decision, options.syncCutShort) };
  }
  const { store, config, connector } = deps;
  const crm = connector.crm;
  const readiness = await buildTrainingSet(store, config, crm, deps.manifest);
  if (!readiness.ready) return { trained: false, reason: readiness.reason };

  const run = await store.runs.start('train', crm);
  const inService = (await store.models.active(crm))?.version ?? null;
  try {
    const set = readiness.set;
    if (set.conversions === set.closed) throw new SameOutcomeError(true);
    const result = await train(deps, set, options.tiers, decision);
    await store.runs.finish(run.id, { status: 'ok', summary: { ...result } });
    return result;
  } catch (caught) {
    const err = caught instanceof StopRequestedError ? stoppedTraining(caught, inService) : inLoopWords(caught, readiness.set, connector);
    // The cycle's caller logs an unexpected error's scrubbed text (runError); the run keeps only what is safe to show.
    await store.runs.finish(run.id, { status: 'failed', error: runError(err, loopSecrets(deps)).stored });
    throw err;
  }
}

function waitsForFullSync(decision: TrainDecision, streams: readonly string[]): string {
  return (
    `training is due (${decision}) but waits: this sync stopped at the API share before reading every ${streams.join(' and ')} record, ` +
    'so the model would learn from part of the history; the next sync reads on from where this one stopped, and the cycle after it has read to the end trains'
  );
}

/**
 * The feature engine's refusals, said with what only the loop knows: the never-input fields it
 * dropped before the engine saw them, and which CRM settings decide the outcomes.
 */
function inLoopWords(err: unknown, set: TrainingSet, connector: Connector): unknown {
  if (err instanceof NoFeaturesError) {
    const never = set.neverInputs.map((column) => ({ column, reason: neverInputReason(connector.crm) }));
    return new NoFeaturesError([...never, ...err.excluded.filter((e) => !set.neverInputs.includes(e.column))]);
  }
  const rule = connector.outcomeRule?.();
  if (err instanceof SameOutcomeError && rule) {
    return new SameOutcomeError(
      err.allConverted,
      `Outcomes are derived under ${rule.describe}: check that these settings match how this CRM closes its leads (the sync's notes say when a value matches none of the CRM's); the stored outcomes are derived again at the next run after one changes.`,
    );
  }
  return err;
}

/** The train run's own account of a stop: every check comes before the model is stored, so none was. */
function stoppedTraining(stop: StopRequestedError, inService: string | null): StopRequestedError {
  const kept = inService ? `model ${inService} stays in service` : 'no model is in service yet';
  return new StopRequestedError(stop.signalName, `Stopped by ${stop.signalName} during training; nothing was stored or promoted (${kept}), and training starts over the next time it is due.`);
}

function neverInputReason(crm: string): string {
  return `never an input (config loop.neverInputs.${crm}): filled in after the outcome, by leadlift, or a personal identifier`;
}

async function train(deps: LoopDeps, set: TrainingSet, tiers: readonly Tier[], decision: TrainDecision): Promise<TrainResult> {
  const { store, config, connector } = deps;
  const crm = connector.crm;
  const engine = config.model.engine;
  const seed = config.model.seed;
  const stages = config.calibration.refit ? 2 : 1;
  const treesPerFit = config.model.trees * stages;
  const progress = (offset: number) => (done: number) => deps.onProgress?.('train', offset + done, treesPerFit * 2);
  // Reasons read in the CRM's own words: its field and option labels, config's winning.
  const options = await featureOptionsWithCrmLabels(deps, set.table.columns);
  // Every fit of this run (measured, its calibration stage, the refit) checks the post-close rows alone too.
  const request = { label: set.label, positive: set.positive, order: set.order, options, postCloseRows: set.postCloseRows };

  // The model this one must beat is the one active now; if another is made active while this
  // trains (a manager's rollback), this one is not promoted over it.
  const active = await store.models.active(crm);
  const activeUnderEarlierRule = active ? (await trainedUnderEarlierRule(store, crm, active)) !== null : false;
  const outcomeRule = await outcomeRuleForModel(store, crm);

  // 1. The recipe on a time split: every figure below is measured on leads it never saw.
  const start = performance.now();
  const calibrationFraction = config.calibration.fraction;
  const prepared = prepareForFit({ table: set.table, request, testFraction: config.evaluation.testFraction, calibrationFraction });
  const evaluated = await fitModel({ table: set.table, request, prepared, config, engine, seed, onTrees: progress(0) });
  const trainSeconds = (performance.now() - start) / 1000;
  deps.signal?.throwIfAborted();
  const { report: measured, testX, probabilities: p } = measureOnTestLeads({
    model: evaluated,
    prepared,
    config,
    tiers,
    engine,
    trainSeconds,
    excluded: [
      ...set.neverInputs.map((column) => ({ column, reason: neverInputReason(crm) })),
      ...evaluated.excluded.map((e) => ({ column: e.column, reason: e.reason })),
    ],
    withReasons: false,
  });
  const y = prepared.yTest;
  const report: EvaluationReport = {
    ...measured,
    // The model page's ROC, calibration and top-factor charts, on the same unseen test leads.
    curves: { roc: rocPoints(y, p), calibration: calibrationBins(y, p), topFactors: topFactors(blendedContributions(evaluated.forest, evaluated.blend, testX), testX.defs, Infinity) },
  };

  // 2. The model in use, on newest leads it never trained on.
  const duel = active ? compareWithActive(active, set, prepared.testRows, y, p, report.auc, activeUnderEarlierRule) : null;
  const activeAuc = duel?.activeAuc ?? null;
  const candidateAuc = duel?.candidateAuc ?? report.auc;
  const testPositives = y.reduce((n, v) => n + v, 0);
  const aucUpper = round(aucUpperBound(report.auc, testPositives, y.length - testPositives));
  const beatsChance = aucUpper > config.loop.minAuc;
  const wins = beatsChance && (activeAuc === null || candidateAuc > activeAuc);
  let promote = wins;

  // 3. A model worth promoting is refitted on every closed lead; a losing one is kept as it was evaluated.
  // The refit keeps out every column the measured model went without: on every lead a leak
  // can measure under the bound that caught it on the training part. A column only empty or
  // constant on the training part is checked again, and the list says when the refit uses it.
  let bundle: ModelBundle;
  if (promote) {
    const all = [...prepared.trainRows, ...prepared.testRows];
    const preparedAll = prepareForFit({ table: set.table, request, split: { train: all, test: [] }, calibrationFraction, carried: evaluated.excluded });
    const final = await fitModel({ table: set.table, request, prepared: preparedAll, config, engine, seed, onTrees: progress(treesPerFit) });
    report.excluded = [...servedAfterRefit(report.excluded, final.pipeline.sourceColumns), ...exclusionsBeyond(final.excluded, evaluated.excluded).map(refitExclusion)];
    bundle = bundleOf(final, preparedAll, set.label, set.order, engine, report);
  } else {
    bundle = bundleOf(evaluated, prepared, set.label, set.order, engine, report);
  }
  deps.onProgress?.('train', treesPerFit * 2, treesPerFit * 2);
  deps.signal?.throwIfAborted();

  const activeVersion = active?.version ?? null;
  let why = !beatsChance
    ? `AUC ${report.auc} on the newest ${prepared.testRows.length.toLocaleString('en-US')} closed leads (95% upper bound ${aucUpper}) is not above ${config.loop.minAuc} (chance)${active ? `; ${active.version} stays` : ', so no scores are written until a model does better'}`
    : activeAuc === null ? (active ? `${active.version} has no AUC to compare with${duel?.basis ? ` (${duel.basis})` : ''}` : 'no model was active') : wins ? `AUC ${candidateAuc} > ${activeAuc} of ${active!.version} (${duel!.basis})` : `AUC ${candidateAuc} <= ${activeAuc} of ${active!.version} (${duel!.basis}); the active model stays`;

  const taken = new Set((await store.models.list(crm)).map((m) => m.version));
  const version = modelVersionAt(clock(deps), taken);
  const comparison = (promoted: boolean, reason: string): StoredComparison => ({
    testLeads: duel?.leads ?? prepared.testRows.length,
    basis: duel?.basis ?? null,
    activeVersion,
    activeAuc,
    candidateAuc,
    promoted,
    why: reason,
  });
  const metrics = (promoted: boolean, reason: string) => ({
    ...report,
    comparison: comparison(promoted, reason),
    trainingSet: { closed: set.closed, conversions: set.conversions, fromSnapshots: set.fromSnapshots, fromHistory: set.fromHistory, missingRecords: set.missingRecords },
    trainedBecause: decision,
    ...(outcomeRule ? { outcomeRule } : {}),
  });
  // promoteIfActive is the only check against a model made active while this one trained (a
  // rollback), and the stored evaluation is corrected in the same transaction when it refuses: the
  // model record never says "promoted" for a model that was not.
  ({ promote, why } = await store.transaction(async (tx) => {
    await tx.models.save({ crm, version, engine, trainedFrom: set.createdFrom!, trainedTo: set.createdTo!, metrics: metrics(promote, why), bundle });
    if (!promote || (await tx.models.promoteIfActive(crm, version, activeVersion))) return { promote, why };
    const to = (await tx.models.active(crm))?.version ?? null;
    const overtaken = `${why}; but the active model changed from ${activeVersion ?? 'none'} to ${to ?? 'none'} while this one trained (a rollback?), so it is not promoted over ${to ? `${to}, which stays` : 'that choice'}`;
    await tx.models.reviseMetrics(crm, version, metrics(false, overtaken));
    return { promote: false, why: overtaken };
  }));
  return {
    trained: true,
    reason: `${decision}; ${why}`,
    version,
    promoted: promote,
    auc: report.auc,
    activeAuc,
    comparison: comparison(promote, why),
    baselineAuc: report.baseline.auc,
    testLeads: prepared.testRows.length,
    ...(activeUnderEarlierRule ? { activeUnderEarlierRule } : {}),
  };
}

/** Fewer closed leads than this since the active model was trained: compare stored evaluations. */
const MIN_DUEL_LEADS = 30;

/** Why the duel on newer leads could not be held; "model" before the version, which reads like a date. */
function tooFewNewer(newer: number, version: string): string {
  if (newer === 0) return `no closed lead is newer than model ${version}`;
  if (newer < MIN_DUEL_LEADS) return `only ${counted(newer, 'closed lead is', 'closed leads are')} newer than model ${version}`;
  return `the ${counted(newer, 'closed lead')} newer than model ${version} all have the same outcome`;
}

/**
 * The candidate against the model in use, on the test leads the active model never saw: a
 * promoted model was refitted on every closed lead up to its `trainedTo`, so scoring it on those
 * would flatter it. With too few newer closed leads (or only one outcome among them), each
 * model's own time-split AUC is compared instead, and the basis says so. An active model that
 * learnt under an earlier outcome rule is only measured on the newer leads: its own AUC was
 * measured against the old outcomes, and scored on the leads it was refitted on it looks far
 * better than it is (tried: 0.85 on them against 0.50 on its own test leads). Without enough newer
 * leads it has no AUC that compares, so the candidate, which learnt the outcomes as defined now,
 * replaces it if it beats chance; the basis says why.
 */
function compareWithActive(
  active: { version: string; trainedTo: string; bundle: unknown; metrics: Record<string, unknown> },
  set: TrainingSet,
  testRows: readonly number[],
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  candidateOwnAuc: number,
  earlierRule: boolean,
): { activeAuc: number | null; candidateAuc: number; leads: number; basis: string } {
  const created = set.table.cells[set.table.columns.indexOf(set.order)];
  const unseen = testRows.map((_, i) => i).filter((i) => (created?.[testRows[i]] ?? '') > active.trainedTo);
  const yUnseen = unseen.map((i) => y[i]);
  const positives = yUnseen.reduce((n, v) => n + v, 0);
  if (unseen.length >= MIN_DUEL_LEADS && positives > 0 && positives < unseen.length) {
    return {
      activeAuc: round(activeModelAuc(active.bundle as ModelBundle, set.table, unseen.map((i) => testRows[i]), yUnseen)),
      candidateAuc: round(auc(yUnseen, unseen.map((i) => p[i]))),
      leads: unseen.length,
      basis: `on the ${unseen.length.toLocaleString('en-US')} closed leads created after model ${active.version} was trained`,
    };
  }
  if (earlierRule) {
    return {
      activeAuc: null,
      candidateAuc: candidateOwnAuc,
      leads: testRows.length,
      basis: `model ${active.version} was trained under an earlier outcome rule, so its own AUC does not compare, and it cannot be measured again under the rule now in force: ${tooFewNewer(unseen.length, active.version)}`,
    };
  }
  const stored = active.metrics.auc;
  return {
    activeAuc: typeof stored === 'number' ? stored : null,
    candidateAuc: candidateOwnAuc,
    leads: testRows.length,
    basis: `each model's own time-split AUC: ${tooFewNewer(unseen.length, active.version)}`,
  };
}

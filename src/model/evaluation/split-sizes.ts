import { InputError } from '../../domain/errors.js';

/**
 * Fewest older leads a time split may leave to train on: the least history the loop can be
 * configured to train on (loop.minimumHistory.closedLeads may not go below 10). Fewer leave the
 * calibration stage a lead or two, every column constant, and an error about features instead.
 */
export const MIN_TRAIN_LEADS = 10;
/** Fewest newest leads to test on: one lead cannot be ranked against another, so AUC and lift are undefined. */
export const MIN_TEST_LEADS = 2;

/** Newest leads a fraction sets aside: rounded, at least one (as splitByTime cuts). */
export function newerCount(total: number, fraction: number): number {
  return Math.max(1, Math.round(total * fraction));
}

/**
 * Refuses a test fraction that leaves too few leads on either side, before any work is done on
 * the parts, naming the fraction and the sizes it gives (they are what the user can change).
 */
export function assertSplitSizes(source: string, total: number, fraction: number): void {
  const test = Math.min(total, newerCount(total, fraction));
  const train = total - test;
  if (train >= MIN_TRAIN_LEADS && test >= MIN_TEST_LEADS) return;
  const sizes =
    `${source}: the test fraction ${fraction} (--test-fraction, or config evaluation.testFraction without it) splits the ` +
    `${total.toLocaleString('en-US')} labelled leads into ${train.toLocaleString('en-US')} older for training and ` +
    `${test.toLocaleString('en-US')} newest for testing; training needs at least ${MIN_TRAIN_LEADS} and testing at least ${MIN_TEST_LEADS}.`;
  const fewest = MIN_TRAIN_LEADS + MIN_TEST_LEADS;
  if (total < fewest) throw new InputError(`${sizes} No split works with fewer than ${fewest} leads that have an outcome: export a longer history.`);
  // Rounded inwards to 3 places, so both ends of the range give valid parts.
  const low = Math.ceil((MIN_TEST_LEADS / total) * 1000) / 1000;
  const high = Math.floor(((total - MIN_TRAIN_LEADS) / total) * 1000) / 1000;
  throw new InputError(`${sizes} Pass a --test-fraction from ${low} to ${high} (0.2 keeps the newest fifth for testing).`);
}

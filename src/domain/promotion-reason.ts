import { counted } from './counted.js';

/** What training stores in a model's metrics about the promotion decision (src/jobs/train.ts). */
export interface StoredComparison {
  testLeads: number;
  basis: string | null;
  activeVersion: string | null;
  activeAuc: number | null;
  candidateAuc: number;
  promoted: boolean;
  why: string;
}

export interface PromotionReason {
  promoted: boolean;
  /** One sentence starting "Promoted" or "Not promoted", without the closing full stop. */
  text: string;
}

export function storedComparison(metrics: Record<string, unknown>): StoredComparison | null {
  const c = metrics.comparison as Partial<StoredComparison> | undefined;
  return c && typeof c === 'object' && typeof c.promoted === 'boolean' && typeof c.why === 'string' ? (c as StoredComparison) : null;
}

/** The promotion decision stored with a model (null for models trained before it was stored), in words. */
export function promotionReason(metrics: Record<string, unknown>): PromotionReason | null {
  const c = storedComparison(metrics);
  return c && describePromotion(c);
}

/**
 * Why training promoted a model or kept the active one, in a manager's words. The basis matters:
 * "on the same leads" only when both models were scored on the leads the active one never saw;
 * otherwise each was measured on its own newest closed leads, and the text says so.
 */
export function describePromotion(c: StoredComparison): PromotionReason {
  const auc = (x: number) => x.toFixed(3);
  const stated = c.basis === null ? null : olderWording(c.basis);
  const basis = stated ? (stated.startsWith('on ') ? ` ${sameLeads(stated)}` : ` (${stated})`) : '';
  const overtaken = c.why.includes('while this one trained');
  if (c.promoted && c.activeVersion === null) {
    const measured = `its AUC of ${auc(c.candidateAuc)} on the newest ${counted(c.testLeads, 'closed lead')}`;
    // The check is lenient (the upper end of the AUC's 95% interval above loop.minAuc): a first model
    // ranking no better than chance passes it on a small test part, and must not read as having "passed".
    if (c.candidateAuc <= 0.5) {
      return { promoted: true, text: `Promoted as the first model: none was active to compare with; ${measured} is no better than chance (0.5), but too few leads have closed to rule out that it is, so it was not refused. Retrain once more leads have closed` };
    }
    return { promoted: true, text: `Promoted as the first model: none was active to compare with, and ${measured} passed the check against chance` };
  }
  if (c.promoted && c.activeAuc !== null) {
    return { promoted: true, text: `Promoted: it beat model ${c.activeVersion} by ${auc(c.candidateAuc - c.activeAuc)}: AUC ${auc(c.candidateAuc)} against ${auc(c.activeAuc)}${basis}` };
  }
  if (c.promoted) return { promoted: true, text: `Promoted: model ${c.activeVersion} had no AUC to compare with${basis}` };
  if (!overtaken && c.activeAuc !== null && c.candidateAuc <= c.activeAuc) {
    return { promoted: false, text: `Not promoted: AUC ${auc(c.candidateAuc)} is not above the active model's ${auc(c.activeAuc)}${basis}; model ${c.activeVersion} stays in service` };
  }
  return { promoted: false, text: `Not promoted: ${c.why}` };
}

/**
 * Models stored before the basis named "model" before the version (which reads like a date:
 * "newer than 2026-12-01.183504") and said "only 0 closed leads": read in today's words.
 */
function olderWording(basis: string): string {
  const none = /^(each model's own time-split AUC: )only 0 closed leads are newer than (?!model )(.+)$/.exec(basis);
  if (none) return `${none[1]}no closed lead is newer than model ${none[2]}`;
  return basis.replace(/^(each model's own time-split AUC: only \d[\d,]* closed leads? (?:is|are) newer than )(?!model )/, '$1model ').replace(/^(on the \d[\d,]* closed leads created after )(?!model )(.+ was trained)$/, '$1model $2');
}

/** "on the 130 closed leads created after model v1 was trained" -> "on the same 130 closed leads, created after model v1 was trained". */
function sameLeads(basis: string): string {
  const m = /^on the (\d[\d,]*) closed leads (.*)$/.exec(basis);
  return m ? `on the same ${counted(Number(m[1].replace(/,/g, '')), 'closed lead')}, ${m[2]}` : basis;
}

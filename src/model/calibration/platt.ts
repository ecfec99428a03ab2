/**
 * Platt scaling: p = sigmoid(a * logit(raw) + b), fitted by Newton's method on the log loss.
 * Uses Platt's smoothed targets ((N+ + 1)/(N+ + 2), 1/(N- + 2)) so perfectly separated data
 * still gives finite coefficients instead of running off to infinity.
 */
export interface PlattCalibrator {
  method: 'platt';
  a: number;
  b: number;
  /**
   * True when the calibration slice ranked leads no better than chance (the free fit wanted a
   * slope below MIN_SLOPE) and the slope was held at MIN_SLOPE. Worth telling a manager.
   */
  slopeHeld?: boolean;
}

/**
 * A calibrator must never reverse the model's order: a negative slope would rank the best leads
 * last. When a (small or drifting) calibration slice asks for one, the slope is held at this
 * floor, which keeps the order and squeezes probabilities towards the slice's base rate.
 */
export const MIN_SLOPE = 0.05;

// Forest probabilities of exactly 0 or 1 are common; clamp before taking the logit.
const EPS = 1e-4;

export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * How the slope is fitted (config `calibration.slope`; slopeInformation says why the prior):
 * 'free' = by the slice alone (floored at MIN_SLOPE); 'prior' = pulled towards 1 by a Gaussian
 * prior worth as much as the slice; 'fixed' = held at 1, only the intercept is fitted.
 */
export type PlattSlope = 'free' | 'prior' | 'fixed';

export function fitPlatt(raw: ArrayLike<number>, y: ArrayLike<number>, slope: PlattSlope = 'free'): PlattCalibrator {
  const n = raw.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i] ? 1 : 0;
  const hiTarget = (positives + 1) / (positives + 2);
  const loTarget = 1 / (n - positives + 2);
  const x = Array.from({ length: n }, (_, i) => logit(raw[i]));
  const t = Array.from({ length: n }, (_, i) => (y[i] ? hiTarget : loTarget));
  if (slope === 'fixed') return { method: 'platt', a: 1, b: fitIntercept(x, t, 1) };
  // Penalty lambda/2 * (a - 1)^2 on the log loss: the prior's precision (0 = no prior).
  const lambda = slope === 'prior' ? slopeInformation(x, t) : 0;
  const penalised = (a: number, b: number) => plattLoss(x, t, a, b) + (lambda / 2) * (a - 1) * (a - 1);
  let a = 1;
  let b = 0;
  let loss = penalised(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * x[i] + b);
      const d = p - t[i];
      const w = Math.max(p * (1 - p), 1e-12);
      ga += d * x[i];
      gb += d;
      haa += w * x[i] * x[i];
      hab += w * x[i];
      hbb += w;
    }
    ga += lambda * (a - 1);
    haa += lambda;
    // A tiny ridge keeps the Hessian invertible when every raw value is the same.
    haa += 1e-9;
    hbb += 1e-9;
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Backtracking (Lin, Lin & Weng 2007): a full Newton step overshoots when many raw values
    // share one clamp value, and the slope would run off towards infinity.
    let step = 1;
    let next = penalised(a - da, b - db);
    while (!(next <= loss) && step > 1e-10) {
      step /= 2;
      next = penalised(a - step * da, b - step * db);
    }
    if (!(next <= loss)) break;
    a -= step * da;
    b -= step * db;
    const moved = Math.abs(step * da) + Math.abs(step * db);
    loss = next;
    if (moved < 1e-10) break;
  }
  if (!(Number.isFinite(a) && Number.isFinite(b) && a >= MIN_SLOPE)) {
    return { method: 'platt', a: MIN_SLOPE, b: fitIntercept(x, t, MIN_SLOPE), slopeHeld: true };
  }
  return { method: 'platt', a, b };
}

/** Log loss against Platt's smoothed targets, computed stably from the linear score. */
function plattLoss(x: number[], t: number[], a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const z = a * x[i] + b;
    // log(1 + e^z) without overflow; loss = log(1+e^z) - t*z.
    const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    sum += softplus - t[i] * z;
  }
  return sum;
}

/**
 * The slice's Fisher information about the slope at a = 1 with the intercept profiled out
 * (Haa - Hab^2 / Hbb at the intercept fitted for a = 1): the precision of a prior that counts
 * as much as the slice itself, so the fitted slope lands about half-way between the slice's own
 * slope and 1. Why 1: both halves of the blend are fitted on log loss, so the blend's scale is
 * about right a priori, while the slice, ranking near chance under drift (stage-1 AUC about
 * 0.45 on the bank data), would otherwise flatten every lead to its base rate.
 */
function slopeInformation(x: number[], t: number[]): number {
  const b = fitIntercept(x, t, 1);
  let haa = 0, hab = 0, hbb = 1e-9;
  for (let i = 0; i < x.length; i++) {
    const p = sigmoid(x[i] + b);
    const w = Math.max(p * (1 - p), 1e-12);
    haa += w * x[i] * x[i];
    hab += w * x[i];
    hbb += w;
  }
  return Math.max(0, haa - (hab * hab) / hbb);
}

/** Newton on b alone with the slope fixed. */
function fitIntercept(x: number[], t: number[], a: number): number {
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    let g = 0;
    let h = 1e-9;
    for (let i = 0; i < x.length; i++) {
      const p = sigmoid(a * x[i] + b);
      g += p - t[i];
      h += Math.max(p * (1 - p), 1e-12);
    }
    const step = g / h;
    b -= step;
    if (Math.abs(step) < 1e-10) break;
  }
  return b;
}

export function applyPlatt(cal: PlattCalibrator, p: number): number {
  return sigmoid(cal.a * logit(p) + cal.b);
}

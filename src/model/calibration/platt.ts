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

export function fitPlatt(raw: ArrayLike<number>, y: ArrayLike<number>): PlattCalibrator {
  const n = raw.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i] ? 1 : 0;
  const hiTarget = (positives + 1) / (positives + 2);
  const loTarget = 1 / (n - positives + 2);
  const x = Array.from({ length: n }, (_, i) => logit(raw[i]));
  const t = Array.from({ length: n }, (_, i) => (y[i] ? hiTarget : loTarget));
  let a = 1;
  let b = 0;
  let loss = plattLoss(x, t, a, b);
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
    // A tiny ridge keeps the Hessian invertible when every raw value is the same.
    haa += 1e-9;
    hbb += 1e-9;
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Backtracking (Lin, Lin & Weng 2007): a full Newton step overshoots when many raw values
    // share one clamp value, and the slope would run off towards infinity.
    let step = 1;
    let next = plattLoss(x, t, a - da, b - db);
    while (!(next <= loss) && step > 1e-10) {
      step /= 2;
      next = plattLoss(x, t, a - step * da, b - step * db);
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

/**
 * The course's update rules ("schedulers"): each turns a gradient g into the change to SUBTRACT
 * from the parameters. Each layer and parameter gets its own copy (state is per parameter);
 * `reset()` is called once per epoch. (Prefixed `scratch` so they never shadow @aml/core's tfjs optimizers.)
 *
 *   Constant:  change = eta g
 *   Momentum:  v = m v + eta g;                      change = v
 *   Adagrad:   G += g^2;                             change = eta g / (delta + sqrt(G))
 *   AdagradMomentum: G += g^2;  change = m change_prev + eta g / (delta + sqrt(G))
 *   RMSprop:   s = rho s + (1-rho) g^2;              change = eta g / sqrt(s + delta)
 *   Adam:      m = rho m + (1-rho) g;  s = rho2 s + (1-rho2) g^2;
 *              change = eta (m / (1 - rho^k)) / (sqrt(s / (1 - rho2^k)) + delta)
 * As in the course's code, Adam's k is the epoch counter (advanced by reset(), which also
 * clears the moments), and Adagrad/RMSprop clear their accumulators on reset().
 */

/** An update rule for one parameter array. */
export interface Scheduler {
  /** The change to subtract from the parameter for gradient g. */
  updateChange(g: Float64Array): Float64Array;
  /** Called at the end of every epoch. */
  reset(): void;
}

/** Makes a fresh scheduler, so each parameter gets its own state. */
export type SchedulerFactory = () => Scheduler;

/** change = eta g. */
export const scratchConstant =
  (eta: number): SchedulerFactory =>
  () => ({
    updateChange: (g) => g.map((v) => eta * v),
    reset: () => undefined,
  });

/** Classical momentum: v = momentum v + eta g. */
export const scratchMomentum =
  (eta: number, m = 0.9): SchedulerFactory =>
  () => {
    let v: Float64Array | null = null;
    return {
      updateChange(g) {
        v = v ? v.map((vi, i) => m * vi + eta * g[i]) : g.map((gi) => eta * gi);
        return v.slice();
      },
      reset: () => undefined,
    };
  };

/** Adagrad: accumulated squared gradients scale the step. */
export const scratchAdagrad =
  (eta: number, delta = 1e-8): SchedulerFactory =>
  () => {
    let G: Float64Array | null = null;
    return {
      updateChange(g) {
        G = G ? G.map((s, i) => s + g[i] * g[i]) : g.map((v) => v * v);
        return g.map((v, i) => (eta * v) / (delta + Math.sqrt(G![i])));
      },
      reset: () => void (G = null),
    };
  };

/** Adagrad with momentum on the change (the course's AdagradMomentum). */
export const scratchAdagradMomentum =
  (eta: number, m = 0.9, delta = 1e-8): SchedulerFactory =>
  () => {
    let G: Float64Array | null = null;
    let change: Float64Array | null = null;
    return {
      updateChange(g) {
        G = G ? G.map((s, i) => s + g[i] * g[i]) : g.map((v) => v * v);
        const step = g.map((v, i) => (eta * v) / (delta + Math.sqrt(G![i])));
        change = change ? step.map((v, i) => v + m * change![i]) : step;
        return change.slice();
      },
      reset: () => void (G = null),
    };
  };

/** RMSprop with decay rho. */
export const scratchRmsprop =
  (eta: number, rho = 0.9, delta = 1e-8): SchedulerFactory =>
  () => {
    let s: Float64Array | null = null;
    return {
      updateChange(g) {
        s = (s ?? new Float64Array(g.length)).map((si, i) => rho * si + (1 - rho) * g[i] * g[i]);
        return g.map((v, i) => (eta * v) / Math.sqrt(s![i] + delta));
      },
      reset: () => void (s = null),
    };
  };

/** Adam (Kingma & Ba 2015) in the course's per-epoch bias-correction form. */
export const scratchAdam =
  (eta: number, rho = 0.9, rho2 = 0.999, delta = 1e-8): SchedulerFactory =>
  () => {
    let m: Float64Array | null = null;
    let s: Float64Array | null = null;
    let k = 1;
    return {
      updateChange(g) {
        m = (m ?? new Float64Array(g.length)).map((mi, i) => rho * mi + (1 - rho) * g[i]);
        s = (s ?? new Float64Array(g.length)).map((si, i) => rho2 * si + (1 - rho2) * g[i] * g[i]);
        const c1 = 1 - rho ** k,
          c2 = 1 - rho2 ** k;
        return m.map((mi, i) => (eta * (mi / c1)) / (Math.sqrt(s![i] / c2) + delta));
      },
      reset() {
        k += 1;
        m = null;
        s = null;
      },
    };
  };

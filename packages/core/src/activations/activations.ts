/**
 * Elementwise activations with their first four derivatives beside them (micrograd's
 * forward-beside-backward). `apply` is safe under nested `tf.grad` to any order; `d1..d4` are
 * what Taylor-mode derivative engines (packages/pinn) propagate through the layers.
 * All functions take the pre-activation x and return a tensor of the same shape.
 */
import { tf } from '../tf';
import { expSafe, normalCdfSafe, normalPdf, sigmoidSafe, softplusSafe, tanhSafe } from './safe';

export const ACTIVATION_NAMES = [
  'identity',
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'elu',
  'gelu',
  'geluTanh',
  'silu',
  'mish',
  'softplus',
  'sin',
] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

export interface Activation {
  readonly name: ActivationName;
  /** f(x). */
  apply(x: tf.Tensor): tf.Tensor;
  /** f'(x). */
  d1(x: tf.Tensor): tf.Tensor;
  /** f''(x). */
  d2(x: tf.Tensor): tf.Tensor;
  /** f'''(x). */
  d3(x: tf.Tensor): tf.Tensor;
  /** f''''(x). */
  d4(x: tf.Tensor): tf.Tensor;
  /**
   * f, f' and (for order 2) f'' from one evaluation of their shared pieces: forward-mode
   * derivative engines need all three at every layer, and for tanh, sigmoid, SiLU, softplus and
   * sin the derivatives are cheap functions of the value. Same numbers as apply/d1/d2, but
   * differentiable once only (first-order reverse mode): use apply/d1/d2 under nested tf.grad.
   */
  parts(x: tf.Tensor, order: 0 | 1 | 2): ActivationParts;
  /**
   * [f, f', ..., f^(order)] at x for order 0..4, sharing one evaluation where the derivatives
   * are functions of the value (tanh, sigmoid, sin, softplus, SiLU). Like `parts`,
   * differentiable once only: what jet (Taylor-mode) engines call at every elementwise step.
   */
  series(x: tf.Tensor, order: number): tf.Tensor[];
}

/** f(x), and f'(x), f''(x) when the order asks for them. */
export interface ActivationParts {
  readonly f: tf.Tensor;
  readonly d1?: tf.Tensor;
  readonly d2?: tf.Tensor;
}

type PartsFn = (x: tf.Tensor, order: 0 | 1 | 2) => ActivationParts;

type T = tf.Tensor;
const { add, sub, mul, square } = tf;
const zeros = (x: T) => tf.zerosLike(x);
const ones = (x: T) => tf.onesLike(x);

/** Leaky ReLU slope for x < 0 (the course's text default; its code uses 1e-3). */
export const LEAKY_RELU_SLOPE = 0.01;
/** ELU scale for x < 0. */
export const ELU_ALPHA = 1;

// sigmoid s and its derivatives written in s: s' = s(1-s), s'' = s'(1-2s), s''' = s'(1-6s+6s^2)
const sig = (x: T) => sigmoidSafe(x);
const sig1 = (s: T) => mul(s, sub(1, s));
const sig2 = (s: T) => mul(sig1(s), sub(1, mul(2, s)));
const sig3 = (s: T) => mul(sig1(s), add(sub(1, mul(6, s)), mul(6, square(s))));
// tanh t: t' = 1-t^2, t'' = -2t(1-t^2), t''' = (1-t^2)(6t^2-2)
const th1 = (t: T) => sub(1, square(t));
const th2 = (t: T) => mul(-2, mul(t, th1(t)));
const th3 = (t: T) => mul(th1(t), sub(mul(6, square(t)), 2));
// s'''' = s'(1 - 14s + 36s^2 - 24s^3); t'''' = 8t(1-t^2)(2-3t^2)
const sig4 = (s: T) => mul(sig1(s), add(sub(1, mul(14, s)), mul(square(s), sub(36, mul(24, s)))));
const th4 = (t: T) => mul(mul(8, mul(t, th1(t))), sub(2, mul(3, square(t))));

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/** tanh-approximated GELU: 0.5 x (1 + tanh(u)), u = c (x + a x^3); f^(k) = (k/2) T^(k-1) + (x/2) T^(k), T = tanh(u). */
function geluTanhParts(x: T, order: 0 | 1 | 2 | 3 | 4): T {
  const x2 = square(x);
  const u = mul(GELU_C, add(x, mul(GELU_A, mul(x2, x))));
  const t = tanhSafe(u);
  if (order === 0) return mul(0.5, mul(x, add(1, t)));
  const u1 = mul(GELU_C, add(1, mul(3 * GELU_A, x2)));
  const u2 = mul(6 * GELU_A * GELU_C, x);
  const t1 = th1(t),
    t2 = th2(t);
  if (order === 1) return add(mul(0.5, add(1, t)), mul(0.5, mul(x, mul(t1, u1))));
  const inner = add(mul(t2, square(u1)), mul(t1, u2)); // (tanh(u))''
  if (order === 2) return add(mul(t1, u1), mul(0.5, mul(x, inner)));
  const u3 = 6 * GELU_A * GELU_C;
  const third = add(add(mul(th3(t), mul(square(u1), u1)), mul(3, mul(t2, mul(u1, u2)))), mul(u3, t1)); // (tanh(u))'''
  if (order === 3) return add(mul(1.5, inner), mul(0.5, mul(x, third)));
  // Faa di Bruno with u'''' = 0: T'''' = t4 u1^4 + 6 t3 u1^2 u2 + t2 (3 u2^2 + 4 u1 u3)
  const u1sq = square(u1);
  const fourth = add(
    add(mul(th4(t), square(u1sq)), mul(6, mul(th3(t), mul(u1sq, u2)))),
    mul(t2, add(mul(3, square(u2)), mul(4 * u3, u1))),
  );
  return add(mul(2, third), mul(0.5, mul(x, fourth)));
}

/** mish: x g, g = tanh(softplus x); f^(k) = k g^(k-1) + x g^(k). */
function mishParts(x: T, order: 0 | 1 | 2 | 3 | 4): T {
  const sp = softplusSafe(x);
  const g = tanhSafe(sp);
  if (order === 0) return mul(x, g);
  const s = sig(x),
    s1 = sig1(s),
    s2 = sig2(s);
  const g1 = mul(th1(g), s); // g' = (1-g^2) s
  if (order === 1) return add(g, mul(x, g1));
  const g2 = add(mul(th2(g), square(s)), mul(th1(g), s1)); // chain rule with sp' = s
  if (order === 2) return add(mul(2, g1), mul(x, g2));
  const g3 = add(add(mul(th3(g), mul(square(s), s)), mul(3, mul(th2(g), mul(s, s1)))), mul(th1(g), s2));
  if (order === 3) return add(mul(3, g2), mul(x, g3));
  // softplus^(k) = s^(k-1): g'''' = t4 s^4 + 6 t3 s^2 s1 + t2 (3 s1^2 + 4 s s2) + t1 s3
  const g4 = add(
    add(mul(th4(g), square(square(s))), mul(6, mul(th3(g), mul(square(s), s1)))),
    add(mul(th2(g), add(mul(3, square(s1)), mul(4, mul(s, s2)))), mul(th1(g), sig3(s))),
  );
  return add(mul(4, g3), mul(x, g4));
}

/** min(x, 0) as x (1 - H(x)): keeps exp from overflowing in the branch not taken, tape-safe. */
const negPart = (x: T) => mul(x, sub(1, tf.step(x)));
/** pos where x > 0, neg elsewhere; H(x) = tf.step has a zero gradient, so this nests safely. */
const blend = (x: T, pos: T, neg: T) => {
  const h = tf.step(x);
  return add(mul(h, pos), mul(sub(1, h), neg));
};
const leakySlope = (x: T) => add(LEAKY_RELU_SLOPE, mul(1 - LEAKY_RELU_SLOPE, tf.step(x)));

/**
 * Parts written in the activation's value (s for sigmoid, t for tanh). They use tfjs's plain ops,
 * whose gradients are right at first order: a forward-mode engine only backpropagates once through
 * them, and the tape-safe primitives' extra recomputation in the backward pass cost ~15% of a PINN step.
 */
const sharedParts: Partial<Record<ActivationName, PartsFn>> = {
  tanh: (x, order) => {
    const t = tf.tanh(x);
    if (order === 0) return { f: t };
    const d1 = th1(t);
    return order === 1 ? { f: t, d1 } : { f: t, d1, d2: mul(-2, mul(t, d1)) };
  },
  sigmoid: (x, order) => {
    const s = tf.sigmoid(x);
    if (order === 0) return { f: s };
    const d1 = sig1(s);
    return order === 1 ? { f: s, d1 } : { f: s, d1, d2: mul(d1, sub(1, mul(2, s))) };
  },
  silu: (x, order) => {
    const s = tf.sigmoid(x);
    const f = mul(x, s);
    if (order === 0) return { f };
    const s1 = sig1(s);
    const d1 = add(s, mul(x, s1));
    return order === 1 ? { f, d1 } : { f, d1, d2: add(mul(2, s1), mul(x, mul(s1, sub(1, mul(2, s))))) };
  },
  softplus: (x, order) => {
    const f = tf.softplus(x);
    if (order === 0) return { f };
    const s = tf.sigmoid(x);
    return order === 1 ? { f, d1: s } : { f, d1: s, d2: sig1(s) };
  },
  sin: (x, order) => {
    const f = tf.sin(x);
    if (order === 0) return { f };
    const d1 = tf.cos(x);
    return order === 1 ? { f, d1 } : { f, d1, d2: tf.neg(f) };
  },
};

/** [f, f', ..., f^(order)] written in the value (plain tfjs ops, first-order reverse only). */
type SeriesFn = (x: T, order: number) => T[];
const sharedSeries: Partial<Record<ActivationName, SeriesFn>> = {
  tanh: (x, order) => {
    const t = tf.tanh(x);
    return [t, ...[th1, th2, th3, th4].slice(0, order).map((f) => f(t))];
  },
  sigmoid: (x, order) => {
    const s = tf.sigmoid(x);
    return [s, ...[sig1, sig2, sig3, sig4].slice(0, order).map((f) => f(s))];
  },
  sin: (x, order) => {
    const s = tf.sin(x);
    if (order === 0) return [s];
    const c = tf.cos(x);
    return [s, c, tf.neg(s), tf.neg(c), s].slice(0, order + 1);
  },
  softplus: (x, order) => {
    const f = tf.softplus(x);
    if (order === 0) return [f];
    const s = tf.sigmoid(x);
    return [f, s, sig1(s), sig2(s), sig3(s)].slice(0, order + 1);
  },
  silu: (x, order) => {
    const s = tf.sigmoid(x);
    const ds = [s, ...[sig1, sig2, sig3, sig4].slice(0, order).map((f) => f(s))]; // s^(k)
    return ds.map((sk, k) => (k === 0 ? mul(x, s) : add(mul(k, ds[k - 1]), mul(x, sk)))); // f^(k) = k s^(k-1) + x s^(k)
  },
};

const table: Record<ActivationName, Omit<Activation, 'name' | 'parts' | 'series'>> = {
  identity: { apply: (x) => tf.clone(x), d1: ones, d2: zeros, d3: zeros, d4: zeros },
  sigmoid: {
    apply: sig,
    d1: (x) => sig1(sig(x)),
    d2: (x) => sig2(sig(x)),
    d3: (x) => sig3(sig(x)),
    d4: (x) => sig4(sig(x)),
  },
  tanh: {
    apply: (x) => tanhSafe(x),
    d1: (x) => th1(tanhSafe(x)),
    d2: (x) => th2(tanhSafe(x)),
    d3: (x) => th3(tanhSafe(x)),
    d4: (x) => th4(tanhSafe(x)),
  },
  relu: { apply: (x) => tf.relu(x), d1: (x) => tf.step(x), d2: zeros, d3: zeros, d4: zeros },
  leakyRelu: {
    // x (a + (1-a) H(x)): written with step, whose gradient is zero, because tf.where / tf.greater
    // on the tape make nested gradients throw ("gradient function not found for Greater").
    apply: (x) => mul(x, leakySlope(x)),
    d1: (x) => leakySlope(x),
    d2: zeros,
    d3: zeros,
    d4: zeros,
  },
  elu: {
    apply: (x) => blend(x, x, mul(ELU_ALPHA, sub(expSafe(negPart(x)), 1))),
    d1: (x) => blend(x, ones(x), mul(ELU_ALPHA, expSafe(negPart(x)))),
    d2: (x) => blend(x, zeros(x), mul(ELU_ALPHA, expSafe(negPart(x)))),
    d3: (x) => blend(x, zeros(x), mul(ELU_ALPHA, expSafe(negPart(x)))),
    d4: (x) => blend(x, zeros(x), mul(ELU_ALPHA, expSafe(negPart(x)))),
  },
  gelu: {
    // x Phi(x); f' = Phi + x phi; f'' = phi (2 - x^2); f''' = phi (x^3 - 4x); f'''' = phi (7x^2 - x^4 - 4)
    apply: (x) => mul(x, normalCdfSafe(x)),
    d1: (x) => add(normalCdfSafe(x), mul(x, normalPdf(x))),
    d2: (x) => mul(normalPdf(x), sub(2, square(x))),
    d3: (x) => mul(normalPdf(x), sub(mul(square(x), x), mul(4, x))),
    d4: (x) => {
      const x2 = square(x);
      return mul(normalPdf(x), sub(mul(x2, sub(7, x2)), 4));
    },
  },
  geluTanh: {
    apply: (x) => geluTanhParts(x, 0),
    d1: (x) => geluTanhParts(x, 1),
    d2: (x) => geluTanhParts(x, 2),
    d3: (x) => geluTanhParts(x, 3),
    d4: (x) => geluTanhParts(x, 4),
  },
  silu: {
    // x s; f^(k) = k s^(k-1) + x s^(k)
    apply: (x) => mul(x, sig(x)),
    d1: (x) => {
      const s = sig(x);
      return add(s, mul(x, sig1(s)));
    },
    d2: (x) => {
      const s = sig(x);
      return add(mul(2, sig1(s)), mul(x, sig2(s)));
    },
    d3: (x) => {
      const s = sig(x);
      return add(mul(3, sig2(s)), mul(x, sig3(s)));
    },
    d4: (x) => {
      const s = sig(x);
      return add(mul(4, sig3(s)), mul(x, sig4(s)));
    },
  },
  mish: {
    apply: (x) => mishParts(x, 0),
    d1: (x) => mishParts(x, 1),
    d2: (x) => mishParts(x, 2),
    d3: (x) => mishParts(x, 3),
    d4: (x) => mishParts(x, 4),
  },
  softplus: {
    apply: (x) => softplusSafe(x),
    d1: sig,
    d2: (x) => sig1(sig(x)),
    d3: (x) => sig2(sig(x)),
    d4: (x) => sig3(sig(x)),
  },
  sin: {
    apply: (x) => tf.sin(x),
    d1: (x) => tf.cos(x),
    d2: (x) => tf.neg(tf.sin(x)),
    d3: (x) => tf.neg(tf.cos(x)),
    d4: (x) => tf.sin(x),
  },
};

/**
 * Look up an activation by name.
 * @example
 *   const act = getActivation('tanh');
 *   const y = act.apply(z);      // safe under nested tf.grad
 *   const dy = act.d1(z);        // 1 - tanh(z)^2
 */
export function getActivation(name: string): Activation {
  if (!(ACTIVATION_NAMES as readonly string[]).includes(name)) {
    throw new Error(`activation: unknown activation "${name}"; use one of ${ACTIVATION_NAMES.join(', ')}`);
  }
  const entry = table[name as ActivationName];
  const parts: PartsFn =
    sharedParts[name as ActivationName] ??
    ((x, order) => ({
      f: entry.apply(x),
      d1: order >= 1 ? entry.d1(x) : undefined,
      d2: order >= 2 ? entry.d2(x) : undefined,
    }));
  const shared = sharedSeries[name as ActivationName];
  const fns = [entry.apply, entry.d1, entry.d2, entry.d3, entry.d4];
  const series = (x: T, order: number): T[] => {
    if (!Number.isInteger(order) || order < 0 || order > 4)
      throw new Error(`activation ${name}: series order must be 0..4, got ${order}`);
    return shared ? shared(x, order) : fns.slice(0, order + 1).map((f) => f(x));
  };
  return { name: name as ActivationName, ...entry, parts, series };
}

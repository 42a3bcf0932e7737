/**
 * The 'fused' derivative engine: the WASM kernel of this folder where the backend has it
 * and the network is a plain MLP it fits (up to second derivatives, and pure third ones such as
 * u_xxx), or an 'mlp' body behind
 * periodic / Fourier embeddings with plain or factorized weights (the embedding's derivatives
 * come from tfjs ops, the body runs in the kernel, and tfjs carries the gradients on into the
 * embedding and the factors); everywhere else the
 * engine `chooseEngine` picks ('taylor' jets for any network with a generic forward,
 * 'nested' otherwise), with a one-line notice saying which and why. Never a wrong number:
 * anything the kernel does not support takes the tfjs-ops path.
 *
 * @example
 *   const engine = fusedEngine({ threads: 1 });
 *   const [u, ut, ux, uxx] = engine.derivatives(net, x, [[], [1], [0], [0, 0]]); // x: (N, 2) = (x, t)
 */
import { tf } from '@aml/core';
import { z } from 'zod';
import { chooseEngine } from '../derivatives/choose';
import {
  maxOrder,
  validateRequests,
  type DerivativeEngine,
  type DerivativeIndex,
  type NetworkLike,
} from '../derivatives/engine';
import { nestedEngine } from '../derivatives/nested';
import { checkInputs, taylorEngine } from '../derivatives/taylor';
import { inputJet, jetComponent, jetOps, planJets } from '../derivatives/jets';
import { closeRequests } from '../derivatives/multi-index';
import { asNetwork, mlpView, trunkView, type MlpTrunk } from '../networks/mlp';
import { backendHasFusedKernel, runFusedKernel } from './op';
import { FUSED_ACTIVATIONS, FUSED_LIMITS, planChannels, type FusedActivation } from './plan';
import { loadRuntime, type FusedBuild } from './runtime';

/** Options of the fused engine. */
export interface FusedEngineOptions {
  /** Kernel threads: 1 (default) or more; the split of points is fixed by this number, so results repeat. */
  readonly threads?: number;
  /** Points per block, a multiple of 16 (default 48, fastest here for 50-wide layers): the block's Taylor stack should stay in cache. */
  readonly blockSize?: number;
  /** 'auto' (default): relaxed SIMD (FMA) where the runtime validates it, else plain SIMD. */
  readonly build?: FusedBuild | 'auto';
  /** Where the one-line fallback notices go (default console.warn); each distinct notice once. */
  readonly log?: (line: string) => void;
}

const optionsSchema = z.strictObject({
  threads: z.number().int().min(1).max(16).optional(),
  blockSize: z.number().int().min(16).max(1024).multipleOf(16).optional(),
  build: z.enum(['auto', 'relaxed', 'simd']).optional(),
  log: z.function().optional(),
});

/** A derivative engine backed by the fused kernel; `build` is the WASM build in use (or why none). */
export interface FusedEngine extends DerivativeEngine {
  readonly threads: number;
  readonly blockSize: number;
  /** The WASM build the kernel runs ('relaxed' or 'simd'), or null with the reason in `unavailable`. */
  readonly build: FusedBuild | null;
  readonly unavailable: string | null;
  /**
   * Why a call with this network and x would take the tfjs-ops path, or null if the
   * kernel runs it (derivatives up to second order).
   */
  fallbackReason(net: NetworkLike, x: tf.Tensor2D): string | null;
  /** The engine that computed the last call ('fused', or 'taylor' / 'nested' where it fell back), or null before any call. */
  lastEngine(): string | null;
}

/** Create the fused engine. Throws on invalid options, naming the field. */
export function fusedEngine(options: FusedEngineOptions = {}): FusedEngine {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`fused engine options: ${z.prettifyError(parsed.error)}`);
  const threads = options.threads ?? 1;
  const blockSize = options.blockSize ?? 48;
  const log = options.log ?? ((line: string) => console.warn(line));
  let build: FusedBuild | null = null;
  let unavailable: string | null = null;
  try {
    build = loadRuntime(options.build ?? 'auto').build;
  } catch (e) {
    unavailable = (e as Error).message;
  }
  const told = new Set<string>();
  let last: string | null = null;
  const notice = (line: string) => {
    if (told.has(line)) return;
    told.add(line);
    log(line);
  };

  /** Why the kernel cannot run this network and request set at all, or null. */
  function networkReason(netLike: NetworkLike, requests: readonly DerivativeIndex[]): string | null {
    if (!bodyOf(netLike)) {
      const kind = asNetwork(netLike).kind;
      return `fused kernel takes 'mlp' bodies only (plain, or behind periodic / Fourier embeddings, factorized or not); this is a ${kind}`;
    }
    const order = maxOrder(requests);
    if (order > 3) return `fused kernel computes up to third derivatives; order ${order} requested`;
    const mixed = requests.find((r) => r.length === 3 && (r[0] !== r[1] || r[1] !== r[2]));
    if (mixed)
      return `fused kernel computes third derivatives along one input only, [i, i, i]; [${mixed.join(', ')}] requested`;
    const C = planChannels(requests).channels;
    if (C > FUSED_LIMITS.maxChannels)
      return `${C} derivative channels (the kernel takes up to ${FUSED_LIMITS.maxChannels})`;
    return null;
  }

  /** Why the kernel cannot run this body with d inputs here (build, backend, shapes), or null. */
  function mlpReason(body: Body, d: number): string | null {
    if (unavailable !== null || build === null) return unavailable ?? 'no kernel build';
    if (!backendHasFusedKernel()) return `backend '${tf.getBackend()}' has no fused kernel (it runs on 'wasm')`;
    if (!(body.activation in FUSED_ACTIVATIONS)) {
      return `activation '${body.activation}' is not in the kernel (${Object.keys(FUSED_ACTIVATIONS).join(', ')})`;
    }
    const m = body.sizes[body.sizes.length - 1];
    const layers = body.sizes.length - 1;
    if (d > FUSED_LIMITS.maxInputs) return `${d} inputs (the kernel takes 1..${FUSED_LIMITS.maxInputs})`;
    if (m > FUSED_LIMITS.maxOutputs) return `${m} outputs (the kernel takes 1..${FUSED_LIMITS.maxOutputs})`;
    if (layers > FUSED_LIMITS.maxLayers) return `${layers} layers (the kernel takes up to ${FUSED_LIMITS.maxLayers})`;
    return null;
  }

  function fallbackReason(net: NetworkLike, x: tf.Tensor2D): string | null {
    const body = bodyOf(net);
    if (!body) return networkReason(net, []);
    const why = mlpReason(body, x.shape[1]);
    if (why !== null) return why;
    if (x.dtype !== 'float32') return `x has dtype ${x.dtype} (the kernel takes float32)`;
    if (x.shape[0] === 0) return 'no points';
    return null;
  }

  return {
    name: 'fused',
    threads,
    blockSize,
    build,
    unavailable,
    fallbackReason,
    lastEngine: () => last,
    supports(net, requests) {
      return networkReason(net, requests) ?? mlpReason(bodyOf(net)!, asNetwork(net).inputs) ?? true;
    },
    derivatives(netLike: NetworkLike, x: tf.Tensor2D, requests: readonly DerivativeIndex[]): tf.Tensor2D[] {
      checkInputs(netLike, x, 'fused');
      validateRequests(requests, x.shape[1]);
      if (requests.length === 0) return [];
      const why = networkReason(netLike, requests) ?? fallbackReason(netLike, x);
      if (why !== null) {
        const c = chooseEngine(netLike, requests, [taylorEngine, nestedEngine]);
        notice(`derivatives: ${c.engine.name} engine (${[why, c.why].filter((s) => s).join('; ')})`);
        last = c.engine.name;
        return c.engine.derivatives(netLike, x, requests);
      }
      last = 'fused';
      const call = { threads, blockSize, build: build! };
      const mlp = mlpView(netLike);
      if (mlp) return runFusedKernel(mlp.weights, mlp.biases, mlp.activation as FusedActivation, x, requests, call);
      const trunk = trunkView(netLike)!;
      return tf.tidy(() => {
        const act = trunk.activation as FusedActivation;
        const body = trunk.dense();
        const stack = embeddingStack(trunk, x, requests);
        if (!trunk.fourier) return runFusedKernel(body.weights, body.biases, act, x, requests, call, { stack });
        // Fourier features as one more kernel layer: [cos(p B), sin(p B)] = sin(p [B, B] + [pi/2, 0]).
        const B = trunk.fourier as tf.Tensor2D;
        const half = B.shape[1];
        const phase = tf.tensor1d(Float32Array.from({ length: 2 * half }, (_, k) => (k < half ? Math.PI / 2 : 0)));
        const weights = [tf.concat([B, B], 1) as tf.Tensor2D, ...body.weights];
        const activations: FusedActivation[] = ['sin', ...body.weights.slice(1).map(() => act)];
        return runFusedKernel(weights, [phase, ...body.biases], act, x, requests, call, { stack, activations });
      });
    },
  };
}

/** What the kernel runs: layer widths [n_0, ..., m] (an MLP trunk's body) and the hidden activation. */
interface Body {
  readonly sizes: readonly number[];
  readonly activation: string;
}

/** A plain MLP's or an MLP trunk's widths and activation, or null for any other network. */
function bodyOf(net: NetworkLike): Body | null {
  const mlp = mlpView(net);
  if (mlp) {
    const sizes = [mlp.weights[0].shape[0] as number, ...mlp.weights.map((w) => w.shape[1] as number)];
    return { sizes, activation: mlp.activation };
  }
  const trunk = trunkView(net);
  if (!trunk) return null;
  // With Fourier features the kernel runs one more layer, from the periodic embedding's width.
  const sizes = trunk.fourier ? [trunk.fourier.shape[0] as number, ...trunk.sizes] : trunk.sizes;
  return { sizes, activation: trunk.activation };
}

/**
 * The (periodic) embedding's value, first derivatives and requested second and third derivatives at x, one
 * (N, e) tensor per channel of the kernel's plan for `requests` (Taylor jets through the embedding only).
 */
function embeddingStack(trunk: MlpTrunk, x: tf.Tensor2D, requests: readonly DerivativeIndex[]): tf.Tensor2D[] {
  const plan = planChannels(requests);
  const channels: DerivativeIndex[] = [
    [],
    ...plan.first.map((i) => [i]),
    ...plan.pairs.map(([a, b]) => [plan.first[a], plan.first[b]]),
    ...(plan.triples ?? []).map(([a]) => [plan.first[a], plan.first[a], plan.first[a]]),
  ];
  const jets = planJets(closeRequests(channels));
  const e = trunk.embed(jetOps(jets), inputJet(x, jets));
  return channels.map((c) => jetComponent(e, c.join(',')));
}

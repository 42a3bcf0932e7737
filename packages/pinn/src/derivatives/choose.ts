/**
 * Choosing a derivative engine for a network and request set: the fused WASM kernel for
 * plain MLPs and the orders it handles, 'taylor' (jets) for any network with a generic
 * forward, 'nested' for any other network. The choice is announced in one line, once.
 *
 * @example
 *   const engine = autoEngine();   // prints e.g. "derivatives: taylor engine (fused kernel takes 'mlp' bodies only (plain, or behind periodic / Fourier embeddings, factorized or not); this is a modified-mlp)"
 *   const [u, ux, uxxx] = engine.derivatives(net, x, [[], [0], [0, 0, 0]]);
 */
import type { DerivativeEngine, DerivativeIndex, NetworkLike } from './engine';
import { nestedEngine } from './nested';
import { taylorEngine } from './taylor';

/** The chosen engine and the reasons the ones before it were passed over ('' when the first runs). */
export interface EngineChoice {
  readonly engine: DerivativeEngine;
  readonly why: string;
}

/**
 * The first engine in `engines` that supports `net` and `requests` (an engine without
 * `supports` takes everything). Throws, with every engine's reason, when none does.
 */
export function chooseEngine(
  net: NetworkLike,
  requests: readonly DerivativeIndex[],
  engines: readonly DerivativeEngine[],
): EngineChoice {
  const reasons: string[] = [];
  for (const e of engines) {
    const ok = e.supports ? e.supports(net, requests) : true;
    if (ok === true) return { engine: e, why: reasons.join('; ') };
    reasons.push(ok);
  }
  throw new Error(`derivatives: no engine supports this network and request set (${reasons.join('; ')})`);
}

/** Options of `autoEngine`. */
export interface AutoEngineOptions {
  /** The fast engine tried first (default none: pass `fusedEngine()` from the fused module). */
  readonly first?: DerivativeEngine;
  /** Where the one-line notice goes (default console.warn). */
  readonly log?: (line: string) => void;
}

/**
 * An engine that delegates each call to `chooseEngine([first, taylor, nested])` and prints
 * one line per distinct choice: "derivatives: <name> engine" plus why faster ones were passed over.
 */
export function autoEngine(options: AutoEngineOptions = {}): DerivativeEngine {
  const engines = [...(options.first ? [options.first] : []), taylorEngine, nestedEngine];
  const log = options.log ?? ((l: string) => console.warn(l));
  const told = new Set<string>();
  const pick = (net: NetworkLike, requests: readonly DerivativeIndex[]) => {
    const c = chooseEngine(net, requests, engines);
    const line = `derivatives: ${c.engine.name} engine${c.why ? ` (${c.why})` : ''}`;
    if (!told.has(line)) {
      told.add(line);
      log(line);
    }
    return c.engine;
  };
  return {
    name: 'auto',
    supports: () => true,
    derivatives: (net, x, requests) => pick(net, requests).derivatives(net, x, requests),
  };
}

/**
 * The PDE playground page: pick a shipped experiment or type a problem in the config language,
 * press Train, and watch the loss fall and the solution take shape while @aml/pinn trains the network in the page.
 * Errors in the text show inline with the same messages as `pde-lab`.
 */
import { initBackend, relativeL2, Rng, tf, type BackendInfo, type RunHandle } from '@aml/core';
import { createModel, evaluationGrid, loadFusedKernel, problemFromConfig, solve, type BuiltProblem } from '@aml/pinn';
import Plotly, { type Trace } from 'plotly.js-dist';
import { EXPERIMENTS, merge } from './experiments';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const select = $<HTMLSelectElement>('experiment');
const text = $<HTMLTextAreaElement>('config');
const quick = $<HTMLInputElement>('quick');
const button = $<HTMLButtonElement>('train');
const errorBox = $('error');
const status = $('status');
const backendLine = $('backend');

/** `?live=0` turns off the solution's redraws during training (to measure what they cost). */
const showLive = new URLSearchParams(location.search).get('live') !== '0';

let backend: Promise<BackendInfo> | undefined;

function showExperiment(name: string): void {
  text.value = JSON.stringify(EXPERIMENTS[name].problem, null, 2);
  errorBox.textContent = '';
}

/** Parse the text box into a built problem, or show why not (JSON syntax, or the config's own message). */
function build(): BuiltProblem | null {
  errorBox.textContent = '';
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text.value) as Record<string, unknown>;
  } catch (e) {
    errorBox.textContent = `playground: the text is not JSON: ${(e as Error).message}`;
    return null;
  }
  if (quick.checked) json = merge(json, EXPERIMENTS[select.value]?.quick);
  try {
    return problemFromConfig(json, 'playground');
  } catch (e) {
    errorBox.textContent = (e as Error).message;
    return null;
  }
}

async function startEngine(): Promise<BackendInfo> {
  const here = new URL('./', location.href).href;
  const params = new URLSearchParams(location.search);
  const choice = (params.get('backend') ?? 'auto') as 'auto';
  const info = await initBackend({ backend: choice, wasmPaths: here, log: (l) => (backendLine.textContent = l) });
  try {
    const build = await loadFusedKernel(here);
    backendLine.textContent += ` | fused kernel: ${build}`;
  } catch (e) {
    backendLine.textContent += ` | fused kernel unavailable (${(e as Error).message}); the taylor engine runs`;
  }
  return info;
}

/** A column of a row-major (n, w) array. */
function column(a: Float64Array, j: number, w: number): number[] {
  const n = a.length / w;
  return Array.from({ length: n }, (_, i) => a[i * w + j]);
}

/**
 * The solution plot's traces: in 1D one line per output (the reference's dotted beside it); in more
 * dimensions the points of the grid coloured by the first output (the first two inputs as axes).
 */
function solutionTraces(
  grid: Float64Array,
  d: number,
  outputs: readonly string[],
  pred: Float64Array,
  ref: Float64Array | undefined,
): Trace[] {
  const m = outputs.length;
  const x = column(grid, 0, d);
  if (d === 1) {
    const traces: Trace[] = [];
    outputs.forEach((name, j) => {
      traces.push({ x, y: column(pred, j, m), mode: 'lines', name: `${name} (PINN)` });
      if (ref)
        traces.push({ x, y: column(ref, j, m), mode: 'lines', line: { dash: 'dot' }, name: `${name} (reference)` });
    });
    return traces;
  }
  const marker = { color: column(pred, 0, m), colorscale: 'Viridis', showscale: true, size: 4 };
  return [{ x, y: column(grid, 1, d), mode: 'markers', marker, name: `${outputs[0]} (PINN)` }];
}

/** Points per axis of the grid the solution is drawn on while training (coarse: a redraw stays cheap). */
const LIVE_RESOLUTION: Record<number, number> = { 1: 41, 2: 26 };
/** Shortest time between two redraws of the solution during training, ms. */
const LIVE_MIN_INTERVAL = 1000;
/** A redraw may take at most this share of the time between redraws (so training slows by at most about 1/LIVE_COST_SHARE). */
const LIVE_COST_SHARE = 40;

/**
 * The solution while the network trains: a second model of the same problem receives the trained
 * variables' current values and is evaluated on a coarse grid, at most every LIVE_MIN_INTERVAL ms
 * and never more often than keeps the redraws under 1/LIVE_COST_SHARE of the time. Training waits
 * for each redraw to finish (plotly draws partly asynchronously), so its whole cost is measured.
 * The plot is static while training runs (no zoom or hover: cheaper to draw). Call `dispose` when
 * training ends.
 */
function liveSolution(built: BuiltProblem, title: string) {
  const geometry = built.problem.geometry;
  const d = geometry.dim;
  const outputs = built.problem.names.outputs;
  const grid = evaluationGrid(geometry, new Array<number>(d).fill(LIVE_RESOLUTION[d] ?? 11));
  const ref = built.reference?.evaluate(grid);
  const view = createModel(built.problem, built.solver, new Rng(0));
  const targets = view.variables();
  let updates = 0;
  let spent = 0;
  let next = 0;
  const draw = () =>
    Plotly.react(
      'solution',
      solutionTraces(grid, d, outputs, view.predict(grid), ref),
      { title: { text: title } },
      { staticPlot: true },
    );
  return {
    /** Draw the untrained network's solution (creating the plot: not counted as a redraw). */
    async start(): Promise<void> {
      await draw();
      next = performance.now() + LIVE_MIN_INTERVAL;
    },
    /** After a training step: redraw when due (then training waits for the drawing to finish). */
    step(run: RunHandle, step: number): Promise<void> | undefined {
      if (performance.now() < next) return undefined;
      const t0 = performance.now();
      for (const [name, v] of run.params) targets[name]?.assign(v);
      return draw().then(() => {
        const cost = performance.now() - t0;
        next = performance.now() + Math.max(LIVE_MIN_INTERVAL, LIVE_COST_SHARE * cost);
        updates++;
        spent += cost;
        document.body.dataset.solutionUpdates = String(updates);
        document.body.dataset.solutionStep = String(step);
        document.body.dataset.solutionMs = spent.toFixed(1); // time spent in redraws so far
      });
    },
    dispose(): void {
      view.dispose();
    },
  };
}

async function train(): Promise<void> {
  const built = build();
  if (!built) return;
  button.disabled = true;
  document.body.dataset.state = 'training';
  delete document.body.dataset.solutionUpdates;
  delete document.body.dataset.relL2;
  let live: ReturnType<typeof liveSolution> | undefined;
  try {
    backend ??= startEngine();
    await backend;
    document.body.dataset.tensorsBefore = String(tf.memory().numTensors);
    const steps: number[] = [];
    const losses: number[] = [];
    Plotly.newPlot('loss', [{ x: steps, y: losses, mode: 'lines', name: 'loss' }], {
      title: { text: 'loss' },
      yaxis: { type: 'log' },
    });
    const title = `${built.name}: solution`;
    if (showLive) {
      live = liveSolution(built, `${title} (training)`);
      await live.start();
    }
    let last = 0;
    const { model, seconds } = await solve(built.problem, {
      ...built.solver,
      progress: 'none',
      callbacks: [
        ...(built.solver.callbacks ?? []),
        {
          onStepEnd: (s) => {
            steps.push(steps.length + 1); // one count over both phases (each phase numbers its steps from 0)
            losses.push(s.loss);
            if (performance.now() - last > 200) {
              last = performance.now();
              status.textContent = `step ${steps.length}, loss ${s.loss.toExponential(3)}`;
              Plotly.redraw('loss');
            }
            return live?.step(s.run, steps.length);
          },
        },
      ],
    });
    live?.dispose();
    live = undefined;
    Plotly.redraw('loss');
    const geometry = built.problem.geometry;
    const grid = evaluationGrid(geometry, built.reference?.grid);
    const pred = model.predict(grid);
    const ref = built.reference?.evaluate(grid);
    model.dispose();
    let summary = `trained in ${seconds.toFixed(1)} s`;
    document.body.dataset.seconds = String(seconds);
    if (built.reference && ref) {
      const err = relativeL2(ref, pred);
      document.body.dataset.relL2 = String(err);
      summary += `, relative L2 ${err.toExponential(2)} vs ${built.reference.label}`;
    }
    Plotly.newPlot('solution', solutionTraces(grid, geometry.dim, built.problem.names.outputs, pred, ref), {
      title: { text: title },
    });
    status.textContent = summary;
    document.body.dataset.tensorsAfter = String(tf.memory().numTensors); // the same as before: nothing leaked
    document.body.dataset.state = 'done';
  } catch (e) {
    errorBox.textContent = (e as Error).message;
    document.body.dataset.state = 'failed';
  } finally {
    live?.dispose();
    button.disabled = false;
  }
}

for (const name of Object.keys(EXPERIMENTS)) select.add(new Option(name, name));
select.addEventListener('change', () => showExperiment(select.value));
button.addEventListener('click', () => void train());
const initial = new URLSearchParams(location.search).get('experiment');
if (initial && EXPERIMENTS[initial]) select.value = initial;
showExperiment(select.value);
document.body.dataset.state = 'ready';

/**
 * The PDE playground page: pick a shipped experiment or type a problem in the config language,
 * press Train, and watch the loss fall and the solution appear, trained in the page by @aml/pinn.
 * Errors in the text show inline with the same messages as `pde-lab`.
 */
import { initBackend, relativeL2, type BackendInfo } from '@aml/core';
import { evaluationGrid, loadFusedKernel, problemFromConfig, solve, type BuiltProblem } from '@aml/pinn';
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

async function train(): Promise<void> {
  const built = build();
  if (!built) return;
  button.disabled = true;
  document.body.dataset.state = 'training';
  try {
    backend ??= startEngine();
    await backend;
    const steps: number[] = [];
    const losses: number[] = [];
    Plotly.newPlot('loss', [{ x: steps, y: losses, mode: 'lines', name: 'loss' }], {
      title: { text: 'loss' },
      yaxis: { type: 'log' },
    });
    let last = 0;
    const { model, seconds } = await solve(built.problem, {
      ...built.solver,
      progress: 'none',
      callbacks: [
        ...(built.solver.callbacks ?? []),
        {
          onStepEnd: (s) => {
            steps.push(s.step + 1);
            losses.push(s.loss);
            if (performance.now() - last > 200) {
              last = performance.now();
              status.textContent = `step ${s.step + 1}, loss ${s.loss.toExponential(3)}`;
              Plotly.redraw('loss');
            }
          },
        },
      ],
    });
    Plotly.redraw('loss');
    const geometry = built.problem.geometry;
    const grid = evaluationGrid(geometry, built.reference?.grid);
    const pred = model.predict(grid);
    const d = geometry.dim;
    const n = grid.length / d;
    const m = pred.length / n;
    const col = (a: Float64Array, j: number, w: number) => Array.from({ length: n }, (_, i) => a[i * w + j]);
    const traces: Trace[] = [];
    const mode = d === 1 ? 'lines' : 'markers';
    const pinn: Trace = { x: col(grid, 0, d), y: d === 1 ? col(pred, 0, m) : col(grid, 1, d), mode, name: 'PINN' };
    if (d > 1) pinn.marker = { color: col(pred, 0, m), colorscale: 'Viridis', showscale: true, size: 4 };
    traces.push(pinn);
    let summary = `trained in ${seconds.toFixed(1)} s`;
    if (built.reference) {
      const ref = built.reference.evaluate(grid);
      const err = relativeL2(ref, pred);
      document.body.dataset.relL2 = String(err);
      summary += `, relative L2 ${err.toExponential(2)} vs ${built.reference.label}`;
      if (d === 1)
        traces.push({ x: col(grid, 0, d), y: col(ref, 0, m), mode: 'lines', line: { dash: 'dot' }, name: 'reference' });
    }
    Plotly.newPlot('solution', traces, { title: { text: `${built.name}: solution` } });
    status.textContent = summary;
    document.body.dataset.state = 'done';
  } catch (e) {
    errorBox.textContent = (e as Error).message;
    document.body.dataset.state = 'failed';
  } finally {
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

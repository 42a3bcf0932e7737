/** A tiny experiment for tests of the CLI: the heat equation on a 1x8 network and 48 points (a few seconds of training at most). */

/** The experiment as JSON data; `edit` changes its problem config in place. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function tinyHeat(edit: (problem: Record<string, any>) => void = () => undefined): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const problem: Record<string, any> = {
    name: 'tiny',
    domain: { x: [0, 1], t: [0, 1] },
    equation: 'u_t = u_xx',
    conditions: [
      { type: 'initial', value: 'sin(pi*x)' },
      { type: 'dirichlet', on: 'x=0 | x=1', value: 0 },
    ],
    network: { layers: [8], activation: 'tanh' },
    training: { points: { domain: 32, boundary: 8, initial: 8 }, adam: { steps: 20, lr: 0.01 }, engine: 'taylor' },
    reference: { exact: 'exp(-pi^2*t)*sin(pi*x)' },
  };
  edit(problem);
  return { description: 'tiny heat', problem, report: { grid: 11 } };
}

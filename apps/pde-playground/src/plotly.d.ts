/** The part of plotly.js the page uses (plotly.js-dist ships no types). */
declare module 'plotly.js-dist' {
  /** One trace: x, y, mode, marker, line, name. */
  export type Trace = Record<string, unknown>;
  /** Draw a new plot into the element with this id. */
  export function newPlot(id: string, data: Trace[], layout?: Record<string, unknown>): Promise<unknown>;
  /** Draw new traces into an existing plot, updating only what changed. */
  export function react(
    id: string,
    data: Trace[],
    layout?: Record<string, unknown>,
    config?: Record<string, unknown>,
  ): Promise<unknown>;
  /** Redraw after the arrays of the traces changed in place. */
  export function redraw(id: string): Promise<unknown>;
  const Plotly: { newPlot: typeof newPlot; react: typeof react; redraw: typeof redraw };
  export default Plotly;
}

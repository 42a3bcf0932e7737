import { type Figure, type Numbers, toArray, type Trace } from './spec';

/** One greyscale image: `pixels[r * width + c]`, row 0 at the top. */
export interface GreyImage {
  /** Pixel values, row-major, length height * width. */
  readonly pixels: Numbers;
  /** Image height (rows). */
  readonly height: number;
  /** Image width (columns). */
  readonly width: number;
  /** Caption shown above the image, e.g. the label. */
  readonly caption?: string;
}

/** Options of `imageGridFigure`. */
export interface ImageGridOptions {
  /** Figure title. */
  readonly title?: string;
  /** Images per row (default: ceil(sqrt(n))). */
  readonly columns?: number;
  /** Plotly colour scale (default 'Greys': low black, high white, as MNIST digits are usually shown). */
  readonly colorscale?: string;
  /** Pixel size of each panel (default 120). */
  readonly panelSize?: number;
}

/**
 * A grid of greyscale images (samples from a generator, reconstructions, Ising configurations...),
 * one heatmap panel each, sharing one colour range so brightness is comparable across panels.
 *
 * @example
 *   imageGridFigure(samples.map((p, i) => ({ pixels: p, height: 28, width: 28, caption: `#${i}` })), { columns: 8 })
 */
export function imageGridFigure(images: readonly GreyImage[], o: ImageGridOptions = {}): Figure {
  if (images.length === 0) throw new Error('imageGridFigure: images is empty');
  const cols = o.columns ?? Math.ceil(Math.sqrt(images.length));
  if (!Number.isInteger(cols) || cols < 1)
    throw new Error(`imageGridFigure: columns must be a positive integer, got ${cols}`);
  const rows = Math.ceil(images.length / cols);
  let lo = Infinity;
  let hi = -Infinity;
  images.forEach((im, k) => {
    if (im.pixels.length !== im.height * im.width) {
      throw new Error(
        `imageGridFigure: image ${k} has ${im.pixels.length} pixels but height * width = ${im.height} * ${im.width} = ${im.height * im.width}`,
      );
    }
    for (let i = 0; i < im.pixels.length; i++) {
      const v = im.pixels[i];
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  });
  const data: Trace[] = [];
  const layout: Record<string, unknown> = {
    grid: { rows, columns: cols, pattern: 'independent' },
    showlegend: false,
    height: rows * (o.panelSize ?? 120) + 60,
    width: cols * (o.panelSize ?? 120) + 40,
    margin: { l: 10, r: 10, t: o.title ? 50 : 20, b: 10 },
    annotations: [] as unknown[],
  };
  if (o.title) layout.title = { text: o.title };
  images.forEach((im, k) => {
    const suffix = k === 0 ? '' : String(k + 1);
    const z: number[][] = [];
    for (let r = 0; r < im.height; r++)
      z.push(toArray(Array.prototype.slice.call(im.pixels, r * im.width, (r + 1) * im.width) as number[]));
    data.push({
      type: 'heatmap',
      z,
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
      zmin: lo,
      zmax: hi,
      colorscale: o.colorscale ?? 'Greys',
      showscale: false,
      name: im.caption ?? `image ${k}`,
    });
    // Row 0 at the top, square pixels, no ticks: an image, not a chart.
    layout[`xaxis${suffix}`] = { visible: false, constrain: 'domain' };
    layout[`yaxis${suffix}`] = {
      visible: false,
      autorange: 'reversed',
      scaleanchor: `x${suffix}`,
      constrain: 'domain',
    };
    if (im.caption) {
      (layout.annotations as unknown[]).push({
        text: im.caption,
        showarrow: false,
        xref: `x${suffix} domain`,
        yref: `y${suffix} domain`,
        x: 0.5,
        y: 1.12,
        font: { size: 10 },
      });
    }
  });
  return { data, layout };
}

import { fs, path } from '../platform/node-modules'; // loaded on use: this module bundles for a browser
import type { Figure } from '../figures/spec';
import { checkTable, formatCell, type TableData } from '../figures/table';
import { type PlotlyMode, plotlyScriptTag } from './bundle';
import { escapeHtml, pageHtml, scriptJson } from './html';

/** Options of `Report.write`. */
export interface WriteOptions {
  /** File name inside the folder (default 'report.html'). */
  readonly fileName?: string;
  /** How plotly.js is made available (default 'copy': self-contained folder; see `PlotlyMode`). */
  readonly plotly?: PlotlyMode;
}

type Block =
  | { kind: 'section'; title: string }
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'figure'; figure: Figure; caption?: string }
  | { kind: 'table'; table: TableData; caption?: string };

/**
 * Builds one offline HTML report: a title, sections, text, plotly figures and metric tables.
 * Every app and experiment writes its `results/<name>/report.html` through it.
 *
 * @example
 *   const r = new Report('heat equation PINN');
 *   r.section('Training').figure(lineFigure([{ name: 'loss', y: losses }], { yScale: 'log' }), 'loss per step');
 *   r.section('Accuracy').metrics({ relL2: 1.2e-3, seconds: 41 });
 *   r.write('results/heat');   // results/heat/report.html + plotly.js
 */
export class Report {
  private readonly blocks: Block[] = [];

  /** @param title page title and top heading. */
  constructor(readonly title: string) {
    if (!title.trim()) throw new Error('Report: title is empty');
  }

  /** Start a section (an <h2> heading). */
  section(title: string): this {
    this.blocks.push({ kind: 'section', title });
    return this;
  }

  /** A paragraph of plain text (escaped; blank lines separate paragraphs). */
  text(text: string): this {
    this.blocks.push({ kind: 'text', text });
    return this;
  }

  /** Preformatted text, e.g. a config or a log excerpt. */
  code(text: string): this {
    this.blocks.push({ kind: 'code', text });
    return this;
  }

  /** A plotly figure with an optional caption. */
  figure(figure: Figure, caption?: string): this {
    if (!figure || !Array.isArray(figure.data))
      throw new Error('Report.figure: expected a Figure { data: Trace[], layout }');
    this.blocks.push({ kind: 'figure', figure, caption });
    return this;
  }

  /** A table (HTML, so it can be copied into a paper). */
  table(table: TableData, caption?: string): this {
    checkTable(table, 'Report.table');
    this.blocks.push({ kind: 'table', table, caption });
    return this;
  }

  /** A two-column table of named metrics; nested objects become dotted names (`fold1.accuracy`). */
  metrics(values: Readonly<Record<string, unknown>>, caption?: string): this {
    const rows: (string | number | boolean | null)[][] = [];
    const walk = (prefix: string, v: unknown) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
      } else if (Array.isArray(v)) {
        rows.push([prefix, v.map((x) => (typeof x === 'number' ? formatCell(x) : String(x))).join(', ')]);
      } else {
        rows.push([prefix, v as string | number | boolean | null]);
      }
    };
    walk('', values);
    return this.table({ columns: ['metric', 'value'], rows }, caption);
  }

  /** Number of figures added so far. */
  get figureCount(): number {
    return this.blocks.filter((b) => b.kind === 'figure').length;
  }

  /** The page's HTML, given the <script> tag that loads plotly. */
  toHtml(plotlyTag: string): string {
    const parts: string[] = [];
    let fig = 0;
    for (const b of this.blocks) {
      switch (b.kind) {
        case 'section':
          parts.push(`<h2>${escapeHtml(b.title)}</h2>`);
          break;
        case 'text':
          for (const p of b.text.split(/\n\s*\n/)) parts.push(`<p>${escapeHtml(p.trim())}</p>`);
          break;
        case 'code':
          parts.push(`<pre>${escapeHtml(b.text)}</pre>`);
          break;
        case 'figure': {
          const id = `fig-${fig++}`;
          parts.push(
            `<div class="figure"><div class="plot" id="${id}" data-spec="${id}-spec"></div>` +
              `<script type="application/json" id="${id}-spec">${scriptJson(b.figure)}</script>` +
              (b.caption ? `<p class="caption">${escapeHtml(b.caption)}</p>` : '') +
              '</div>',
          );
          break;
        }
        case 'table': {
          const head = b.table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
          const body = b.table.rows
            .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(formatCell(c))}</td>`).join('')}</tr>`)
            .join('\n');
          parts.push(
            `<table class="metrics"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>` +
              (b.caption ? `<p class="caption">${escapeHtml(b.caption)}</p>` : ''),
          );
          break;
        }
      }
    }
    return pageHtml(this.title, plotlyTag, parts.join('\n'), `written ${new Date().toISOString()}`);
  }

  /**
   * Write the report into folder `dir` (created if needed) and return the HTML file's path.
   * Only `fileName` (and, in 'copy' mode, `plotly.js`) are written; nothing else in the folder is touched.
   */
  write(dir: string, o: WriteOptions = {}): string {
    const fileName = o.fileName ?? 'report.html';
    if (fileName.includes('/') || fileName.includes('\\'))
      throw new Error(`Report.write: fileName must be a plain file name, got '${fileName}'`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, fileName);
    fs.writeFileSync(file, this.toHtml(plotlyScriptTag(path.resolve(dir), o.plotly ?? 'copy')));
    return file;
  }
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lineFigure, Report } from '../index';
import { PLOTLY_FILE, plotlyBundlePath } from '../node';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'aml-report-'));
}

describe('Report', () => {
  it('writes sections, escaped text, figure specs and metric tables into one HTML file', () => {
    const dir = tmp();
    const r = new Report('a <b> report')
      .section('Training')
      .text('loss fell </script> fast')
      .figure(lineFigure([{ name: 'loss', y: [3, 2, 1] }]), 'the loss')
      .metrics({ accuracy: 0.9123456, folds: { f1: 0.5 }, scores: [0.1, 0.2] });
    const file = r.write(dir);
    const html = fs.readFileSync(file, 'utf8');
    expect(file).toBe(path.join(dir, 'report.html'));
    expect(html).toContain('<title>a &lt;b&gt; report</title>');
    expect(html).toContain('<h2>Training</h2>');
    expect(html).toContain('loss fell &lt;/script&gt; fast');
    expect(html).toContain('<td>accuracy</td><td>0.9123</td>');
    expect(html).toContain('<td>folds.f1</td><td>0.5</td>');
    expect(html).toContain('<td>scores</td><td>0.1, 0.2</td>');
    // the spec is embedded as JSON and parses back to the figure
    const m = html.match(/<script type="application\/json" id="fig-0-spec">(.*?)<\/script>/s);
    expect(JSON.parse(m![1]).data[0].y).toEqual([3, 2, 1]);
    expect(r.figureCount).toBe(1);
  });

  it("'copy' mode puts the plotly bundle next to the report (same bytes), so the folder is self-contained", () => {
    const dir = tmp();
    new Report('r').text('x').write(dir);
    const copied = path.join(dir, PLOTLY_FILE);
    expect(fs.statSync(copied).size).toBe(fs.statSync(plotlyBundlePath()).size);
    expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain(`<script src="${PLOTLY_FILE}"></script>`);
    // a second report in the same folder reuses the bundle and leaves other files alone
    fs.writeFileSync(path.join(dir, 'metrics.json'), '{}');
    new Report('r2').write(dir, { fileName: 'other.html' });
    expect(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8')).toBe('{}');
  });

  it("'reference' mode points at node_modules by a relative path and copies nothing", () => {
    const dir = tmp();
    const html = fs.readFileSync(new Report('r').write(dir, { plotly: 'reference' }), 'utf8');
    const src = html.match(/<script src="([^"]+)"><\/script>/)![1];
    expect(path.resolve(dir, src)).toBe(plotlyBundlePath());
    expect(fs.existsSync(path.join(dir, PLOTLY_FILE))).toBe(false);
    expect(html.length).toBeLessThan(100_000);
  });

  it("'inline' mode embeds the whole bundle in one file (and escapes any closing script tag in it)", () => {
    const dir = tmp();
    const html = fs.readFileSync(new Report('r').write(dir, { plotly: 'inline' }), 'utf8');
    expect(html.length).toBeGreaterThan(fs.statSync(plotlyBundlePath()).size * 0.9);
    expect(fs.existsSync(path.join(dir, PLOTLY_FILE))).toBe(false);
    const scripts = html.match(/<\/script>/gi)!.length;
    expect(scripts).toBe(2); // the bundle's own </script> texts were escaped: only ours close elements
  });

  it('rejects a bad figure, an empty title and a path as file name', () => {
    expect(() => new Report(' ')).toThrow('Report: title is empty');
    expect(() => new Report('r').figure({} as any)).toThrow('Report.figure: expected a Figure');
    expect(() => new Report('r').write(tmp(), { fileName: 'a/b.html' })).toThrow(
      "fileName must be a plain file name, got 'a/b.html'",
    );
  });
});

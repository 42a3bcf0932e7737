/** HTML escaping and the page template of a report (kept apart from the builder so both stay short). */

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON that is safe inside a <script> element (a `</script>` in a string must not end it). */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { border-bottom: 2px solid #446; padding-bottom: .3em; }
h2 { margin-top: 2em; color: #334; border-bottom: 1px solid #ccd; }
.figure { margin: 1em 0; }
.caption { color: #555; font-size: .9em; margin: .2em 0 1em; }
table.metrics { border-collapse: collapse; margin: 1em 0; font-size: .92em; }
table.metrics th, table.metrics td { border: 1px solid #ccd; padding: .25em .6em; text-align: right; }
table.metrics th { background: #eef; }
table.metrics td:first-child, table.metrics th:first-child { text-align: left; }
pre { background: #f6f6f9; padding: .6em; overflow-x: auto; }
.missing-plotly { color: #a00; border: 1px dashed #a00; padding: 1em; }
.meta { color: #666; font-size: .85em; }
`;

/**
 * Renders each figure from its JSON spec and records the outcome in `window.amlReport`
 * (figures, rendered, errors), which the browser test reads. If plotly.js did not load
 * (file moved away from its bundle), each figure slot says so instead of staying blank.
 */
const LOADER = `
(function () {
  var slots = document.querySelectorAll('div.plot[data-spec]');
  var state = { figures: slots.length, rendered: 0, errors: [] };
  window.amlReport = state;
  if (typeof Plotly === 'undefined') {
    slots.forEach(function (d) {
      d.className += ' missing-plotly';
      d.textContent = 'plotly.js did not load: keep the bundle next to this report (see the <script src> at the top).';
    });
    state.errors.push('plotly.js not loaded');
    return;
  }
  slots.forEach(function (d) {
    try {
      var spec = JSON.parse(document.getElementById(d.getAttribute('data-spec')).textContent);
      Plotly.newPlot(d, spec.data, spec.layout, { responsive: true, displaylogo: false })
        .then(function () { state.rendered += 1; })
        .catch(function (e) { state.errors.push(d.id + ': ' + e); });
    } catch (e) { state.errors.push(d.id + ': ' + e); }
  });
})();
`;

/** The whole page: `plotlyTag` is the <script> that loads plotly, `body` the report's blocks. */
export function pageHtml(title: string, plotlyTag: string, body: string, meta: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
${plotlyTag}
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(meta)}</p>
${body}
<script>${LOADER}</script>
</body>
</html>
`;
}

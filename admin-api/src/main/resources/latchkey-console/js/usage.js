// A key's usage history (GET /v1/keys/{id}/usage) as a uPlot chart, with the same figures as a table.
import { h, put, when } from './dom.js';
import { api } from './api.js';
import { showProblem } from './problems.js';

const RANGES = {
  hour: { label: 'Last hour', granularity: 'minute' },
  day: { label: 'Last day', granularity: 'hour' },
  month: { label: 'Last 30 days', granularity: 'day' },
};
const SERIES = [['valid', '#1a7f37'], ['denied', '#b35900'], ['rate_limited', '#b3261e']];

let uplot = null;

async function loadUplot() {
  if (!uplot) {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = 'vendor/uplot-1.6.30/uPlot.min.css';
    document.head.append(css);
    uplot = (await import('../vendor/uplot-1.6.30/uPlot.esm.js')).default;
  }
  return uplot;
}

/** The usage section of a key page; it loads itself and says so when the server has no usage history. */
export function usageSection(keyId) {
  const body = h('div', { id: 'usage-body', 'aria-live': 'polite' }, h('p', {}, 'Loading…'));
  const buttons = Object.entries(RANGES).map(([name, r]) =>
    h('button', { type: 'button', 'data-range': name, 'aria-pressed': name === 'hour' ? 'true' : 'false', onclick: (ev) => {
      for (const b of ev.target.parentElement.children) b.setAttribute('aria-pressed', String(b === ev.target));
      show(keyId, name, body);
    } }, r.label));
  const section = h('section', { 'aria-labelledby': 'usage-h', id: 'usage' }, h('h2', { id: 'usage-h' }, 'Usage'),
    h('div', { class: 'row', role: 'group', 'aria-label': 'Range' }, buttons), body);
  show(keyId, 'hour', body);
  return section;
}

async function show(keyId, range, body) {
  const r = RANGES[range];
  let data;
  try {
    // The endpoint's defaults are these ranges: to = now, from = 1 hour (minute), 1 day (hour), 30 days (day) before.
    data = (await api('GET', `/v1/keys/${encodeURIComponent(keyId)}/usage?granularity=${r.granularity}`)).data;
  } catch (e) {
    if (e.absent) put(body, h('p', { id: 'usage-absent' }, 'Usage history is not available on this server.'));
    else showProblem(body, e);
    return;
  }
  const series = data.series || [];
  const chart = h('div', { class: 'chart', id: 'usage-chart', role: 'img',
    'aria-label': `${r.label}: ${SERIES.map(([n]) => n + ' ' + series.reduce((s, b) => s + (b[n] || 0), 0)).join(', ')}` });
  const table = h('details', {}, h('summary', {}, 'The figures as a table'),
    h('table', { id: 'usage-table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Start'), SERIES.map(([n]) => h('th', { scope: 'col' }, n)))),
      h('tbody', {}, series.map((b) => h('tr', {}, h('td', {}, when(b.start)), SERIES.map(([n]) => h('td', {}, String(b[n] ?? 0))))))));
  put(body, chart, table);
  const U = await loadUplot();
  const xs = series.map((b) => Date.parse(b.start) / 1000);
  new U({
    width: Math.max(320, Math.min(900, body.clientWidth || 640)), height: 240,
    series: [{}, ...SERIES.map(([n, c]) => ({ label: n, stroke: c, width: 2 }))],
    axes: [{}, { label: 'requests' }],
  }, [xs, ...SERIES.map(([n]) => series.map((b) => b[n] || 0))], chart);
}

// Webhook configs (§10): list, create (the secret shown once), edit, rotate the secret, delete, and the deliveries
// log with every attempt. Says so when the server has no webhook endpoints.
import { h, add, put, field, select, when, show } from './dom.js';
import { api, query } from './api.js';
import { showProblem, clearProblem } from './problems.js';
import { secretPanel, keepSecret, takeSecret } from './secret.js';
import { current } from './app.js';

function absent(box) {
  put(box, h('p', { id: 'webhooks-absent' }, 'Webhook configs are not available on this server.'));
}

function pager(page, go) {
  const pages = Math.max(1, Math.ceil(page.total / page.limit));
  const at = Math.floor(page.offset / page.limit) + 1;
  return h('div', { class: 'pager' },
    h('button', { type: 'button', disabled: page.offset <= 0, onclick: () => go(Math.max(0, page.offset - page.limit)) }, 'Previous'),
    h('span', {}, `Page ${at} of ${pages} · ${page.total} in all`),
    h('button', { type: 'button', disabled: page.offset + page.size >= page.total, onclick: () => go(page.offset + page.limit) }, 'Next'));
}

function configForm(cfg, me, creating) {
  const c = {
    tenant_id: h('input', { type: 'text', value: cfg ? cfg.tenant_id : (me.tenant || ''), placeholder: 'default', readOnly: !creating || me.role === 'tenant-admin' }),
    url: h('input', { type: 'url', required: true, value: cfg ? cfg.url : '', placeholder: 'https://example.com/hooks' }),
    events: h('input', { type: 'text', value: cfg ? cfg.events.join(' ') : '*', spellcheck: 'false' }),
    description: h('input', { type: 'text', maxlength: 200, value: cfg && cfg.description ? cfg.description : '' }),
    enabled: h('input', { type: 'checkbox', checked: cfg ? cfg.enabled : true }),
  };
  const problem = h('div', { id: 'form-problem' });
  const form = h('form', { class: 'card', id: creating ? 'webhook-create' : 'webhook-edit', 'aria-label': creating ? 'New webhook config' : 'Edit webhook config', novalidate: true },
    field('Tenant', c.tenant_id, 'tenant_id'), field('URL', c.url, 'url'),
    field('Events', c.events, 'events', 'Space-separated: key.created key.updated key.status_changed key.rotated key.reset key.deleted key.expired key.quota_exhausted, or *.'),
    field('Description', c.description, 'description'),
    h('div', { class: 'field check', 'data-field': 'enabled' }, c.enabled, h('label', { for: 'f-enabled' }, 'Enabled')),
    h('button', { type: 'submit' }, creating ? 'Create webhook config' : 'Save changes'), problem);
  c.enabled.id = 'f-enabled';
  const body = () => ({
    url: c.url.value.trim(), events: c.events.value.split(/[\s,]+/).filter(Boolean),
    description: c.description.value.trim() || null, enabled: c.enabled.checked,
  });
  return { form, problem, body, c };
}

export async function webhooksPage(main, { args, gen, me }) {
  const p = new URLSearchParams(args[0] || '');
  const offset = Math.max(0, parseInt(p.get('offset') || '0', 10) || 0);
  const tenant = p.get('tenant_id') || '';
  const box = h('div', { id: 'webhooks-body', 'aria-live': 'polite' }, h('p', {}, 'Loading…'));
  put(main, h('h1', {}, 'Webhook configs'), box);
  let page;
  try {
    page = (await api('GET', '/v1/webhook-configs' + query({ tenant_id: tenant, offset, limit: 20 }))).data;
  } catch (e) {
    if (!current(gen)) return;
    if (e.absent) absent(box);
    else showProblem(box, e);
    return;
  }
  if (!current(gen)) return;
  const { form, problem, body, c } = configForm(null, me, true);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearProblem(form);
    try {
      const b = { ...body(), tenant_id: c.tenant_id.value.trim() || undefined };
      if (b.description === null) delete b.description;
      const created = (await api('POST', '/v1/webhook-configs', b)).data;
      keepSecret(created.id, created.secret, 'Signing secret');
      location.hash = '#/webhooks/' + encodeURIComponent(created.id);
    } catch (e) {
      showProblem(problem, e, form);
    }
  });
  const list = page.webhook_configs;
  put(box,
    list.length ? h('table', { id: 'webhooks-table' }, h('caption', {}, 'Webhook configs, newest first'),
      h('thead', {}, h('tr', {}, ['URL', 'Tenant', 'Events', 'Description', 'Enabled', 'Created'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.map((w) => h('tr', {},
        h('td', {}, h('a', { href: '#/webhooks/' + encodeURIComponent(w.id) }, w.url)), h('td', {}, w.tenant_id),
        h('td', {}, w.events.join(' ')), h('td', {}, show(w.description)), h('td', {}, w.enabled ? 'yes' : 'no'),
        h('td', {}, when(w.created_at)))))) : h('p', {}, 'No webhook configs yet.'),
    pager(page, (o) => { location.hash = '#/webhooks' + query({ tenant_id: tenant, offset: o || null }); }),
    h('h2', {}, 'New webhook config'), form);
}

export async function webhookPage(main, { args, gen, me }) {
  const id = args[0];
  const base = '/v1/webhook-configs/' + encodeURIComponent(id);
  let cfg;
  try {
    cfg = (await api('GET', base)).data;
  } catch (e) {
    if (!current(gen)) return;
    put(main, h('h1', {}, 'Webhook config'), h('div', { id: 'problem' }));
    if (e.absent) absent(main.querySelector('#problem'));
    else showProblem(main.querySelector('#problem'), e);
    return;
  }
  if (!current(gen)) return;
  const kept = takeSecret(cfg.id);
  const outcome = h('div', { id: 'action-result', 'aria-live': 'polite' });
  const { form, problem, body } = configForm(cfg, me, false);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('PATCH', base, body());
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      showProblem(problem, e, form);
    }
  });
  const rotate = h('button', { type: 'button', onclick: async () => {
    try {
      const r = (await api('POST', base + '/rotate-secret')).data;
      put(outcome, secretPanel('New signing secret', r.secret, h('p', {}, 'The old secret also signs for 24 hours.')));
    } catch (e) { showProblem(outcome, e); }
  } }, 'Rotate secret');
  const confirm = h('input', { type: 'text', autocomplete: 'off' });
  const del = h('button', { type: 'submit', class: 'danger', disabled: true }, 'Delete for good');
  confirm.addEventListener('input', () => { del.disabled = confirm.value !== cfg.url; });
  const delForm = h('form', { 'aria-label': 'Delete' }, field('Type the URL to confirm', confirm, 'confirm'), del);
  delForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('DELETE', base);
      location.hash = '#/webhooks';
    } catch (e) { showProblem(outcome, e, delForm); }
  });
  const deliveries = h('div', { id: 'deliveries' }, h('p', {}, 'Loading…'));
  put(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/webhooks' }, 'Webhooks'), ' / ', cfg.id),
    h('h1', {}, cfg.url),
    kept ? secretPanel(kept.label, kept.value) : null, outcome,
    h('dl', { class: 'fields', id: 'webhook-fields' }, Object.entries(cfg).map(([k, v]) =>
      h('div', { 'data-key-field': k }, h('dt', {}, k), h('dd', {}, /_at$/.test(k) ? when(v) : Array.isArray(v) ? v.join(' ') : show(v))))),
    h('h2', {}, 'Edit'), form,
    h('h2', {}, 'Secret'), h('p', {}, rotate),
    h('h2', {}, 'Delete'), delForm,
    h('h2', {}, 'Deliveries'), deliveries);
  loadDeliveries(base, cfg.id, deliveries, 0, '', gen);
}

async function loadDeliveries(base, cfgId, box, offset, status, gen) {
  const filter = select([['', 'any'], ['pending', 'pending'], ['delivered', 'delivered'], ['failed', 'failed']], status);
  const form = h('form', { class: 'filters', 'aria-label': 'Delivery filter' }, field('Status', filter, 'status'), h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); loadDeliveries(base, cfgId, box, 0, filter.value, gen); });
  let page;
  try {
    page = (await api('GET', base + '/deliveries' + query({ status, offset, limit: 20 }))).data;
  } catch (e) {
    if (!current(gen)) return;
    if (e.absent) put(box, h('p', { id: 'deliveries-absent' }, 'Delivery logs are not available on this server.'));
    else showProblem(box, e, form);
    return;
  }
  if (!current(gen)) return;
  put(box, form, page.deliveries.length ? h('table', { id: 'deliveries-table' }, h('caption', {}, 'Deliveries, newest first'),
    h('thead', {}, h('tr', {}, ['Event', 'Type', 'Status', 'Attempts', 'Last status code', 'Last error', 'Next attempt', 'Created'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, page.deliveries.map((d) => h('tr', {},
      h('td', {}, h('a', { href: `#/webhooks/${encodeURIComponent(cfgId)}/deliveries/${encodeURIComponent(d.id)}` }, d.event_id)),
      h('td', {}, d.event_type), h('td', {}, h('span', { class: 'badge ' + d.status }, d.status)), h('td', {}, String(d.attempts)),
      h('td', {}, show(d.last_status_code)), h('td', {}, show(d.last_error)), h('td', {}, when(d.next_attempt_at)), h('td', {}, when(d.created_at))))))
    : h('p', {}, 'No deliveries.'),
  pager(page, (o) => loadDeliveries(base, cfgId, box, o, status, gen)));
}

export async function deliveryPage(main, { args, gen }) {
  const [cfgId, deliveryId] = args;
  let d;
  try {
    d = (await api('GET', `/v1/webhook-configs/${encodeURIComponent(cfgId)}/deliveries/${encodeURIComponent(deliveryId)}`)).data;
  } catch (e) {
    if (!current(gen)) return;
    put(main, h('h1', {}, 'Delivery'), h('div', { id: 'problem' }));
    if (e.absent) absent(main.querySelector('#problem'));
    else showProblem(main.querySelector('#problem'), e);
    return;
  }
  if (!current(gen)) return;
  const log = d.attempt_log || [];
  put(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/webhooks' }, 'Webhooks'), ' / ', h('a', { href: '#/webhooks/' + encodeURIComponent(cfgId) }, cfgId), ' / ', d.id),
    h('h1', {}, 'Delivery of ', d.event_type),
    h('dl', { class: 'fields' }, Object.entries(d).filter(([k]) => k !== 'attempt_log').map(([k, v]) =>
      h('div', {}, h('dt', {}, k), h('dd', {}, /_at$/.test(k) ? when(v) : show(v))))),
    h('h2', {}, 'Attempts'),
    log.length ? h('table', { id: 'attempts-table' }, h('thead', {}, h('tr', {}, ['At', 'Status code', 'Error', 'Duration (ms)'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, log.map((a) => h('tr', {}, h('td', {}, when(a.at)), h('td', {}, show(a.status_code)), h('td', {}, show(a.error)), h('td', {}, show(a.duration_ms))))))
      : h('p', {}, 'No attempts yet.'));
}

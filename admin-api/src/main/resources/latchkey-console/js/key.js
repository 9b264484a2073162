// One key: every field of the key answer, its limits with their effective values, and the actions on it.
import { h, add, put, when, show, field, select, note } from './dom.js';
import { api, ApiError } from './api.js';
import { showProblem } from './problems.js';
import { secretPanel, takeSecret } from './secret.js';
import { usageSection } from './usage.js';
import { current } from './app.js';

const ORDER = ['id', 'name', 'tenant_id', 'owner_id', 'environment', 'type', 'status', 'status_reason',
  'status_changed_at', 'status_changed_by', 'hint', 'scopes', 'ip_restrictions', 'metadata', 'created_at',
  'updated_at', 'expires_at', 'previous_token_expires_at', 'last_used_at', 'last_used_ip', 'usage_count', 'version'];
const LIMITS = ['rate_limit', 'quota', 'webhook_config', 'storage_config', 'effective'];
const TIMES = /_at$/;

function rate(r) {
  return r ? `${r.limit} per ${r.period_seconds} s` : '—';
}

function quota(q) {
  if (!q) return '—';
  const per = q.period === 'none' ? 'prepaid credits' : 'per ' + q.period;
  const left = q.remaining === undefined || q.remaining === null ? '' : ` · ${q.remaining} left`;
  return `${q.limit} ${per}${left}${q.refills_at ? ' · refills ' + when(q.refills_at) : ''}`;
}

function value(name, v) {
  if (name === 'scopes') return v.length ? h('ul', { class: 'chips' }, v.map((s) => h('li', {}, s))) : 'none';
  if (name === 'ip_restrictions') {
    if (!v.length) return 'none (any address)';
    return h('table', { class: 'inner' }, h('thead', {}, h('tr', {}, ['Value', 'Label', 'Status', 'Id'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, v.map((r) => h('tr', {}, h('td', {}, h('code', {}, r.value)), h('td', {}, show(r.label)), h('td', {}, r.status), h('td', {}, h('code', {}, show(r.id)))))));
  }
  if (name === 'metadata') {
    const entries = Object.entries(v || {});
    if (!entries.length) return 'none';
    return h('table', { class: 'inner', id: 'metadata-table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Value'))),
      h('tbody', {}, entries.map(([k, val]) => h('tr', {}, h('td', {}, k), h('td', {}, val)))));
  }
  if (TIMES.test(name)) return when(v);
  return show(v);
}

function fields(key) {
  const dl = h('dl', { class: 'fields', id: 'key-fields' });
  const names = [...ORDER, ...Object.keys(key).filter((k) => !ORDER.includes(k) && !LIMITS.includes(k))];
  for (const n of names) {
    if (!(n in key)) continue;
    add(dl, h('div', { 'data-key-field': n }, h('dt', {}, n), h('dd', {}, value(n, key[n]))));
  }
  return dl;
}

function limits(key) {
  const eff = key.effective || {};
  const row = (label, own, effective, fmt) => h('tr', {},
    h('th', { scope: 'row' }, label), h('td', {}, fmt(own)),
    h('td', {}, fmt(effective), own === null && effective !== null && effective !== undefined ? h('span', { class: 'tag' }, ' inherited from the tenant') : null));
  return h('section', { 'aria-labelledby': 'limits-h' }, h('h2', { id: 'limits-h' }, 'Limits and overrides'),
    h('table', { id: 'limits-table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Setting'), h('th', { scope: 'col' }, 'This key (override)'), h('th', { scope: 'col' }, 'Effective'))),
      h('tbody', {},
        row('Rate limit', key.rate_limit, eff.rate_limit, rate),
        row('Quota', key.quota, eff.quota, quota),
        row('Webhook config', key.webhook_config, eff.webhook_config, show),
        row('Storage config', key.storage_config, eff.storage_config, show))));
}

export async function keyPage(main, { args, gen, me }) {
  const id = args[0];
  put(main, h('p', {}, 'Loading…'));
  let res;
  try {
    res = await api('GET', '/v1/keys/' + encodeURIComponent(id));
  } catch (e) {
    if (!current(gen)) return;
    put(main, h('h1', {}, e.status === 404 ? 'No such key' : 'Cannot show this key'), h('div', { id: 'problem' }));
    showProblem(main.querySelector('#problem'), e);
    add(main, h('p', {}, h('a', { href: '#/keys' }, 'Back to the keys')));
    return;
  }
  if (!current(gen)) return;
  const key = res.data;
  const secret = takeSecret(key.id);
  const outcome = h('div', { id: 'action-result', 'aria-live': 'polite' });
  put(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/keys' }, 'Keys'), ' / ', key.id),
    h('h1', {}, key.name, ' ', h('span', { class: 'badge ' + key.status, id: 'key-status' }, key.status)),
    secret ? secretPanel(secret.label, secret.value, h('p', {}, 'It expires: ' + when(key.expires_at) + '.')) : null,
    outcome,
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'fields-h' }, h('h2', { id: 'fields-h' }, 'Fields'), fields(key)),
      h('div', {}, limits(key), actions(key, me, outcome, gen))),
    usageSection(key.id));
}

function reload(key) {
  // Re-render this key's page (the hash is the same, so call the router's handler by firing hashchange).
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

function actions(key, me, outcome, gen) {
  const restricted = me.role === 'tenant-admin';
  const section = h('section', { 'aria-labelledby': 'actions-h', class: 'actions' }, h('h2', { id: 'actions-h' }, 'Actions'),
    h('p', {}, h('a', { href: '#/keys/' + encodeURIComponent(key.id) + '/edit', class: 'button' }, 'Edit')));

  // Status
  const reason = h('input', { type: 'text', maxlength: 200 });
  const statusForm = h('form', { 'aria-labelledby': 'status-h' }, h('h3', { id: 'status-h' }, 'Status'),
    field('Reason (optional)', reason, 'reason'));
  const setStatus = async (status) => {
    try {
      await api('PUT', `/v1/keys/${encodeURIComponent(key.id)}/status`, { status, reason: reason.value.trim() || undefined });
      reload(key);
    } catch (e) {
      showProblem(outcome, e, statusForm);
    }
  };
  const buttons = h('div', { class: 'row' });
  if (key.status === 'active') add(buttons, h('button', { type: 'button', onclick: () => setStatus('inactive') }, 'Deactivate'));
  if (key.status === 'inactive') add(buttons, h('button', { type: 'button', onclick: () => setStatus('active') }, 'Activate'));
  if (key.status === 'blocked') add(buttons, h('button', { type: 'button', disabled: restricted, onclick: () => setStatus('active') }, 'Unblock'));
  else add(buttons, h('button', { type: 'button', class: 'danger', disabled: restricted, onclick: () => setStatus('blocked') }, 'Block'));
  add(statusForm, buttons);
  if (restricted) {
    add(statusForm, h('p', { class: 'hint', id: 'block-why' }, 'Blocking and unblocking are for the root admin and latchkey:admin keys only: '
      + `you are signed in as a tenant admin of "${me.tenant}". Ask a platform admin.`));
  }
  add(section, statusForm);

  // Rotate
  const grace = select([['21600', '6 hours (default)'], ['custom', 'Custom window'], ['force', 'None: force, the old token stops now']], '21600');
  const amount = h('input', { type: 'number', min: 0, max: 604800, value: 1, class: 'short' });
  const unit = select([['60', 'minutes'], ['3600', 'hours'], ['86400', 'days']], '3600');
  const custom = h('div', { class: 'row', hidden: true }, field('Window', amount, 'grace_seconds'), field('Unit', unit, 'unit'));
  grace.addEventListener('change', () => { custom.hidden = grace.value !== 'custom'; });
  const rotateForm = h('form', { 'aria-labelledby': 'rotate-h' }, h('h3', { id: 'rotate-h' }, 'Rotate'),
    h('p', { class: 'hint' }, 'A new token replaces the current one; the old one keeps working for the grace window.'),
    field('Grace for the old token', grace, 'force'), custom, h('button', { type: 'submit' }, 'Rotate'));
  rotateForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = grace.value === 'force' ? { force: true }
      : { grace_seconds: grace.value === 'custom' ? Math.round(Number(amount.value) * Number(unit.value)) : 21600 };
    try {
      const r = (await api('POST', `/v1/keys/${encodeURIComponent(key.id)}/rotate`, body)).data;
      put(outcome, secretPanel('New token', r.token, h('dl', { class: 'fields', id: 'rotate-expiries' },
        h('div', {}, h('dt', {}, 'Old token valid until'), h('dd', { id: 'old-expiry' }, r.key.previous_token_expires_at ? when(r.key.previous_token_expires_at) : 'no longer valid (forced)')),
        h('div', {}, h('dt', {}, 'New token expires'), h('dd', { id: 'new-expiry' }, r.key.expires_at ? when(r.key.expires_at) : 'never')))));
      outcome.scrollIntoView();
    } catch (e) {
      showProblem(outcome, e, rotateForm);
    }
  });
  add(section, rotateForm);

  // Reset
  const resetForm = h('form', { 'aria-labelledby': 'reset-h' }, h('h3', { id: 'reset-h' }, 'Reset'),
    h('p', { class: 'hint' }, 'A new token; the old one stops at once on every node.'), h('button', { type: 'submit', class: 'danger' }, 'Reset'));
  resetForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const job = (await api('POST', `/v1/keys/${encodeURIComponent(key.id)}/reset`)).data;
      const progress = h('progress', { 'aria-label': 'Reset job' });
      const state = h('span', { id: 'job-status', role: 'status' }, job.status);
      put(outcome, secretPanel('New token', job.api_key, h('p', {}, 'Job ', h('code', {}, job.id), ': ', state, ' ', progress)));
      await poll(job, state, progress, gen);
    } catch (e) {
      showProblem(outcome, e, resetForm);
    }
  });
  add(section, resetForm);

  // Delete
  const confirm = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const del = h('button', { type: 'submit', class: 'danger', disabled: true }, 'Delete for good');
  confirm.addEventListener('input', () => { del.disabled = confirm.value !== key.name; });
  const delForm = h('form', { 'aria-labelledby': 'delete-h' }, h('h3', { id: 'delete-h' }, 'Delete'),
    field(`Type the key's name (${key.name}) to confirm`, confirm, 'confirm'), del);
  delForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (confirm.value !== key.name) return;
    try {
      await api('DELETE', '/v1/keys/' + encodeURIComponent(key.id));
      location.hash = '#/keys';
    } catch (e) {
      showProblem(outcome, e, delForm);
    }
  });
  add(section, delForm);
  return section;
}

async function poll(job, state, progress, gen) {
  let j = job;
  for (let i = 0; j.status === 'running' && i < 120 && current(gen); i++) {
    await new Promise((r) => setTimeout(r, 250));
    j = (await api('GET', '/v1/jobs/' + encodeURIComponent(job.id))).data;
  }
  state.textContent = j.status + (j.error ? ': ' + j.error : '');
  progress.max = 1;
  progress.value = 1;
}

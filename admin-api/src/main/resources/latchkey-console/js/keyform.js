// Create and edit a key. Edit sends only what changed (a merge patch) with If-Match, so concurrent edits fail
// with 412 instead of overwriting each other.
import { h, put, field, select } from './dom.js';
import { api } from './api.js';
import { showProblem, clearProblem } from './problems.js';
import { keepSecret } from './secret.js';
import { current } from './app.js';

function lines(text) {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** The form's controls, filled from key (or empty for a new key). */
function controls(key, me, creating) {
  const c = {
    name: h('input', { type: 'text', required: true, maxlength: 100, value: key ? key.name : '' }),
    tenant_id: h('input', { type: 'text', value: key ? key.tenant_id : (me.tenant || ''), placeholder: 'default', readOnly: !creating || me.role === 'tenant-admin' }),
    owner_id: h('input', { type: 'text', value: key && key.owner_id ? key.owner_id : '' }),
    environment: select([['live', 'live'], ['test', 'test']], key ? key.environment : 'live'),
    type: select([['standard', 'standard'], ['trial', 'trial']], key ? key.type : 'standard'),
    scopes: h('input', { type: 'text', value: key ? key.scopes.join(' ') : '', spellcheck: 'false' }),
    ip_restrictions: h('textarea', { rows: 3, spellcheck: 'false' }),
    expires_at: h('input', { type: 'text', value: key && key.expires_at ? key.expires_at : '', placeholder: '2027-01-31T00:00:00Z' }),
    metadata: h('textarea', { rows: 3, spellcheck: 'false' }),
    rate_limit: h('input', { type: 'number', min: 1, value: key && key.rate_limit ? key.rate_limit.limit : '' }),
    rate_period: h('input', { type: 'number', min: 1, value: key && key.rate_limit ? key.rate_limit.period_seconds : '60' }),
    quota: h('input', { type: 'number', min: 1, value: key && key.quota ? key.quota.limit : '' }),
    quota_period: select([['day', 'day'], ['month', 'month'], ['none', 'none (prepaid credits)']], key && key.quota ? key.quota.period : 'month'),
    webhook_config: h('input', { type: 'text', value: key && key.webhook_config ? key.webhook_config : '' }),
    storage_config: h('input', { type: 'text', value: key && key.storage_config ? key.storage_config : '' }),
  };
  if (me.role === 'tenant-admin') {
    // Limits are the platform's (API.md §8): shown, sent back unchanged, never edited by a tenant admin.
    for (const k of ['rate_limit', 'rate_period', 'quota', 'quota_period']) c[k].disabled = true;
  }
  if (!creating) {
    c.environment.disabled = true;
    c.type.disabled = true;
  }
  c.ip_restrictions.value = key ? key.ip_restrictions.map((r) => [r.value, r.label || '', r.status === 'inactive' ? 'inactive' : ''].join(' ').trim()).join('\n') : '';
  c.metadata.value = key ? Object.entries(key.metadata || {}).map(([k, v]) => k + '=' + v).join('\n') : '';
  return c;
}

/** The API body the controls describe. */
function body(c) {
  const b = {
    name: c.name.value.trim(), owner_id: c.owner_id.value.trim() || null,
    scopes: c.scopes.value.split(/[\s,]+/).filter(Boolean),
    ip_restrictions: lines(c.ip_restrictions.value).map((l) => {
      const [value, label, status] = l.split(/\s+/);
      return { value, label: label || null, status: status === 'inactive' ? 'inactive' : 'active' };
    }),
    expires_at: c.expires_at.value.trim() || null,
    metadata: Object.fromEntries(lines(c.metadata.value).map((l) => {
      const at = l.indexOf('=');
      return at < 0 ? [l, ''] : [l.slice(0, at).trim(), l.slice(at + 1).trim()];
    })),
    rate_limit: c.rate_limit.value ? { limit: Number(c.rate_limit.value), period_seconds: Number(c.rate_period.value) } : null,
    quota: c.quota.value ? { limit: Number(c.quota.value), period: c.quota_period.value } : null,
    webhook_config: c.webhook_config.value.trim() || null,
    storage_config: c.storage_config.value.trim() || null,
  };
  return b;
}

function layout(c, creating, title, submit) {
  const box = h('div', { id: 'form-problem' });
  const form = h('form', { class: 'card', id: 'key-form', 'aria-labelledby': 'form-h', novalidate: true },
    h('h1', { id: 'form-h' }, title),
    field('Name', c.name, 'name', 'Letters, digits, _ - . and spaces; up to 100.'),
    field('Tenant', c.tenant_id, 'tenant_id'),
    field('Owner', c.owner_id, 'owner_id'),
    h('div', { class: 'row' }, field('Environment', c.environment, 'environment'), field('Type', c.type, 'type')),
    field('Scopes', c.scopes, 'scopes', 'Space-separated, e.g. reports:read reports:write.'),
    field('IP restrictions', c.ip_restrictions, 'ip_restrictions', 'One per line: address or CIDR, then an optional label and "inactive".'),
    field('Expires at', c.expires_at, 'expires_at', 'RFC 3339 UTC; empty = never (trial keys: 14 days).'),
    field('Metadata', c.metadata, 'metadata', 'One key=value per line.'),
    h('fieldset', {}, h('legend', {}, 'Limits (empty = the tenant default)'),
      h('div', { class: 'row' }, field('Rate limit (requests)', c.rate_limit, 'rate_limit'), field('per seconds', c.rate_period, 'rate_limit_period')),
      h('div', { class: 'row' }, field('Quota (units)', c.quota, 'quota'), field('Quota period', c.quota_period, 'quota_period')),
      h('div', { class: 'row' }, field('Webhook config id', c.webhook_config, 'webhook_config'), field('Storage config id', c.storage_config, 'storage_config'))),
    h('button', { type: 'submit' }, submit), box);
  return { form, box };
}

export async function createPage(main, { me }) {
  const c = controls(null, me, true);
  const { form, box } = layout(c, true, 'Create a key', 'Create key');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearProblem(form);
    const b = body(c);
    Object.assign(b, { tenant_id: c.tenant_id.value.trim() || undefined, environment: c.environment.value, type: c.type.value });
    for (const k of ['owner_id', 'expires_at', 'rate_limit', 'quota', 'webhook_config', 'storage_config']) if (b[k] === null) delete b[k];
    try {
      const created = (await api('POST', '/v1/keys', b)).data;
      keepSecret(created.id, created.token, 'Your new token');
      location.hash = '#/keys/' + encodeURIComponent(created.id);
    } catch (e) {
      showProblem(box, e, form);
    }
  });
  put(main, form);
}

export async function editPage(main, { args, gen, me }) {
  let res;
  try {
    res = await api('GET', '/v1/keys/' + encodeURIComponent(args[0]));
  } catch (e) {
    if (!current(gen)) return;
    put(main, h('h1', {}, 'Cannot edit this key'), h('div', { id: 'problem' }));
    showProblem(main.querySelector('#problem'), e);
    return;
  }
  if (!current(gen)) return;
  const key = res.data;
  const c = controls(key, me, false);
  const before = body(c);
  const { form, box } = layout(c, false, 'Edit ' + key.name, 'Save changes');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const after = body(c);
    const patch = {};
    for (const k of Object.keys(after)) if (JSON.stringify(after[k]) !== JSON.stringify(before[k])) patch[k] = after[k];
    if (!Object.keys(patch).length) {
      location.hash = '#/keys/' + encodeURIComponent(key.id);
      return;
    }
    try {
      await api('PATCH', '/v1/keys/' + encodeURIComponent(key.id), patch, { 'If-Match': '"' + key.version + '"' });
      location.hash = '#/keys/' + encodeURIComponent(key.id);
    } catch (e) {
      showProblem(box, e, form);
    }
  });
  put(main, h('p', { class: 'crumbs' }, h('a', { href: '#/keys' }, 'Keys'), ' / ', h('a', { href: '#/keys/' + encodeURIComponent(key.id) }, key.id)), form);
}

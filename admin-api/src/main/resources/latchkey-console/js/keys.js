// The keys list: the list endpoint's own filters and offset paging (the server counts and pages; nothing here
// sorts or searches one page), plus "go to key" by id.
import { h, put, field, select, when } from './dom.js';
import { api, query } from './api.js';
import { showProblem } from './problems.js';
import { current } from './app.js';

const SIZES = [['20', '20'], ['50', '50'], ['100', '100'], ['500', '500']];

function params(qs) {
  const p = new URLSearchParams(qs || '');
  return {
    status: p.get('status') || '', environment: p.get('environment') || '', type: p.get('type') || '',
    tenant_id: p.get('tenant_id') || '', offset: Math.max(0, parseInt(p.get('offset') || '0', 10) || 0),
    limit: parseInt(p.get('limit') || '20', 10) || 20,
  };
}

function go(p) {
  location.hash = '#/keys' + query({ ...p, offset: p.offset || null, limit: p.limit === 20 ? null : p.limit });
}

export async function keysPage(main, { args, gen, me }) {
  const p = params(args[0]);
  const status = select([['', 'any'], ['active', 'active'], ['inactive', 'inactive'], ['blocked', 'blocked'], ['expired', 'expired']], p.status);
  const env = select([['', 'any'], ['live', 'live'], ['test', 'test']], p.environment);
  const type = select([['', 'any'], ['standard', 'standard'], ['trial', 'trial']], p.type);
  const size = select(SIZES, String(p.limit));
  const tenant = h('input', { type: 'text', value: p.tenant_id, placeholder: 'all tenants', spellcheck: 'false' });
  const canPickTenant = me.role !== 'tenant-admin';
  const filters = h('form', { class: 'filters', 'aria-label': 'Filters' },
    field('Status', status, 'status'), field('Environment', env, 'environment'), field('Type', type, 'type'),
    canPickTenant ? field('Tenant', tenant, 'tenant_id') : null,
    field('Per page', size, 'limit'),
    h('button', { type: 'submit' }, 'Apply'));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go({ status: status.value, environment: env.value, type: type.value,
      tenant_id: canPickTenant ? tenant.value.trim() : '', offset: 0, limit: parseInt(size.value, 10) });
  });
  const keyId = h('input', { type: 'text', required: true, spellcheck: 'false', autocomplete: 'off' });
  const goTo = h('form', { class: 'goto', 'aria-label': 'Go to key' }, field('Key id', keyId, 'key_id'),
    h('button', { type: 'submit' }, 'Go to key'));
  goTo.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const id = keyId.value.trim();
    if (id) location.hash = '#/keys/' + encodeURIComponent(id);
  });
  const box = h('div', { id: 'keys-result', 'aria-live': 'polite' }, h('p', {}, 'Loading…'));
  put(main, h('h1', {}, 'Keys'), h('div', { class: 'toolbar' }, filters, goTo), box);

  let page;
  try {
    page = (await api('GET', '/v1/keys' + query({ status: p.status, environment: p.environment, type: p.type,
      tenant_id: p.tenant_id, offset: p.offset, limit: p.limit }))).data;
  } catch (e) {
    if (current(gen)) showProblem(box, e, filters);
    return;
  }
  if (!current(gen)) return;
  const rows = page.keys.map((k) => h('tr', {},
    h('td', {}, h('a', { href: '#/keys/' + encodeURIComponent(k.id) }, k.name)),
    h('td', {}, h('code', {}, k.id)),
    h('td', {}, k.tenant_id),
    h('td', {}, k.environment), h('td', {}, k.type),
    h('td', {}, h('span', { class: 'badge ' + k.status }, k.status)),
    h('td', {}, h('code', {}, k.hint)),
    h('td', {}, when(k.created_at)),
    h('td', {}, when(k.last_used_at))));
  const pages = Math.max(1, Math.ceil(page.total / page.limit));
  const at = Math.floor(page.offset / page.limit) + 1;
  const pageInput = h('input', { type: 'number', min: 1, max: pages, value: at, class: 'short' });
  const pager = h('form', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', disabled: page.offset <= 0, onclick: () => go({ ...p, offset: Math.max(0, page.offset - page.limit) }) }, 'Previous'),
    h('span', { id: 'page-of' }, `Page ${at} of ${pages}`),
    h('button', { type: 'button', disabled: page.offset + page.size >= page.total, onclick: () => go({ ...p, offset: page.offset + page.limit }) }, 'Next'),
    field('Go to page', pageInput, 'page'),
    h('button', { type: 'submit' }, 'Go'));
  pager.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const n = Math.min(pages, Math.max(1, parseInt(pageInput.value, 10) || 1));
    go({ ...p, offset: (n - 1) * page.limit });
  });
  const from = page.size ? page.offset + 1 : 0;
  put(box,
    h('p', { id: 'keys-count' }, `${page.total.toLocaleString('en')} keys · showing ${from}–${page.offset + page.size}`),
    page.size ? h('div', { class: 'scroll' }, h('table', { id: 'keys-table' },
      h('caption', {}, 'Keys, newest first'),
      h('thead', {}, h('tr', {}, ['Name', 'Id', 'Tenant', 'Environment', 'Type', 'Status', 'Token', 'Created', 'Last used']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))) : h('p', {}, 'No keys match.'),
    pager);
  performance.mark('keys-interactive');
}

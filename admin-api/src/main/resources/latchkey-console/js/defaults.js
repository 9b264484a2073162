// A tenant's defaults (§9): the rate limit, quota and configs its keys inherit when their own field is null.
import { h, put, field, select, when, note } from './dom.js';
import { api } from './api.js';
import { showProblem, clearProblem } from './problems.js';
import { current } from './app.js';

export async function defaultsPage(main, { args, gen, me }) {
  const tenant = args[0] || me.tenant || 'default';
  const pick = h('input', { type: 'text', value: tenant, spellcheck: 'false', readOnly: me.role === 'tenant-admin' });
  const chooser = h('form', { class: 'filters', 'aria-label': 'Tenant' }, field('Tenant', pick, 'tenant_id'), h('button', { type: 'submit' }, 'Show'));
  chooser.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = '#/defaults/' + encodeURIComponent(pick.value.trim() || 'default');
  });
  const box = h('div', { id: 'defaults-body' }, h('p', {}, 'Loading…'));
  put(main, h('h1', {}, 'Tenant defaults'), chooser, box);
  let res;
  try {
    res = await api('GET', `/v1/tenants/${encodeURIComponent(tenant)}/defaults`);
  } catch (e) {
    if (!current(gen)) return;
    if (e.absent) put(box, h('p', {}, 'Tenant defaults are not available on this server.'));
    else showProblem(box, e, chooser);
    return;
  }
  if (!current(gen)) return;
  const d = res.data;
  const c = {
    rate_limit: h('input', { type: 'number', min: 1, value: d.rate_limit ? d.rate_limit.limit : '' }),
    rate_period: h('input', { type: 'number', min: 1, value: d.rate_limit ? d.rate_limit.period_seconds : 60 }),
    quota: h('input', { type: 'number', min: 1, value: d.quota ? d.quota.limit : '' }),
    quota_period: select([['day', 'day'], ['month', 'month'], ['none', 'none (prepaid credits)']], d.quota ? d.quota.period : 'month'),
    webhook_config: h('input', { type: 'text', value: d.webhook_config || '' }),
    storage_config: h('input', { type: 'text', value: d.storage_config || '' }),
  };
  const limitsLocked = me.role === 'tenant-admin';
  for (const k of ['rate_limit', 'rate_period', 'quota', 'quota_period']) c[k].disabled = limitsLocked;
  const problem = h('div', { id: 'form-problem' });
  const form = h('form', { class: 'card', id: 'defaults-form', 'aria-label': 'Defaults of ' + d.tenant_id },
    h('p', {}, `Version ${d.version} · updated ${when(d.updated_at)}`),
    h('div', { class: 'row' }, field('Rate limit (requests)', c.rate_limit, 'rate_limit', 'Empty = none.'), field('per seconds', c.rate_period, 'rate_limit_period')),
    h('div', { class: 'row' }, field('Quota (units)', c.quota, 'quota', 'Empty = none.'), field('Quota period', c.quota_period, 'quota_period')),
    limitsLocked ? h('p', { class: 'hint' }, 'Rate limits and quotas are set by the root admin or a latchkey:admin key.') : null,
    h('div', { class: 'row' }, field('Webhook config id', c.webhook_config, 'webhook_config'), field('Storage config id', c.storage_config, 'storage_config')),
    h('button', { type: 'submit' }, 'Save defaults'), problem);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearProblem(form);
    const b = {
      rate_limit: c.rate_limit.value ? { limit: Number(c.rate_limit.value), period_seconds: Number(c.rate_period.value) } : null,
      quota: c.quota.value ? { limit: Number(c.quota.value), period: c.quota_period.value } : null,
      webhook_config: c.webhook_config.value.trim() || null,
      storage_config: c.storage_config.value.trim() || null,
    };
    try {
      await api('PUT', `/v1/tenants/${encodeURIComponent(d.tenant_id)}/defaults`, b, { 'If-Match': '"' + d.version + '"' });
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      showProblem(problem, e, form);
    }
  });
  put(box, form);
}

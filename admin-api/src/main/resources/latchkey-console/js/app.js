// The console's router: one page per URL hash, so every key, config and list view has its own address.
import { h, put } from './dom.js';
import { session, whoAmI } from './api.js';
import { signInPage } from './signin.js';
import { keysPage } from './keys.js';
import { keyPage } from './key.js';
import { createPage, editPage } from './keyform.js';
import { defaultsPage } from './defaults.js';
import { webhooksPage, webhookPage, deliveryPage } from './webhooks.js';

const routes = [
  [/^#\/signin$/, signInPage],
  [/^#\/keys\/new$/, createPage],
  [/^#\/keys\/([^/?]+)\/edit$/, editPage],
  [/^#\/keys\/([^/?]+)$/, keyPage],
  [/^#\/keys(?:\?(.*))?$/, keysPage],
  [/^#\/defaults(?:\/([^/?]+))?$/, defaultsPage],
  [/^#\/webhooks(?:\?(.*))?$/, webhooksPage],
  [/^#\/webhooks\/([^/?]+)\/deliveries\/([^/?]+)$/, deliveryPage],
  [/^#\/webhooks\/([^/?]+)$/, webhookPage],
];

let generation = 0;

/** Whether a page that started rendering is still the current one (async answers may arrive late). */
export function current(gen) {
  return gen === generation;
}

function nav(route) {
  const el = document.getElementById('nav');
  if (!session.token()) {
    put(el);
    return;
  }
  const link = (href, text) => h('a', { href, 'aria-current': route.startsWith(href) ? 'page' : null }, text);
  put(el, h('ul', {},
    h('li', {}, link('#/keys', 'Keys')),
    h('li', {}, link('#/keys/new', 'Create key')),
    h('li', {}, link('#/defaults', 'Tenant defaults')),
    h('li', {}, link('#/webhooks', 'Webhooks')),
    h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => { session.signOut(); location.hash = '#/signin'; } }, 'Sign out'))));
}

async function render() {
  const gen = ++generation;
  let hash = location.hash || '#/keys';
  if (!session.token() && hash !== '#/signin') {
    location.replace('#/signin');
    return;
  }
  const main = document.getElementById('main');
  nav(hash.startsWith('#/keys/new') ? '#/keys/new' : hash);
  for (const [re, page] of routes) {
    const m = re.exec(hash);
    if (m) {
      const args = m.slice(1).map((a) => (a === undefined ? a : decodeURIComponent(a)));
      try {
        const me = hash === '#/signin' ? null : await whoAmI();
        if (!current(gen)) return;
        await page(main, { args, gen, me });
        const active = document.activeElement;
        if (current(gen) && (!active || active === document.body || active.closest('nav'))) main.focus();
      } catch (e) {
        if (current(gen) && e && e.status !== 401) {
          put(main, h('h1', {}, 'Something went wrong'), h('p', { role: 'alert' }, String(e.message || e)));
        }
      }
      return;
    }
  }
  put(main, h('h1', {}, 'Not found'), h('p', {}, 'There is no console page at this address. '),
    h('a', { href: '#/keys' }, 'Back to the keys'));
}

window.addEventListener('hashchange', render);
window.addEventListener('DOMContentLoaded', render);

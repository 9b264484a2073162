// A secret (a key's token, a webhook secret) shown once: it lives in this module's memory only, never in storage or
// the URL, so a reload forgets it.
import { h } from './dom.js';

let pending = null;

/** Keeps a secret for the next page that shows owner's details (the page after a create). */
export function keepSecret(owner, value, label) {
  pending = { owner, value, label };
}

/** Takes the kept secret when it belongs to owner (then it is forgotten). */
export function takeSecret(owner) {
  const p = pending;
  pending = null;
  return p && p.owner === owner ? p : null;
}

/** The once-only panel: the value, a copy button and the warning. */
export function secretPanel(label, value, extra) {
  const out = h('input', { type: 'text', readOnly: true, value, class: 'secret-value', id: 'secret-value', spellcheck: 'false' });
  const status = h('span', { role: 'status', class: 'copied' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      out.select();
      document.execCommand('copy');
    }
    status.textContent = 'Copied.';
  };
  return h('section', { class: 'secret', 'aria-labelledby': 'secret-h' },
    h('h2', { id: 'secret-h' }, label),
    h('p', { class: 'warn' }, 'Copy it now: it is shown only this once and cannot be shown again. '
      + 'Leaving or reloading this page forgets it.'),
    h('label', { for: 'secret-value', class: 'visually-hidden' }, label),
    h('div', { class: 'row' }, out, h('button', { type: 'button', onclick: copy }, 'Copy'), status),
    extra || null);
}

// Problem answers (RFC 9457) shown readably, with each errors[] entry placed next to the input it names.
import { h, add, put } from './dom.js';

/** The API field a problem's errors[].field belongs to: "scopes[2]" and "rate_limit.limit" are in their root. */
function rootField(name) {
  return String(name || '').split(/[.[]/)[0];
}

/** Removes the marks a previous problem left on a form. */
export function clearProblem(form) {
  if (!form) return;
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    const described = (el.getAttribute('aria-describedby') || '').split(' ').filter((d) => !d.startsWith('err-'));
    if (described.length) el.setAttribute('aria-describedby', described.join(' '));
    else el.removeAttribute('aria-describedby');
  }
}

/**
 * Shows err (an ApiError) in box, and marks the fields of form that errors[] names. Returns whether anything was
 * placed next to a field.
 */
export function showProblem(box, err, form) {
  clearProblem(form);
  const p = (err && err.problem) || {};
  const status = err && err.status ? err.status + ' ' : '';
  const panel = h('div', { class: 'problem', role: 'alert' },
    h('p', { class: 'problem-title' }, status + (p.title || 'Request failed')),
    p.detail ? h('p', {}, p.detail) : null,
    h('p', { class: 'problem-meta' },
      p.code ? ['code ', h('code', {}, p.code)] : null,
      p.request_id ? [' · request ', h('code', {}, p.request_id)] : null,
      p.retry_after ? ' · retry after ' + p.retry_after + ' s' : null));
  const errors = Array.isArray(p.errors) ? p.errors : [];
  let placed = false;
  const unplaced = [];
  errors.forEach((e, i) => {
    const wrap = form && form.querySelector('[data-field="' + CSS.escape(rootField(e.field)) + '"]');
    if (!wrap) {
      unplaced.push(e);
      return;
    }
    const input = wrap.querySelector('input, select, textarea');
    const id = 'err-' + i + '-' + rootField(e.field);
    const msg = h('p', { class: 'field-error', id }, e.field + ': ' + (e.description || e.code || 'invalid'));
    wrap.append(msg);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + id).trim());
    }
    placed = true;
  });
  if (unplaced.length) {
    add(panel, h('ul', {}, unplaced.map((e) => h('li', {}, h('code', {}, e.field || '?'), ' ',
      e.description || e.code || ''))));
  }
  put(box, panel);
  return placed;
}

// Sign in with an admin token; it is kept in sessionStorage only, for this tab.
import { h, put, field, note } from './dom.js';
import { session, api } from './api.js';
import { showProblem } from './problems.js';

export async function signInPage(main) {
  session.signOut();
  const told = sessionStorage.getItem('latchkey.console.signin-note');
  sessionStorage.removeItem('latchkey.console.signin-note');
  const token = h('input', { type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const box = h('div', {});
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'signin-h' },
    h('h1', { id: 'signin-h' }, 'Sign in'),
    told ? note(told, 'warn') : null,
    h('p', {}, 'Paste the root admin token or an admin key (scope latchkey:admin or latchkey:tenant-admin). '
      + 'It stays in this tab only and is forgotten when you sign out or close the tab.'),
    field('Admin token', token, 'token'),
    h('button', { type: 'submit' }, 'Sign in'),
    box);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    performance.clearMarks();
    performance.mark('signin-submit');
    session.signIn(token.value.trim());
    try {
      await api('GET', '/v1/keys?limit=1', undefined, undefined, { keep401: true });
      location.hash = '#/keys';
    } catch (e) {
      session.signOut();
      if (e.status === 401) e.problem = { ...e.problem, title: 'This token is not accepted' };
      showProblem(box, e, form);
    }
  });
  put(main, form);
  token.focus();
}

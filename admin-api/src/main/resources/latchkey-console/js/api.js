// The one way the console talks to the admin API (same origin, /v1). The admin token lives in sessionStorage only.

const TOKEN = 'latchkey.console.token';
let who = null;

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  signIn(token) { sessionStorage.setItem(TOKEN, token); who = null; },
  signOut() { sessionStorage.removeItem(TOKEN); who = null; },
};

/** A problem answer (RFC 9457) or a transport failure. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
    this.status = status;
    this.problem = problem || {};
  }
  /** True when the server has no such endpoint (a feature that has not landed on it). */
  get absent() {
    return this.status === 405 || (this.status === 404 && this.problem.code === 'not_found'
      && /no resource at this path/.test(this.problem.detail || ''));
  }
}

function url(path) {
  return new URL('..' + path, document.baseURI).toString();
}

/** Calls the API; resolves to {status, data, headers}; rejects with ApiError. A 401 signs out. */
export async function api(method, path, body, headers, opts) {
  const token = session.token();
  if (!token) {
    location.hash = '#/signin';
    throw new ApiError(401, { title: 'Sign in first' });
  }
  const init = {
    method, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
    headers: { Authorization: 'Bearer ' + token, Accept: 'application/json, application/problem+json', ...(headers || {}) },
  };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(url(path), init);
  } catch (e) {
    throw new ApiError(0, { title: 'The admin service cannot be reached', detail: String(e && e.message) });
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text.slice(0, 500) }; }
  }
  if (res.status === 401 && !(opts && opts.keep401)) {
    session.signOut();
    sessionStorage.setItem('latchkey.console.signin-note', 'Your session has ended: sign in again.');
    location.hash = '#/signin';
    throw new ApiError(401, data);
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return { status: res.status, data, headers: res.headers };
}

/** A query string from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * Who is signed in: {role: "root"|"admin"|"tenant-admin", tenant, keyId}. An admin key is recognised by verifying
 * its own token (POST /v1/verify, which counts one use of it); anything that is not a key is the root token.
 */
export async function whoAmI() {
  if (who) return who;
  const token = session.token();
  let r;
  try {
    r = (await api('POST', '/v1/verify', { token })).data;
  } catch (e) {
    if (e.status === 401) throw e;
    return { role: 'admin', tenant: null, keyId: null };
  }
  if (r.valid && r.key) {
    const scopes = r.key.scopes || [];
    who = scopes.includes('latchkey:admin')
      ? { role: 'admin', tenant: null, keyId: r.key.id }
      : { role: 'tenant-admin', tenant: r.key.tenant_id, keyId: r.key.id };
  } else if (r.code === 'malformed' || r.code === 'not_found') {
    who = { role: 'root', tenant: null, keyId: null };
  } else {
    who = { role: 'admin', tenant: null, keyId: null };
  }
  return who;
}

// Building the page from API values: every value goes in as text (a Text node or a property), never as markup.

/**
 * Creates an element. props: "class", "text", "value", "checked", on<event> functions, any other attribute (set as
 * a string). children: nodes, strings (inserted as text), arrays, or null/false (skipped).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'value') el.value = String(v);
    else if (k === 'checked' || k === 'disabled' || k === 'readOnly') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  add(el, children);
  return el;
}

/** Appends children (nodes or text) to el. */
export function add(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces everything in el with children. */
export function put(el, ...children) {
  el.replaceChildren();
  return add(el, ...children);
}

/** A time for people (UTC, to the second), or a dash. */
export function when(iso) {
  if (!iso) return '—';
  return String(iso).replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC');
}

/** Any JSON value as short text. */
export function show(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A labelled form control inside a div whose data-field names the API field, for error placement. */
export function field(label, control, apiField, hint) {
  const id = control.id || ('f-' + (apiField || label).replace(/[^a-z0-9_]+/gi, '-').toLowerCase());
  control.id = id;
  if (apiField) control.name = control.name || apiField;
  const wrap = h('div', { class: 'field', 'data-field': apiField || null },
    h('label', { for: id }, label), control);
  if (hint) {
    const hid = id + '-hint';
    add(wrap, h('p', { class: 'hint', id: hid }, hint));
    control.setAttribute('aria-describedby', hid);
  }
  return wrap;
}

/** A select with [value, label] options. */
export function select(options, value) {
  const s = h('select', {});
  for (const [v, label] of options) s.append(h('option', { value: v, selected: v === value ? true : null }, label));
  s.value = value ?? '';
  return s;
}

/** A polite live region for short status messages. */
export function note(text, kind) {
  return h('p', { class: 'note ' + (kind || ''), role: kind === 'error' ? 'alert' : 'status' }, text);
}

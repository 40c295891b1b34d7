// Forms bound to a JSON document by path ("competences[2].citations[0].article"), and the API's errors shown beside them.
import { h, replace } from './dom.js';
import { session } from './api.js';

const parse = (path) => path.replace(/\[(\d+)\]/g, '.$1').split('.');

export function getPath(document, path) {
  return parse(path).reduce((node, part) => (node === null || node === undefined ? undefined : node[part]), document);
}

export function setPath(document, path, value) {
  const parts = parse(path);
  let node = document;
  parts.slice(0, -1).forEach((part, i) => {
    if (node[part] === null || node[part] === undefined) node[part] = /^\d+$/.test(parts[i + 1]) ? [] : {};
    node = node[part];
  });
  node[parts.at(-1)] = value;
}

/** Errors (JSON path → messages) beside their fields, and a summary at the top that links to each. */
export function showErrors(root, summary, errors, detail) {
  for (const p of root.querySelectorAll('[data-error-for]')) { p.hidden = true; p.textContent = ''; }
  for (const c of root.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  const entries = Object.entries(errors);
  if (!detail && entries.length === 0) { summary.hidden = true; replace(summary); return; }
  const items = entries.map(([path, messages]) => {
    const control = root.querySelector(`[data-path="${CSS.escape(path)}"]`);
    const place = root.querySelector(`[data-error-for="${CSS.escape(path)}"]`);
    if (place) { place.textContent = messages.join(' '); place.hidden = false; }
    if (control) control.setAttribute('aria-invalid', 'true');
    const text = `${control ? control.labels?.[0]?.textContent ?? path : path}: ${messages.join(' ')}`;
    return h('li', {}, control ? h('a', { href: `#${control.id}`, onclick: (e) => { e.preventDefault(); control.focus(); } }, text) : text);
  });
  replace(summary, h('h2', {}, entries.length ? 'Corrija antes de salvar' : 'Não foi possível salvar'), detail ? h('p', {}, detail) : null, items.length ? h('ul', {}, items) : null);
  summary.setAttribute('role', 'alert');
  summary.hidden = false;
  summary.focus();
}

export function slugify(text) {
  return (text ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

export const canPublish = () => ['publisher', 'admin'].includes(session.identity?.role);

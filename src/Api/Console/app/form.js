// Forms bound to a JSON document by path ("competences[2].citations[0].article"), and the API's errors shown beside them.
import { h, replace, field, fieldError, options } from './dom.js';
import { session } from './api.js';
import { parseDay, dayText } from './time.js';

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

/**
 * A labelled control bound to `path` of `document`: typing writes there (`bindControl`). `type: 'int'` holds a number,
 * `type: 'date'` a day typed dd/mm/aaaa whatever the browser's locale (the document holds yyyy-mm-dd), `optional`
 * turns an empty field into null, `multiline` makes it a textarea of that many rows.
 */
export function boundInput(document, label, path, attributes = {}, hint) {
  const { multiline, optional, type, ...rest } = attributes;
  const value = getPath(document, path);
  const control = multiline ? h('textarea', { rows: multiline, ...rest }, value ?? '')
    : type === 'date' ? h('input', { type: 'text', inputmode: 'numeric', placeholder: 'dd/mm/aaaa', maxlength: 10, class: 'data', value: value ? dayText(value) : '', ...rest })
    : h('input', { type: type === 'int' ? 'number' : type ?? 'text', value: value ?? '', ...rest });
  if (type === 'int' || type === 'date') control.dataset.type = type;
  if (optional || type === 'date') control.dataset.optional = '';
  return field(label, control, { path, hint: hint ?? (type === 'date' ? 'Dia/mês/ano, por exemplo 15/03/2019.' : undefined) });
}

/** A select bound to `path`; `optional` is the text of the empty choice, which means null. */
export function boundSelect(document, label, path, values, labels, { optional } = {}) {
  const control = h('select', {}, optional ? h('option', { value: '' }, optional) : null, options(values, labels, getPath(document, path) ?? ''));
  if (optional) control.dataset.optional = '';
  return field(label, control, { path });
}

/** Writes a bound control's value into the document (an unreadable date is kept as typed: `checkDates` stops the save). */
export function bindControl(document, control) {
  const path = control.dataset?.path;
  if (!path) return;
  let value = control.value;
  if (control.dataset.type === 'int') value = value === '' ? null : Number.parseInt(value, 10);
  else if (control.dataset.optional !== undefined && value.trim() === '') value = null;
  else if (control.dataset.type === 'date') value = parseDay(value) ?? value;
  setPath(document, path, value);
}

/** False (with the message beside the first bad one, focused) when a date field holds something that is not dd/mm/aaaa. */
export function checkDates(root) {
  const bad = [...root.querySelectorAll('[data-type="date"]')].filter((c) => c.value.trim() !== '' && !parseDay(c.value));
  for (const control of root.querySelectorAll('[data-type="date"]')) if (!bad.includes(control)) fieldError(control, null);
  bad.reverse().forEach((control) => fieldError(control, `“${control.value}” não é uma data válida: use dd/mm/aaaa, por exemplo 15/03/2019.`));
  return bad.length === 0;
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

// Building the page without innerHTML: text is always text, so nothing typed by an editor can become markup.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'value' || name === 'checked' || name === 'selected') element[name] = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let counter = 0;
export const uniqueId = (prefix) => `${prefix}-${++counter}`;

/** A labelled field: the label, the control and the place its errors go (aria-describedby). */
export function field(label, control, { hint, path } = {}) {
  const id = control.id || (control.id = uniqueId('campo'));
  const errorId = `${id}-erro`;
  const hintId = hint ? `${id}-dica` : null;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  if (path) control.dataset.path = path;
  return h('div', { class: 'campo' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'dica', id: hintId }, hint) : null,
    control,
    h('p', { class: 'erro', id: errorId, dataset: { errorFor: path ?? '' }, hidden: true }));
}

/** A control's own error, from a check made before anything is sent (null clears it). */
export function fieldError(control, message) {
  const place = document.getElementById(`${control.id}-erro`);
  place.textContent = message ?? '';
  place.hidden = !message;
  if (message) { control.setAttribute('aria-invalid', 'true'); control.focus(); } else control.removeAttribute('aria-invalid');
}

export function options(values, labels, selected) {
  return values.map((value) => h('option', { value, selected: value === selected }, labels[value] ?? value));
}

/** Shows a passing message in the live region. */
export function notify(message) {
  const region = document.getElementById('avisos');
  replace(region, h('p', {}, message));
}

/** A modal confirmation with <dialog>: resolves with the values of its fields, or null when cancelled. */
export function confirmDialog({ title, message, confirm = 'Confirmar', fields = [] }) {
  return new Promise((resolve) => {
    const titleId = uniqueId('dialogo');
    const form = h('form', { method: 'dialog' });
    const controls = fields.map((f) => {
      const control = f.multiline ? h('textarea', { rows: 3, required: f.required }) : h('input', { type: f.type ?? 'text', required: f.required });
      control.name = f.name;
      return { f, control };
    });
    const dialog = h('dialog', { 'aria-labelledby': titleId, class: 'dialogo' },
      h('h2', { id: titleId }, title),
      [message].flat().map((line) => h('p', {}, line)),
      form);
    replace(form,
      controls.map(({ f, control }) => field(f.label, control, { hint: f.hint })),
      h('div', { class: 'acoes' },
        h('button', { type: 'submit', value: 'ok', class: 'primario' }, confirm),
        h('button', { type: 'button', onclick: () => dialog.close('cancel') }, 'Cancelar')));
    form.addEventListener('submit', (event) => {
      if (controls.some(({ control }) => !control.checkValidity())) { event.preventDefault(); return; }
    });
    dialog.addEventListener('close', () => {
      const values = Object.fromEntries(controls.map(({ f, control }) => [f.name, control.value]));
      dialog.remove();
      resolve(dialog.returnValue === 'ok' ? values : null);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

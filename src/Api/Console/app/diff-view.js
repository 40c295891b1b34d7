// A revision diff (RFC 6902 patch + summary) in words; text changes highlighted word by word against the older document.
import { h } from './dom.js';
import { GROUPS } from './labels.js';

const NAMES = {
  name: 'nome', acronym: 'sigla', kind: 'tipo', parentId: 'órgão superior', displayOrder: 'ordem', slug: 'endereço (slug)',
  statements: 'declarações', about: 'sobre', mission: 'missão', vision: 'visão', purpose: 'propósito', values: 'valores',
  competences: 'competência', text: 'texto', label: 'rótulo', group: 'grupo', citations: 'citação', article: 'artigo',
  paragraph: 'parágrafo', item: 'inciso', legalBasisId: 'base legal', head: 'titular', title: 'título', since: 'desde',
  contact: 'contato', addresses: 'endereço', phones: 'telefone', emails: 'e-mail', website: 'site', legalBases: 'base legal do órgão',
  summary: 'ementa', url: 'URL', status: 'situação', number: 'número', year: 'ano', date: 'data', street: 'logradouro', openingHours: 'horário',
};
const OPS = { add: 'Adicionado', remove: 'Removido', replace: 'Alterado', move: 'Movido', copy: 'Copiado' };

export function describePath(path) {
  return path.split('/').slice(1).map((part) => (/^\d+$/.test(part) ? `nº ${+part + 1}` : NAMES[part] ?? part)).join(' › ');
}

export function valueAt(document, pointer) {
  let node = document;
  for (const part of parts(pointer)) {
    if (node === null || node === undefined) return undefined;
    node = node[part];
  }
  return node;
}

const parts = (pointer) => pointer.split('/').slice(1).map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));

/** RFC 6902: the document `patch` makes of `document` (add, remove, replace, move: what the API's diffs use). */
export function applyJsonPatch(document, patch) {
  let root = structuredClone(document);
  const parentOf = (pointer) => { const p = parts(pointer); return [p.slice(0, -1).reduce((node, part) => node[part], root), p.at(-1)]; };
  const take = (pointer) => {
    const [parent, key] = parentOf(pointer);
    const value = parent[key];
    if (Array.isArray(parent)) parent.splice(+key, 1); else delete parent[key];
    return value;
  };
  const put = (pointer, value, insert) => {
    if (pointer === '') { root = value; return; }
    const [parent, key] = parentOf(pointer);
    if (Array.isArray(parent)) {
      const at = key === '-' ? parent.length : +key;
      if (insert) parent.splice(at, 0, value); else parent[at] = value;
    } else parent[key] = value;
  };
  for (const operation of patch) {
    if (operation.op === 'add') put(operation.path, structuredClone(operation.value), true);
    else if (operation.op === 'replace') put(operation.path, structuredClone(operation.value), false);
    else if (operation.op === 'remove') take(operation.path);
    else if (operation.op === 'move') put(operation.path, take(operation.from), true);
  }
  return root;
}

const show = (value) => (value === null || value === undefined ? '(vazio)'
  : typeof value === 'string' ? value
  : value.text ? `${value.label ? value.label + ' – ' : ''}${value.text}${value.group ? ` (${GROUPS[value.group] ?? value.group})` : ''}`
  : JSON.stringify(value));

/** Word-level diff (longest common subsequence over words and spaces). */
export function wordDiff(before, after) {
  const a = before.split(/(\s+)/);
  const b = after.split(/(\s+)/);
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { out.push(a[i]); i++; j++; }
    else if (j < b.length && (i === a.length || lengths[i][j + 1] >= lengths[i + 1][j])) { out.push(h('ins', {}, b[j])); j++; }
    else { out.push(h('del', {}, a[i])); i++; }
  }
  return out;
}

/** The diff as a list; `before` is the older document when the caller has it (for word highlighting). */
export function diffView(diff, before) {
  if (diff.patch.length === 0) return h('p', {}, 'As duas revisões têm o mesmo conteúdo.');
  return h('div', { class: 'diff' },
    h('h3', {}, `Da revisão ${diff.from} para a ${diff.to}`),
    diff.summary.length ? h('ul', { class: 'resumo' }, diff.summary.map((line) => h('li', {}, line))) : null,
    h('ol', { class: 'operacoes' }, diff.patch.map((operation) => {
      const old = before ? valueAt(before, operation.path) : undefined;
      let body;
      if (operation.op === 'replace' && typeof old === 'string' && typeof operation.value === 'string') body = h('p', { class: 'texto' }, wordDiff(old, operation.value));
      else if (operation.op === 'remove') body = old !== undefined ? h('p', {}, h('del', {}, show(old))) : null;
      else if (operation.op === 'move') body = h('p', {}, `de ${describePath(operation.from)}`);
      else body = h('p', {}, operation.op === 'add' ? h('ins', {}, show(operation.value)) : show(operation.value));
      return h('li', {}, h('strong', {}, `${OPS[operation.op] ?? operation.op}: `), describePath(operation.path), body);
    })));
}

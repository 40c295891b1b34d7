// Paço's embeddable web components: <paco-organ>, <paco-structure> and <paco-search>, for municipal sites.
//   <script type="module" src="https://paco.example.gov.br/embed/v1/paco.js"></script>
// One file, no dependencies, only the public JSON API. Texts from the API are always inserted as text, never as HTML;
// the search snippet is parsed so that only its <mark> elements survive.

// The script lives at <service>/embed/v1/paco.js: the API is the same service, unless an `api` attribute says otherwise.
const scriptService = new URL('../../', import.meta.url);
const STORED = 'paco:';

// The last answer per URL (memory, and sessionStorage for the next page of the visit), revalidated with its ETag.
// Search answers stay in memory only: a visit types many queries and rarely asks one again on another page.
const answers = new Map();
const KEPT_IN_MEMORY = 100;

function remembered(url) {
  let known = answers.get(url);
  if (!known) {
    try { known = JSON.parse(sessionStorage.getItem(STORED + url)); } catch { /* storage disabled or unreadable */ }
    if (known) answers.set(url, known);
  }
  return known;
}

function remember(url, known, stored) {
  answers.delete(url);
  answers.set(url, known);
  if (answers.size > KEPT_IN_MEMORY) answers.delete(answers.keys().next().value); // the longest unused
  if (!stored) return;
  try { sessionStorage.setItem(STORED + url, JSON.stringify(known)); } catch { /* full or disabled: memory is enough */ }
}

class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

// A conditional request set by the script bypasses the browser's cache (Fetch §4.5), so the 304 arrives here.
async function getJson(url, signal, stored = true) {
  const known = remembered(url);
  const response = await fetch(url, { signal, credentials: 'omit', headers: known ? { 'If-None-Match': known.etag } : {} });
  if (response.status === 304 && known) {
    remember(url, known, false);
    return known.data;
  }
  if (!response.ok) {
    let detail = '';
    try { detail = (await response.json()).detail; } catch { /* not a problem document */ }
    throw new ApiError(response.status, detail);
  }
  const data = await response.json();
  const etag = response.headers.get('ETag');
  if (etag) remember(url, { etag, data }, stored);
  return data;
}

// An element with attributes and children; strings become text nodes, so nothing from the API is ever parsed as HTML.
function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.flat(Infinity).filter(child => child != null && child !== false && child !== ''));
  return element;
}

// Links the API gives (a law's URL, a website) are followed only when they are http or https.
function webUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch { return null; }
}

const link = (text, href) => (href ? h('a', { href }, text) : text);

// "2021-03-01" → "01/03/2021", without going through a Date (and a time zone).
const brazilianDate = iso => (iso ? iso.split('-').reverse().join('/') : '');

// The snippet is HTML-escaped text with <mark>…</mark> around matched words: parsed in an inert document (no script
// runs, nothing loads), then rebuilt from its text, keeping <mark> and nothing else.
function snippet(html) {
  const parsed = new DOMParser().parseFromString(html, 'text/html').body;
  return [...parsed.childNodes].map(node => (node.nodeName === 'MARK' ? h('mark', null, node.textContent) : node.textContent));
}

const GROUPS = {
  competences: ['Competências', 'Competência'],
  headAttributions: ['Atribuições do titular', 'Atribuição do titular'],
  aims: ['Finalidades', 'Finalidade'],
  actions: ['Ações', 'Ação'],
};
const STATEMENTS = { about: 'Sobre', mission: 'Missão', vision: 'Visão', purpose: 'Propósito' };

const styles = new CSSStyleSheet();
styles.replaceSync(`
:host{display:block;font-family:var(--paco-font,inherit);color:var(--paco-text,inherit);line-height:1.5}
:host([hidden]){display:none}
*{box-sizing:border-box}
:is([part~=box]){background:var(--paco-background,transparent);border:1px solid var(--paco-border,color-mix(in srgb,currentColor 25%,transparent));border-radius:var(--paco-radius,.5rem);padding:1rem 1.25rem}
a{color:var(--paco-accent,inherit);text-underline-offset:.15em}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:2px solid var(--paco-focus,var(--paco-accent,currentColor));outline-offset:2px;border-radius:2px}
h2,h3,h4,h5,h6{line-height:1.25;margin:1.1em 0 .4em}
:is(h2,h3,h4,h5,h6):first-child{margin-top:0}
.muted,[part~=citations],[part~=status]{color:var(--paco-muted,color-mix(in srgb,currentColor 75%,transparent))}
[part~=acronym]{font-weight:400}
ol,ul{margin:.25em 0;padding-left:1.25em}
[part~=competences]{list-style:none;padding:0}
[part~=competence]{display:flex;gap:.6em;margin:.4em 0}
[part~=label]{flex:none;min-width:2em;font-weight:600;color:var(--paco-accent,inherit)}
[part~=citations]{display:block;font-size:.9em}
dt{font-weight:600}
dd{margin:0 0 .6em}
address{font-style:normal;margin:.25em 0}
[part~=status]:empty{display:none}
[part~=status]{margin:.5em 0}
.error{color:inherit;font-weight:600}
[role=tree],[role=group]{list-style:none;margin:0;padding:0}
[role=group]{padding-left:1.2em}
[role=group][hidden]{display:none}
[role=treeitem]{display:flex;gap:.35em;align-items:baseline;padding:.2em .4em;border-radius:var(--paco-radius,.5rem);color:inherit;text-decoration:none;cursor:pointer}
a[role=treeitem]:hover>:last-child{text-decoration:underline}
[role=treeitem]:hover{background:color-mix(in srgb,currentColor 8%,transparent)}
[part~=toggle]{flex:none;display:inline-block;width:1em;text-align:center;color:var(--paco-accent,inherit);transition:transform .15s}
[aria-expanded]>[part~=toggle]::before{content:'▸'}
[aria-expanded=true]>[part~=toggle]{transform:rotate(90deg)}
label{display:block;font-weight:600;margin-bottom:.3em}
input{width:100%;font:inherit;color:inherit;background:var(--paco-input-background,transparent);border:1px solid var(--paco-border,color-mix(in srgb,currentColor 45%,transparent));border-radius:var(--paco-radius,.5rem);padding:.5em .75em}
[part~=results]{list-style:none;padding:0;margin:.5em 0 0}
[part~=hit]{padding:.6em 0;border-top:1px solid var(--paco-border,color-mix(in srgb,currentColor 25%,transparent))}
[part~=hit]>*{display:block;margin:0}
mark{background:var(--paco-mark,#ffe066);color:var(--paco-mark-text,#1a1a1a);border-radius:2px;padding:0 .1em}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
`);

// What the three elements share: a shadow root, the API's address, re-rendering when an attribute changes, one request
// in flight (the previous one aborted), and loading and error states announced in pt-BR.
class PacoElement extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [styles];
    this.status = h('p', { part: 'status', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { part: 'body' });
  }

  connectedCallback() {
    if (!this.shadowRoot.firstChild) this.shadowRoot.append(...this.frame());
    this.update();
  }

  disconnectedCallback() { this.request?.abort(); }

  attributeChangedCallback() { if (this.isConnected) this.update(); }

  frame() { return [h('div', { lang: 'pt-BR' }, this.body, this.status)]; }

  // Several attributes set in a row make one render.
  update() {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => { this.scheduled = false; this.render(); });
  }

  api(path) {
    const given = this.getAttribute('api');
    const service = given ? new URL(given.replace(/\/?$/, '/'), document.baseURI) : scriptService;
    return new URL('api/v1/' + path, service).href;
  }

  // An href from the href-template attribute ("/estrutura/{organ}"), or null when there is none.
  href(organ, institution) {
    const template = this.getAttribute('href-template');
    return template && template
      .replaceAll('{organ}', encodeURIComponent(organ.slug))
      .replaceAll('{id}', encodeURIComponent(organ.id))
      .replaceAll('{institution}', encodeURIComponent(institution));
  }

  say(text, error) {
    this.status.textContent = text;
    this.status.classList.toggle('error', !!error);
  }

  // Loads what view() needs and shows it; the request before it, if still running, is aborted.
  async show(load, view, loading = 'Carregando…') {
    this.request?.abort();
    const request = (this.request = new AbortController());
    const slow = setTimeout(() => this.say(loading), 150); // a revalidation answered at once shows no flash
    try {
      const data = await load(request.signal);
      if (request.signal.aborted) return;
      this.body.replaceChildren(...[view(data)].flat());
      this.say(this.announce(data));
      this.dispatchEvent(new CustomEvent('paco-render', { bubbles: true, composed: true }));
    } catch (error) {
      if (request.signal.aborted) return;
      this.body.replaceChildren();
      this.say(this.failure(error), true);
      if (error.status >= 400 && error.status < 500) console.warn(`Paço: ${this.localName}: ${error.message}`);
    } finally {
      clearTimeout(slow);
    }
  }

  // What the status line says once the content is shown (nothing: the content speaks for itself).
  announce() { return ''; }

  failure(error) {
    if (error.status === 404) return 'Não encontrado: confira os atributos do componente.';
    if (error.status >= 400 && error.status < 500) return 'O pedido não foi aceito: confira os atributos do componente.';
    return 'Não foi possível carregar agora. Tente de novo mais tarde.';
  }

  // The required attributes, or null (and the reason shown) when one is missing.
  required(...names) {
    const values = names.map(name => this.getAttribute(name)?.trim());
    const missing = names.filter((_, i) => !values[i]);
    if (missing.length === 0) return values;
    this.request?.abort();
    this.body.replaceChildren();
    this.say(`Falta o atributo ${missing.map(name => `“${name}”`).join(' e ')}.`, true);
    return null;
  }

  heading(offset, attributes, ...children) {
    const level = Math.min(6, Math.max(1, parseInt(this.getAttribute('heading-level'), 10) || 2) + offset);
    return h('h' + level, attributes, ...children);
  }
}

// <paco-organ institution="amostra" organ="secretaria-de-saude">: one organ as published.
class PacoOrgan extends PacoElement {
  static observedAttributes = ['institution', 'organ', 'api', 'heading-level'];

  render() {
    const names = this.required('institution', 'organ');
    if (!names) return;
    const [institution, organ] = names.map(encodeURIComponent);
    this.show(signal => getJson(this.api(`institutions/${institution}/organs/${organ}`), signal), o => this.view(o));
  }

  view(o) {
    const section = (title, ...content) => [this.heading(1, null, title), ...content];
    const statements = Object.keys(STATEMENTS).filter(key => o.statements?.[key]);
    const competences = Object.keys(GROUPS)
      .map(group => [group, o.competences.filter(c => c.group === group).sort((a, b) => a.position - b.position)])
      .filter(([, items]) => items.length > 0)
      .map(([group, items]) => section(GROUPS[group][0], h('ol', { part: 'competences' }, items.map(competence))));
    return h('article', { part: 'organ box' },
      h('header', null, this.heading(0, { part: 'name' }, o.name, o.acronym && h('span', { part: 'acronym' }, ` (${o.acronym})`))),
      statements.length > 0 && h('dl', { part: 'statements' }, statements.map(key => [h('dt', null, STATEMENTS[key]), h('dd', null, o.statements[key])])),
      o.values.length > 0 && section('Valores', h('ul', { part: 'values' }, o.values.map(value => h('li', null, value)))),
      competences,
      o.head && section('Titular', h('p', { part: 'head' },
        o.head.title, o.head.name && `: ${o.head.name}`, o.head.since && ` (desde ${brazilianDate(o.head.since)})`)),
      o.contact && section('Contato', contact(o.contact)),
      o.legalBases.length > 0 && section('Base legal', h('ul', { part: 'legal-bases' },
        o.legalBases.map(l => h('li', null, link(l.legalBasis.title, webUrl(l.legalBasis.url)))))));
  }
}

function competence(c) {
  const citations = c.citations.map((citation, i) => [i > 0 && '; ', link(citation.text, webUrl(citation.legalBasis.url))]);
  return h('li', { part: 'competence' },
    c.label && h('span', { part: 'label' }, c.label),
    h('span', null, c.text, citations.length > 0 && h('span', { part: 'citations' }, citations)));
}

function contact(c) {
  const address = a => h('address', null,
    [a.street, a.number].filter(Boolean).join(', '), a.complement && ` – ${a.complement}`,
    a.district && [h('br'), a.district],
    (a.city || a.uf) && [h('br'), [a.city, a.uf].filter(Boolean).join('/')],
    a.postalCode && [h('br'), `CEP ${a.postalCode}`],
    a.openingHours && [h('br'), `Atendimento: ${a.openingHours}`]);
  const website = webUrl(c.website);
  return h('div', { part: 'contact' },
    c.addresses.map(address),
    c.phones.length > 0 && h('ul', { part: 'phones' }, c.phones.map(p => h('li', null,
      h('a', { href: 'tel:' + p.number.replace(/[^\d+]/g, '') }, p.number), p.description && ` (${p.description})`))),
    c.emails.length > 0 && h('ul', { part: 'emails' }, c.emails.map(email => h('li', null, h('a', { href: 'mailto:' + email }, email)))),
    website && h('p', null, h('a', { href: website }, c.website)));
}

// <paco-structure institution="amostra" href-template="/estrutura/{organ}">: the organ tree, as a WAI-ARIA tree
// (the APG navigation treeview: links are the treeitems, so no link is nested in another control).
class PacoStructure extends PacoElement {
  static observedAttributes = ['institution', 'api', 'href-template', 'expanded'];

  constructor() {
    super();
    this.open = new Set(); // slugs expanded by the reader, kept across re-renders
    this.body.addEventListener('keydown', event => this.onKey(event));
    this.body.addEventListener('click', event => this.onClick(event));
  }

  render() {
    const names = this.required('institution');
    if (!names) return;
    this.show(signal => getJson(this.api(`institutions/${encodeURIComponent(names[0])}/organs/tree`), signal), tree => this.view(tree));
  }

  view(tree) {
    const all = this.hasAttribute('expanded');
    let count = 0;
    const items = (nodes, level) => nodes.map((node, i) => {
      const id = `o${count++}`;
      const parent = node.children.length > 0;
      const expanded = parent && (all || this.open.has(node.slug));
      const href = this.href(node, tree.institution.slug);
      return h('li', { role: 'none' },
        h(href ? 'a' : 'span', {
          role: 'treeitem', part: 'item', href, tabindex: count === 1 ? '0' : '-1', 'data-slug': node.slug,
          'aria-level': level, 'aria-setsize': nodes.length, 'aria-posinset': i + 1,
          'aria-expanded': parent && String(expanded), 'aria-owns': parent && `${id}g`,
        }, h('span', { part: 'toggle', 'aria-hidden': 'true' }),
        h('span', null, node.name, node.acronym && h('span', { class: 'muted' }, ` (${node.acronym})`))),
        parent && h('ul', { role: 'group', id: `${id}g`, hidden: !expanded }, items(node.children, level + 1)));
    });
    return tree.organs.length === 0
      ? h('p', null, 'Nenhum órgão publicado.')
      : h('ul', { role: 'tree', part: 'tree', 'aria-label': `Estrutura de ${tree.institution.name}` }, items(tree.organs, 1));
  }

  visible() {
    return [...this.body.querySelectorAll('[role=treeitem]')].filter(item => !item.parentElement.parentElement.closest('[role=group][hidden]'));
  }

  expand(item, expand) {
    const group = item.nextElementSibling;
    if (!group) return;
    group.hidden = !expand;
    item.setAttribute('aria-expanded', String(expand));
    if (expand) this.open.add(item.dataset.slug);
    else this.open.delete(item.dataset.slug);
  }

  focusItem(item) {
    if (!item) return;
    for (const other of this.body.querySelectorAll('[role=treeitem][tabindex="0"]')) other.tabIndex = -1;
    item.tabIndex = 0;
    item.focus();
  }

  onKey(event) {
    const item = event.target.closest('[role=treeitem]');
    if (!item || event.altKey || event.ctrlKey || event.metaKey) return;
    const visible = this.visible();
    const at = visible.indexOf(item);
    const expanded = item.getAttribute('aria-expanded');
    const parentItem = item.parentElement.parentElement.previousElementSibling;
    switch (event.key) {
      case 'ArrowDown': this.focusItem(visible[at + 1]); break;
      case 'ArrowUp': this.focusItem(visible[at - 1]); break;
      case 'Home': this.focusItem(visible[0]); break;
      case 'End': this.focusItem(visible[visible.length - 1]); break;
      case 'ArrowRight':
        if (expanded === 'false') this.expand(item, true);
        else if (expanded === 'true') this.focusItem(visible[at + 1]);
        break;
      case 'ArrowLeft':
        if (expanded === 'true') this.expand(item, false);
        else if (parentItem?.getAttribute('role') === 'treeitem') this.focusItem(parentItem);
        break;
      case 'Enter':
      case ' ':
        if (item.localName === 'a' && event.key === 'Enter') return; // the link's own navigation
        if (expanded) this.expand(item, expanded === 'false');
        break;
      default: return;
    }
    event.preventDefault();
  }

  onClick(event) {
    const item = event.target.closest('[role=treeitem]');
    if (!item) return;
    const expanded = item.getAttribute('aria-expanded');
    // The arrow (or an item that links nowhere) opens and closes; the rest of a link follows it.
    if (expanded && (item.localName !== 'a' || event.target.closest('[part~=toggle]'))) {
      event.preventDefault();
      this.expand(item, expanded === 'false');
    }
    this.focusItem(item);
  }
}

// <paco-search institution="amostra">: "quem faz o quê", live results as the reader types.
class PacoSearch extends PacoElement {
  static observedAttributes = ['institution', 'api', 'href-template', 'limit', 'label'];

  constructor() {
    super();
    this.label = h('label', { for: 'q', part: 'search-label' });
    this.input = h('input', {
      id: 'q', type: 'search', part: 'input', autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'search', 'aria-controls': 'r',
      oninput: () => { clearTimeout(this.typing); this.typing = setTimeout(() => this.render(), 250); },
      onkeydown: event => { if (event.key === 'ArrowDown') { event.preventDefault(); this.body.querySelector('a')?.focus(); } },
    });
    this.form = h('form', { role: 'search', part: 'form', onsubmit: event => { event.preventDefault(); clearTimeout(this.typing); this.render(); } },
      this.label, this.input);
    this.body.id = 'r';
    this.body.addEventListener('keydown', event => this.onKey(event));
  }

  frame() { return [h('div', { part: 'search box', lang: 'pt-BR' }, this.form, this.status, this.body)]; }

  render() {
    this.label.textContent = this.getAttribute('label') || 'Buscar competências e órgãos';
    const words = this.input.value.trim();
    if (words.length < 2) {
      this.request?.abort();
      this.body.replaceChildren();
      this.say('');
      return;
    }
    const institution = this.getAttribute('institution')?.trim();
    const size = Math.min(100, Math.max(1, parseInt(this.getAttribute('limit'), 10) || 10));
    const query = `search?q=${encodeURIComponent(words)}&pageSize=${size}`;
    const url = this.api(institution ? `institutions/${encodeURIComponent(institution)}/${query}` : query);
    this.show(signal => getJson(url, signal, false), page => this.view(page, !institution), 'Buscando…');
  }

  announce(page) {
    if (page.total === 0) return `Nenhum resultado para “${this.input.value.trim()}”.`;
    return (page.total === 1 ? '1 resultado' : `${page.total} resultados`)
      + (page.total > page.items.length ? `, os ${page.items.length} primeiros abaixo` : '');
  }

  view(page, national) {
    return page.total === 0 ? [] : h('ol', { part: 'results' }, page.items.map(hit => h('li', { part: 'hit' },
      h('strong', { part: 'organ' }, link([hit.organ.name, hit.organ.acronym && ` (${hit.organ.acronym})`], this.href(hit.organ, hit.institution.slug))),
      national && h('span', { class: 'muted' }, hit.institution.name),
      hit.competence && h('span', { part: 'label' }, [GROUPS[hit.competence.group]?.[1] || 'Competência', hit.competence.label].filter(Boolean).join(' ')),
      h('p', { part: 'snippet' }, snippet(hit.snippet)))));
  }

  // Up and down move between the results' links, and back up to the box.
  onKey(event) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const links = [...this.body.querySelectorAll('a')];
    const at = links.indexOf(event.target);
    if (at < 0) return;
    event.preventDefault();
    (links[at + (event.key === 'ArrowDown' ? 1 : -1)] || (event.key === 'ArrowUp' ? this.input : null))?.focus();
  }
}

for (const [name, element] of [['paco-organ', PacoOrgan], ['paco-structure', PacoStructure], ['paco-search', PacoSearch]]) {
  if (!customElements.get(name)) customElements.define(name, element);
}

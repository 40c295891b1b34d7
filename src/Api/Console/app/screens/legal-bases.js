// Legal bases: the list, and one in a form (create, edit, publish), with the organs that cite it.
import { api, institutionPath, mergePatch, ApiError } from '../api.js';
import { h, replace, notify, confirmDialog } from '../dom.js';
import { LEGAL_KINDS, LEGAL_STATUSES, stateOf } from '../labels.js';
import { breadcrumbs, loading, organsHref, basesHref, organHref, unsaved } from '../shell.js';
import { showErrors, slugify, canPublish, boundInput, boundSelect, bindControl, checkDates } from '../form.js';
import { conflictSection, showConflict } from '../conflict.js';

class LegalBases extends HTMLElement {
  connectedCallback() {
    const institution = this.getAttribute('institution');
    loading(this, 'Bases legais', async () => {
      const { data } = await api('GET', `${institutionPath(institution)}/legal-bases/drafts`);
      breadcrumbs(['Instituições', '#/'], [institution, organsHref(institution)], ['Bases legais']);
      replace(this, h('h1', {}, 'Bases legais'),
        h('div', { class: 'acoes' }, h('a', { class: 'botao primario', href: `${basesHref(institution)}/novo` }, 'Nova base legal')),
        data.items.length === 0 ? h('p', {}, 'Nenhuma base legal ainda.') : h('table', {},
          h('caption', {}, 'Leis, decretos e outros atos da instituição'),
          h('thead', {}, h('tr', {}, ['Título', 'Tipo', 'Situação', 'Estado'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, data.items.map((b) => h('tr', {},
            h('th', { scope: 'row' }, h('a', { href: `${basesHref(institution)}/${b.id}` }, b.document.title)),
            h('td', {}, LEGAL_KINDS[b.document.kind] ?? b.document.kind),
            h('td', {}, LEGAL_STATUSES[b.document.status] ?? b.document.status),
            h('td', {}, h('span', { class: `estado estado-${stateOf(b).code}` }, stateOf(b).text)))))));
    });
  }
}
customElements.define('paco-legal-bases', LegalBases);

const EMPTY = () => ({ slug: '', kind: 'lei', number: null, year: null, date: null, title: '', summary: null, url: null, status: 'inForce', source: null });

class LegalBasisEditor extends HTMLElement {
  get dirty() { return JSON.stringify(this.model) !== JSON.stringify(this.base); }

  connectedCallback() {
    this.institution = this.getAttribute('institution');
    this.basis = this.getAttribute('basis');
    this.path = `${institutionPath(this.institution)}/legal-bases`;
    unsaved.screen = this;
    loading(this, 'Base legal', async () => {
      if (this.basis) {
        const { data, etag } = await api('GET', `${this.path}/${this.basis}/draft`);
        this.accept(data, etag);
        this.published = data.state.publishedRevision !== null && !data.state.archivedAt
          ? (await api('GET', `${this.path}/${this.basis}`, { anonymous: true }).catch(() => null))?.data : null;
      } else {
        this.base = EMPTY();
        this.model = EMPTY();
      }
      this.render();
    });
  }

  accept(draft, etag) {
    this.draft = draft;
    this.etag = etag;
    this.base = structuredClone(draft.document);
    this.model = structuredClone(draft.document);
  }

  render() {
    const title = this.draft?.document.title ?? 'Nova base legal';
    breadcrumbs(['Instituições', '#/'], [this.institution, organsHref(this.institution)], ['Bases legais', basesHref(this.institution)], [title]);
    const input = (label, path, attributes, hint) => boundInput(this.model, label, path, attributes, hint);
    const select = (label, path, labels) => boundSelect(this.model, label, path, Object.keys(labels), labels);
    this.summary = h('div', { class: 'resumo-erros', tabindex: '-1', hidden: true });
    const form = h('form', { class: 'editor', novalidate: true, onsubmit: (e) => { e.preventDefault(); this.save(); } },
      this.summary,
      h('div', { class: 'grade' },
        input('Título', 'title', { required: true }, 'Ex.: Lei nº 473/1999'),
        input('Endereço (slug)', 'slug', { required: true }),
        select('Tipo', 'kind', LEGAL_KINDS),
        input('Número', 'number', { optional: true }),
        input('Ano', 'year', { type: 'int', min: 1800, max: 2200 }),
        input('Data', 'date', { type: 'date', optional: true }),
        select('Situação', 'status', LEGAL_STATUSES),
        input('URL do texto', 'url', { type: 'url', optional: true })),
      input('Ementa', 'summary', { multiline: 3, optional: true }),
      h('div', { class: 'acoes' }, h('button', { type: 'submit', class: 'primario' }, this.draft ? 'Salvar rascunho' : 'Criar base legal')));
    form.addEventListener('input', (event) => {
      const control = event.target;
      bindControl(this.model, control);
      if (!this.draft && control.dataset.path === 'title') {
        const slug = form.querySelector('[data-path="slug"]');
        slug.value = slugify(control.value);
        this.model.slug = slug.value;
      }
    });
    const state = this.draft ? stateOf(this.draft) : null;
    this.conflict ??= conflictSection();
    replace(this, h('h1', {}, title),
      state ? h('p', {}, h('span', { class: `estado estado-${state.code}` }, state.text), ` · revisão ${this.draft.revision}`) : null,
      this.draft && canPublish() ? h('div', { class: 'acoes' }, h('button', { type: 'button', onclick: () => this.publish() }, 'Publicar agora')) : null,
      this.published ? h('section', { 'aria-labelledby': 'sec-citada' }, h('h2', { id: 'sec-citada' }, 'Publicada'),
        this.published.urn ? h('p', {}, `URN LexML: ${this.published.urn}`) : null,
        h('p', {}, 'Citada por:'),
        this.published.citedBy?.length ? h('ul', {}, this.published.citedBy.map((c) => h('li', {},
          h('a', { href: organHref(this.institution, c.organ.id) }, c.organ.name), ` (${c.competences.length} competência(s))`))) : h('p', { class: 'discreto' }, 'Nenhum órgão publicado a cita.')) : null,
      this.conflict,
      form);
  }

  async save() {
    if (!checkDates(this)) return;
    showErrors(this, this.summary, {});
    try {
      const { data, etag } = this.draft
        ? await api('PATCH', `${this.path}/${this.draft.id}`, { body: mergePatch(this.base, this.model), ifMatch: this.etag, mediaType: 'application/merge-patch+json' })
        : await api('POST', this.path, { body: this.model });
      const created = !this.draft;
      this.accept(data, etag);
      this.conflict.hidden = true;
      if (created) history.replaceState(null, '', `${basesHref(this.institution)}/${data.id}`);
      this.render();
      notify(`Base legal salva: revisão ${data.revision}.`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        await showConflict({
          place: this.conflict, path: `${this.path}/${this.draft.id}`, edited: this.draft, base: this.base, mine: this.model,
          what: 'esta base legal', accept: (current, etag, shown) => { this.accept(current, etag); this.model = shown; this.render(); this.querySelector('h1').focus(); },
        });
      } else {
        showErrors(this, this.summary, error instanceof ApiError ? error.errors : {}, error.message);
      }
    }
  }

  async publish() {
    if (this.dirty) { notify('Salve antes de publicar.'); return; }
    if (!await confirmDialog({ title: 'Publicar agora?', confirm: 'Publicar', message: [`O público passará a ver a revisão ${this.draft.revision} de “${this.draft.document.title}”.`] })) return;
    try {
      const { data, etag } = await api('POST', `${this.path}/${this.draft.id}/publish`, { body: {}, ifMatch: this.etag });
      this.accept(data, etag);
      this.render();
      notify('Base legal publicada.');
    } catch (error) { notify(`Não foi possível publicar: ${error.message}`); }
  }
}
customElements.define('paco-legal-basis-editor', LegalBasisEditor);

// An organ's history: every revision with author, time, note and publication events; diffs; "as published at"; restore.
import { api, institutionPath, ApiError } from '../api.js';
import { h, replace, field, fieldError, notify, confirmDialog } from '../dom.js';
import { EVENTS } from '../labels.js';
import { showInstant, zoneName, wallClockInput, readWallClock, WALL_CLOCK_HINT } from '../time.js';
import { breadcrumbs, loading, organHref, organsHref } from '../shell.js';
import { diffView, applyJsonPatch } from '../diff-view.js';
import { canPublish } from '../form.js';

class History extends HTMLElement {
  connectedCallback() {
    this.institution = this.getAttribute('institution');
    this.organ = this.getAttribute('organ');
    this.path = `${institutionPath(this.institution)}/organs/${encodeURIComponent(this.organ)}`;
    loading(this, 'Histórico', () => this.load());
  }

  async load() {
    const [{ data: history }, { data: draft }] = await Promise.all([api('GET', `${this.path}/history`), api('GET', `${this.path}/draft`)]);
    this.history = history;
    breadcrumbs(['Instituições', '#/'], [this.institution, organsHref(this.institution)],
      [draft.document.name, organHref(this.institution, history.id)], ['Histórico']);
    const numbers = history.revisions.map((r) => r.number);
    const from = h('select', {}, numbers.map((n) => h('option', { value: n, selected: n === (numbers[1] ?? numbers[0]) }, `Revisão ${n}`)));
    const to = h('select', {}, numbers.map((n) => h('option', { value: n, selected: n === numbers[0] }, `Revisão ${n}`)));
    this.diffPlace = h('div', { id: 'comparacao', tabindex: '-1' });
    const at = wallClockInput('publicado-em');
    this.atPlace = h('div', { role: 'status' });
    replace(this,
      h('h1', {}, `Histórico de ${draft.document.name}`),
      h('table', {},
        h('caption', {}, 'Todas as revisões, da mais nova à mais antiga'),
        h('thead', {}, h('tr', {}, ['Revisão', 'Autor(a)', 'Quando', 'Nota', 'Publicação', 'Ações'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, history.revisions.map((r) => h('tr', {},
          h('th', { scope: 'row' }, `${r.number}${r.current ? ' (publicada)' : ''}${r.latest ? ' (rascunho atual)' : ''}`),
          h('td', {}, r.author), h('td', {}, showInstant(r.createdAt)), h('td', {}, r.note ?? '—'),
          h('td', {}, r.events.length ? h('ul', {}, r.events.map((e) => h('li', {}, `${EVENTS[e.action] ?? e.action} em ${showInstant(e.at)} por ${e.author}`))) : '—'),
          h('td', {}, canPublish() && !r.latest ? h('button', { type: 'button', onclick: () => this.restore(r.number) }, `Restaurar revisão ${r.number}`) : null))))),
      history.unpublications.length ? h('p', {}, 'Despublicações: ', history.unpublications.map((e) => `${showInstant(e.at)} por ${e.author}`).join('; ')) : null,
      h('section', { 'aria-labelledby': 'sec-comparar' }, h('h2', { id: 'sec-comparar' }, 'Comparar revisões'),
        h('form', { class: 'grade estreita', onsubmit: (e) => { e.preventDefault(); this.compare(+from.value, +to.value); } },
          field('De', from), field('Para', to), h('button', { type: 'submit' }, 'Comparar')),
        this.diffPlace),
      h('section', { 'aria-labelledby': 'sec-em' }, h('h2', { id: 'sec-em' }, 'Como estava publicado em'),
        h('form', { class: 'grade estreita', novalidate: true, onsubmit: (e) => { e.preventDefault(); this.publishedAt(at); } },
          field(`Data e hora (${zoneName()})`, at, { hint: WALL_CLOCK_HINT }), h('button', { type: 'submit' }, 'Ver')),
        this.atPlace));
  }

  async compare(from, to) {
    const [{ data }, before] = await Promise.all([api('GET', `${this.path}/diff?from=${from}&to=${to}`), this.documentAt(from)]);
    replace(this.diffPlace, diffView(data, before));
    this.diffPlace.focus();
  }

  /**
   * Any revision's document, published or not, for the word highlighting: the current draft with the diff from it back
   * to that revision applied (the editorial API reads documents only as drafts, and published revisions only by number).
   */
  async documentAt(number) {
    const { data: draft } = await api('GET', `${this.path}/draft`);
    if (draft.revision === number) return draft.document;
    const { data: back } = await api('GET', `${this.path}/diff?from=${draft.revision}&to=${number}`);
    return applyJsonPatch(draft.document, back.patch);
  }

  async publishedAt(input) {
    const { iso, error } = readWallClock(input);
    fieldError(input, error);
    if (!iso) { replace(this.atPlace); return; }
    try {
      const { data } = await api('GET', `${institutionPath(this.institution)}/organs/${this.history.id}?at=${encodeURIComponent(iso)}`, { anonymous: true });
      replace(this.atPlace, h('p', {}, `Em ${showInstant(iso)} o público via a revisão ${data.revision.number} (publicada em ${showInstant(data.revision.publishedAt)}): “${data.name}”, com ${data.competences.length} competência(s).`));
    } catch (error) {
      replace(this.atPlace, h('p', {}, error instanceof ApiError && error.status === 404 ? 'Nada deste órgão estava publicado nesse instante.' : error.message));
    }
  }

  async restore(number) {
    if (!await confirmDialog({ title: `Restaurar a revisão ${number}?`, confirm: 'Restaurar',
      message: [`Um novo rascunho igual à revisão ${number} será criado.`, 'O público continua vendo o que está publicado até que você publique o rascunho.'] })) return;
    const { etag } = await api('GET', `${this.path}/draft`);
    const { data } = await api('POST', `${this.path}/restore`, { body: { revision: number }, ifMatch: etag });
    notify(`Revisão ${number} restaurada como revisão ${data.revision} (rascunho).`);
    await this.load();
  }
}
customElements.define('paco-history', History);

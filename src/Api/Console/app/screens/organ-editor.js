// Editing an organ: the whole document in one form, saved as a merge patch with If-Match; publishing actions beside it.
import { api, institutionPath, mergePatch, ApiError } from '../api.js';
import { h, replace, field, fieldError, notify, confirmDialog, uniqueId } from '../dom.js';
import { ORGAN_KINDS, GROUPS, LINK_ROLES, stateOf } from '../labels.js';
import { showInstant, zoneName, wallClockInput, readWallClock, WALL_CLOCK_HINT } from '../time.js';
import { breadcrumbs, loading, organHref, organsHref, unsaved } from '../shell.js';
import { conflictSection, showConflict } from '../conflict.js';
import { getPath, setPath, showErrors, slugify, canPublish, boundInput, boundSelect, bindControl, checkDates } from '../form.js';

const EMPTY = () => ({
  slug: '', name: '', acronym: null, kind: 'secretaria', parentId: null, displayOrder: 0,
  statements: { about: null, mission: null, vision: null, purpose: null },
  values: [], competences: [], head: null, contact: null, legalBases: [], effective: null, source: null,
});

/** What is sent: empty optional parts become null, so an untouched head or contact is not an empty object. */
function normalized(document) {
  const copy = structuredClone(document);
  if (copy.head && !copy.head.title && !copy.head.name && !copy.head.since) copy.head = null;
  const c = copy.contact;
  if (c && !(c.addresses?.length || c.phones?.length || c.emails?.length || c.website)) copy.contact = null;
  return copy;
}

class OrganEditor extends HTMLElement {
  // Nothing is loaded until the draft arrives: leaving before then loses nothing (and must not throw).
  get dirty() { return this.model !== undefined && JSON.stringify(normalized(this.model)) !== JSON.stringify(this.base); }

  connectedCallback() {
    this.institution = this.getAttribute('institution');
    this.organ = this.getAttribute('organ');
    unsaved.screen = this;
    loading(this, this.organ ? 'Órgão' : 'Novo órgão', async () => {
      const [{ data: organs }, { data: bases }] = await Promise.all([
        api('GET', `${institutionPath(this.institution)}/organs/drafts`),
        api('GET', `${institutionPath(this.institution)}/legal-bases/drafts`),
      ]);
      this.organs = organs.items;
      this.bases = bases.items;
      if (this.organ) await this.load();
      else { this.draft = null; this.base = EMPTY(); this.model = EMPTY(); }
      this.render();
    });
  }

  async load() {
    const { data, etag } = await api('GET', `${institutionPath(this.institution)}/organs/${encodeURIComponent(this.organ)}/draft`);
    this.accept(data, etag);
  }

  accept(draft, etag) {
    this.draft = draft;
    this.etag = etag;
    this.base = normalized(draft.document);
    this.model = structuredClone(draft.document);
    this.model.head ??= null;
  }

  render(focus) {
    const title = this.draft ? this.draft.document.name : 'Novo órgão';
    breadcrumbs(['Instituições', '#/'], [this.institution, organsHref(this.institution)], [title]);
    this.summary = h('div', { class: 'resumo-erros', tabindex: '-1', hidden: true });
    this.conflict ??= conflictSection();
    const form = h('form', { class: 'editor', novalidate: true, onsubmit: (e) => { e.preventDefault(); this.save(); } });
    form.addEventListener('input', (event) => this.bind(event.target));
    form.addEventListener('change', (event) => this.bind(event.target));
    replace(form,
      this.summary,
      this.identitySection(),
      this.statementsSection(),
      this.valuesSection(),
      Object.keys(GROUPS).map((group) => this.competencesSection(group)),
      this.linksSection(),
      this.headSection(),
      this.contactSection(),
      h('section', { class: 'salvar' },
        field('Nota da alteração (opcional)', h('input', { id: 'nota', type: 'text', maxlength: 500 }), { hint: 'Aparece no histórico.' }),
        h('button', { type: 'submit', class: 'primario' }, this.draft ? 'Salvar rascunho' : 'Criar órgão')));
    replace(this,
      h('h1', {}, title),
      this.draft ? this.stateSection() : null,
      this.conflict,
      form);
    // The first of the candidates that can take focus (a moved item's "up" button is disabled at the top).
    for (const selector of [focus].flat().filter(Boolean)) {
      const target = this.querySelector(selector);
      if (target && !target.disabled) { target.focus(); break; }
    }
  }

  /** Every control names its place in the document (data-path); typing writes there. */
  bind(control) { bindControl(this.model, control); }

  input(label, path, attributes, hint) { return boundInput(this.model, label, path, attributes, hint); }

  select(label, path, values, labels, settings) { return boundSelect(this.model, label, path, values, labels, settings); }

  identitySection() {
    const others = this.organs.filter((o) => o.id !== this.draft?.id);
    const name = this.input('Nome', 'name', { required: true, maxlength: 300 });
    if (!this.draft) {
      name.querySelector('input').addEventListener('change', () => {
        const slug = this.querySelector('[data-path="slug"]');
        if (!slug.value) { slug.value = slugify(this.model.name); this.bind(slug); }
      });
    }
    return h('section', { 'aria-labelledby': 'sec-id' }, h('h2', { id: 'sec-id' }, 'Identificação'),
      h('div', { class: 'grade' },
        name,
        this.input('Endereço (slug)', 'slug', { required: true }, 'Letras minúsculas, números e hífens; forma a URL pública.'),
        this.input('Sigla', 'acronym', { optional: true }),
        this.select('Tipo', 'kind', Object.keys(ORGAN_KINDS), ORGAN_KINDS),
        this.select('Órgão superior', 'parentId', others.map((o) => o.id), Object.fromEntries(others.map((o) => [o.id, o.document.name])), { optional: '(nenhum: órgão de primeiro nível)' }),
        this.input('Ordem de exibição', 'displayOrder', { type: 'int', min: 0, max: 10000 })));
  }

  statementsSection() {
    return h('section', { 'aria-labelledby': 'sec-decl' }, h('h2', { id: 'sec-decl' }, 'Missão, visão, propósito e apresentação'),
      this.input('Missão', 'statements.mission', { multiline: 2, optional: true }),
      this.input('Visão', 'statements.vision', { multiline: 2, optional: true }),
      this.input('Propósito', 'statements.purpose', { multiline: 2, optional: true }),
      this.input('Sobre o órgão', 'statements.about', { multiline: 4, optional: true }));
  }

  /** A list of simple items (values, e-mails): add and remove, each labelled by its position. */
  simpleList(title, path, itemLabel, make = () => '') {
    const items = getPath(this.model, path) ?? [];
    const id = uniqueId('lista');
    return h('fieldset', { class: 'lista-simples' }, h('legend', {}, title),
      h('ul', {}, items.map((_, index) => h('li', {},
        this.input(`${itemLabel} ${index + 1}`, `${path}[${index}]`),
        h('button', { type: 'button', class: 'remover', 'aria-label': `Remover ${itemLabel.toLowerCase()} ${index + 1}`, onclick: () => {
          items.splice(index, 1);
          this.render(`#${id}`);
        } }, 'Remover')))),
      h('button', { type: 'button', id, onclick: () => {
        setPath(this.model, path, [...items, make()]);
        this.render(`[data-path="${path}[${items.length}]"]`);
      } }, `Adicionar ${itemLabel.toLowerCase()}`));
  }

  valuesSection() {
    return h('section', { 'aria-labelledby': 'sec-valores' }, h('h2', { id: 'sec-valores' }, 'Valores'), this.simpleList('Valores do órgão', 'values', 'Valor'));
  }

  competencesSection(group) {
    const all = this.model.competences;
    const entries = all.map((competence, index) => ({ competence, index })).filter((e) => e.competence.group === group);
    const headingId = `sec-${group}`;
    const move = (position, delta) => {
      const target = entries[position + delta];
      if (!target) return;
      const from = entries[position].index;
      [all[from], all[target.index]] = [all[target.index], all[from]];
      const [same, opposite] = delta < 0 ? ['up', 'down'] : ['down', 'up'];
      this.render([`[data-move="${group}-${position + delta}-${same}"]`, `[data-move="${group}-${position + delta}-${opposite}"]`]);
      notify(`Item movido para a posição ${position + delta + 1} de ${GROUPS[group].toLowerCase()}.`);
    };
    const list = h('ol', { class: 'competencias', 'aria-labelledby': headingId });
    entries.forEach(({ competence, index }, position) => {
      const path = `competences[${index}]`;
      const item = h('li', { draggable: 'true', dataset: { position: String(position) } },
        h('span', { class: 'alca', 'aria-hidden': 'true', title: 'Arraste para reordenar' }, '⠿'),
        h('fieldset', {},
          h('legend', {}, `${GROUPS[group]}: item ${position + 1}`),
          h('div', { class: 'grade estreita' },
            this.input('Rótulo', `${path}.label`, { optional: true, maxlength: 20 }, 'Ex.: I, II, a)'),
            this.input('Texto', `${path}.text`, { multiline: 2, required: true })),
          this.citations(competence, path),
          h('div', { class: 'acoes' },
            h('button', { type: 'button', dataset: { move: `${group}-${position}-up` }, disabled: position === 0,
              'aria-label': `Subir item ${position + 1} de ${GROUPS[group].toLowerCase()}`, onclick: () => move(position, -1) }, '↑ Subir'),
            h('button', { type: 'button', dataset: { move: `${group}-${position}-down` }, disabled: position === entries.length - 1,
              'aria-label': `Descer item ${position + 1} de ${GROUPS[group].toLowerCase()}`, onclick: () => move(position, +1) }, '↓ Descer'),
            h('button', { type: 'button', class: 'remover', 'aria-label': `Remover item ${position + 1} de ${GROUPS[group].toLowerCase()}`,
              onclick: () => { all.splice(index, 1); this.render(`#add-${group}`); } }, 'Remover'))));
      item.addEventListener('dragstart', (event) => { this.dragging = { group, position }; event.dataTransfer.effectAllowed = 'move'; event.dataTransfer.setData('text/plain', String(position)); });
      item.addEventListener('dragover', (event) => { if (this.dragging?.group === group) event.preventDefault(); });
      item.addEventListener('drop', (event) => {
        event.preventDefault();
        if (this.dragging?.group !== group) return;
        const from = entries[this.dragging.position].index;
        const to = entries[position].index;
        const [moved] = all.splice(from, 1);
        all.splice(to, 0, moved);
        this.dragging = null;
        this.render();
        notify(`Item movido para a posição ${position + 1} de ${GROUPS[group].toLowerCase()}.`);
      });
      list.append(item);
    });
    return h('section', { 'aria-labelledby': headingId }, h('h2', { id: headingId }, GROUPS[group]),
      entries.length ? list : h('p', { class: 'discreto' }, 'Nenhum item.'),
      h('button', { type: 'button', id: `add-${group}`, onclick: () => {
        all.push({ label: null, text: '', group, performedById: null, citations: [] });
        this.render(`[data-path="competences[${all.length - 1}].text"]`);
      } }, `Adicionar item em ${GROUPS[group].toLowerCase()}`));
  }

  citations(competence, path) {
    const names = Object.fromEntries(this.bases.map((b) => [b.id, b.document.title]));
    const addId = uniqueId('citar');
    return h('div', { class: 'citacoes' },
      competence.citations.length ? h('ul', {}, competence.citations.map((_, c) => h('li', { class: 'grade estreita' },
        this.select(`Citação ${c + 1}: base legal`, `${path}.citations[${c}].legalBasisId`, Object.keys(names), names),
        this.input('Artigo', `${path}.citations[${c}].article`, { optional: true }),
        this.input('Parágrafo', `${path}.citations[${c}].paragraph`, { optional: true }),
        this.input('Inciso / item', `${path}.citations[${c}].item`, { optional: true }),
        h('button', { type: 'button', class: 'remover', 'aria-label': `Remover citação ${c + 1}`,
          onclick: () => { competence.citations.splice(c, 1); this.render(`#${addId}`); } }, 'Remover citação')))) : null,
      this.bases.length ? h('button', { type: 'button', id: addId, onclick: () => {
        competence.citations.push({ legalBasisId: this.bases[0].id, article: null, paragraph: null, item: null });
        this.render(`[data-path="${path}.citations[${competence.citations.length - 1}].legalBasisId"]`);
      } }, 'Citar base legal') : h('p', { class: 'discreto' }, 'Cadastre uma base legal para poder citá-la.'));
  }

  linksSection() {
    const names = Object.fromEntries(this.bases.map((b) => [b.id, b.document.title]));
    const links = this.model.legalBases;
    return h('section', { 'aria-labelledby': 'sec-bases' }, h('h2', { id: 'sec-bases' }, 'Bases legais do órgão'),
      h('ul', {}, links.map((_, i) => h('li', { class: 'grade estreita' },
        this.select(`Base legal ${i + 1}`, `legalBases[${i}].legalBasisId`, Object.keys(names), names),
        this.select('Papel', `legalBases[${i}].role`, Object.keys(LINK_ROLES), LINK_ROLES),
        h('button', { type: 'button', class: 'remover', 'aria-label': `Remover base legal ${i + 1}`, onclick: () => { links.splice(i, 1); this.render('#add-link'); } }, 'Remover')))),
      this.bases.length ? h('button', { type: 'button', id: 'add-link', onclick: () => {
        links.push({ legalBasisId: this.bases[0].id, role: 'structures' });
        this.render(`[data-path="legalBases[${links.length - 1}].legalBasisId"]`);
      } }, 'Adicionar base legal') : null);
  }

  headSection() {
    return h('section', { 'aria-labelledby': 'sec-titular' }, h('h2', { id: 'sec-titular' }, 'Titular'),
      h('div', { class: 'grade' },
        this.input('Cargo', 'head.title', { optional: true }, 'Ex.: Secretário(a) Municipal de Saúde'),
        this.input('Nome', 'head.name', { optional: true }),
        this.input('Desde', 'head.since', { type: 'date', optional: true })));
  }

  contactSection() {
    this.model.contact ??= { addresses: [], phones: [], emails: [], website: null };
    const contact = this.model.contact;
    return h('section', { 'aria-labelledby': 'sec-contato' }, h('h2', { id: 'sec-contato' }, 'Contatos'),
      h('fieldset', {}, h('legend', {}, 'Endereços'),
        h('ul', {}, contact.addresses.map((_, i) => h('li', { class: 'grade' },
          this.input(`Endereço ${i + 1}: logradouro`, `contact.addresses[${i}].street`),
          this.input('Número', `contact.addresses[${i}].number`, { optional: true }),
          this.input('Complemento', `contact.addresses[${i}].complement`, { optional: true }),
          this.input('Bairro', `contact.addresses[${i}].district`, { optional: true }),
          this.input('Cidade', `contact.addresses[${i}].city`, { optional: true }),
          this.input('UF', `contact.addresses[${i}].uf`, { optional: true, maxlength: 2 }),
          this.input('CEP', `contact.addresses[${i}].postalCode`, { optional: true }),
          this.input('Horário de atendimento', `contact.addresses[${i}].openingHours`, { optional: true }, 'Ex.: segunda a sexta, das 8h às 17h'),
          h('button', { type: 'button', class: 'remover', 'aria-label': `Remover endereço ${i + 1}`, onclick: () => { contact.addresses.splice(i, 1); this.render('#add-endereco'); } }, 'Remover endereço')))),
        h('button', { type: 'button', id: 'add-endereco', onclick: () => {
          contact.addresses.push({ street: '', number: null, complement: null, district: null, city: null, uf: null, postalCode: null, openingHours: null });
          this.render(`[data-path="contact.addresses[${contact.addresses.length - 1}].street"]`);
        } }, 'Adicionar endereço')),
      h('fieldset', {}, h('legend', {}, 'Telefones'),
        h('ul', {}, contact.phones.map((_, i) => h('li', { class: 'grade estreita' },
          this.input(`Telefone ${i + 1}`, `contact.phones[${i}].number`),
          this.input('Descrição', `contact.phones[${i}].description`, { optional: true }),
          h('button', { type: 'button', class: 'remover', 'aria-label': `Remover telefone ${i + 1}`, onclick: () => { contact.phones.splice(i, 1); this.render('#add-telefone'); } }, 'Remover')))),
        h('button', { type: 'button', id: 'add-telefone', onclick: () => {
          contact.phones.push({ number: '', description: null });
          this.render(`[data-path="contact.phones[${contact.phones.length - 1}].number"]`);
        } }, 'Adicionar telefone')),
      this.simpleList('E-mails', 'contact.emails', 'E-mail'),
      this.input('Site', 'contact.website', { optional: true, type: 'url' }));
  }

  stateSection() {
    const draft = this.draft;
    const state = stateOf(draft);
    const s = draft.state;
    const publisher = canPublish();
    const when = wallClockInput('quando');
    const section = h('section', { class: 'estado-painel', 'aria-labelledby': 'sec-estado' },
      h('h2', { id: 'sec-estado' }, 'Situação e publicação'),
      h('p', {}, h('span', { class: `estado estado-${state.code}` }, state.text),
        ` · rascunho na revisão ${draft.revision}, de ${draft.author}, ${showInstant(draft.createdAt)}`),
      s.publishedAt ? h('p', {}, `Publicado em ${showInstant(s.publishedAt)}.`) : null,
      s.scheduled.map((x) => h('p', {}, `Publicação da revisão ${x.revision} agendada para ${showInstant(x.dueAt)} por ${x.author}.`)),
      s.archivedAt ? h('p', {}, `Arquivado em ${showInstant(s.archivedAt)}: ${s.archivedReason}`) : null,
      h('p', {}, h('a', { href: `${organHref(this.institution, draft.id)}/historico` }, 'Histórico e comparação de revisões')),
      publisher ? h('div', { class: 'acoes' },
        h('button', { type: 'button', class: 'primario', onclick: () => this.publish() }, 'Publicar agora'),
        s.publishedRevision !== null && !s.archivedAt ? h('button', { type: 'button', onclick: () => this.unpublish() }, 'Despublicar') : null,
        !s.archivedAt ? h('button', { type: 'button', onclick: () => this.archive() }, 'Arquivar') : null) : h('p', { class: 'discreto' }, 'Sua chave pode editar rascunhos; publicar exige o papel de publicador(a).'),
      publisher ? h('div', { class: 'agendar' },
        field(`Publicar em (data e hora, ${zoneName()})`, when, { hint: WALL_CLOCK_HINT }),
        h('button', { type: 'button', onclick: () => this.schedule(when) }, 'Agendar publicação')) : null);
    return section;
  }

  async save() {
    if (!checkDates(this)) return;
    const note = this.querySelector('#nota')?.value.trim();
    const document = normalized(this.model);
    showErrors(this, this.summary, {});
    try {
      const { data, etag } = this.draft
        ? await api('PATCH', `${institutionPath(this.institution)}/organs/${this.draft.id}`, {
          body: mergePatch(this.base, document), ifMatch: this.etag, mediaType: 'application/merge-patch+json', note })
        : await api('POST', `${institutionPath(this.institution)}/organs`, { body: document, note });
      const created = !this.draft;
      this.accept(data, etag);
      this.conflict.hidden = true;
      if (created) {
        history.replaceState(null, '', organHref(this.institution, data.id));
        this.organ = data.id;
      }
      this.render('h1');
      notify(`Rascunho salvo: revisão ${data.revision}.`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Object.keys(error.errors).length) {
        showErrors(this, this.summary, error.errors, error.problem.detail);
      } else if (error instanceof ApiError && error.status === 412) {
        await showConflict({
          place: this.conflict, path: `${institutionPath(this.institution)}/organs/${this.draft.id}`, edited: this.draft, base: this.base, mine: document,
          what: 'este órgão', accept: (current, etag, shown) => { this.accept(current, etag); this.model = shown; this.model.head ??= null; this.render('h1'); },
        });
      } else {
        showErrors(this, this.summary, {}, error.message);
      }
    }
  }

  /** A publishing action: confirmed first, sent with If-Match; a stale draft is read again. */
  async act(action, body, done) {
    try {
      const { data, etag } = await api('POST', `${institutionPath(this.institution)}/organs/${this.draft.id}/${action}`, { body, ifMatch: this.etag });
      this.accept(data, etag);
      this.render('#sec-estado');
      notify(done);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        await this.load();
        this.render('#sec-estado');
        notify('Alguém alterou este órgão: a versão atual foi carregada. Confira e tente de novo.');
      } else {
        notify(`Não foi possível: ${error.message}`);
      }
    }
  }

  async schedule(input) {
    const { iso, error } = readWallClock(input);
    fieldError(input, error);
    if (iso) await this.publish(iso);
  }

  /** Now, or at `at` (an ISO instant). */
  async publish(at) {
    if (this.dirty) { notify('Salve o rascunho antes de publicar.'); return; }
    const url = `${location.origin}/api/v1${institutionPath(this.institution)}/organs/${this.draft.document.slug}`;
    const message = at
      ? [`A revisão ${this.draft.revision} será publicada em ${showInstant(at)}.`, `Até lá o público continua vendo ${this.draft.state.publishedRevision ? `a revisão ${this.draft.state.publishedRevision}` : 'nada deste órgão'}.`]
      : [`O público passará a ver a revisão ${this.draft.revision} de “${this.draft.document.name}” agora, em ${url}.`];
    if (!await confirmDialog({ title: at ? 'Agendar publicação?' : 'Publicar agora?', message, confirm: at ? 'Agendar' : 'Publicar' })) return;
    await this.act('publish', at ? { at } : {}, at ? 'Publicação agendada.' : `Publicado: o público vê a revisão ${this.draft.revision}.`);
  }

  async unpublish() {
    if (!await confirmDialog({ title: 'Despublicar?', message: [`“${this.draft.document.name}” sairá do site público: o endereço responderá que não existe.`, 'O histórico e o rascunho continuam aqui.'], confirm: 'Despublicar' })) return;
    await this.act('unpublish', {}, 'Despublicado: o público não vê mais este órgão.');
  }

  async archive() {
    const values = await confirmDialog({
      title: 'Arquivar?', confirm: 'Arquivar',
      message: [`“${this.draft.document.name}” sairá das listas e seu endereço informará ao público quando e por que foi arquivado.`],
      fields: [{ name: 'reason', label: 'Motivo (o público verá)', multiline: true, required: true }],
    });
    if (!values) return;
    await this.act('archive', { reason: values.reason }, 'Arquivado.');
  }
}
customElements.define('paco-organ-editor', OrganEditor);

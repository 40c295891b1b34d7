// Importing a structure law or an organ's page: the text in, the API's proposal reviewed beside it (each item's span
// highlighted in the source), corrected, then applied as drafts (all or nothing).
import { api, institutionPath, ApiError } from '../api.js';
import { h, replace, field, notify } from '../dom.js';
import { ORGAN_KINDS, GROUPS, LEGAL_KINDS } from '../labels.js';
import { breadcrumbs, loading, organHref, organsHref, basesHref, unsaved } from '../shell.js';
import { showErrors, boundInput, boundSelect, bindControl, checkDates } from '../form.js';

const WARNINGS = {
  duplicatedBlock: 'Bloco repetido (mantido uma vez)',
  unlabeledItems: 'Itens sem numeração',
  existingOrgan: 'Órgão que já existe',
  suspectedTypo: 'Possível erro de digitação',
  inferredName: 'Nome deduzido',
  unrecognisedText: 'Trecho não reconhecido (deixado de fora)',
  revokedItem: 'Item revogado (deixado de fora)',
  noStructure: 'Nenhuma estrutura reconhecida',
  scriptsRemoved: 'Scripts removidos',
};

const citationText = (c) => [c.article && `art. ${c.article}`, c.paragraph && `§ ${c.paragraph}`, c.item && `inciso ${c.item}`, c.alinea && `alínea ${c.alinea}`]
  .filter(Boolean).join(', ');

class Import extends HTMLElement {
  get dirty() { return Boolean(this.proposal) && !this.applied; }

  connectedCallback() {
    this.institution = this.getAttribute('institution');
    unsaved.screen = this;
    loading(this, 'Importar lei ou página', async () => {
      const { data } = await api('GET', `${institutionPath(this.institution)}/organs/drafts`);
      this.existing = data.items; // parents the proposal may name besides its own organs
      this.renderSource();
    });
  }

  crumbs(last) {
    breadcrumbs(['Instituições', '#/'], [this.institution, organsHref(this.institution)], [last]);
  }

  /** Step 1: the text, pasted or from a file. */
  renderSource() {
    this.crumbs('Importar');
    const text = h('textarea', { id: 'texto-importar', rows: 14, spellcheck: 'false' }, this.text ?? '');
    const file = h('input', { id: 'arquivo-importar', type: 'file', accept: '.txt,.html,.htm,text/plain,text/html' });
    const html = h('input', { id: 'formato-html', type: 'checkbox', checked: this.mediaType === 'text/html' });
    const error = h('p', { class: 'erro', role: 'alert', hidden: true });
    file.addEventListener('change', async () => {
      const chosen = file.files[0];
      if (!chosen) return;
      const bytes = new Uint8Array(await chosen.arrayBuffer());
      let content = new TextDecoder('utf-8').decode(bytes);
      if (content.includes('\uFFFD')) content = new TextDecoder('iso-8859-1').decode(bytes); // an old page saved in Latin-1
      text.value = content;
      html.checked = /\.html?$/i.test(chosen.name) || /^\s*</.test(content);
      notify(`Arquivo ${chosen.name} carregado: ${content.length} caracteres.`);
    });
    text.addEventListener('input', () => { if (/^\s*</.test(text.value)) html.checked = true; });
    const form = h('form', { class: 'cartao', onsubmit: async (event) => {
      event.preventDefault();
      error.hidden = true;
      if (!text.value.trim()) { error.textContent = 'Cole o texto ou escolha um arquivo antes de ler.'; error.hidden = false; text.focus(); return; }
      await this.propose(text.value, html.checked ? 'text/html' : 'text/plain', error);
    } },
      field('Texto da lei, do decreto ou da página do órgão', text, { hint: 'Cole o texto como está, com a numeração dos artigos e incisos (Art. 1º, I –, a)…).' }),
      field('Ou escolha um arquivo (.txt ou .html)', file),
      h('div', { class: 'campo linha' }, html, h('label', { for: 'formato-html' }, 'É uma página HTML (as marcações são ignoradas, as listas mantidas)')),
      error,
      h('button', { type: 'submit', class: 'primario' }, 'Ler o texto'));
    replace(this, h('h1', {}, 'Importar lei ou página'),
      h('p', {}, 'O texto é lido e vira uma proposta: nada é gravado até você revisar e aplicar. Cada órgão e base legal aplicados viram um rascunho, publicado depois como qualquer outro.'),
      form);
  }

  async propose(text, mediaType, error) {
    try {
      const { data } = await api('POST', `${institutionPath(this.institution)}/imports`, { text, mediaType: `${mediaType}; charset=utf-8` });
      this.text = text;
      this.mediaType = mediaType;
      this.proposal = data;
      this.applied = null;
      this.renderReview('h1');
    } catch (e) {
      const message = e instanceof ApiError ? e.problem.detail ?? e.message : e.message;
      if (error) { error.textContent = `Não foi possível ler o texto: ${message}`; error.hidden = false; } else notify(message);
    }
  }

  /** Step 2: the source on one side, the proposal on the other. */
  renderReview(focus) {
    this.crumbs('Revisar importação');
    const p = this.proposal;
    this.sourcePane = h('pre', { class: 'fonte', tabindex: '0', 'aria-label': 'Texto-fonte', 'aria-describedby': 'fonte-dica' });
    this.highlight(null);
    this.summary = h('div', { class: 'resumo-erros', tabindex: '-1', hidden: true });
    this.conflict = h('section', { class: 'conflito', hidden: true, 'aria-labelledby': 'conflito-importar' });
    const form = h('form', { class: 'proposta', novalidate: true, onsubmit: (e) => { e.preventDefault(); this.apply(); } });
    form.addEventListener('input', (event) => this.bind(event.target));
    form.addEventListener('change', (event) => this.bind(event.target));
    // Focusing (or clicking into) an item shows where it came from.
    form.addEventListener('focusin', (event) => {
      const item = event.target.closest('[data-span]');
      this.highlight(item ? JSON.parse(item.dataset.span) : null);
    });
    // Clicking an item's text (a citation, a warning) selects it too.
    form.addEventListener('click', (event) => {
      const item = event.target.closest('[data-span]');
      if (item && !event.target.closest('button')) this.highlight(JSON.parse(item.dataset.span));
    });
    replace(form,
      this.summary,
      this.warningsSection(),
      p.legalBasis ? this.legalBasisSection() : null,
      p.citedLegalBases.length ? this.citedSection() : null,
      this.organsSection(),
      h('section', { class: 'salvar', 'aria-labelledby': 'sec-aplicar' }, h('h2', { id: 'sec-aplicar' }, 'Aplicar'),
        h('p', {}, `Serão criados ${this.countDrafts()} rascunho(s), todos ou nenhum. O público não vê nada até que sejam publicados.`),
        field('Nota da alteração (opcional)', h('input', { id: 'nota-importar', type: 'text', maxlength: 500 }), { hint: 'Aparece no histórico de cada rascunho.' }),
        h('div', { class: 'acoes' },
          h('button', { type: 'submit', class: 'primario' }, 'Criar os rascunhos'),
          h('button', { type: 'button', onclick: () => { if (confirm('Descartar esta proposta e voltar ao texto?')) { this.proposal = null; this.renderSource(); } } }, 'Voltar ao texto'))));
    replace(this,
      h('h1', { tabindex: '-1' }, 'Revisar importação'),
      h('p', {}, `${p.source.characters} caracteres lidos (${p.source.mediaType}). Revise cada item: corrija nomes, tipos, órgãos superiores e textos, remova o que não deve entrar, e aplique.`),
      this.conflict,
      h('div', { class: 'revisao' },
        h('section', { class: 'lado-fonte', 'aria-labelledby': 'sec-fonte' }, h('h2', { id: 'sec-fonte' }, 'Texto-fonte'),
          h('p', { class: 'dica', id: 'fonte-dica' }, 'Ao selecionar um item da proposta, o trecho de onde ele veio fica destacado aqui.'),
          this.sourcePane),
        h('div', { class: 'lado-proposta' }, form)));
    // The first candidate still on the page (a removed item's next one, else its organ).
    for (const selector of [focus].flat().filter(Boolean)) {
      const target = this.querySelector(selector);
      if (target) { target.focus(); break; }
    }
  }

  countDrafts() {
    const p = this.proposal;
    return p.organs.length + (p.legalBasis && !p.legalBasis.existing ? 1 : 0) + p.citedLegalBases.filter((b) => !b.existing).length;
  }

  /** The source with one span marked (and scrolled to); the rest is text. */
  highlight(span) {
    const text = this.text;
    if (!span) { replace(this.sourcePane, text); return; }
    const mark = h('mark', { id: 'trecho' }, text.slice(span.start, span.start + span.length));
    replace(this.sourcePane, text.slice(0, span.start), mark, text.slice(span.start + span.length));
    // Centred in the source pane only: the page itself stays where the editor is working.
    this.sourcePane.scrollTop = mark.offsetTop - (this.sourcePane.clientHeight - mark.offsetHeight) / 2;
  }

  bind(control) { bindControl(this.proposal, control); }

  /** A proposal item that can show its span: focusing anything inside it highlights it. */
  item(tag, attributes, span, ...children) {
    return h(tag, { ...attributes, dataset: span ? { span: JSON.stringify(span) } : undefined }, ...children);
  }

  input(label, path, attributes) { return boundInput(this.proposal, label, path, attributes); }

  select(label, path, values, labels, settings) { return boundSelect(this.proposal, label, path, values, labels, settings); }

  warningsSection() {
    const warnings = this.proposal.warnings;
    return h('section', { 'aria-labelledby': 'sec-avisos' }, h('h2', { id: 'sec-avisos' }, `Avisos (${warnings.length})`),
      warnings.length === 0 ? h('p', { class: 'discreto' }, 'Nenhum aviso.') : h('ul', { class: 'avisos-importar' }, warnings.map((w, i) =>
        this.item('li', {}, w.span,
          h('strong', {}, WARNINGS[w.code] ?? w.code), ': ', h('span', { lang: 'en' }, w.message), ' ',
          w.span ? h('button', { type: 'button', class: 'discreto-botao', 'aria-label': `Mostrar no texto o aviso ${i + 1}` }, 'Mostrar no texto') : null))));
  }

  legalBasisSection() {
    const basis = this.proposal.legalBasis;
    return this.item('section', { 'aria-labelledby': 'sec-norma' }, basis.span,
      h('h2', { id: 'sec-norma' }, 'A norma que o texto é'),
      basis.existing ? h('p', { class: 'discreto' }, `Já cadastrada (${basis.existing.slug}): não será criada de novo.`) : null,
      h('div', { class: 'grade' },
        this.input('Título da norma', 'legalBasis.title'),
        this.select('Tipo da norma', 'legalBasis.kind', Object.keys(LEGAL_KINDS), LEGAL_KINDS),
        this.input('Número', 'legalBasis.number', { optional: true }),
        this.input('Data', 'legalBasis.date', { type: 'date' })),
      this.input('Ementa', 'legalBasis.summary', { multiline: 2, optional: true }));
  }

  citedSection() {
    return h('section', { 'aria-labelledby': 'sec-citadas' }, h('h2', { id: 'sec-citadas' }, 'Normas citadas pelo texto'),
      h('ul', {}, this.proposal.citedLegalBases.map((b, i) => this.item('li', {}, b.span,
        b.title, b.existing ? ' (já cadastrada)' : ' (será criada)', ' ',
        b.span ? h('button', { type: 'button', class: 'discreto-botao', 'aria-label': `Mostrar no texto a norma citada ${i + 1}` }, 'Mostrar no texto') : null))));
  }

  organsSection() {
    const organs = this.proposal.organs;
    return h('section', { 'aria-labelledby': 'sec-orgaos-propostos' }, h('h2', { id: 'sec-orgaos-propostos' }, `Órgãos (${organs.length})`),
      organs.length === 0 ? h('p', { class: 'discreto' }, 'Nenhum órgão proposto.') : organs.map((organ, i) => this.organ(organ, i)));
  }

  organ(organ, index) {
    const path = `organs[${index}]`;
    const others = this.proposal.organs.filter((o) => o !== organ);
    const parents = new Map([...others.map((o) => [o.slug, `${o.name} (nesta importação)`]),
      ...this.existing.filter((e) => !others.some((o) => o.slug === e.document.slug) && e.document.slug !== organ.slug).map((e) => [e.document.slug, e.document.name])]);
    return this.item('fieldset', { class: 'orgao-proposto', id: `orgao-proposto-${index}` }, organ.span,
      h('legend', {}, `Órgão ${index + 1}: ${organ.name}`),
      organ.existing
        ? h('p', { class: 'estado estado-adiantado' }, `Já existe (${organ.existing.slug}, revisão ${organ.existing.revision}): aplicar cria uma nova revisão do rascunho.`)
        : h('p', { class: 'estado estado-rascunho' }, 'Novo: será criado como rascunho.'),
      h('div', { class: 'grade' },
        this.input('Nome', `${path}.name`),
        this.select('Tipo', `${path}.kind`, Object.keys(ORGAN_KINDS), ORGAN_KINDS),
        this.select('Órgão superior', `${path}.parent`, [...parents.keys()], Object.fromEntries(parents), { optional: '(nenhum: primeiro nível)' })),
      organ.competences.length ? h('ol', { class: 'competencias-propostas' }, organ.competences.map((c, j) => this.item('li', {}, c.span, h('fieldset', {},
        h('legend', {}, `Item ${j + 1} de ${organ.name}`),
        h('div', { class: 'grade estreita' },
          this.input('Rótulo', `${path}.competences[${j}].label`, { optional: true, maxlength: 20 }),
          this.select('Grupo', `${path}.competences[${j}].group`, Object.keys(GROUPS), GROUPS)),
        this.input('Texto', `${path}.competences[${j}].text`, { multiline: 2 }),
        c.citations.length ? h('p', { class: 'discreto' }, 'Citação: ', c.citations.map((x) => `${citationText(x)} (${x.legalBasis})`).join('; ')) : null,
        c.amendedBy ? h('p', { class: 'discreto' }, `Redação dada por ${c.amendedBy}`) : null,
        h('button', { type: 'button', class: 'remover', 'aria-label': `Remover item ${j + 1} de ${organ.name}`, onclick: () => {
          organ.competences.splice(j, 1);
          this.renderReview([`[data-path="${path}.competences[${j}].text"]`, `[data-path="${path}.name"]`]);
          notify(`Item ${j + 1} de ${organ.name} removido da importação.`);
        } }, 'Remover item'))))) : h('p', { class: 'discreto' }, 'Nenhuma competência ou atribuição.'),
      h('button', { type: 'button', class: 'remover', 'aria-label': `Não importar o órgão ${index + 1}, ${organ.name}`, onclick: () => this.dropOrgan(index) },
        'Não importar'));
  }

  /** Drops an organ; its children move up to its parent and what it performed goes back to its owner. */
  dropOrgan(index) {
    const [dropped] = this.proposal.organs.splice(index, 1);
    for (const organ of this.proposal.organs) {
      if (organ.parent === dropped.slug) organ.parent = dropped.parent;
      for (const c of organ.competences) if (c.performedBy === dropped.slug) c.performedBy = null;
    }
    this.renderReview('#sec-orgaos-propostos');
    this.querySelector('#sec-orgaos-propostos')?.setAttribute('tabindex', '-1');
    this.querySelector('#sec-orgaos-propostos')?.focus();
    notify(`${dropped.name} não será importado${dropped.parent ? '; os órgãos abaixo dele passam para o órgão superior dele' : ''}.`);
  }

  async apply() {
    if (!checkDates(this)) return;
    showErrors(this, this.summary, {});
    const note = this.querySelector('#nota-importar')?.value.trim() || 'Importação de texto';
    try {
      const { data } = await api('POST', `${institutionPath(this.institution)}/imports/apply`, { body: this.proposal, note });
      this.applied = data;
      this.renderApplied();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) this.showConflict(error.problem);
      else if (error instanceof ApiError && error.status === 400) showErrors(this, this.summary, error.errors, error.problem.detail);
      else showErrors(this, this.summary, {}, error.message);
    }
  }

  /** 409: the institution changed since the proposal was made; nothing was written. */
  showConflict(problem) {
    replace(this.conflict,
      h('h2', { id: 'conflito-importar', tabindex: '-1' }, 'A instituição mudou desde que o texto foi lido: nada foi gravado'),
      h('p', {}, 'Alguém editou ou criou, enquanto você revisava, um órgão ou uma base legal que esta proposta usa. Aplicar agora poderia apagar o trabalho dessa pessoa, por isso nada foi gravado. O que mudou:'),
      h('ul', {}, (problem.changes ?? [problem.detail]).map((change) => h('li', { lang: 'en' }, change))),
      h('p', {}, 'Leia o texto de novo para ter uma proposta atual (as correções feitas aqui terão de ser refeitas).'),
      h('div', { class: 'acoes' },
        h('button', { type: 'button', class: 'primario', onclick: () => this.propose(this.text, this.mediaType) }, 'Ler o texto de novo')));
    this.conflict.hidden = false;
    this.conflict.querySelector('h2').focus();
  }

  /** Step 3: what was written, with links to each draft. */
  renderApplied() {
    this.crumbs('Importação aplicada');
    const { legalBases, organs } = this.applied;
    const line = (draft, href) => h('li', {}, h('a', { href }, draft.slug),
      draft.created ? ' — criado, revisão 1 (rascunho)' : ` — nova revisão ${draft.revision} do rascunho`);
    replace(this,
      h('h1', { tabindex: '-1' }, 'Importação aplicada'),
      h('p', {}, 'Os rascunhos foram criados. O público ainda não vê nada: abra cada um, revise e publique.'),
      legalBases.length ? h('section', { 'aria-labelledby': 'sec-bases-criadas' }, h('h2', { id: 'sec-bases-criadas' }, 'Bases legais'),
        h('ul', { class: 'lista' }, legalBases.map((b) => line(b, `${basesHref(this.institution)}/${b.id}`)))) : null,
      h('section', { 'aria-labelledby': 'sec-orgaos-criados' }, h('h2', { id: 'sec-orgaos-criados' }, 'Órgãos'),
        organs.length ? h('ul', { class: 'lista' }, organs.map((o) => line(o, organHref(this.institution, o.id)))) : h('p', {}, 'Nenhum órgão.')),
      h('div', { class: 'acoes' },
        h('a', { class: 'botao', href: organsHref(this.institution) }, 'Ver a árvore de órgãos'),
        h('button', { type: 'button', onclick: () => { this.text = ''; this.proposal = null; this.applied = null; this.renderSource(); } }, 'Importar outro texto')));
    this.querySelector('h1').focus();
    notify(`Importação aplicada: ${organs.length} órgão(s) e ${legalBases.length} base(s) legal(is) em rascunho.`);
  }
}
customElements.define('paco-import', Import);

// An institution's organs as a tree, each with its editorial state in words.
import { api, institutionPath } from '../api.js';
import { h, replace } from '../dom.js';
import { ORGAN_KINDS, stateOf } from '../labels.js';
import { showInstant } from '../time.js';
import { breadcrumbs, loading, organHref, organsHref, basesHref } from '../shell.js';

class Organs extends HTMLElement {
  connectedCallback() {
    const institution = this.getAttribute('institution');
    loading(this, 'Órgãos', async () => {
      const [{ data: about }, { data: drafts }] = await Promise.all([
        api('GET', institutionPath(institution)),
        api('GET', `${institutionPath(institution)}/organs/drafts`),
      ]);
      breadcrumbs(['Instituições', '#/'], [about.name]);
      const byParent = new Map();
      const ids = new Set(drafts.items.map((d) => d.id));
      for (const draft of drafts.items) {
        const parent = ids.has(draft.document.parentId) ? draft.document.parentId : null;
        if (!byParent.has(parent)) byParent.set(parent, []);
        byParent.get(parent).push(draft);
      }
      const branch = (parent, level) => {
        const children = (byParent.get(parent) ?? []).sort((a, b) =>
          a.document.displayOrder - b.document.displayOrder || a.document.name.localeCompare(b.document.name, 'pt-BR'));
        if (children.length === 0) return null;
        return h('ul', { class: level === 0 ? 'arvore' : null }, children.map((draft) => {
          const state = stateOf(draft);
          return h('li', {},
            h('div', { class: 'no' },
              h('a', { href: organHref(institution, draft.id) }, draft.document.name),
              draft.document.acronym ? h('span', { class: 'discreto' }, ` (${draft.document.acronym})`) : null,
              h('span', { class: 'discreto' }, ` · ${ORGAN_KINDS[draft.document.kind] ?? draft.document.kind}`),
              h('span', { class: `estado estado-${state.code}` }, state.when ? `${state.text}: ${showInstant(state.when)}` : state.text)),
            branch(draft.id, level + 1));
        }));
      };
      replace(this,
        h('h1', {}, `Órgãos de ${about.name}`),
        h('div', { class: 'acoes' },
          h('a', { class: 'botao primario', href: `${organsHref(institution)}/orgaos/novo` }, 'Novo órgão'),
          h('a', { class: 'botao', href: basesHref(institution) }, 'Bases legais'),
          h('a', { class: 'botao', href: `${organsHref(institution)}/importar` }, 'Importar lei ou página')),
        drafts.items.length === 0 ? h('p', {}, 'Nenhum órgão ainda.') : branch(null, 0),
        h('p', { class: 'dica' }, 'Estados: “Só rascunho” nunca foi publicado; “Publicado” é o que o público vê; ',
          '“Rascunho à frente” tem alterações ainda não publicadas; “Agendado” será publicado na data indicada; “Arquivado” saiu do ar.'));
    });
  }
}
customElements.define('paco-organs', Organs);

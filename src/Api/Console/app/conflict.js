// A 412 on save, for any versioned resource: what the other person changed (the diff from the revision edited to the
// current one) and the choice to reapply this editor's changes on top of it or to discard them; never a blind overwrite.
import { api, mergePatch, applyMergePatch } from './api.js';
import { h, replace, notify } from './dom.js';
import { showInstant } from './time.js';
import { diffView } from './diff-view.js';

/** A section for the conflict, kept across the editor's re-renders. */
export const conflictSection = () => h('section', { class: 'conflito', hidden: true, 'aria-labelledby': 'conflito-titulo' });

/**
 * Fills `place` with the conflict. `path` is the resource's editorial path, `edited` the draft that was read, `base` its
 * document as the form started, `mine` the document the editor wanted to save, `what` the resource in words ("este órgão").
 * `accept(current, etag, document)` takes the current draft, with the document to show in the form.
 */
export async function showConflict({ place, path, edited, base, mine, what, accept }) {
  const { data: current, etag } = await api('GET', `${path}/draft`);
  const { data: diff } = await api('GET', `${path}/diff?from=${edited.revision}&to=${current.revision}`);
  const myChanges = mergePatch(base, mine);
  replace(place,
    h('h2', { id: 'conflito-titulo', tabindex: '-1' }, `Outra pessoa salvou ${what} enquanto você editava`),
    h('p', {}, `A revisão ${current.revision} foi salva por ${current.author} em ${showInstant(current.createdAt)}. Você editou a revisão ${edited.revision}. O que mudou:`),
    diffView(diff, base),
    h('p', {}, 'Suas alterações não foram salvas. Você pode reaplicá-las sobre a versão atual (revise antes de salvar) ou descartá-las.'),
    h('div', { class: 'acoes' },
      h('button', { type: 'button', class: 'primario', id: 'reaplicar', onclick: () => {
        place.hidden = true;
        accept(current, etag, applyMergePatch(current.document, myChanges));
        notify('Suas alterações foram reaplicadas sobre a versão atual. Revise e salve.');
      } }, 'Reaplicar minhas alterações sobre a versão atual'),
      h('button', { type: 'button', onclick: () => {
        place.hidden = true;
        accept(current, etag, structuredClone(current.document));
        notify('Você descartou suas alterações; esta é a versão atual.');
      } }, 'Descartar minhas alterações')));
  place.hidden = false;
  place.querySelector('h2').focus();
}

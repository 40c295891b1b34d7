// What every screen shares with the shell.
import { h, replace } from './dom.js';

/** A screen with unsaved changes registers itself here (it has a `dirty` getter); leaving it asks first. */
export const unsaved = { screen: null };

/** The breadcrumb trail under the header: [text, href] pairs, the last one being the current page. */
export function breadcrumbs(...links) {
  const nav = document.getElementById('migalhas');
  replace(nav, links.length === 0 ? null : h('ol', {}, links.map(([text, href], index) =>
    h('li', {}, href && index < links.length - 1 ? h('a', { href }, text) : h('span', { 'aria-current': 'page' }, text)))));
}

export const organsHref = (institution) => `#/i/${encodeURIComponent(institution)}`;
export const organHref = (institution, id) => `${organsHref(institution)}/orgaos/${encodeURIComponent(id)}`;
export const basesHref = (institution) => `${organsHref(institution)}/bases-legais`;

/** Loading text while a screen fetches; errors replace it with what went wrong. */
export async function loading(element, title, work) {
  replace(element, h('h1', {}, title), h('p', {}, 'Carregando…'));
  try {
    await work();
  } catch (error) {
    replace(element, h('h1', {}, title), h('p', { class: 'erro', role: 'alert' }, `Não foi possível carregar: ${error.message}`));
  }
}

// The shell: who is signed in, where we are (hash routes), and which screen shows.
import { api, session, ApiError } from './api.js';
import { h, replace, notify } from './dom.js';
import { ROLES } from './labels.js';
import { unsaved, breadcrumbs } from './shell.js';
import './screens/organs.js';
import './screens/organ-editor.js';
import './screens/history.js';
import './screens/legal-bases.js';
import './screens/keys.js';
import './screens/import.js';

const routes = [
  [/^#\/entrar$/, () => h('paco-signin')],
  [/^#\/$/, () => h('paco-institutions')],
  [/^#\/chaves$/, () => h('paco-keys')],
  [/^#\/i\/([^/]+)$/, (i) => h('paco-organs', { institution: i })],
  [/^#\/i\/([^/]+)\/orgaos\/novo$/, (i) => h('paco-organ-editor', { institution: i })],
  [/^#\/i\/([^/]+)\/orgaos\/([^/]+)$/, (i, o) => h('paco-organ-editor', { institution: i, organ: o })],
  [/^#\/i\/([^/]+)\/orgaos\/([^/]+)\/historico$/, (i, o) => h('paco-history', { institution: i, organ: o })],
  [/^#\/i\/([^/]+)\/importar$/, (i) => h('paco-import', { institution: i })],
  [/^#\/i\/([^/]+)\/bases-legais$/, (i) => h('paco-legal-bases', { institution: i })],
  [/^#\/i\/([^/]+)\/bases-legais\/novo$/, (i) => h('paco-legal-basis-editor', { institution: i })],
  [/^#\/i\/([^/]+)\/bases-legais\/([^/]+)$/, (i, b) => h('paco-legal-basis-editor', { institution: i, basis: b })],
];

let current = location.hash;

function route() {
  if (unsaved.screen?.dirty && !confirm('Há alterações não salvas. Sair desta tela e perdê-las?')) {
    history.replaceState(null, '', current);
    return;
  }
  unsaved.screen = null;
  if (!session.key && location.hash !== '#/entrar') { location.replace('#/entrar'); return; }
  if (session.key && (location.hash === '' || location.hash === '#/entrar')) { location.replace('#/'); return; }
  current = location.hash;
  const main = document.getElementById('conteudo');
  for (const [pattern, screen] of routes) {
    const match = pattern.exec(location.hash);
    if (match) {
      replace(main, screen(...match.slice(1).map(decodeURIComponent)));
      document.querySelector('paco-identity').render();
      main.focus({ preventScroll: false });
      return;
    }
  }
  replace(main, h('h1', {}, 'Página não encontrada'), h('p', {}, h('a', { href: '#/' }, 'Voltar ao início')));
}

window.addEventListener('hashchange', route);
window.addEventListener('beforeunload', (event) => {
  if (unsaved.screen?.dirty) { event.preventDefault(); event.returnValue = ''; }
});
window.addEventListener('paco:signed-out', (event) => {
  session.end();
  unsaved.screen = null;
  notify(event.detail ? `Sessão encerrada: ${event.detail}` : 'Sessão encerrada: a chave não é mais aceita.');
  location.hash = '#/entrar';
});

class Identity extends HTMLElement {
  connectedCallback() { this.render(); }
  render() {
    const who = session.identity;
    if (!who) { replace(this); return; }
    replace(this,
      h('p', { class: 'quem' },
        h('span', { class: 'nome' }, who.name), ' · ', h('span', {}, ROLES[who.role] ?? who.role), ' · ',
        h('span', {}, who.institution ? `instituição ${who.institution}` : 'todas as instituições')),
      who.role === 'admin' ? h('a', { href: '#/chaves', class: 'botao' }, 'Chaves de API') : null,
      h('button', { type: 'button', onclick: () => this.signOut() }, 'Sair'));
  }
  signOut() {
    if (unsaved.screen?.dirty && !confirm('Há alterações não salvas. Sair mesmo assim?')) return;
    unsaved.screen = null;
    session.end();
    this.render();
    notify('Você saiu. A chave foi esquecida por esta aba.');
    location.hash = '#/entrar';
  }
}
customElements.define('paco-identity', Identity);

class SignIn extends HTMLElement {
  connectedCallback() {
    breadcrumbs();
    const input = h('input', { id: 'chave', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
    const error = h('p', { class: 'erro', id: 'chave-erro', hidden: true });
    input.setAttribute('aria-describedby', 'chave-dica chave-erro');
    const form = h('form', { class: 'cartao estreito', onsubmit: async (event) => {
      event.preventDefault();
      error.hidden = true;
      try {
        const { data } = await api('GET', '/keys/me', { key: input.value.trim() });
        session.start(input.value.trim(), data);
        notify(`Bem-vindo(a), ${data.name}.`);
        location.hash = '#/';
      } catch (e) {
        error.textContent = e instanceof ApiError && e.status === 401
          ? 'Esta chave não foi aceita: confira se ela foi copiada inteira e se não foi revogada.'
          : `Não foi possível entrar: ${e.message}`;
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
    } },
      h('h1', {}, 'Entrar no console editorial'),
      h('label', { for: 'chave' }, 'Chave de API'),
      h('p', { class: 'dica', id: 'chave-dica' }, 'Começa com paco_. Ela fica guardada só nesta aba e some ao fechá-la.'),
      input, error,
      h('button', { type: 'submit', class: 'primario' }, 'Entrar'));
    replace(this, form);
  }
}
customElements.define('paco-signin', SignIn);

class Institutions extends HTMLElement {
  async connectedCallback() {
    breadcrumbs(['Instituições']);
    const who = session.identity;
    if (who?.institution) { location.replace(`#/i/${encodeURIComponent(who.institution)}`); return; }
    replace(this, h('h1', {}, 'Escolha a instituição'), h('p', {}, 'Carregando…'));
    const { data } = await api('GET', '/institutions?pageSize=100');
    replace(this, h('h1', {}, 'Escolha a instituição'),
      h('ul', { class: 'lista' }, data.items.map((i) => h('li', {},
        h('a', { href: `#/i/${encodeURIComponent(i.slug)}` }, i.name), ' ', h('span', { class: 'discreto' }, `(${i.slug})`)))));
  }
}
customElements.define('paco-institutions', Institutions);

window.addEventListener('unhandledrejection', (event) => {
  notify(`Algo deu errado: ${event.reason?.message ?? event.reason}`);
});

route();

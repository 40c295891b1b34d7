// Admins: the keys they manage; a new key's secret is shown once, with a copy button.
import { api, session, ApiError } from '../api.js';
import { h, replace, field, fieldError, options, notify, confirmDialog } from '../dom.js';
import { ROLES } from '../labels.js';
import { showInstant, wallClockInput, readWallClock, WALL_CLOCK_HINT } from '../time.js';
import { breadcrumbs, loading } from '../shell.js';

class Keys extends HTMLElement {
  connectedCallback() {
    breadcrumbs(['Instituições', '#/'], ['Chaves de API']);
    loading(this, 'Chaves de API', () => this.load());
  }

  async load(secret) {
    const { data: keys } = await api('GET', '/keys');
    const who = session.identity;
    const institutions = who.institution ? [who.institution] : (await api('GET', '/institutions?pageSize=100')).data.items.map((i) => i.slug);
    const name = h('input', { required: true, maxlength: 200 });
    const role = h('select', {}, options(Object.keys(ROLES), ROLES, 'editor'));
    const scope = h('select', {}, who.institution ? null : h('option', { value: '' }, 'todas as instituições'), options(institutions, {}, who.institution ?? ''));
    const expires = wallClockInput('expira');
    const error = h('p', { class: 'erro', role: 'alert', hidden: true });
    replace(this, h('h1', {}, 'Chaves de API'),
      secret ? this.secretPanel(secret) : null,
      h('section', { 'aria-labelledby': 'sec-nova' }, h('h2', { id: 'sec-nova' }, 'Nova chave'),
        h('form', { class: 'grade', onsubmit: async (event) => {
          event.preventDefault();
          error.hidden = true;
          const expiry = expires.value.trim() ? readWallClock(expires) : {};
          fieldError(expires, expiry.error);
          if (expiry.error) return;
          try {
            const { data } = await api('POST', '/keys', { body: {
              name: name.value.trim(), role: role.value, institution: scope.value || null, expiresAt: expiry.iso ?? null } });
            await this.load(data);
          } catch (e) {
            error.textContent = e instanceof ApiError && Object.keys(e.errors).length ? Object.values(e.errors).flat().join(' ') : e.message;
            error.hidden = false;
          }
        } },
          field('Nome (quem vai usar)', name, { hint: 'Ex.: Portal da Transparência, Maria (Secretaria de Saúde)' }),
          field('Papel', role), field('Instituição', scope), field('Expira em (opcional)', expires, { hint: WALL_CLOCK_HINT }),
          error, h('div', { class: 'acoes' }, h('button', { type: 'submit', class: 'primario' }, 'Criar chave')))),
      h('table', {},
        h('caption', {}, 'Chaves que você administra (os segredos nunca são mostrados de novo)'),
        h('thead', {}, h('tr', {}, ['Nome', 'Prefixo', 'Papel', 'Instituição', 'Criada', 'Último uso', 'Situação', 'Ações'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, keys.map((k) => h('tr', {},
          h('th', { scope: 'row' }, k.name), h('td', {}, h('code', {}, k.prefix)), h('td', {}, ROLES[k.role] ?? k.role),
          h('td', {}, k.institution ?? 'todas'), h('td', {}, `${showInstant(k.createdAt)} por ${k.createdBy}`),
          h('td', {}, k.lastUsedAt ? showInstant(k.lastUsedAt) : 'nunca'),
          h('td', {}, k.revokedAt ? `Revogada em ${showInstant(k.revokedAt)}` : k.expiresAt ? `Ativa até ${showInstant(k.expiresAt)}` : 'Ativa'),
          h('td', {}, k.revokedAt ? null : h('button', { type: 'button', class: 'remover', onclick: () => this.revoke(k) }, `Revogar ${k.name}`)))))));
    if (secret) this.querySelector('#segredo').focus();
  }

  secretPanel(created) {
    const output = h('input', { id: 'segredo', readonly: true, value: created.secret, class: 'segredo' });
    return h('section', { class: 'cartao destaque', 'aria-labelledby': 'sec-segredo' },
      h('h2', { id: 'sec-segredo' }, `Chave criada para ${created.key.name}`),
      h('p', {}, 'Copie o segredo agora: ele não será mostrado de novo. Entregue-o só a quem vai usá-lo.'),
      field('Segredo', output),
      h('button', { type: 'button', onclick: async () => {
        output.select();
        try { await navigator.clipboard.writeText(created.secret); notify('Segredo copiado.'); }
        catch { notify('Não foi possível copiar automaticamente: o texto está selecionado, use Ctrl+C.'); }
      } }, 'Copiar segredo'));
  }

  async revoke(key) {
    if (!await confirmDialog({ title: `Revogar a chave ${key.name}?`, confirm: 'Revogar', message: ['Ela para de funcionar imediatamente e não pode ser reativada.'] })) return;
    await api('DELETE', `/keys/${key.id}`);
    notify(`Chave ${key.name} revogada.`);
    await this.load();
  }
}
customElements.define('paco-keys', Keys);

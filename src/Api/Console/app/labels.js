// Portuguese names for the API's closed sets.
export const ROLES = { editor: 'editor(a)', publisher: 'publicador(a)', admin: 'administrador(a)' };
export const ORGAN_KINDS = {
  gabinete: 'Gabinete', secretaria: 'Secretaria', departamento: 'Departamento', divisao: 'Divisão', nucleo: 'Núcleo',
  coordenadoria: 'Coordenadoria', conselho: 'Conselho', fundo: 'Fundo', colegiado: 'Colegiado', assessoria: 'Assessoria',
  autarquia: 'Autarquia', fundacao: 'Fundação', procuradoria: 'Procuradoria', controladoria: 'Controladoria', outro: 'Outro',
};
export const GROUPS = { competences: 'Competências', headAttributions: 'Atribuições do titular', aims: 'Finalidades', actions: 'Ações' };
export const LEGAL_KINDS = {
  constituicao: 'Constituição', lei: 'Lei', 'lei-complementar': 'Lei complementar', 'lei-organica': 'Lei orgânica', decreto: 'Decreto',
  estatuto: 'Estatuto', regimento: 'Regimento', portaria: 'Portaria', resolucao: 'Resolução', 'instrucao-normativa': 'Instrução normativa',
  deliberacao: 'Deliberação', outro: 'Outro',
};
export const LEGAL_STATUSES = { inForce: 'Em vigor', revoked: 'Revogada' };
export const LINK_ROLES = { creates: 'cria o órgão', structures: 'estrutura', regulates: 'regulamenta', cites: 'é citada' };
export const EVENTS = { publish: 'publicada', unpublish: 'despublicada', archive: 'arquivada', schedule: 'agendada', restore: 'restaurada' };

/** The state of a resource for editors, in words (never colour alone). */
export function stateOf(draft) {
  const s = draft.state;
  if (s.archivedAt) return { code: 'arquivado', text: 'Arquivado' };
  if (s.scheduled.length > 0) return { code: 'agendado', text: 'Agendado', when: s.scheduled[0].dueAt };
  if (s.publishedRevision === null) return { code: 'rascunho', text: 'Só rascunho' };
  if (s.publishedRevision === draft.revision) return { code: 'publicado', text: 'Publicado' };
  return { code: 'adiantado', text: `Rascunho à frente da publicação (publicada: revisão ${s.publishedRevision})` };
}

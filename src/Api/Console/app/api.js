// The console's only way to the server: the public editorial API, with the key kept for this tab's session.
const KEY = 'paco.chave';
const IDENTITY = 'paco.identidade';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  get identity() { const text = sessionStorage.getItem(IDENTITY); return text ? JSON.parse(text) : null; },
  start(key, identity) { sessionStorage.setItem(KEY, key); sessionStorage.setItem(IDENTITY, JSON.stringify(identity)); },
  end() { sessionStorage.removeItem(KEY); sessionStorage.removeItem(IDENTITY); },
};

/** An answer that is not 2xx: its status, its RFC 9457 problem (when it has one) and its ETag. */
export class ApiError extends Error {
  constructor(status, problem, etag) {
    super(problem?.detail || problem?.title || `O servidor respondeu ${status}.`);
    this.status = status;
    this.problem = problem ?? {};
    this.etag = etag;
  }
  /** Field errors as JSON path → messages ("competences[2].text"). */
  get errors() { return this.problem.errors ?? {}; }
}

/** `body` is sent as JSON; `text` as it is (an import's law or page, with its own media type). */
export async function api(method, path, { body, text, ifMatch, mediaType = 'application/json', note, key = session.key, anonymous = false } = {}) {
  // Validation messages come back in Portuguese (the API's Accept-Language); everything else it says is English.
  const headers = { Accept: 'application/json, application/problem+json', 'Accept-Language': 'pt-BR' };
  if (key && !anonymous) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined || text !== undefined) headers['Content-Type'] = mediaType;
  if (ifMatch) headers['If-Match'] = ifMatch;
  if (note) headers['X-Change-Note'] = encodeURIComponent(note);
  const response = await fetch(`/api/v1${path}`, {
    method, headers, cache: 'no-store',
    body: text !== undefined ? text : body === undefined ? undefined : JSON.stringify(body),
  });
  const etag = response.headers.get('ETag');
  const type = response.headers.get('Content-Type') ?? '';
  const data = response.status !== 204 && type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    if (response.status === 401 && !anonymous && key === session.key) {
      window.dispatchEvent(new CustomEvent('paco:signed-out', { detail: data?.detail }));
    }
    throw new ApiError(response.status, data, etag);
  }
  return { data, etag, status: response.status };
}

export const institutionPath = (institution) => `/institutions/${encodeURIComponent(institution)}`;

/** RFC 7396: the merge patch that turns `from` into `to` (arrays are replaced whole). */
export function mergePatch(from, to) {
  if (!isObject(from) || !isObject(to)) return to;
  const patch = {};
  for (const name of Object.keys(from)) {
    if (!(name in to) || to[name] === null || to[name] === undefined) {
      if (from[name] !== null && from[name] !== undefined) patch[name] = null;
    }
  }
  for (const [name, value] of Object.entries(to)) {
    if (value === null || value === undefined) continue;
    if (isObject(value) && isObject(from[name])) {
      const inner = mergePatch(from[name], value);
      if (Object.keys(inner).length > 0) patch[name] = inner;
    } else if (JSON.stringify(value) !== JSON.stringify(from[name])) {
      patch[name] = value;
    }
  }
  return patch;
}

/** RFC 7396: applies a merge patch. */
export function applyMergePatch(target, patch) {
  if (!isObject(patch)) return structuredClone(patch);
  const result = isObject(target) ? structuredClone(target) : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else result[name] = applyMergePatch(result[name], value);
  }
  return result;
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

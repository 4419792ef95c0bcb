// Talking to pvd-searchd through nginx.  Every failure becomes an ApiError
// saying whether the query was at fault ("requete") or the service
// ("service"), with the API's own message when it sent one.

export class ApiError extends Error {
  constructor(kind, message, status) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

export async function search(url, signal) {
  let r;
  try {
    r = await fetch(url, {signal, headers: {Accept: 'application/json'}});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError('service', '', 0);
  }
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
  }
  if (r.ok && body && Array.isArray(body.hits)) return body;
  const err = body && body.error;
  const message = err && typeof err.message === 'string' ? err.message : '';
  // 429: nginx's limit on searches per address, the service's doing
  const kind = r.status >= 400 && r.status < 500 && r.status !== 429 && err ? 'requete' : 'service';
  throw new ApiError(kind, message, r.status);
}

// Whether the API knows the like parameter (documents alike): a search
// for documents like an indexed one succeeds, an API without it answers
// 400.
export async function supportsLike(path) {
  try {
    const r = await fetch('api/search?limit=1&like=' + encodeURIComponent(path));
    return r.ok;
  } catch {
    return false;
  }
}

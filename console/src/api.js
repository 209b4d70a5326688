// The console is a thin client of the HTTP API (/api/v1): every call goes through here, with the API key the user
// signed in with. The key lives in sessionStorage: this tab only, gone when it closes, never in a URL.

const KEY_ITEM = 'quiver.api-key';

export function storedKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

export function storeKey(key) {
  sessionStorage.setItem(KEY_ITEM, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_ITEM);
}

/** An answer that is not a success: the service's error object (code, message, details, remediation). */
export class ApiError extends Error {
  constructor(status, error) {
    super(error.message || 'the request failed');
    this.status = status;
    this.code = error.code;
    this.remediation = error.remediation;
    this.details = Array.isArray(error.details) ? error.details : [];
    this.detailsTotal = error.details_total;
    this.missing = Array.isArray(error.missing) ? error.missing : [];
    this.executionId = error.execution_id;
  }
}

/** Turns anything thrown into the error object's shape, so the page shows a message and a remediation. */
export function asApiError(e) {
  if (e instanceof ApiError) {
    return e;
  }
  return new ApiError(0, {
    code: 'UNREACHABLE',
    message: 'the Quiver service could not be reached',
    remediation: 'Check that "serve" is running and reachable from this browser, then try again.',
  });
}

/**
 * Calls the API. `body` is JSON unless `raw` (bytes, sent as they are with `contentType`). Resolves to the parsed
 * JSON answer; rejects with an ApiError carrying the error object.
 */
export async function api(method, path, { body, raw, contentType, key } = {}) {
  const headers = { Accept: 'application/json' };
  const apiKey = key ?? storedKey();
  if (apiKey) {
    headers.Authorization = `Bearer ${apiKey}`;
  }
  let payload;
  if (raw !== undefined) {
    payload = raw;
    headers['Content-Type'] = contentType || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw asApiError(null);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = null;
  }
  if (response.ok && json !== null) {
    return json;
  }
  if (json && json.error) {
    if (response.status === 401 && !key && apiKey) {
      // the tab's key was revoked or expired meanwhile: back to the sign-in, which says so
      forgetKey();
      window.dispatchEvent(new CustomEvent('quiver:key-refused', { detail: json.error }));
    }
    throw new ApiError(response.status, json.error);
  }
  throw new ApiError(response.status, {
    code: `HTTP_${response.status}`,
    message: `the service answered ${response.status} ${response.statusText || ''} without an error object`.trim(),
    remediation: 'Try again; if it persists, look at the service\'s log.',
  });
}

export const ROLES = ['viewer', 'analyst', 'responder', 'admin'];

/** Whether `role` is `needed` or higher. */
export function roleIncludes(role, needed) {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Runs a skill; resolves to {execution_id, status, output, request_ids, duration_ms}. */
export function execute(skill, connection, input, dryRun = false) {
  return api('POST', `/api/v1/skills/${encodeURIComponent(skill)}/executions`, {
    body: { connection, input, dry_run: dryRun },
  });
}

// The API client: every call to /api/v1 goes through request().
// - JSON in and out; the session cookie (HttpOnly) travels by itself.
// - X-CSRF-Token on every state-changing request (the token comes from
//   login or GET /me and is kept here, in memory only).
// - Errors become ApiError {status, code, field, message}; the UI translates
//   `code` (errors.<code>) and attaches it to the form field `field`.
// - A 401 on any call but login and /me means the session has ended: the
//   handler registered by the router sends the user to the login page.

export const API_BASE = '/api/v1'

let csrfToken = ''
let onUnauthenticated = null

export function setCsrfToken(token) {
  csrfToken = token || ''
}

export function getCsrfToken() {
  return csrfToken
}

export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn
}

export class ApiError extends Error {
  constructor(status, code, field, message) {
    super(message || code)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field || ''
  }
}

const STATUS_CODES = {
  400: 'invalid', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found',
  405: 'method_not_allowed', 409: 'conflict', 413: 'too_large', 421: 'host', 429: 'throttled', 503: 'busy',
}

function buildUrl(path, query) {
  let url = API_BASE + path
  if (query) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue
      params.set(k, String(v))
    }
    const s = params.toString()
    if (s) url += (url.includes('?') ? '&' : '?') + s
  }
  return url
}

export async function request(method, path, { body, query } = {}) {
  const headers = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET' && method !== 'HEAD' && path !== '/auth/login' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken
  }
  let res
  try {
    res = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: body !== undefined ? JSON.stringify(body) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
    })
  } catch (e) {
    throw new ApiError(0, 'network', '', e && e.message ? e.message : 'network error')
  }
  if (res.status === 204) return null
  const text = await res.text()
  let data = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      if (res.ok) throw new ApiError(res.status, 'internal', '', 'response is not JSON')
    }
  }
  if (!res.ok) {
    const e = (data && data.error) || {}
    const code = e.code || STATUS_CODES[res.status] || 'internal'
    const err = new ApiError(res.status, code, e.field, e.message || res.statusText)
    if (Number.isInteger(e.max)) err.max = e.max // a too_long value's limit (bytes)
    if (res.status === 401 && path !== '/auth/login' && path !== '/me' && onUnauthenticated) {
      onUnauthenticated(err)
    }
    throw err
  }
  return data
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, body) => request('POST', path, { body: body === undefined ? {} : body }),
  put: (path, body) => request('PUT', path, { body }),
  patch: (path, body) => request('PATCH', path, { body }),
  del: (path) => request('DELETE', path),
}

// A list answer is {"items","total","limit","offset"}; accept a bare array too.
export function itemsOf(data) {
  if (Array.isArray(data)) return data
  return (data && data.items) || []
}

// Every page of a list (reference data, org units: small collections).
export async function fetchAll(path, query = {}) {
  const limit = 200
  let offset = 0
  const all = []
  for (;;) {
    const data = await api.get(path, { ...query, limit, offset })
    const items = itemsOf(data)
    all.push(...items)
    const total = data && typeof data.total === 'number' ? data.total : all.length
    offset += items.length
    if (items.length === 0 || all.length >= total || Array.isArray(data)) break
  }
  return all
}

// Who is logged in. The session cookie is HttpOnly, so the app learns about
// the session only from login and GET /api/v1/me ({user, csrf_token}).
import { reactive } from 'vue'
import { api, setCsrfToken } from '../api/client'
import { isLocale, setLocale } from '../i18n'

export const session = reactive({
  user: null,
  loaded: false,
  expired: false,
})

function accept(data) {
  session.user = data && data.user ? data.user : null
  setCsrfToken(data && data.csrf_token)
  session.expired = false
  // The user's saved language wins after login.
  if (session.user && isLocale(session.user.locale)) setLocale(session.user.locale)
}

export function clearSession(expired = false) {
  session.user = null
  session.expired = expired
  setCsrfToken('')
}

// Ask the server whether a session exists (on start and after reloads).
export async function loadSession() {
  try {
    accept(await api.get('/me'))
  } catch (e) {
    clearSession()
    if (e.status !== 401) console.warn('GET /me failed:', e.code)
  } finally {
    session.loaded = true
  }
}

export async function login(username, password) {
  accept(await api.post('/auth/login', { username, password }))
  session.loaded = true
}

export async function logout() {
  try {
    await api.post('/auth/logout')
  } finally {
    clearSession()
  }
}

// Switch language; remember it on the server when logged in.
export async function changeLocale(code) {
  setLocale(code)
  if (!session.user || session.user.locale === code) return
  const data = await api.patch('/me', { locale: code })
  const user = data && data.user ? data.user : data && data.id ? data : null
  if (user) session.user = user
  else session.user.locale = code
}

export function hasRole(...roles) {
  return !!session.user && roles.includes(session.user.role)
}

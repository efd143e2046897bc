// Small formatting helpers shared by the pages.
import { i18n } from '../i18n'

// Today in the business calendar (Asia/Shanghai), YYYY-MM-DD.
export function todayShanghai() {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(new Date())
  const get = (type) => parts.find((p) => p.type === type).value
  return `${get('year')}-${get('month')}-${get('day')}`
}

// "2026-11-26T10:00:00+08:00" -> "2026-11-26 10:00"
export function formatInstant(s) {
  if (!s) return ''
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(s)
  return m ? `${m[1]} ${m[2]}` : s
}

export function formatDateLong(d = new Date()) {
  const loc = i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN'
  return new Intl.DateTimeFormat(loc, {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', weekday: 'long',
  }).format(d)
}

export function initials(name) {
  if (!name) return '?'
  const s = String(name).trim()
  if (/^[\u4e00-\u9fff]/.test(s)) return s.length <= 2 ? s : s.length === 3 ? s.slice(-2) : s[0]
  const words = s.split(/[\s._-]+/).filter(Boolean)
  return ((words[0] || '?')[0] + (words[1] ? words[1][0] : '')).toUpperCase()
}

export function roleTagType(role) {
  return { admin: 'danger', director: 'warning', compliance: 'info', manager: 'success', rep: 'primary' }[role] || 'info'
}

export const ROLES = ['rep', 'manager', 'director', 'compliance', 'admin']
export const UNIT_TYPES = ['company', 'region', 'province', 'district', 'team']
export const REF_KINDS = ['product_lines', 'segments', 'regions', 'provinces']

// Only same-site paths after login ("/x", never "//host" or "https://...").
export function safeRedirect(target) {
  return typeof target === 'string' && target.startsWith('/') && !target.startsWith('//') ? target : '/'
}

// Visits (issue 4: R3, R8, R10): the codes of docs/api.md "Visits", the
// settings documents (cached per page load), the translation of the visit
// error codes (visits.errors.<code>), the device draft of the visit form,
// the location consent and the one-shot position (never watched).
import { computed, reactive, ref } from 'vue'
import { api } from '../../api/client'
import { i18n } from '../../i18n'
import { session } from '../../stores/session'
import { errorText, showError } from '../../composables/useServerErrors'
import { todayShanghai } from '../../composables/format'
import { ElMessage } from 'element-plus'

export const VISIT_TYPES = ['in_person', 'phone', 'online', 'dept_meeting', 'academic', 'joint']
export const ONSITE_TYPES = ['in_person', 'dept_meeting', 'joint']
export const VISIT_STATUSES = ['planned', 'checked_in', 'checked_out', 'completed', 'cancelled']
export const LOCATION_STATUSES = ['none', 'verified', 'unverified', 'suspicious']
export const LOCATION_REASONS = ['within', 'outside', 'low_accuracy', 'no_position', 'institution_no_location', 'far', 'remote']
export const REASONS = ['not_completed', 'no_check_in', 'location_unverified', 'location_suspicious', 'no_check_out',
  'too_short', 'no_contact', 'no_decision_contact', 'too_few_steps', 'no_objective', 'no_outcome', 'no_next_step', 'logged_late']
export const WARNINGS = ['too_fast', 'repeated_coords', 'short', 'late_log']
export const TASK_STATUSES = ['open', 'done']
export const PROPOSAL_STATUSES = ['ok', 'due', 'overdue', 'never']
export const QUESTION_TYPES = ['text', 'number', 'money', 'date', 'choice']
export const NEED_FIELDS = ['need', 'pain_points', 'current_solution', 'volume', 'budget_cycle', 'current_age_years', 'budget_fen', 'decision_by']
export const VISIT_ERRORS = ['not_covered', 'invalid_state', 'steps', 'contact_ids', 'answers', 'product_line_code']

export const role = computed(() => (session.user ? session.user.role : ''))
export const myId = computed(() => (session.user ? session.user.id : 0))
export const canPlan = computed(() => ['rep', 'manager', 'director', 'admin'].includes(role.value))
export const isManagerRole = computed(() => ['manager', 'director', 'admin', 'compliance'].includes(role.value))
export const canCoach = computed(() => ['manager', 'director'].includes(role.value))
export const canEditSettings = computed(() => ['director', 'admin'].includes(role.value))

export function statusTagType(s) {
  return { planned: 'primary', checked_in: 'warning', checked_out: 'warning', completed: 'success', cancelled: 'info' }[s] || 'info'
}
export function locationTagType(s) {
  return { verified: 'success', unverified: 'warning', suspicious: 'danger', none: 'info' }[s] || 'info'
}
export function proposalTagType(s) {
  return { overdue: 'danger', due: 'warning', never: 'danger', ok: 'info' }[s] || 'info'
}
// Class of a calendar chip: planned, missed, in progress, effective, not effective, cancelled.
export function chipClass(v, today = todayShanghai()) {
  if (v.status === 'cancelled') return 'vchip-cancelled'
  if (v.status === 'planned') return v.visit_date < today ? 'vchip-missed' : 'vchip-planned'
  if (v.status === 'completed') return v.is_effective ? 'vchip-effective' : 'vchip-noneffective'
  return 'vchip-progress'
}
export function chipState(v, today = todayShanghai()) {
  if (v.status === 'planned' && v.visit_date < today) return 'missed'
  if (v.status === 'completed') return v.is_effective ? 'effective' : 'notEffective'
  return v.status
}

export function vErrorText(err) {
  const { t, te } = i18n.global
  if (err && err.code && te('visits.errors.' + err.code)) return t('visits.errors.' + err.code)
  return errorText(err)
}
export function showVError(err) {
  if (err && err.status === 401) return
  if (err && err.code && i18n.global.te('visits.errors.' + err.code)) {
    const text = vErrorText(err)
    const message = err.message ? i18n.global.t('common.withNote', { text, note: err.message }) : text
    ElMessage({ type: 'error', message, grouping: true, showClose: true })
  } else showError(err)
}

// Text of a seven-step / template entry in the current language.
export function stepName(s) {
  if (!s) return ''
  return i18n.global.locale.value === 'en' ? s.en || s.zh || s.code : s.zh || s.en || s.code
}
export function stepHint(s) {
  if (!s) return ''
  return i18n.global.locale.value === 'en' ? s.hint_en || s.hint_zh || '' : s.hint_zh || s.hint_en || ''
}

// Settings documents (GET once per page load; a settings page reloads them).
const cache = new Map()
export function loadSetting(name, fresh = false) {
  if (fresh || !cache.has(name)) {
    const p = api.get('/settings/' + name).catch((e) => {
      cache.delete(name)
      throw e
    })
    cache.set(name, p)
  }
  return cache.get(name)
}
export function forgetSetting(name) {
  cache.delete(name)
}

// ---- dates (business calendar; YYYY-MM-DD strings, UTC arithmetic)
export function addDays(date, n) {
  return new Date(Date.parse(date + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10)
}
export function mondayOf(date) {
  const d = new Date(Date.parse(date + 'T00:00:00Z'))
  return addDays(date, -((d.getUTCDay() + 6) % 7))
}
export function monthOf(date) {
  return date.slice(0, 7)
}
export function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number)
  const d = new Date(Date.UTC(y, m - 1 + n, 1))
  return d.toISOString().slice(0, 7)
}
export function monthEnd(month) {
  const [y, m] = month.split('-').map(Number)
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}
export function weekdayIndex(date) {
  return (new Date(Date.parse(date + 'T00:00:00Z')).getUTCDay() + 6) % 7
}
export function dayNum(date) {
  return Number(date.slice(8, 10))
}
export function timeOf(instant) {
  const m = /T(\d{2}:\d{2})/.exec(instant || '')
  return m ? m[1] : ''
}
// Now as a Shanghai instant "YYYY-MM-DDTHH:MM:SS+08:00".
export function nowInstant(d = new Date()) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    second: '2-digit', hourCycle: 'h23',
  }).formatToParts(d)
  const g = (type) => parts.find((p) => p.type === type).value
  return `${g('year')}-${g('month')}-${g('day')}T${g('hour')}:${g('minute')}:${g('second')}+08:00`
}
export function minutesBetween(a, b) {
  if (!a || !b) return null
  return Math.round((Date.parse(b) - Date.parse(a)) / 60000)
}
export function pct(x) {
  return x == null ? '—' : Math.round(x * 1000) / 10 + '%'
}

// ---- the device: network state, location consent, draft of the form
export const net = reactive({ online: typeof navigator === 'undefined' ? true : navigator.onLine, failed: false })
if (typeof window !== 'undefined') {
  window.addEventListener('online', () => { net.online = true; net.failed = false })
  window.addEventListener('offline', () => { net.online = false })
}
export const offline = computed(() => !net.online || net.failed)

function store() {
  try {
    return window.localStorage
  } catch {
    return null
  }
}
const consentKey = () => `ms.visits.geoConsent.${myId.value}`
export const consent = ref(false)
export function loadConsent() {
  const s = store()
  consent.value = !!s && s.getItem(consentKey()) === 'yes'
  return consent.value
}
export function setConsent(v) {
  consent.value = !!v
  const s = store()
  if (s) s.setItem(consentKey(), v ? 'yes' : 'no')
}

// One position, at this moment only (never watchPosition). null when the
// browser has none, the user refused, or it takes too long.
export function takePosition(timeoutMs = 15000) {
  return new Promise((resolve) => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) return resolve({ error: 'unsupported' })
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy_m: p.coords.accuracy }),
      (e) => resolve({ error: e && e.code === 1 ? 'denied' : e && e.code === 3 ? 'timeout' : 'unavailable' }),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 0 },
    )
  })
}

const draftKey = (visitId) => `ms.visits.draft.${myId.value}.${visitId}`
export function loadDraft(visitId) {
  const s = store()
  if (!s) return null
  try {
    return JSON.parse(s.getItem(draftKey(visitId)) || 'null')
  } catch {
    return null
  }
}
export function saveDraft(visitId, draft) {
  const s = store()
  if (!s) return false
  try {
    s.setItem(draftKey(visitId), JSON.stringify(draft))
    return true
  } catch {
    return false
  }
}
export function clearDraft(visitId) {
  const s = store()
  if (s) s.removeItem(draftKey(visitId))
}
// The status word of a visit: its status, or "missed" for a plan left in the past.
export function statusKey(v, today = todayShanghai()) {
  return v.status === 'planned' && v.visit_date < today ? 'missed' : v.status
}

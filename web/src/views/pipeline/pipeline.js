// Pipeline (issue 6): the codes of docs/api.md "Endpoints (pipeline)", the
// shared look-ups (stages, products, competitors: cached per page load) and
// the translation of the pipeline's error codes (pipeline.errors.<code>,
// with the tender clock explained per milestone: pipeline.tenderRule.<field>).
import { computed, reactive } from 'vue'
import { api, fetchAll, itemsOf } from '../../api/client'
import { i18n, localName } from '../../i18n'
import { session } from '../../stores/session'
import { errorText, withFieldLabel } from '../../composables/useServerErrors'
import { todayShanghai } from '../../composables/format'

export const LEAD_SOURCES = ['academic_meeting', 'exhibition', 'inbound', 'tender_notice', 'referral', 'colleague', 'other']
export const LEAD_STATUSES = ['new', 'qualifying', 'qualified', 'rejected', 'converted']
export const LEAD_CHECKLIST = ['budget_confirmed', 'decision_maker_known', 'need_confirmed', 'timeline']
// The qualification checklist in force (GET /settings/lead-checklist:
// {items: [{code, zh, en}]}); the built-in codes until it is read.
export const leadChecklist = ref(LEAD_CHECKLIST.map((code) => ({ code })))
export async function loadLeadChecklist() {
  const r = await api.get('/settings/lead-checklist')
  leadChecklist.value = (r.value && r.value.items) || []
  return r
}
// An item's label in the interface language.
export function checklistLabel(item) {
  const g = i18n.global
  const name = g.locale.value === 'en' ? item.en || item.zh : item.zh || item.en
  return name || (g.te('pipeline.checklist.' + item.code) ? g.t('pipeline.checklist.' + item.code) : item.code)
}
export const DEVICE_CLASSES = ['I', 'II', 'III']
export const COMPETITOR_POSITIONS = ['leading', 'strong', 'even', 'weak', 'unknown']
export const COMPETITOR_ORIGINS = ['domestic', 'multinational']
export const TENDER_METHODS = ['open', 'invited', 'negotiation', 'consultation', 'single_source', 'rfq']
export const TENDER_RESULTS = ['pending', 'won', 'lost', 'cancelled', 'failed']
export const TENDER_MILESTONES = ['intent_notice', 'announcement', 'doc_from', 'doc_to', 'clarification', 'bid_deadline',
  'opening', 'evaluation', 'award_notice', 'challenge_deadline', 'contract_deadline']
export const CHECK_STATUSES = ['todo', 'done', 'not_needed']
export const PROJECT_ROLES = ['sales', 'product_specialist', 'technical', 'service', 'tender_specialist', 'manager']
export const PROJECT_MILESTONES = ['needs', 'tender', 'contract', 'delivery', 'installation', 'acceptance', 'payment']
export const TASK_STATUSES = ['todo', 'doing', 'done', 'blocked']
export const STAGE_REQUIREMENTS = ['amount', 'lines', 'department', 'expected_close_date', 'tender', 'competitors',
  'lost_reason', 'won_competitor']
export const DECISION_ROLES = ['DECISION_MAKER', 'INFLUENCER', 'USER', 'GATEKEEPER', 'PROCUREMENT', 'FINANCE']
export const STANCES = ['supporter', 'neutral', 'opponent']

export const role = computed(() => (session.user ? session.user.role : ''))
export const canWrite = computed(() => ['rep', 'manager', 'director', 'admin'].includes(role.value))
export const isManager = computed(() => ['manager', 'director', 'admin', 'compliance'].includes(role.value))

export function leadStatusType(s) {
  return { new: 'info', qualifying: 'warning', qualified: 'success', rejected: 'danger', converted: 'primary' }[s] || 'info'
}
export const TENDER_STATUSES = ['in_progress', 'awaiting_result', 'won', 'lost', 'cancelled', 'failed']
export function tenderStatusType(s) {
  return { in_progress: 'warning', awaiting_result: 'danger', won: 'success', lost: 'info', cancelled: 'info', failed: 'info' }[s] || 'info'
}
export function tenderResultType(r) {
  return { pending: 'warning', won: 'success', lost: 'danger', cancelled: 'info', failed: 'info' }[r] || 'info'
}
export function regStatusType(s) {
  return { valid: 'success', expiring: 'warning', expired: 'danger', unknown: 'info' }[s] || 'info'
}
export function taskStatusType(s) {
  return { todo: 'info', doing: 'primary', done: 'success', blocked: 'danger' }[s] || 'info'
}
export function positionType(p) {
  return { leading: 'danger', strong: 'warning', even: 'primary', weak: 'success', unknown: 'info' }[p] || 'info'
}

// Whole days from today (Asia/Shanghai) to a YYYY-MM-DD date.
export function daysUntil(date) {
  if (!date) return null
  const a = Date.parse(todayShanghai() + 'T00:00:00Z')
  const b = Date.parse(date + 'T00:00:00Z')
  return Math.round((b - a) / 86400000)
}
// The colour of a coming deadline: within 3 days red, within 7 amber.
export function deadlineClass(date) {
  const n = daysUntil(date)
  return n == null ? '' : n <= 3 ? 'deadline-hot' : n <= 7 ? 'deadline-warm' : ''
}
// "today", "tomorrow", "in 5 days" (t is the caller's vue-i18n t)
export function dueIn(t, date) {
  const n = daysUntil(date)
  if (n === 0) return t('pipeline.tender.dueToday')
  if (n === 1) return t('pipeline.tender.dueTomorrow')
  if (n < 0) return t('pipeline.tender.overdueDays', { n: -n })
  return t('pipeline.tender.inDays', { n })
}
export function addDays(date, n) {
  const d = new Date(Date.parse(date + 'T00:00:00Z') + n * 86400000)
  return d.toISOString().slice(0, 10)
}
export function pct(v) {
  return v == null ? '—' : Number(v).toFixed(1) + '%'
}

// ---- cached look-ups
export const cache = reactive({ stages: [], products: [], competitors: [] })
const promises = {}
function once(key, fn) {
  if (!promises[key]) {
    promises[key] = fn().catch((e) => {
      delete promises[key]
      throw e
    })
  }
  return promises[key]
}
export function loadStages(force = false) {
  if (force) delete promises.stages
  return once('stages', async () => {
    cache.stages = itemsOf(await api.get('/pipeline/stages'))
    return cache.stages
  })
}
export function loadProducts(force = false) {
  if (force) delete promises.products
  return once('products', async () => {
    cache.products = await fetchAll('/products')
    return cache.products
  })
}
export function loadCompetitors(force = false) {
  if (force) delete promises.competitors
  return once('competitors', async () => {
    cache.competitors = itemsOf(await api.get('/competitors'))
    return cache.competitors
  })
}
export function stageName(code) {
  const s = cache.stages.find((x) => x.code === code)
  return s ? localName(s) : code
}
export function productLabel(p) {
  return p ? p.name + (p.spec ? ' ' + p.spec : '') : ''
}

// ---- errors
export function pipelineErrorText(err) {
  const { t, te } = i18n.global
  if (!err) return ''
  // a milestone before the one it follows: name it (the rule texts are the
  // statutory intervals)
  if (err.code === 'order' && err.field && te('pipeline.milestone.' + err.field)) {
    return t('pipeline.errors.orderField', { name: t('pipeline.milestone.' + err.field) })
  }
  if ((err.code === 'statutory_interval' || err.code === 'order') && err.field && te('pipeline.tenderRule.' + err.field)) {
    return t('common.labelValue', { label: t('pipeline.errors.' + err.code), value: t('pipeline.tenderRule.' + err.field) })
  }
  if (err.code === 'required' && err.field && te('pipeline.requiredField.' + err.field)) {
    return t('pipeline.requiredField.' + err.field)
  }
  if (err.code === 'checklist' && err.field) {
    // the item of the checklist in force (settings/lead-checklist)
    const item = leadChecklist.value.find((i) => i.code === err.field)
    if (item || te('pipeline.checklist.' + err.field))
      return t('common.labelValue', { label: t('pipeline.errors.checklist'), value: item ? checklistLabel(item) : t('pipeline.checklist.' + err.field) })
  }
  if (err.code === 'too_long' && err.max > 0) return errorText(err) // says the limit
  if (te('pipeline.errors.' + err.code)) return t('pipeline.errors.' + err.code)
  return errorText(err)
}

import { nextTick, ref } from 'vue'
import { ElMessage } from 'element-plus'
export function showPError(err) {
  if (err && err.status === 401) return
  ElMessage({ type: 'error', message: pipelineErrorText(err), grouping: true, showClose: true })
}
// Like useServerErrors, with the pipeline's codes: the translated text goes
// under the field the server named; `detail` keeps the server's (English)
// message for the statutory checks.
export function usePipelineErrors(fields = [], { labels = {} } = {}) {
  const fieldErrors = reactive({})
  const formError = ref('')
  const detail = ref('')
  function clear() {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
    formError.value = ''
    detail.value = ''
  }
  function apply(err) {
    clear()
    const text = pipelineErrorText(err)
    if (err && err.code === 'statutory_interval') detail.value = err.message || ''
    if (err && err.field && fields.includes(err.field)) {
      nextTick(() => {
        fieldErrors[err.field] = text
      })
      return true
    }
    formError.value = withFieldLabel(text, err && err.field, labels)
    return false
  }
  return { fieldErrors, formError, detail, apply, clear }
}

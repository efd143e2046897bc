// The customer master's codes (docs/api.md "Endpoints (customers)") and the
// shared look-ups of the customer pages: reference data (cached for the
// session), the reps a manager may pick, grade and completeness styling.
import { reactive, ref, watch } from 'vue'
import { api, fetchAll, itemsOf } from '../api/client'
import { localName } from '../i18n'

export const LEVELS = ['L3', 'L2', 'L1', 'UNGRADED']
export const CLASSES = ['A', 'B', 'C', 'NONE']
export const OWNERSHIPS = ['PUBLIC', 'PRIVATE', 'MILITARY', 'ENTERPRISE']
export const INST_TYPES = ['GENERAL', 'SPECIALTY', 'TCM', 'MCH', 'CHC', 'THC', 'CLINIC', 'ICL', 'CHECKUP', 'OTHER']
export const NETWORK_ROLES = ['NONE', 'LEAD', 'MEMBER']
export const INST_STATUSES = ['prospect', 'active', 'dormant']
export const GRADES = ['A', 'B', 'C']
export const COVERAGE_ROLES = ['primary', 'supporting', 'service']
export const DEPT_CATEGORIES = ['CLINICAL', 'MEDTECH', 'ADMIN']
export const DEPT_FUNCTIONS = ['CLINICAL', 'EQUIPMENT', 'PROCUREMENT', 'LAB', 'IMAGING', 'OR', 'ICU', 'MED_INSURANCE',
  'FINANCE', 'AUDIT', 'PRESIDENT', 'OTHER']
export const DECISION_ROLES = ['DECISION_MAKER', 'INFLUENCER', 'USER', 'GATEKEEPER', 'PROCUREMENT', 'FINANCE']
export const STANCES = ['supporter', 'neutral', 'opponent']
export const KOL_TIERS = ['national', 'provincial', 'city', 'none']
export const NEED_STATUSES = ['open', 'addressed', 'closed']
export const GENDERS = ['M', 'F']
export const COMPLETENESS_INST_FIELDS = ['level', 'class', 'type', 'ownership', 'beds', 'annual_outpatients', 'address',
  'location', 'segment', 'budget', 'network', 'relationship', 'installed_units', 'departments', 'key_contacts', 'needs']
export const COMPLETENESS_CONTACT_FIELDS = ['department', 'title', 'position', 'gender', 'mobile', 'email', 'wechat',
  'consent_date']
// Completeness bands of the list filter: [min, max] for completeness_min/max.
export const COMPLETENESS_BANDS = { low: [0, 59], mid: [60, 79], high: [80, 100] }

export const WRITER_ROLES = ['rep', 'manager', 'director', 'admin']
export const MANAGER_ROLES = ['manager', 'director', 'admin']

export function stanceTagType(s) {
  return { supporter: 'success', neutral: 'info', opponent: 'danger' }[s] || 'info'
}
export function kolTagType(k) {
  return { national: 'danger', provincial: 'warning', city: 'primary' }[k] || 'info'
}
export function needStatusTagType(s) {
  return { open: 'warning', addressed: 'success', closed: 'info' }[s] || 'info'
}
export function completenessColor(v) {
  if (v == null) return '#c0c4cc'
  return v >= 80 ? '#14a37f' : v >= 60 ? '#e6a23c' : '#f56c6c'
}

// Reference data, loaded once per page load.
export const refs = reactive({ loaded: false, provinces: [], regions: [], segments: [], productLines: [] })
let refsPromise = null
export function loadRefs() {
  if (!refsPromise) {
    refsPromise = Promise.all([
      fetchAll('/ref/provinces'), fetchAll('/ref/regions'), fetchAll('/ref/segments'), fetchAll('/ref/product_lines'),
    ]).then(([p, r, s, l]) => {
      const byPrio = (a, b) => (a.priority - b.priority) || String(a.code).localeCompare(String(b.code))
      refs.provinces = p.sort(byPrio)
      refs.regions = r.sort(byPrio)
      refs.segments = s.sort(byPrio)
      refs.productLines = l.sort(byPrio)
      refs.loaded = true
    }).catch((e) => {
      refsPromise = null
      throw e
    })
  }
  return refsPromise
}
function refName(list, code) {
  if (!code) return ''
  const r = list.find((x) => x.code === code)
  return r ? localName(r) : code
}
export const provinceName = (code) => refName(refs.provinces, code)
export const regionName = (code) => refName(refs.regions, code)
export const segmentName = (code) => refName(refs.segments, code)
export const productLineName = (code) => refName(refs.productLines, code)

// Region -> province cascade for el-cascader: [{value, label, children}]
export function provinceTree() {
  const tree = refs.regions.map((r) => ({
    value: r.code,
    label: localName(r),
    children: refs.provinces.filter((p) => p.parent_code === r.code).map((p) => ({ value: p.code, label: localName(p) })),
  })).filter((r) => r.children.length)
  const orphans = refs.provinces.filter((p) => !refs.regions.some((r) => r.code === p.parent_code))
  for (const p of orphans) tree.push({ value: p.code, label: localName(p) })
  return tree
}
export function regionOfProvince(code) {
  const p = refs.provinces.find((x) => x.code === code)
  return p ? p.parent_code : null
}

// Users a manager may pick (reps by default). Cached per role filter.
const userCache = new Map()
export function loadUsers(query = { role: 'rep' }) {
  const key = JSON.stringify(query)
  if (!userCache.has(key)) {
    const p = fetchAll('/users', { active: 'true', sort: 'username', ...query }).catch((e) => {
      userCache.delete(key)
      throw e
    })
    userCache.set(key, p)
  }
  return userCache.get(key)
}
export function userLabel(u) {
  if (!u) return ''
  return u.display_name ? `${u.display_name} (${u.username})` : u.username
}

// "Grade 3A" from level + class
export function hospitalGradeKey(level, cls) {
  return { level: level || 'UNGRADED', cls: cls && cls !== 'NONE' ? cls : '' }
}

// "三级甲等" / "Grade 3A" from level and class.
export function hospitalGradeText(t, level, cls) {
  return t('enums.level.' + (level || 'UNGRADED')) + (cls && cls !== 'NONE' && level !== 'UNGRADED' ? t('enums.classShort.' + cls) : '')
}

// The departments of the form's institution, for a department picker: a new
// institution clears the department and loads its list. Call loadDepts when
// the form is filled from a record.
export function useDepartmentsOf(form) {
  const depts = ref([])
  async function loadDepts(id) {
    depts.value = []
    if (!id) return
    try {
      depts.value = itemsOf(await api.get(`/institutions/${id}/departments`))
    } catch {
      depts.value = []
    }
  }
  watch(() => form.institution_id, (id, old) => {
    if (old && id !== old) form.department_id = null
    loadDepts(id)
  })
  return { depts, loadDepts }
}

// Checks the locale files of the web UI:
//   node tests/e2e/i18n-check.mjs
// Prints "ok - <check>" / "not ok - <check>: <keys>" and
// "i18n: N passed, M failed"; exits 1 when a check failed.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const web = join(root, 'web')
const LOCALES = ['zh-CN', 'en']

// Families of keys built at run time (t('roles.' + role) ...): every member
// must exist. Keep in step with src/composables/format.js and docs/api.md.
const ROLES = ['rep', 'manager', 'director', 'compliance', 'admin']
const UNIT_TYPES = ['company', 'region', 'province', 'district', 'team']
const REF_KINDS = ['product_lines', 'segments', 'regions', 'provinces']
const ERROR_CODES = ['invalid', 'required', 'unknown_field', 'too_long', 'out_of_range', 'bad_json', 'bad_utf8', 'bad_encoding',
  'unauthenticated', 'bad_credentials', 'forbidden', 'csrf', 'not_found', 'method_not_allowed', 'conflict',
  'too_large', 'throttled', 'busy', 'host', 'internal', 'weak_password', 'duplicate', 'cycle', 'network']
// The customer master's codes (web/src/composables/customers.js).
const CUSTOMER_ENUMS = {
  level: ['L3', 'L2', 'L1', 'UNGRADED'],
  class: ['A', 'B', 'C', 'NONE'],
  classShort: ['A', 'B', 'C'],
  ownership: ['PUBLIC', 'PRIVATE', 'MILITARY', 'ENTERPRISE'],
  instType: ['GENERAL', 'SPECIALTY', 'TCM', 'MCH', 'CHC', 'THC', 'CLINIC', 'ICL', 'CHECKUP', 'OTHER'],
  networkRole: ['NONE', 'LEAD', 'MEMBER'],
  instStatus: ['prospect', 'active', 'dormant'],
  grade: ['A', 'B', 'C'],
  coverageRole: ['primary', 'supporting', 'service'],
  deptCategory: ['CLINICAL', 'MEDTECH', 'ADMIN'],
  deptFunction: ['CLINICAL', 'EQUIPMENT', 'PROCUREMENT', 'LAB', 'IMAGING', 'OR', 'ICU', 'MED_INSURANCE', 'FINANCE', 'AUDIT',
    'PRESIDENT', 'OTHER'],
  decisionRole: ['DECISION_MAKER', 'INFLUENCER', 'USER', 'GATEKEEPER', 'PROCUREMENT', 'FINANCE'],
  stance: ['supporter', 'neutral', 'opponent'],
  kolTier: ['national', 'provincial', 'city', 'none'],
  needStatus: ['open', 'addressed', 'closed'],
  gender: ['M', 'F', 'none'],
}
const COMPLETENESS_FIELDS = {
  institution: ['level', 'class', 'type', 'ownership', 'beds', 'annual_outpatients', 'address', 'location', 'segment', 'budget',
    'network', 'relationship', 'installed_units', 'departments', 'key_contacts', 'needs'],
  contact: ['department', 'title', 'position', 'gender', 'mobile', 'email', 'wechat', 'consent_date'],
}
const GRADE_PARTS = ['level', 'beds', 'budget', 'installed', 'supporters', 'opponents', 'relationship', 'history', 'hub', 'teaching',
  'kol', 'network']
const INST_FIELDS = ['aliases', 'province', 'city', 'address', 'coordinates', 'hospitalGrade', 'type', 'ownership', 'segment', 'status',
  'beds', 'outpatients', 'teaching', 'network', 'budget', 'installedUnits', 'relationship', 'potential', 'owner', 'updatedAt']
const CUSTOMER_KEYS = [
  ...Object.entries(CUSTOMER_ENUMS).flatMap(([k, codes]) => codes.map((c) => `enums.${k}.${c}`)),
  ...Object.entries(COMPLETENESS_FIELDS).flatMap(([p, fs]) => fs.flatMap((f) => [`completenessFields.${p}.${f}`, `completenessHelp.${p}.${f}`])),
  ...GRADE_PARTS.flatMap((p) => [`grading.parts.${p}`, `grading.rules.${p}`]),
  ...['potential', 'willingness', 'influence'].flatMap((f) => [`grading.factors.${f}`, `settings.grading.factorHelp.${f}`]),
  ...['computed', 'override', 'override_cleared'].map((s) => `grading.sources.${s}`),
  ...INST_FIELDS.map((f) => `inst.${f}`),
  ...['overview', 'departments', 'contacts', 'needs', 'grades', 'coverage'].map((t) => `inst.tabs.${t}`),
  ...['low', 'mid', 'high'].map((b) => `inst.bands.${b}`),
  ...['institutions', 'departments', 'contacts'].map((k) => `importer.kinds.${k}`),
]
// the visits' codes (web/src/views/visits/visits.js), translated under visits.*
const VISIT_ENUMS = {
  types: ['in_person', 'phone', 'online', 'dept_meeting', 'academic', 'joint'],
  state: ['planned', 'checked_in', 'checked_out', 'completed', 'cancelled', 'missed', 'effective', 'notEffective'],
  locStatus: ['none', 'verified', 'unverified', 'suspicious'],
  locReason: ['within', 'outside', 'low_accuracy', 'no_position', 'institution_no_location', 'far', 'remote'],
  reasons: ['not_completed', 'no_check_in', 'location_unverified', 'location_suspicious', 'no_check_out', 'too_short', 'no_contact',
    'no_decision_contact', 'too_few_steps', 'no_objective', 'no_outcome', 'no_next_step', 'logged_late'],
  warnings: ['too_fast', 'repeated_coords', 'short', 'late_log'],
  warningHelp: ['too_fast', 'repeated_coords', 'short', 'late_log'],
  taskStatus: ['open', 'done'],
  proposalStatus: ['ok', 'due', 'overdue', 'never'],
  errors: ['not_covered', 'invalid_state', 'steps', 'contact_ids', 'answers', 'product_line_code'],
  'form.posError': ['denied', 'timeout', 'unavailable', 'unsupported'],
  'settings.qtype': ['text', 'number', 'money', 'date', 'choice'],
  'settings.needFields': ['need', 'pain_points', 'current_solution', 'volume', 'budget_cycle', 'current_age_years', 'budget_fen', 'decision_by'],
  'settings.eff': ['require_location', 'require_contact', 'require_objective', 'require_outcome', 'require_next_step'],
  'settings.rule': ['verified_m', 'suspicious_m', 'max_accuracy_m', 'max_speed_kmh', 'repeat_coords', 'short_minutes', 'late_log_hours',
    'future_skew_s', 'contact_visits_a', 'contact_visits_b', 'contact_visits_c', 'plan_per_day'],
  'coverage.kpi': ['visits', 'effective', 'effectiveRate', 'planRate', 'covered', 'underVisited', 'frequencyRate', 'missed'],
  'calendar.weekdays': ['0', '1', '2', '3', '4', '5', '6'],
}
const VISIT_KEYS = Object.entries(VISIT_ENUMS).flatMap(([k, codes]) => codes.map((c) => `visits.${k}.${c}`))
const DYNAMIC = [
  ...ROLES.map((r) => 'roles.' + r),
  ...ROLES.map((r) => 'roleScope.' + r),
  ...UNIT_TYPES.map((u) => 'unitTypes.' + u),
  ...REF_KINDS.map((k) => 'refKinds.' + k),
  ...REF_KINDS.map((k) => 'refKindOne.' + k),
  ...ERROR_CODES.map((c) => 'errors.' + c),
  ...CUSTOMER_KEYS,
  ...VISIT_KEYS,
  ...['intent_notice', 'announcement', 'doc_from', 'doc_to', 'clarification', 'bid_deadline', 'opening',
    'evaluation', 'award_notice', 'challenge_deadline', 'contract_deadline'].map((m) => 'pipeline.milestone.' + m),
]

// The audit log's actions and record types, read from the store's calls
// that write it: db_insert_audited(st, who, "entity", ...) is a "create";
// store_audit_append and db_exec_audited take the action, then the entity
// (either may be `cond ? "a" : "b"`); db_update_versioned audits an update
// of its table.
function auditCodes() {
  const actions = new Set(['create', 'update']), entities = new Set()
  const dir = join(root, 'src', 'store')
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.c'))) {
    const src = readFileSync(join(dir, f), 'utf8')
    for (const m of src.matchAll(/\b(db_insert_audited|db_exec_audited|store_audit_append|db_update_versioned)\(([^;]*)\);/g)) {
      const args = [] // top-level arguments
      let depth = 0, cur = '', quoted = false
      for (const ch of m[2]) {
        if (ch === '"') quoted = !quoted
        if (!quoted && ch === '(') depth++
        if (!quoted && ch === ')') depth--
        if (!quoted && depth === 0 && ch === ',') { args.push(cur.trim()); cur = ''; continue }
        cur += ch
      }
      args.push(cur.trim())
      const lits = (a) => [...(a || '').matchAll(/"([a-z_]+)"/g)].map((x) => x[1])
      if (m[1] === 'db_insert_audited' || m[1] === 'db_update_versioned') {
        lits(args[2]).forEach((e) => entities.add(e))
      } else {
        lits(args[2]).forEach((a) => actions.add(a))
        lits(args[3]).forEach((e) => entities.add(e))
      }
    }
  }
  return [...[...actions].map((a) => 'audit.actions.' + a), ...[...entities].map((e) => 'audit.entities.' + e)]
}
DYNAMIC.push(...auditCodes())

const results = []
function check(name, problems) {
  results.push({ name, problems })
}

function flatten(obj, prefix = '', out = new Map()) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? prefix + '.' + k : k
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out)
    else out.set(key, v)
  }
  return out
}

const messages = {}
for (const loc of LOCALES) {
  const file = join(web, 'src/locales', loc + '.json')
  try {
    messages[loc] = flatten(JSON.parse(readFileSync(file, 'utf8')))
  } catch (e) {
    check(`${loc}.json parses`, [e.message])
    messages[loc] = new Map()
  }
}

// 1. the same keys in both files
for (const loc of LOCALES) {
  for (const other of LOCALES) {
    if (other === loc) continue
    const missing = [...messages[other].keys()].filter((k) => !messages[loc].has(k))
    check(`${loc} has every key of ${other}`, missing)
  }
}

// 2. no empty (or non-string) message
for (const loc of LOCALES) {
  const empty = [...messages[loc]].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k)
  check(`${loc} has no empty message`, empty)
}

// 3. every key used in web/src exists
function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p, out)
    else if (/\.(vue|js|mjs|ts)$/.test(name)) out.push(p)
  }
  return out
}
const used = new Map() // key -> first file
const KEY_PATTERNS = [
  /(?<![\w.])\$?(?:t|te)\(\s*'([^'$`{}+]+)'\s*[,)]/g, // t('a.b'), $t('a.b'), te('a.b')
  /(?<![\w.])\$?(?:t|te)\(\s*"([^"$`{}+]+)"\s*[,)]/g,
  /\b(?:labelKey|descKey|titleKey)\s*:\s*'([^']+)'/g, // menu / module config
]
for (const file of walk(join(web, 'src'))) {
  // comments (examples in them are not uses)
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  for (const re of KEY_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const key = m[1]
      if (!/^[A-Za-z][\w-]*(\.[\w-]+)+$/.test(key)) continue // not a message key
      if (!used.has(key)) used.set(key, relative(root, file))
    }
  }
}
for (const loc of LOCALES) {
  const missing = [...used].filter(([k]) => !messages[loc].has(k)).map(([k, f]) => `${k} (${f})`)
  check(`${loc} has every key used in web/src (${used.size} keys)`, missing)
}

// 4. keys built at run time (roles, unit types, error codes ...)
for (const loc of LOCALES) {
  check(`${loc} has every run-time key (${DYNAMIC.length} keys)`, DYNAMIC.filter((k) => !messages[loc].has(k)))
}

// 5. the same {placeholders} in both languages
const ph = (s) => [...new Set([...String(s).matchAll(/\{\s*([\w.]+)\s*\}/g)].map((m) => m[1]))].sort().join(',')
{
  const bad = []
  for (const [k, v] of messages['zh-CN']) {
    if (messages.en.has(k) && ph(v) !== ph(messages.en.get(k))) bad.push(`${k} ({${ph(v)}} vs {${ph(messages.en.get(k))}})`)
  }
  check('placeholders match between zh-CN and en', bad)
}

// English singular and plural forms ("{n} row | {n} rows"), chosen by the
// count given as t()'s third argument; only these keys may have them.
const PLURAL = new Set(['importer.imported', 'importer.confirm', 'visits.proposals.accepted', 'visits.calendar.tasksN',
  'visits.coverage.visitsOf', 'grading.visitsFor', 'org.unitCount', 'depts.count', 'depts.contactsN', 'reassign.moved',
  'pipeline.opp.countAmount', 'home.desk.daysLate', 'home.today.overdue', 'home.today.dueToday', 'reassign.plans',
  'reassign.plansHandedOver', 'reassign.plansCancelled', 'visits.coverage.visitsOfDue', 'coverage.plansOfPrimary',
  'coverage.plansOfUser', 'coverage.plansHandedOver', 'coverage.plansCancelled'])

// 6. every message compiles with vue-i18n's compiler and is not an
//    accidental plural ('|') or linked message ('@')
{
  let compiler = null
  try {
    compiler = createRequire(join(web, 'package.json'))('@intlify/message-compiler')
  } catch {
    /* node_modules missing */
  }
  for (const loc of LOCALES) {
    if (!compiler) {
      check(`${loc} messages compile`, ['@intlify/message-compiler not found: run npm ci in web/'])
      continue
    }
    const bad = []
    for (const [k, v] of messages[loc]) {
      if (typeof v !== 'string') continue
      const errs = []
      let out = null
      try {
        out = compiler.baseCompile(v, { onError: (e) => errs.push(e.message), mode: 'normal' })
      } catch (e) {
        errs.push(e.message)
      }
      if (!errs.length && out && out.ast && out.ast.body && out.ast.body.type === 1 && !PLURAL.has(k)) errs.push("plural '|'")
      if (errs.length) bad.push(`${k}: ${errs[0]}`)
    }
    check(`${loc} messages compile`, bad)
  }
}

// 7. the English of docs/glossary.md: a message that is exactly a glossary
//    term in Chinese uses the glossary's English.
{
  const bad = []
  let text = ''
  try {
    text = readFileSync(join(root, 'docs/glossary.md'), 'utf8')
  } catch {
    bad.push('docs/glossary.md missing')
  }
  const terms = []
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim())
    if (cells.length < 4 || !cells[1] || cells[1] === '中文' || /^-+$/.test(cells[1])) continue
    for (const zh of cells[1].split(/[（(/]/)[0].split('/')) terms.push({ zh: zh.trim(), en: cells[2].replace(/\s*\(.*\)$/, '') })
  }
  const stem = (s) => s.toLowerCase().replace(/ies\b/g, 'y').replace(/s\b/g, '')
  for (const [k, zh] of messages['zh-CN']) {
    const term = terms.find((t) => t.zh === zh)
    const en = messages.en.get(k)
    if (term && en && !stem(en).includes(stem(term.en))) bad.push(`${k}: "${en}" should use "${term.en}"`)
  }
  check(`en follows docs/glossary.md (${terms.length} terms)`, bad)
}

// 8. a key with plural forms is called with its count: t('key', {...}, n)
{
  const bad = []
  for (const file of walk(join(web, 'src'))) {
    const text = readFileSync(file, 'utf8')
    for (const key of PLURAL) {
      // every call, not only the first
      const call = new RegExp(`t\\('${key.replace(/\./g, '\\.')}',\\s*\\{[^}]*\\},\\s*[^)\\s]`, 'y')
      for (let at = text.indexOf(`t('${key}'`); at >= 0; at = text.indexOf(`t('${key}'`, at + 1)) {
        call.lastIndex = at
        if (!call.test(text)) bad.push(`${relative(root, file)}: ${key} without a count`)
      }
    }
  }
  check(`plural keys are called with a count (${PLURAL.size} keys)`, bad)
}

// 9. vue-i18n fills the named `n` and `count` with the plural count when
//    they are falsy (`n ||= count`): t('k', { n: 0, r: 4 }, 4) reads "4 of 4".
//    A plural call's named n or count is therefore the count itself; any
//    other number gets its own name ({ done: visits, n: required }, required).
{
  const bad = []
  // the text of a call's arguments, from after `t(` to its closing parenthesis
  const argsAt = (text, from) => {
    let depth = 0
    let quote = ''
    for (let i = from; i < text.length; i++) {
      const ch = text[i]
      if (quote) {
        if (ch === '\\') i++
        else if (ch === quote) quote = ''
      } else if (ch === "'" || ch === '"' || ch === '`') quote = ch
      else if (ch === '(' || ch === '{' || ch === '[') depth++
      else if (ch === ')' || ch === '}' || ch === ']') {
        if (depth === 0) return text.slice(from, i)
        depth--
      }
    }
    return ''
  }
  // split at the commas of the top level
  const split = (s) => {
    const out = []
    let depth = 0
    let quote = ''
    let cur = ''
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]
      if (quote) {
        if (ch === '\\') { cur += ch + s[++i]; continue }
        if (ch === quote) quote = ''
      } else if (ch === "'" || ch === '"' || ch === '`') quote = ch
      else if ('({['.includes(ch)) depth++
      else if (')}]'.includes(ch)) depth--
      else if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue }
      cur += ch
    }
    if (cur.trim()) out.push(cur.trim())
    return out
  }
  const norm = (s) => s.replace(/\s+/g, '')
  for (const file of walk(join(web, 'src'))) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/(?<![\w.])\$?t\(\s*'([^']+)'/g)) {
      if (!PLURAL.has(m[1])) continue
      const args = split(argsAt(text, m.index + m[0].indexOf('(') + 1))
      if (args.length < 3 || !args[1].startsWith('{')) continue // reported by check 8
      const count = norm(args[2])
      for (const prop of split(args[1].slice(1, -1))) {
        const pm = /^(n|count)\s*(?::\s*([\s\S]+))?$/.exec(prop)
        if (pm && norm(pm[2] || pm[1]) !== count) bad.push(`${relative(root, file)}: ${m[1]} names ${pm[1]}: ${pm[2] || pm[1]} but counts ${args[2]}`)
      }
    }
  }
  check('plural calls name no other number n or count', bad)
}

// 10. Chinese text takes full-width punctuation （）；：，？！ and English
//     the ASCII one; {placeholders} and numbers such as 5,000,000 aside.
{
  const strip = (v) => String(v).replace(/\{[^}]*\}/g, '').replace(/\d,\d/g, '')
  const cjk = /[\u3400-\u9fff]/
  const zhBad = [...messages['zh-CN']].filter(([, v]) => cjk.test(v) && /[;:,()?!]/.test(strip(v))).map(([k]) => k)
  check('zh-CN uses full-width punctuation', zhBad)
  const enBad = [...messages.en].filter(([, v]) => /[（）；：，？！]/.test(strip(v))).map(([k]) => k)
  check('en uses ASCII punctuation', enBad)
}

let passed = 0
let failed = 0
for (const r of results) {
  if (r.problems.length === 0) {
    passed++
    console.log(`ok - ${r.name}`)
  } else {
    failed++
    console.log(`not ok - ${r.name}: ${r.problems.join('; ')}`)
  }
}
console.log(`i18n: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)

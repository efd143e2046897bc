// Structure-aware fuzzing of the HTTP API: every request of the API cases
// (tests/api/cases/*.json) is a template; each round picks one, resolves its
// variables to plausible ids and dates, and mutates its body and query
// (fields dropped, values replaced by other types, extremes, NUL bytes,
// long or broken text, long arrays) before sending it as one of several
// demo users. No answer may be a 5xx, a 400 must name the field at fault
// (unless the whole document is unreadable), and the server must stay up. Run
// after tests/api/run.mjs against the same sanitizer-built server, whose log
// scripts/test.sh then checks.
//
//   MEDSALES_URL=http://127.0.0.1:18080 node tests/api/fuzz.mjs [requests] [seed]
//
// Prints "not ok - <route>: ..." per route that failed and
// "apifuzz: N passed, M failed" over the routes exercised.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const BASE = (process.env.MEDSALES_URL || 'http://127.0.0.1:18080').replace(/\/$/, '')
const PASSWORD = process.env.MEDSALES_DEMO_PASSWORD || 'Demo@2026'
const CASES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases')
const N = Number(process.argv[2] || 3000)
let seed = Number(process.argv[3] || 20261127) >>> 0 || 1

// xorshift32: the same run for the same seed.
function rnd() {
  seed ^= seed << 13
  seed >>>= 0
  seed ^= seed >>> 17
  seed ^= seed << 5
  seed >>>= 0
  return seed / 4294967296
}
const pick = (a) => a[Math.floor(rnd() * a.length)]

// Templates: the requests of the cases, except logins, password changes and
// the throttle cases (they would lock the users out) and whole-variable paths.
const templates = []
for (const f of fs.readdirSync(CASES).sort()) {
  if (!f.endsWith('.json') || f.startsWith('zz_')) continue
  for (const c of JSON.parse(fs.readFileSync(path.join(CASES, f), 'utf8'))) {
    for (const s of c.steps || []) {
      if (typeof s.path === 'string' && s.path.startsWith('/api/') && s.method &&
          !/\/auth\/|password/.test(s.path)) templates.push(s)
    }
  }
}

const USERS = ['rep.sh1', 'rep.bj1', 'mgr.sh', 'director', 'compliance', 'admin']
const sessions = new Map()
async function login(u) {
  const r = await fetch(BASE + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: BASE },
    body: JSON.stringify({ username: u, password: PASSWORD }),
  })
  if (!r.ok) throw new Error(`login ${u}: ${r.status}`)
  sessions.set(u, { cookie: (r.headers.get('set-cookie') || '').split(';')[0], csrf: (await r.json()).csrf_token })
}

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
const dayPlus = (d) => new Date(Date.parse(today) + d * 86400000).toISOString().slice(0, 10)
const someId = () => pick([1, 2, 5, 10, 13, 20, 50, 100, 300, 600, 1000, 5000])

function resolve(x) {
  if (typeof x === 'string') {
    if (/^\$\{(?!today|run)[^}]*\}$/.test(x)) return someId()
    return x.replace(/\$\{today([+-]\d+)?\}/g, (_, d) => dayPlus(Number(d || 0)))
      .replace(/\$\{run\}/g, 'fz' + seed).replace(/\$\{[^}]*\}/g, () => String(someId()))
  }
  if (Array.isArray(x)) return x.map(resolve)
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, resolve(v)]))
  return x
}

const WEIRD = [null, true, false, 0, -1, 1.5, -0.5, 1e308, -1e308, 2 ** 53 + 1, -2147483649, '', ' ',
  'x', '0', '-0', '1e3', 'NaN', 'Infinity', '2026-13-01', '2026-02-29', '0000-00-00',
  '2026-11-27T25:00:00+08:00', 'a'.repeat(5000), 'x\u0000y', '😀', '协和', "'; DROP TABLE users; --",
  '%s%n', '../../etc/passwd', [], {}, [1, 2], { a: 1 }]

function mutate(x, depth = 0) {
  if (depth > 4) return pick(WEIRD)
  if (Array.isArray(x)) {
    if (rnd() < 0.2) return pick(WEIRD)
    let a = x.map((e) => (rnd() < 0.4 ? mutate(e, depth + 1) : e))
    if (rnd() < 0.15 && a.length) a = a.concat(Array(Math.floor(rnd() * 300)).fill(a[0]))
    if (rnd() < 0.1) a.push(pick(WEIRD))
    return a
  }
  if (x && typeof x === 'object') {
    const o = { ...x }
    const keys = Object.keys(o)
    for (let i = Math.floor(rnd() * 3) + 1; i > 0 && keys.length; i--) {
      const k = pick(keys)
      const r = rnd()
      if (r < 0.2) delete o[k]
      else if (r < 0.5 && o[k] && typeof o[k] === 'object') o[k] = mutate(o[k], depth + 1)
      else o[k] = pick(WEIRD)
    }
    if (rnd() < 0.1) o[pick(['version', 'id', 'owner_id', 'unit_id', 'extra'])] = pick(WEIRD)
    return o
  }
  return pick(WEIRD)
}

function mutatePath(p) {
  const [base, query] = p.split('?')
  let b = base
  if (rnd() < 0.1) b = b.replace(/\/\d+(?=\/|$)/, () => '/' + encodeURIComponent(String(pick(WEIRD))))
  const qs = new URLSearchParams(query || '')
  if (rnd() < 0.4) {
    const keys = [...qs.keys()]
    const k = keys.length && rnd() < 0.6 ? pick(keys) : pick(['limit', 'offset', 'sort', 'q', 'from', 'to', 'status', 'as_of', 'owner_id'])
    const v = pick(WEIRD)
    qs.set(k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))
  }
  const q = qs.toString()
  return b + (q ? '?' + q : '')
}

// A route is the template's path with its variables as {id}.
const routeOf = (t) => t.method + ' ' + String(t.path).split('?')[0].replace(/\$\{[^}]*\}/g, '{id}').replace(/\/\d+(?=\/|$)/g, '/{id}')
const results = new Map() // route -> first failure or ''
let sent = 0
try {
  for (const u of USERS) await login(u)
  for (let i = 0; i < N; i++) {
    const t = pick(templates)
    const u = t.as && sessions.has(t.as) && rnd() < 0.6 ? t.as : pick(USERS)
    const p = mutatePath(String(t.path).replace(/\$\{today([+-]\d+)?\}/g, (_, d) => dayPlus(Number(d || 0)))
      .replace(/\$\{[^}]*\}/g, () => String(someId())))
    let body
    if (t.body !== undefined) body = JSON.stringify(rnd() < 0.85 ? mutate(resolve(t.body)) : resolve(t.body))
    else if (t.method !== 'GET' && rnd() < 0.3) body = JSON.stringify(mutate({ value: 1 }))
    const s = sessions.get(u)
    const route = routeOf(t)
    if (!results.has(route)) results.set(route, '')
    let r, text = ''
    try {
      r = await fetch(BASE + p, {
        method: t.method,
        headers: { 'Content-Type': 'application/json', Origin: BASE, Cookie: s.cookie, 'X-CSRF-Token': s.csrf },
        body,
      })
      text = await r.text()
    } catch (e) {
      results.set(route, results.get(route) || `no answer (${e.message}) to ${t.method} ${p.slice(0, 200)} ${String(body).slice(0, 200)}`)
      break
    }
    sent++
    if (r.status >= 500 && !results.get(route)) {
      results.set(route, `${r.status} as ${u} to ${t.method} ${p.slice(0, 200)} ${String(body).slice(0, 300)}`)
    }
    // A 400 names the field at fault ("file" for an import's CSV), unless
    // the document as a whole is unreadable (JSON syntax, UTF-8).
    if (r.status === 400 && !results.get(route)) {
      let err = null
      try { err = JSON.parse(text).error } catch { /* checked below */ }
      if (!err || typeof err.code !== 'string' || typeof err.message !== 'string') {
        results.set(route, `400 without a JSON error to ${t.method} ${p.slice(0, 200)}: ${text.slice(0, 200)}`)
      } else if (!err.field && !['bad_json', 'bad_utf8'].includes(err.code)) {
        results.set(route, `400 '${err.code}' names no field, to ${t.method} ${p.slice(0, 200)} ${String(body).slice(0, 200)}: ${err.message}`)
      }
    }
    if (r.status === 401) await login(u) // a mutated PATCH /me or /users may end a session
  }
  const h = await fetch(BASE + '/api/v1/health')
  if (!h.ok) results.set('GET /api/v1/health (after)', `status ${h.status}`)
} catch (e) {
  results.set('(fuzz run)', e.message)
}

let passed = 0, failed = 0
for (const [route, why] of results) {
  if (why) {
    failed++
    console.log(`not ok - ${route}: ${why}`)
  } else {
    passed++
  }
}
console.log(`${sent} requests over ${results.size} routes, seed ${process.argv[3] || 20261127}`)
console.log(`apifuzz: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)

// The HTTP layer's defences and the login throttle (issue 23 points 4, 5, 6,
// 8, 13), on a server of its own started with
//   --trusted-proxy 127.0.0.1 --allowed-hosts medsales.example
// so that X-Forwarded-For stands for clients at other addresses; requests
// sent from 127.0.0.2 (localAddress) come from a peer that is not trusted:
//
//   MEDSALES_URL=http://127.0.0.1:18080 node tests/api/hardening.mjs
//
// Prints "ok - name" / "not ok - name: reason" and "hardening: N passed, N
// failed". About 15 s (one wait of the account throttle's 5 s delay).
import http from 'node:http'

const BASE = (process.env.MEDSALES_URL || 'http://127.0.0.1:18080').replace(/\/$/, '')
const url = new URL(BASE)
const PASSWORD = 'Demo@2026'
const RUN = Date.now().toString(36)
const T0 = Date.now()
let passed = 0
let failed = 0

function check(name, cond, why) {
  if (process.env.HARDENING_TIMES) console.log(`# ${((Date.now() - T0) / 1000).toFixed(1)} s`)
  if (cond) { passed++; console.log(`ok - ${name}`) } else { failed++; console.log(`not ok - ${name}: ${why}`) }
}

// One request through node:http, which sends Host and every header as given.
// body: a Buffer; or {length, send} to announce length bytes and send only
// `send` of them, resolving with the first answer (or 'timeout'); or
// {chunked: n} to send n bytes chunked, without Content-Length. from: the
// local address to send from (the peer address the server sees).
function raw(method, path, headers = {}, body = null, waitMs = 5000, from = undefined) {
  return new Promise((resolve) => {
    const chunked = body && !Buffer.isBuffer(body) && body.chunked
    const partial = body && !Buffer.isBuffer(body) && !chunked
    const h = { ...headers }
    if (body && !chunked) h['Content-Length'] = String(partial ? body.length : body.length)
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers: h, setHost: !('Host' in h), localAddress: from })
    const timer = setTimeout(() => { req.destroy(); resolve({ status: 'timeout', headers: {}, text: '' }) }, waitMs)
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => { text += d })
      res.on('end', () => { clearTimeout(timer); req.destroy(); resolve({ status: res.statusCode, headers: res.headers, text }) })
      res.on('error', () => {})
    })
    req.on('error', (e) => { clearTimeout(timer); resolve({ status: 'error', headers: {}, text: String(e) }) })
    if (partial) req.write(Buffer.alloc(body.send, 'a'))
    else if (chunked) {
      for (let n = 0; n < body.chunked; n += 4096) req.write(Buffer.alloc(Math.min(4096, body.chunked - n), ' '))
      req.end()
    } else req.end(body || undefined)
  })
}

function json(text) { try { return JSON.parse(text) } catch { return null } }

async function login(username, password, xff) {
  const headers = { 'Content-Type': 'application/json' }
  if (xff) headers['X-Forwarded-For'] = xff
  const r = await raw('POST', '/api/v1/auth/login', headers, Buffer.from(JSON.stringify({ username, password })), 60000)
  const m = /ms_session=([0-9a-f]+)/.exec([].concat(r.headers['set-cookie'] || []).join(';'))
  return { ...r, cookie: m ? m[1] : null, csrf: json(r.text)?.csrf_token }
}

function session(s) { return { Cookie: `ms_session=${s.cookie}`, 'X-CSRF-Token': s.csrf } }

async function createUser(admin, username, role, unit = 1) {
  const r = await raw('POST', '/api/v1/users', { ...session(admin), 'Content-Type': 'application/json' },
    Buffer.from(JSON.stringify({ username, display_name: username, role, unit_id: unit, password: 'Start@2026' })))
  if (r.status !== 201) throw new Error(`create ${username}: ${r.status} ${r.text}`)
}

const admin = await login('admin', PASSWORD)
if (admin.status !== 200) throw new Error(`admin login: ${admin.status} ${admin.text}`)
const SEC = ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']
const hasSec = (r) => SEC.every((h) => r.headers[h])

// ---- point 8: Host ----------------------------------------------------------
{
  const body = Buffer.from(JSON.stringify({ username: 'director', password: PASSWORD }))
  const r = await raw('POST', '/api/v1/auth/login',
    { Host: 'rebind.evil.example', Origin: 'http://rebind.evil.example', 'Content-Type': 'application/json' }, body)
  check('a login with a foreign Host (DNS rebinding) is 421 host', r.status === 421 && json(r.text)?.error?.code === 'host' &&
    json(r.text)?.error?.field === 'Host' && !r.headers['set-cookie'] && hasSec(r), `${r.status} ${r.text}`)
  for (const host of [`127.0.0.1:${url.port}`, `localhost:${url.port}`, 'localhost', `medsales.example:${url.port}`, 'MedSales.Example.']) {
    const g = await raw('GET', '/api/v1/health', { Host: host })
    check(`Host ${host} is served`, g.status === 200, `${g.status} ${g.text}`)
  }
  for (const host of ['evil.example', `127.0.0.2:${url.port}`, 'medsales.example:80x', 'medsales.example.evil']) {
    const g = await raw('GET', '/', { Host: host })
    check(`Host ${host} is 421`, g.status === 421, `${g.status}`)
  }
}

// ---- point 13: our own 414 and 431, with the security headers ---------------
{
  const r = await raw('GET', '/api/v1/health?q=' + 'x'.repeat(8000))
  check('a URL over 4 KiB is 414 with the security headers', r.status === 414 && hasSec(r) &&
    json(r.text)?.error?.field === 'url', `${r.status} ${JSON.stringify(r.headers)}`)
  const h = await raw('GET', '/api/v1/health', { 'X-Pad': 'x'.repeat(20000) })
  check('headers over 16 KiB are 431 with the security headers', h.status === 431 && hasSec(h) &&
    json(h.text)?.error?.field === 'headers', `${h.status} ${JSON.stringify(h.headers)}`)
  const s = await raw('GET', '/?' + 'x'.repeat(5000))
  check('a long URL to the web UI is 414 with the security headers', s.status === 414 && hasSec(s), `${s.status}`)
}

// ---- point 4: large bodies only for who may send them -----------------------
const BIG = 60 * 1024 * 1024
{
  // The answer comes from the headers alone: only 64 KiB of the announced
  // 60 MiB are sent, and the server does not wait for the rest.
  const r = await raw('POST', '/api/v1/import/institutions', { 'Content-Type': 'text/csv' }, { length: BIG, send: 65536 }, 3000)
  check('an unauthenticated 60 MiB import is 401 before the body', r.status === 401 &&
    json(r.text)?.error?.code === 'unauthenticated' && hasSec(r), `${r.status} ${r.text}`)
  const k = await raw('POST', '/api/v1/import/no-such-kind', { 'Content-Type': 'text/csv' }, { length: BIG, send: 65536 }, 3000)
  check('an unauthenticated upload to any import URL is 401 before the body', k.status === 401, `${k.status}`)
  const rep = await login('rep.sh1', PASSWORD)
  const f = await raw('POST', '/api/v1/import/institutions', { ...session(rep), 'Content-Type': 'text/csv' }, { length: BIG, send: 65536 }, 3000)
  check('a rep\'s 60 MiB import is 403 before the body', f.status === 403 && json(f.text)?.error?.code === 'forbidden', `${f.status} ${f.text}`)
  const mgr = await login('mgr.sh', PASSWORD)
  const nocsrf = await raw('POST', '/api/v1/import/institutions', { Cookie: `ms_session=${mgr.cookie}`, 'Content-Type': 'text/csv' }, { length: BIG, send: 65536 }, 3000)
  check('an import without its CSRF token is 403 csrf before the body', nocsrf.status === 403 && json(nocsrf.text)?.error?.code === 'csrf', `${nocsrf.status} ${nocsrf.text}`)
  const over = await raw('POST', '/api/v1/import/institutions', { ...session(mgr), 'Content-Type': 'text/csv' }, { length: 64 * 1024 * 1024 + 1, send: 1024 }, 3000)
  check('an import announced over 64 MiB is 413 before the body', over.status === 413, `${over.status}`)

  // Two large bodies at once; the third is 503 with Retry-After.
  const held = []
  for (let i = 0; i < 2; i++) {
    held.push(new Promise((resolve) => {
      const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/api/v1/import/institutions?dry_run=true',
        headers: { ...session(mgr), 'Content-Type': 'text/csv', 'Content-Length': String(BIG) } })
      req.on('error', () => {})
      req.write('code,name\n')
      resolve(req)
    }))
  }
  const reqs = await Promise.all(held)
  await new Promise((r) => setTimeout(r, 500))
  const third = await raw('POST', '/api/v1/import/institutions', { ...session(mgr), 'Content-Type': 'text/csv' }, { length: BIG, send: 1024 }, 3000)
  check('a third large body at once is 503 busy with Retry-After', third.status === 503 &&
    json(third.text)?.error?.code === 'busy' && third.headers['retry-after'] === '5', `${third.status} ${third.text}`)
  for (const r of reqs) r.destroy()
  await new Promise((r) => setTimeout(r, 500))
  const csv = Buffer.from(`name,province_code,city,level\n硬化${RUN},SH,上海,L3\n`)
  const ok = await raw('POST', '/api/v1/import/institutions?dry_run=true', { ...session(mgr), 'Content-Type': 'text/csv' }, csv)
  check('once they are gone an import runs again (from its temporary file)', ok.status === 200 &&
    json(ok.text)?.dry_run === true && json(ok.text)?.valid === 1, `${ok.status} ${ok.text}`)
}

// ---- X-Forwarded-Proto only from a trusted proxy ----------------------------
{
  const host = `127.0.0.1:${url.port}`
  const body = Buffer.from(JSON.stringify({ username: 'director', password: PASSWORD }))
  const ct = { 'Content-Type': 'application/json' }
  const t = await raw('POST', '/api/v1/auth/login', { ...ct, Origin: `https://${host}`, 'X-Forwarded-Proto': 'https' }, body)
  check('Origin https with X-Forwarded-Proto: https from a trusted proxy logs in', t.status === 200, `${t.status} ${t.text}`)
  const n = await raw('POST', '/api/v1/auth/login', { ...ct, Origin: `https://${host}` }, body)
  check('Origin https without X-Forwarded-Proto is 403 csrf', n.status === 403 && json(n.text)?.error?.code === 'csrf', `${n.status} ${n.text}`)
  const p = await raw('POST', '/api/v1/auth/login', { ...ct, Origin: `http://${host}` }, body, 5000, '127.0.0.2')
  check('a peer that is not a trusted proxy logs in with Origin http', p.status === 200, `${p.status} ${p.text}`)
  const u = await raw('POST', '/api/v1/auth/login', { ...ct, Origin: `https://${host}`, 'X-Forwarded-Proto': 'https' }, body, 5000, '127.0.0.2')
  check('X-Forwarded-Proto: https from a peer that is not a trusted proxy is ignored (403 csrf)',
    u.status === 403 && json(u.text)?.error?.code === 'csrf' && !u.headers['set-cookie'], `${u.status} ${u.text}`)
  const s = await login('director', PASSWORD)
  const w = await raw('PATCH', '/api/v1/me', { ...session(s), ...ct, Origin: `https://${host}`, 'X-Forwarded-Proto': 'https' },
    Buffer.from('{}'), 5000, '127.0.0.2')
  check('nor for a session\'s write (403 csrf)', w.status === 403 && json(w.text)?.error?.code === 'csrf', `${w.status} ${w.text}`)
}

// ---- small bodies without a session -------------------------------------------
{
  const ct = { 'Content-Type': 'application/json' }
  // Announced past 16 KiB, of which 1 KiB is sent: the answer comes at once.
  const l = await raw('POST', '/api/v1/auth/login', ct, { length: 100 * 1024, send: 1024 }, 3000)
  check('a login body announced over 16 KiB is 413 before the body', l.status === 413 &&
    json(l.text)?.error?.code === 'too_large' && hasSec(l), `${l.status} ${l.text}`)
  const a = await raw('POST', '/api/v1/institutions', ct, { length: 100 * 1024, send: 1024 }, 3000)
  check('a body over 16 KiB without a session is 401 before the body', a.status === 401 &&
    json(a.text)?.error?.code === 'unauthenticated', `${a.status} ${a.text}`)
  const nf = await raw('POST', '/api/v1/no-such-route', ct, { length: 100 * 1024, send: 1024 }, 3000)
  check('a body over 16 KiB without a session to an unknown route is 413 before the body', nf.status === 413, `${nf.status} ${nf.text}`)
  const bad = await raw('POST', '/api/v1/institutions', { ...ct, Cookie: `ms_session=${'0'.repeat(64)}` }, { length: 100 * 1024, send: 1024 }, 3000)
  check('a body over 16 KiB with an unknown session cookie is 401 before the body', bad.status === 401, `${bad.status} ${bad.text}`)
  // Exactly 16 KiB is read; one byte more is not.
  const pad = (n) => { const j = JSON.stringify({ username: `ghost-${RUN}-pad`, password: 'Wrong@2026' }); return Buffer.from(j + ' '.repeat(n - j.length)) }
  const at = await raw('POST', '/api/v1/auth/login', ct, pad(16 * 1024))
  check('a login body of exactly 16 KiB is read', at.status === 401 && json(at.text)?.error?.code === 'bad_credentials', `${at.status} ${at.text}`)
  const past = await raw('POST', '/api/v1/auth/login', ct, pad(16 * 1024 + 1))
  check('a login body of 16 KiB + 1 is 413', past.status === 413, `${past.status} ${past.text}`)
  const ch = await raw('POST', '/api/v1/auth/login', ct, { chunked: 20 * 1024 })
  check('a chunked body over 16 KiB without a session is 413', ch.status === 413 && json(ch.text)?.error?.code === 'too_large', `${ch.status} ${ch.text}`)
  // A session may send up to 1 MiB.
  const big = `big-${RUN}`
  await createUser(admin, big, 'rep')
  const s = await login(big, 'Start@2026')
  const b = Buffer.from('{"locale":"en"}' + ' '.repeat(200 * 1024))
  const ok = await raw('PATCH', '/api/v1/me', { ...session(s), ...ct }, b)
  check('a session sends a 200 KiB body', ok.status === 200 && json(ok.text)?.user?.locale === 'en', `${ok.status} ${ok.text.slice(0, 200)}`)
  const chs = await raw('PATCH', '/api/v1/me', { ...session(s), ...ct }, { chunked: 20 * 1024 })
  check('and a chunked one over 16 KiB (read, then refused as empty JSON)', chs.status === 400, `${chs.status} ${chs.text}`)
}

// ---- point 5: 48 parallel wrong passwords -----------------------------------
const par = `par-${RUN}`
await createUser(admin, par, 'rep')
{
  const all = await Promise.all(Array.from({ length: 48 }, (_, i) => login(par, `Wrong-${i}@2026`)))
  const checked = all.filter((r) => r.status === 401).length
  const refused = all.filter((r) => r.status === 429).length
  check('48 parallel wrong passwords: at most 5 are checked, the rest 429', checked <= 5 && checked >= 1 && checked + refused === 48,
    `${checked} checked (401), ${refused} refused (429), others: ${all.filter((r) => r.status !== 401 && r.status !== 429).map((r) => r.status)}`)
  const retry = all.find((r) => r.status === 429)?.headers['retry-after']
  check('the 429 says to wait at most 30 s', Number(retry) >= 1 && Number(retry) <= 30, `Retry-After ${retry}`)
}

// ---- point 6: per (address, username) and per account ------------------------
{
  // The pair (127.0.0.1, par) is slowed; the right password from there waits.
  const same = await login(par, 'Start@2026')
  check('the right password from the guessing address waits (429, at most 30 s)', same.status === 429 &&
    Number(same.headers['retry-after']) <= 30, `${same.status} ${same.headers['retry-after']}`)
  // From another address (X-Forwarded-For of a trusted proxy) it is accepted.
  const other = await login(par, 'Start@2026', `203.0.113.7, 127.0.0.1`)
  check('the right password from another address logs in', other.status === 200 && other.cookie, `${other.status} ${other.text}`)

  // 20 failures with made-up usernames do not touch anyone else.
  await Promise.all(Array.from({ length: 21 }, (_, i) => login(`ghost-${RUN}-${i}`, 'Wrong@2026')))
  const dir = await login('director', PASSWORD)
  check('after 21 failures with made-up usernames the director logs in', dir.status === 200, `${dir.status} ${dir.text}`)

  // The account limit: 20 failures from 20 addresses (one each, so that no
  // pair is slowed), then the right password from a 21st waits at most 5 s.
  const acct = `acct-${RUN}`
  await createUser(admin, acct, 'rep')
  const fails = await Promise.all(Array.from({ length: 20 }, (_, i) => login(acct, 'Wrong@2026', `198.51.100.${i + 1}`)))
  check('20 parallel failures on an account from 20 addresses are all checked', fails.every((r) => r.status === 401),
    fails.map((r) => r.status).join(' '))
  const slow = await login(acct, 'Start@2026', '198.51.100.200')
  const wait = Number(slow.headers['retry-after'])
  check('past 20 failures on an account the right password waits at most 5 s', slow.status === 429 && wait >= 1 && wait <= 5,
    `${slow.status} Retry-After ${slow.headers['retry-after']}`)
  await new Promise((r) => setTimeout(r, (wait || 5) * 1000 + 200))
  const later = await login(acct, 'Start@2026', '198.51.100.200')
  check('after that wait the right password logs in', later.status === 200, `${later.status} ${later.text}`)

  // X-Forwarded-For from an untrusted peer is ignored: see
  // tests/api/cases/zz_throttle_address.json (a server without --trusted-proxy).
  const spoof = await login(`ghost-${RUN}`, 'Wrong@2026', 'not-an-address')
  check('a malformed X-Forwarded-For is ignored (the peer address counts)', spoof.status === 401, `${spoof.status}`)
}

console.log(`hardening: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)

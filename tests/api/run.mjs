// run.mjs: data-driven HTTP tests of the API (curl's tests/data idea). Reads
// every tests/api/cases/*.json (sorted; zz_* last), runs each case against
// MEDSALES_URL and prints "ok - name" / "not ok - name: reason", then
// "api: N passed, N failed". Exit 1 when any case failed.
//
//   MEDSALES_URL=http://127.0.0.1:18555 node tests/api/run.mjs [--only text]
//   MEDSALES_API_SKIP=zz_throttle_address.json   skip whole files
//
// Only Node built-ins: global fetch for ordinary requests, node:http for the
// few that must send a path exactly as written (fetch would normalise
// "/../" away). The case format is described in tests/README.md.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CASES_DIR = path.join(HERE, 'cases');
const DEFAULT_PASSWORD = 'Demo@2026';

const BASE = (process.env.MEDSALES_URL || '').replace(/\/+$/, '');
if (!BASE) {
  console.error('run.mjs: set MEDSALES_URL, e.g. http://127.0.0.1:18555');
  process.exit(2);
}

let only = null;
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--only' && i + 1 < process.argv.length) only = process.argv[++i];
  else if (a.startsWith('--only=')) only = a.slice(7);
  else {
    console.error(`run.mjs: unknown argument '${a}'`);
    process.exit(2);
  }
}
const skipFiles = new Set(
  (process.env.MEDSALES_API_SKIP || '').split(',').map((s) => s.trim()).filter(Boolean));

// A run id makes every created name unique, so that the suite can run twice
// against the same database.
const RUN = Date.now().toString(36) + Math.floor(Math.random() * 1296).toString(36);

// Business dates are Asia/Shanghai (UTC+8, no DST).
function shanghaiDate(offsetDays) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + offsetDays * 86400 * 1000);
  return d.toISOString().slice(0, 10);
}

// An instant offsetMinutes from now, as YYYY-MM-DDTHH:MM:SS+08:00.
function shanghaiInstant(offsetMinutes) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + offsetMinutes * 60 * 1000);
  return d.toISOString().slice(0, 19) + '+08:00';
}

// ---- sessions -------------------------------------------------------------
// name -> {cookie, csrf}. A name that is a username logs in on first use with
// the demo password; steps with "saveSession" store one under any name.
const sessions = new Map();

function cookieFrom(res) {
  const list = typeof res.headers.getSetCookie === 'function'
    ? res.headers.getSetCookie()
    : [res.headers.get('set-cookie') || ''];
  for (const c of list) {
    const m = /(?:^|,\s*)ms_session=([^;]*)/.exec(c);
    if (m) return m[1];
  }
  return null;
}

async function login(username, password) {
  const res = await fetch(BASE + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`log in as '${username}': ${res.status} ${text.slice(0, 200)}`);
  const json = JSON.parse(text);
  return { cookie: cookieFrom(res), csrf: json.csrf_token };
}

async function sessionFor(name, password) {
  if (!sessions.has(name)) sessions.set(name, await login(name, password || DEFAULT_PASSWORD));
  return sessions.get(name);
}

// ---- variables ------------------------------------------------------------
function lookupVar(vars, name) {
  if (name === 'run') return RUN;
  if (name === 'today') return shanghaiDate(0);
  let m = /^today([+-]\d+)$/.exec(name);
  if (m) return shanghaiDate(parseInt(m[1], 10));
  m = /^now([+-]\d+)m$/.exec(name);
  if (m) return shanghaiInstant(parseInt(m[1], 10));
  if (name in vars) return vars[name];
  throw new Error(`unknown variable '\${${name}}'`);
}

// Replaces ${name} in every string of v. A string that is exactly one
// ${name} takes the variable's own type (a saved id stays a number).
function subst(v, vars) {
  if (typeof v === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(v);
    if (whole) return lookupVar(vars, whole[1]);
    return v.replace(/\$\{([^}]+)\}/g, (_, n) => String(lookupVar(vars, n)));
  }
  if (Array.isArray(v)) return v.map((x) => subst(x, vars));
  if (v && typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v)) o[subst(k, vars)] = subst(x, vars);
    return o;
  }
  return v;
}

// ---- JSON paths -----------------------------------------------------------
// "json.items[username=rep.bj1].id", "json.user.id", "json.items.0.code",
// "header.retry-after", "status".
function splitPath(p) {
  const parts = [];
  const re = /([^.[\]]+)|\[([^\]=]+)=([^\]]*)\]/g;
  let m;
  while ((m = re.exec(p))) parts.push(m[1] !== undefined ? { key: m[1] } : { find: m[2], eq: m[3] });
  return parts;
}

function getPath(root, p) {
  let cur = root;
  for (const part of splitPath(p)) {
    if (cur === undefined || cur === null) return undefined;
    if (part.key !== undefined) {
      cur = Array.isArray(cur) && /^\d+$/.test(part.key) ? cur[Number(part.key)] : cur[part.key];
    } else {
      if (!Array.isArray(cur)) return undefined;
      cur = cur.find((x) => x && String(x[part.find]) === part.eq);
    }
  }
  return cur;
}

// ---- matching -------------------------------------------------------------
// Expected objects match as subsets; an expected array matches when every
// element of it matches some element of the actual array. Strings "<any>",
// "<string>", "<number>", "<nonempty>", "<null>" match by kind.
function match(exp, act, where) {
  if (exp === '<any>') return act === undefined ? `${where}: missing` : null;
  if (exp === '<string>') return typeof act === 'string' ? null : `${where}: want a string, got ${JSON.stringify(act)}`;
  if (exp === '<number>') return typeof act === 'number' ? null : `${where}: want a number, got ${JSON.stringify(act)}`;
  if (exp === '<nonempty>') return (typeof act === 'string' && act.length) || (Array.isArray(act) && act.length) ? null : `${where}: want non-empty, got ${JSON.stringify(act)}`;
  if (exp === '<null>') return act === null ? null : `${where}: want null, got ${JSON.stringify(act)}`;
  if (Array.isArray(exp)) {
    if (!Array.isArray(act)) return `${where}: want an array, got ${JSON.stringify(act)}`;
    for (let i = 0; i < exp.length; i++) {
      if (!act.some((a) => match(exp[i], a, '') === null))
        return `${where}: no element matches ${JSON.stringify(exp[i])}`;
    }
    return null;
  }
  if (exp && typeof exp === 'object') {
    if (!act || typeof act !== 'object' || Array.isArray(act)) return `${where}: want an object, got ${JSON.stringify(act)}`;
    for (const [k, v] of Object.entries(exp)) {
      const r = match(v, act[k], where ? `${where}.${k}` : k);
      if (r) return r;
    }
    return null;
  }
  return exp === act ? null : `${where || 'value'}: want ${JSON.stringify(exp)}, got ${JSON.stringify(act)}`;
}

function short(s, n = 300) {
  s = String(s);
  return s.length > n ? s.slice(0, n) + '...' : s;
}

// ---- requests -------------------------------------------------------------
function bodyOf(step) {
  // A CSV upload: a string, or an array of lines (joined with "\n", plus a final one).
  if (step.csv !== undefined) {
    const text = Array.isArray(step.csv) ? step.csv.map((l) => l + '\n').join('') : step.csv;
    return { data: Buffer.from(text, 'utf8'), type: 'text/csv' };
  }
  if (step.raw !== undefined) return { data: Buffer.from(step.raw, 'utf8'), type: 'application/json' };
  if (step.rawHex !== undefined) return { data: Buffer.from(step.rawHex.replace(/\s+/g, ''), 'hex'), type: 'application/json' };
  if (step.rawParts !== undefined) {
    // [[text, times], ...]: long or deeply nested bodies without a huge file.
    return { data: Buffer.from(step.rawParts.map(([t, n]) => t.repeat(n)).join('')), type: 'application/json' };
  }
  if (step.bigBody !== undefined) {
    // {"display_name":"xxx..."} of exactly bigBody bytes.
    const pad = step.bigBody - '{"display_name":""}'.length;
    return { data: Buffer.from(`{"display_name":"${'x'.repeat(Math.max(0, pad))}"}`), type: 'application/json' };
  }
  if (step.body !== undefined) return { data: Buffer.from(JSON.stringify(step.body)), type: 'application/json' };
  return { data: null, type: null };
}

// node:http, for paths that must reach the server unnormalised.
function rawRequest(method, p, headers, data) {
  return new Promise((resolve, reject) => {
    const u = new URL(BASE);
    const req = http.request({ host: u.hostname, port: u.port, method, path: p, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const h = new Map(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: { get: (n) => h.get(n.toLowerCase()) ?? null, getSetCookie: () => [].concat(res.headers['set-cookie'] || []) }, text: bytes.toString('utf8'), bytes });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

async function doRequest(step, vars) {
  const method = step.method || 'GET';
  const headers = {};
  let sess = null;
  if (step.as) sess = await sessionFor(step.as, step.password);
  if (sess && sess.cookie) headers.Cookie = `ms_session=${sess.cookie}`;
  if (sess && method !== 'GET' && method !== 'HEAD' && step.csrf !== false) headers['X-CSRF-Token'] = sess.csrf;
  const { data, type } = bodyOf(step);
  if (type) headers['Content-Type'] = type;
  for (const [k, v] of Object.entries(step.headers || {})) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  if (step.rawPath) {
    const r = await rawRequest(method, step.path, headers, data);
    return r;
  }
  const res = await fetch(BASE + step.path, { method, headers, body: data, redirect: 'manual' });
  // Bytes first: res.text() would drop a byte-order mark.
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, text: bytes.toString('utf8'), bytes, res };
}

async function runStep(step0, vars) {
  const step = subst(step0, vars);
  const r = await doRequest(step, vars);
  let json;
  try { json = r.text ? JSON.parse(r.text) : undefined; } catch { json = undefined; }
  const root = { status: r.status, json, header: new Proxy({}, { get: (_, n) => r.headers.get(String(n)) }) };
  const what = `${step.method || 'GET'} ${step.path}${step.as ? ' as ' + step.as : ''}`;

  if (step.skipIfStatus && [].concat(step.skipIfStatus).includes(r.status))
    return { skip: `${what} answered ${r.status}` };

  const ex = step.expect || {};
  if (ex.status !== undefined) {
    const want = [].concat(ex.status);
    if (!want.includes(r.status))
      return { fail: `${what}: status ${r.status}, want ${want.join(' or ')}; body ${short(r.text)}` };
  }
  if (ex.json !== undefined) {
    if (json === undefined) return { fail: `${what}: body is not JSON: ${short(r.text)}` };
    const m = match(ex.json, json, '');
    if (m) return { fail: `${what}: ${m}; body ${short(r.text)}` };
  }
  for (const p of ex.absent || []) {
    if (getPath(root, 'json.' + p) !== undefined) return { fail: `${what}: '${p}' should be absent; body ${short(r.text)}` };
  }
  for (const n of ex.none || []) {
    const arr = getPath(root, 'json.' + n.path);
    if (!Array.isArray(arr)) return { fail: `${what}: '${n.path}' is not an array` };
    const hit = arr.find((a) => match(n.match, a, '') === null);
    if (hit) return { fail: `${what}: '${n.path}' should hold nothing like ${JSON.stringify(n.match)}, found ${short(JSON.stringify(hit))}` };
  }
  for (const [name, want] of Object.entries(ex.headers || {})) {
    const got = r.headers.get(name);
    if (want === null) {
      if (got !== null) return { fail: `${what}: header '${name}' should be absent, got '${got}'` };
    } else if (got === null || !got.includes(want)) {
      return { fail: `${what}: header '${name}' is '${got}', want it to contain '${want}'` };
    }
  }
  for (const s of [].concat(ex.bodyContains || [])) {
    if (!r.text.includes(s)) return { fail: `${what}: body lacks '${s}': ${short(r.text)}` };
  }
  for (const s of [].concat(ex.bodyNotContains || [])) {
    if (r.text.includes(s)) return { fail: `${what}: body contains '${s}'` };
  }
  if (ex.bodyHexPrefix !== undefined) {
    const got = r.bytes.subarray(0, ex.bodyHexPrefix.length / 2).toString('hex');
    if (got !== ex.bodyHexPrefix.toLowerCase()) return { fail: `${what}: body starts with ${got}, want ${ex.bodyHexPrefix}` };
  }
  for (const [v, p] of Object.entries(step.save || {})) {
    const val = getPath(root, p);
    if (val === undefined) return { fail: `${what}: nothing at '${p}' to save as '${v}'; body ${short(r.text)}` };
    vars[v] = val;
  }
  if (step.saveSession) {
    const cookie = cookieFrom(r.res || r);
    if (!cookie || !json || !json.csrf_token) return { fail: `${what}: no session to save` };
    sessions.set(step.saveSession, { cookie, csrf: json.csrf_token });
  }
  if (step.forgetSession) sessions.delete(step.forgetSession);
  return {};
}

async function runCase(c) {
  const vars = { ...(c.vars || {}) };
  for (const [k, v] of Object.entries(vars)) vars[k] = subst(v, vars);
  for (const step of c.steps) {
    const times = step.repeat || 1;
    for (let i = 0; i < times; i++) {
      vars.i = i;
      const r = await runStep(step, vars);
      if (r.fail || r.skip) return r;
    }
  }
  return {};
}

// ---- main -----------------------------------------------------------------
function caseFiles() {
  const names = fs.readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort();
  // zz_* files change server-wide state (the address throttle): last.
  return [...names.filter((f) => !f.startsWith('zz_')), ...names.filter((f) => f.startsWith('zz_'))]
    .filter((f) => !skipFiles.has(f));
}

let passed = 0, failed = 0;
for (const file of caseFiles()) {
  let cases;
  try {
    cases = JSON.parse(fs.readFileSync(path.join(CASES_DIR, file), 'utf8'));
  } catch (err) {
    console.log(`not ok - ${file}: cannot read: ${err.message}`);
    failed++;
    continue;
  }
  for (const c of cases) {
    const name = `${file.replace(/\.json$/, '')}: ${c.name}`;
    if (only && !name.includes(only)) continue;
    let r;
    try {
      r = await runCase(c);
    } catch (err) {
      r = { fail: `error: ${err.message}` };
    }
    if (r.fail) {
      failed++;
      console.log(`not ok - ${name}: ${r.fail}`);
    } else {
      passed++;
      console.log(`ok - ${name}${r.skip ? ` # SKIP ${r.skip}` : ''}`);
    }
  }
}
console.log(`api: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

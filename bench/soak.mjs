// bench/soak.mjs: the client side of bench/soak.sh. CLIENTS clients at once,
// each a rep (or, one in 32, a manager) of the bench data set, loop for
// MINUTES with a think time between requests (THINK_MS, 1000, on average) over a
// realistic mix: reads (the month calendar, a visit, the dashboard),
// searches (institutions and contacts by name, visits by date range) and
// writes (a visit for today, its check-in and check-out); managers also
// read the team coverage report. Every minute it prints the requests and
// errors of the minute, p95 per request kind and the server's RSS; at the
// end the totals and the verdict on the goals (0 errors, RSS flat within
// 10 % after the first minute, RSS <= 100 MB).
//   node bench/soak.mjs URL SERVER_PID REPS_FILE MANAGERS_FILE
// An error is a failed connection, a timeout (10 s), a 5xx, or any 4xx
// other than the refusals a write may meet by the rules (a check-in of a
// visit already checked in, in 409 or 400 naming the state).
import { readFileSync } from 'node:fs';

const [url, pidArg, repsFile, mgrsFile] = process.argv.slice(2);
const pid = Number(pidArg);
const CLIENTS = Number(process.env.CLIENTS || 256);
const MINUTES = Number(process.env.MINUTES || 10);
const THINK = Number(process.env.THINK_MS || 1000);
const USERS = Number(process.env.USERS || 64); // distinct logins shared by the clients
const reps = readFileSync(repsFile, 'utf8').split('\n').filter(Boolean);
const mgrs = readFileSync(mgrsFile, 'utf8').split('\n').filter(Boolean);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
const month = () => today().slice(0, 7);
const monthAgo = () => {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  d.setUTCDate(15);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
};
const pick = (a) => a[Math.floor(Math.random() * a.length)];

// The server's CPU time (user + system) in seconds, which the machine's
// load does not change: the latency does.
function cpuSeconds() {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch { return NaN; }
}

function rssMB() {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch { return NaN; }
}

async function login(user) {
  for (let i = 0; i < 5; i++) {
    const r = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user, password: 'Demo@2026' }),
    });
    const j = await r.json().catch(() => null);
    const m = /ms_session=([0-9a-f]+)/.exec(r.headers.get('set-cookie') || '');
    if (r.ok && m) return { user, cookie: `ms_session=${m[1]}`, csrf: j.csrf_token };
    await sleep(500);
  }
  throw new Error(`cannot log in as ${user}`);
}

// Per minute: kind -> latencies; errors by kind and reason.
let bucket = new Map();
let errs = [];
const total = { req: 0, err: 0, byKind: new Map() };
function record(kind, ms, err) {
  if (!bucket.has(kind)) bucket.set(kind, []);
  bucket.get(kind).push(ms);
  if (!total.byKind.has(kind)) total.byKind.set(kind, []);
  total.byKind.get(kind).push(ms);
  total.req++;
  if (err) {
    total.err++;
    errs.push(`${kind}: ${err}`);
  }
}
function p95(a) {
  if (!a.length) return NaN;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}

async function call(s, kind, method, path, body, okStates) {
  const t = performance.now();
  const headers = { Cookie: s.cookie };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-CSRF-Token'] = s.csrf;
    headers.Origin = url;
  }
  try {
    const r = await fetch(url + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10000),
    });
    const text = await r.text();
    const ms = performance.now() - t;
    let json = null;
    try { json = JSON.parse(text); } catch { /* an export or nothing */ }
    const refused = okStates && (r.status === 409 || r.status === 400) &&
      json && json.error && okStates.includes(json.error.field);
    record(kind, ms, r.ok || refused ? null : `${r.status} ${text.slice(0, 160)}`);
    return r.ok ? json : null;
  } catch (e) {
    record(kind, performance.now() - t, `${e.name}: ${e.message}`);
    return null;
  }
}

const words = ['医院', '人民', '中心', '第一', '妇幼', '中医', '肿瘤', '儿童', '协和', '华'];

async function rep(s, stopAt) {
  const ctx = s.ctx;
  while (Date.now() < stopAt) {
    await sleep(Math.random() * 2 * THINK);
    const x = Math.random();
    if (x < 0.15) {
      const j = await call(s, 'calendar', 'GET', `/api/v1/calendar?month=${Math.random() < 0.5 ? month() : monthAgo()}`);
      if (j && Array.isArray(j.items)) for (const v of j.items.slice(0, 20)) if (v.id) ctx.seen.push(v.id);
      if (ctx.seen.length > 200) ctx.seen.splice(0, ctx.seen.length - 200);
    } else if (x < 0.33) {
      if (ctx.seen.length) await call(s, 'visit', 'GET', `/api/v1/visits/${pick(ctx.seen)}`);
      else await call(s, 'visit', 'GET', `/api/v1/visits?from=${today()}&to=${today()}&limit=20`);
    } else if (x < 0.43) {
      await call(s, 'dashboard', 'GET', '/api/v1/dashboard');
    } else if (x < 0.58) {
      await call(s, 'search', 'GET', `/api/v1/institutions?q=${encodeURIComponent(pick(words))}&limit=20`);
    } else if (x < 0.66) {
      await call(s, 'search', 'GET', `/api/v1/contacts?q=${encodeURIComponent(pick(words).slice(0, 1))}&limit=20`);
    } else if (x < 0.76) {
      await call(s, 'search', 'GET', `/api/v1/visits?from=${monthAgo()}-01&to=${today()}&limit=50`);
    } else if (x < 0.86 || !ctx.open.length) {
      if (!ctx.insts.length) continue;
      const j = await call(s, 'write', 'POST', '/api/v1/visits', {
        institution_id: pick(ctx.insts), type: 'in_person', visit_date: today(), objective: 'soak',
      });
      if (j && j.id) ctx.open.push({ id: j.id, in: false });
    } else {
      const v = ctx.open.shift();
      const j = await call(s, 'write', 'POST', `/api/v1/visits/${v.id}/${v.in ? 'check-out' : 'check-in'}`,
        v.in ? {} : { latitude: 31.2 + Math.random() / 10, longitude: 121.4 + Math.random() / 10 },
        ['status', 'check_in_at', 'check_out_at']);
      if (j && !v.in) ctx.open.push({ id: v.id, in: true });
    }
  }
}

async function manager(s, stopAt) {
  while (Date.now() < stopAt) {
    await sleep(Math.random() * 2 * THINK);
    const x = Math.random();
    if (x < 0.3) await call(s, 'report', 'GET', `/api/v1/reports/visit-coverage?month=${monthAgo()}`);
    else if (x < 0.5) await call(s, 'calendar', 'GET', `/api/v1/calendar?month=${month()}`);
    else if (x < 0.7) await call(s, 'dashboard', 'GET', '/api/v1/dashboard');
    else await call(s, 'search', 'GET', `/api/v1/institutions?q=${encodeURIComponent(pick(words))}&limit=20`);
  }
}

async function main() {
  const nm = Math.max(1, Math.min(mgrs.length, Math.round(USERS / 32)));
  const users = [...reps.slice(0, USERS - nm), ...mgrs.slice(0, nm)];
  const sessions = [];
  for (const u of users) {
    const s = await login(u);
    s.manager = mgrs.includes(u);
    s.ctx = { insts: [], seen: [], open: [] };
    if (!s.manager) {
      const r = await fetch(`${url}/api/v1/institutions?limit=30`, { headers: { Cookie: s.cookie } });
      const j = await r.json();
      s.ctx.insts = (j.items || []).map((i) => i.id);
    }
    sessions.push(s);
  }
  console.log(`soak: ${CLIENTS} clients over ${users.length} users (${nm} managers), think time ${THINK} ms on average, ${MINUTES} min; RSS at start ${rssMB().toFixed(1)} MB`);
  const t0 = Date.now();
  const cpu0 = cpuSeconds();
  const stopAt = t0 + MINUTES * 60000;
  // Clients share a user's session (and its ctx) round-robin.
  const runs = [];
  for (let i = 0; i < CLIENTS; i++) {
    const s = sessions[i % sessions.length];
    const own = { ...s, ctx: s.manager ? s.ctx : { insts: s.ctx.insts, seen: [], open: [] } };
    runs.push((s.manager ? manager : rep)(own, stopAt));
  }
  const samples = [];
  const timer = setInterval(() => {
    const min = Math.round((Date.now() - t0) / 60000);
    const rss = rssMB();
    samples.push(rss);
    let n = 0;
    const parts = [];
    for (const [k, a] of [...bucket].sort()) {
      n += a.length;
      parts.push(`${k} ${p95(a).toFixed(0)} ms`);
    }
    console.log(`minute ${String(min).padStart(2)}: ${n} requests, ${errs.length} errors; p95 ${parts.join(', ')}; RSS ${rss.toFixed(1)} MB`);
    for (const e of errs.slice(0, 5)) console.log(`  error: ${e}`);
    bucket = new Map();
    errs = [];
  }, 60000);
  await Promise.all(runs);
  clearInterval(timer);
  const parts = [];
  for (const [k, a] of [...total.byKind].sort()) parts.push(`${k} ${p95(a).toFixed(0)} ms (${a.length})`);
  const steady = samples.slice(1).filter((x) => !Number.isNaN(x));
  const lo = Math.min(...steady);
  const hi = Math.max(...steady, ...samples);
  const flat = steady.length ? (Math.max(...steady) - lo) / lo * 100 : 0;
  let hwm = NaN;
  try { hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024; } catch { /* gone */ }
  console.log(`total: ${total.req} requests in ${((Date.now() - t0) / 1000).toFixed(0)} s (${(total.req / ((Date.now() - t0) / 1000)).toFixed(0)}/s), ${total.err} errors; p95 ${parts.join(', ')}`);
  console.log(`server CPU: ${(cpuSeconds() - cpu0).toFixed(1)} s, ${((cpuSeconds() - cpu0) * 1000 / total.req).toFixed(1)} ms a request; load average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log(`RSS: ${steady.length ? `from minute 2 on ${lo.toFixed(1)} to ${Math.max(...steady).toFixed(1)} MB (spread ${flat.toFixed(1)} %)` : 'too short to say'}; max sampled ${hi.toFixed(1)} MB, peak (VmHWM) ${hwm.toFixed(1)} MB`);
  console.log(`goals: errors 0 ${total.err === 0 ? 'ok' : 'MISSED'}; RSS flat within 10 % ${flat <= 10 ? 'ok' : 'MISSED'}; RSS <= 100 MB ${hwm <= 100 ? 'ok' : 'MISSED'}`);
}

main().catch((e) => { console.error(`soak: ${e.stack || e}`); process.exit(1); });

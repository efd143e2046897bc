// tests/crash/run.mjs: crash consistency (issue 23). Runs a write load on a
// server of its own and kills it with SIGKILL at a random moment, again and
// again; after each kill, `medsales audit verify` must pass on the database
// as the kill left it, and after each restart every write the server
// acknowledged with a 2xx must be there and nothing may be half-written.
//
//   MEDSALES_BIN=build/asan/medsales node tests/crash/run.mjs DB [PORT]
//
// DB is a demo database the test may change (a fresh copy). Env: CRASH_KILLS
// (50), CRASH_CLIENTS (4), CRASH_WINDOW_MS (the load runs 60 ms + a random
// part of this before the kill; 400), CRASH_SEED. The load, from
// CRASH_CLIENTS reps at once (each with an opportunity of its own):
// creating visits with a contact, checking them in and out, moving the
// opportunity between two stages; and a manager importing a small CSV of
// institutions (one transaction for the file). Checked after each restart,
// as admin: each acknowledged visit exists with its contact, checked in and
// out when that was acknowledged; each opportunity's version is at least
// the last acknowledged one, and at that version in the acknowledged stage;
// each import, acknowledged or cut off, has all of its rows or none (all
// when acknowledged). At the end the whole log of acknowledged writes is
// checked once more, every visit of the run (acknowledged or not) must have
// its contact row (read with sqlite3), the audit chain must verify through
// the API and the CLI, and the server's log must hold no sanitizer report.
// Prints "ok - ..." / "not ok - ..." and "crash: N passed, N failed".
import { spawn, execFileSync } from 'node:child_process';

const bin = process.env.MEDSALES_BIN || 'build/asan/medsales';
const db = process.argv[2];
const port = Number(process.argv[3] || 18640);
const KILLS = Number(process.env.CRASH_KILLS || 50);
const CLIENTS = Number(process.env.CRASH_CLIENTS || 4);
const WINDOW = Number(process.env.CRASH_WINDOW_MS || 400);
let seed = Number(process.env.CRASH_SEED || Date.now() % 100000);
const url = `http://127.0.0.1:${port}`;
const RUN = 'crash' + Date.now().toString(36);
if (!db) {
  console.error('usage: node tests/crash/run.mjs DB [PORT]');
  process.exit(2);
}

let pass = 0;
let fail = 0;
const problems = [];
function ok(name) { pass++; console.log(`ok - ${name}`); }
function bad(name, why) { fail++; console.log(`not ok - ${name}: ${why}`); }
function rand() { // xorshift32, so that CRASH_SEED repeats a run's timing choices
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return (seed % 1000000) / 1000000;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function shanghaiDate() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

// ---- the server ----
let server = null;
let serverLog = '';
async function start() {
  try {
    await fetch(`${url}/api/v1/health`);
    throw new Error(`port ${port} is taken by another server`);
  } catch (e) {
    if (/taken/.test(e.message)) throw e;
  }
  server = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`,
    '--web-dir', '/nonexistent', '--threads', '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  server.exited = new Promise((r) => server.on('exit', (code, sig) => r({ code, sig })));
  for (let i = 0; i < 400; i++) {
    try {
      const r = await fetch(`${url}/api/v1/health`);
      if (r.ok && server.exitCode === null) return;
    } catch { /* not yet */ }
    await sleep(25);
  }
  throw new Error('the server did not start:\n' + serverLog.slice(-2000));
}
async function kill() {
  server.kill('SIGKILL');
  await server.exited;
  server = null;
}
async function stop() {
  server.kill('SIGTERM');
  const { code } = await server.exited;
  server = null;
  return code;
}

// ---- sessions (they live in the database, so they outlive a kill) ----
const sessions = {};
async function login(user) {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: 'Demo@2026' }),
  });
  const j = await r.json();
  const m = /ms_session=([0-9a-f]+)/.exec(r.headers.get('set-cookie') || '');
  if (!r.ok || !m) throw new Error(`cannot log in as ${user}: ${r.status}`);
  sessions[user] = { cookie: `ms_session=${m[1]}`, csrf: j.csrf_token };
}
async function req(user, method, path, body, csv) {
  const s = sessions[user];
  const headers = { Cookie: s.cookie };
  if (method !== 'GET') {
    headers['X-CSRF-Token'] = s.csrf;
    headers.Origin = url;
    headers['Content-Type'] = csv ? 'text/csv' : 'application/json';
  }
  const r = await fetch(url + path, {
    method, headers, body: csv !== undefined ? csv : body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, json };
}

// ---- what the server acknowledged ----
const visits = new Map(); // id -> {contact, checkedIn, checkedOut}
const opps = new Map();   // id -> {version, stage} of the last 2xx
const imports = [];       // {tag, rows, acked}
let attempts = 0;
let acks = 0;

async function client(rep, ctx, stopFlag) {
  while (!stopFlag.stop) {
    try {
      const op = rand();
      attempts++;
      if (op < 0.45 || ctx.open.length === 0) {
        const inst = ctx.insts[Math.floor(rand() * ctx.insts.length)];
        const r = await req(rep, 'POST', '/api/v1/visits', {
          institution_id: inst.id, type: 'in_person', visit_date: shanghaiDate(),
          contact_ids: [inst.contact], objective: `${RUN}-${rep}`,
        });
        if (r.status === 201) {
          acks++;
          visits.set(r.json.id, { contact: inst.contact, checkedIn: false, checkedOut: false });
          ctx.open.push(r.json.id);
        } else if (r.status >= 300) {
          problems.push(`visit create ${r.status} ${JSON.stringify(r.json)}`);
        }
      } else if (op < 0.75) {
        const id = ctx.open.shift();
        const v = visits.get(id);
        const what = v.checkedIn ? 'check-out' : 'check-in';
        const r = await req(rep, 'POST', `/api/v1/visits/${id}/${what}`,
          v.checkedIn ? {} : { latitude: 31.2, longitude: 121.5 });
        if (r.status === 200) {
          acks++;
          if (v.checkedIn) v.checkedOut = true; else { v.checkedIn = true; ctx.open.push(id); }
        } else if (r.status >= 300 && r.status !== 409) {
          problems.push(`visit ${what} ${r.status} ${JSON.stringify(r.json)}`);
        }
      } else {
        const o = opps.get(ctx.opp);
        const stage = o.stage === 'LEAD_CONFIRMED' ? 'NEED_CONFIRMED' : 'LEAD_CONFIRMED';
        const r = await req(rep, 'POST', `/api/v1/opportunities/${ctx.opp}/stage`, { stage_code: stage });
        if (r.status === 200) {
          acks++;
          opps.set(ctx.opp, { version: r.json.version, stage: r.json.stage_code });
        } else if (r.status >= 300) {
          // A move cut off by the kill may have committed: learn the stage.
          problems.push(`stage ${r.status} ${JSON.stringify(r.json)}`);
        }
      }
    } catch {
      // The connection died with the server: this write is unacknowledged.
      return;
    }
  }
}

async function importer(stopFlag, n) {
  while (!stopFlag.stop) {
    const tag = `${RUN}-i${n}-${imports.length}`;
    const rows = 5;
    const csv = 'name,province_code,city\n' +
      Array.from({ length: rows }, (_, i) => `${tag}-${i},SH,上海\n`).join('');
    const entry = { tag, rows, acked: false };
    imports.push(entry);
    attempts++;
    try {
      const r = await req('mgr.sh', 'POST', '/api/v1/import/institutions', undefined, csv);
      if (r.status === 200 && r.json.imported === rows) {
        acks++;
        entry.acked = true;
      } else {
        problems.push(`import ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
      }
    } catch {
      return;
    }
  }
}

// ---- the checks, as admin ----
async function checkVisit(id, v, where) {
  const r = await req('admin', 'GET', `/api/v1/visits/${id}`);
  if (r.status !== 200) return `${where}: acknowledged visit ${id} is missing (${r.status})`;
  const j = r.json;
  if (!j.contacts || !j.contacts.some((c) => c.id === v.contact))
    return `${where}: visit ${id} lacks its contact ${v.contact}`;
  if (v.checkedIn && !j.check_in_at) return `${where}: visit ${id}: acknowledged check-in lost`;
  if (v.checkedOut && !j.check_out_at) return `${where}: visit ${id}: acknowledged check-out lost`;
  if (j.status === 'checked_out' && !(j.check_in_at && j.check_out_at))
    return `${where}: visit ${id}: checked out without a check-out time`;
  // A check-in or -out cut off by the kill may have committed after all.
  if (j.check_in_at) v.checkedIn = true;
  if (j.check_out_at) v.checkedOut = true;
  return null;
}
async function checkOpp(id, o, where) {
  const r = await req('admin', 'GET', `/api/v1/opportunities/${id}`);
  if (r.status !== 200) return `${where}: opportunity ${id} is missing (${r.status})`;
  if (r.json.version < o.version)
    return `${where}: opportunity ${id} at version ${r.json.version}, acknowledged ${o.version}`;
  if (r.json.version === o.version && r.json.stage_code !== o.stage)
    return `${where}: opportunity ${id} version ${o.version} in ${r.json.stage_code}, acknowledged ${o.stage}`;
  // A move cut off by the kill may have committed after all: go on from there.
  opps.set(id, { version: r.json.version, stage: r.json.stage_code });
  return null;
}
async function checkImport(im, where) {
  const r = await req('admin', 'GET', `/api/v1/institutions?q=${encodeURIComponent(im.tag + '-')}&limit=50`);
  if (r.status !== 200) return `${where}: institutions list ${r.status}`;
  const n = r.json.items.filter((x) => x.name.startsWith(im.tag + '-')).length;
  if (im.acked && n !== im.rows) return `${where}: acknowledged import ${im.tag} has ${n} of ${im.rows} rows`;
  if (n !== 0 && n !== im.rows) return `${where}: import ${im.tag} half-written: ${n} of ${im.rows} rows`;
  return null;
}
async function checkAudit(where) {
  const r = await req('admin', 'GET', '/api/v1/audit/verify');
  if (r.status !== 200 || !r.json || r.json.intact !== true)
    return `${where}: audit verify: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`;
  return null;
}
function sql(q) {
  return execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();
}
function cliAudit(where) {
  try {
    execFileSync(bin, ['audit', 'verify', '--db', db], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `${where}: medsales audit verify exit ${e.status}: ${String(e.stdout) + String(e.stderr)}`.slice(0, 600);
  }
}

async function main() {
  await start();
  for (const u of ['admin', 'mgr.sh', 'rep.sh1', 'rep.sh2', 'rep.sh3', 'rep.sh4', 'rep.sh5'])
    await login(u);
  const reps = ['rep.sh1', 'rep.sh2', 'rep.sh3', 'rep.sh4', 'rep.sh5'].slice(0, CLIENTS);
  const ctxs = {};
  for (const rep of reps) {
    const ctx = { insts: [], open: [], opp: 0 };
    const li = await req(rep, 'GET', '/api/v1/institutions?limit=30');
    if (li.status !== 200) throw new Error(`institutions for ${rep}: ${li.status} ${JSON.stringify(li.json)}`);
    for (const inst of li.json.items) {
      const lc = await req(rep, 'GET', `/api/v1/contacts?institution_id=${inst.id}&limit=5`);
      const c = lc.json.items.find((x) => x.department_id);
      if (!c) continue;
      if (!ctx.opp) {
        const o = await req(rep, 'POST', '/api/v1/opportunities', {
          name: `${RUN}-${rep}`, institution_id: inst.id, department_id: c.department_id,
          amount_fen: 100000, expected_close_date: `${Number(shanghaiDate().slice(0, 4)) + 1}-06-30`,
        });
        if (o.status !== 201) throw new Error(`opportunity for ${rep}: ${o.status} ${JSON.stringify(o.json)}`);
        ctx.opp = o.json.id;
        opps.set(o.json.id, { version: o.json.version, stage: o.json.stage_code });
      }
      ctx.insts.push({ id: inst.id, contact: c.id });
      if (ctx.insts.length >= 5) break;
    }
    if (!ctx.insts.length) throw new Error(`${rep} sees no institution with a contact`);
    ctxs[rep] = ctx;
  }

  const t0 = Date.now();
  let errors = 0;
  let tAudit = 0;
  let tStart = 0;
  for (let k = 1; k <= KILLS; k++) {
    const stopFlag = { stop: false };
    const load = reps.map((rep) => client(rep, ctxs[rep], stopFlag));
    load.push(importer(stopFlag, k));
    await sleep(60 + Math.floor(rand() * WINDOW));
    await kill();
    stopFlag.stop = true;
    await Promise.all(load);
    const found = [];
    let t = Date.now();
    const a = cliAudit(`kill ${k}`);
    if (a) found.push(a);
    tAudit += Date.now() - t;
    t = Date.now();
    await start();
    tStart += Date.now() - t;
    // What was in flight at the kill is the most at risk: the visits still
    // open, every opportunity, the imports of this round; and the chain.
    for (const rep of reps) {
      for (const id of ctxs[rep].open) {
        const e = await checkVisit(id, visits.get(id), `kill ${k}`);
        if (e) found.push(e);
      }
      ctxs[rep].open = ctxs[rep].open.filter((id) => !visits.get(id).checkedOut);
    }
    for (const [id, o] of opps) {
      const e = await checkOpp(id, o, `kill ${k}`);
      if (e) found.push(e);
    }
    for (const im of imports.filter((x) => x.tag.includes(`-i${k}-`))) {
      const e = await checkImport(im, `kill ${k}`);
      if (e) found.push(e);
    }
    if (found.length) {
      errors++;
      bad(`kill ${k}`, found.slice(0, 5).join('; '));
    }
  }
  if (errors === 0) ok(`${KILLS} kills: after each, audit verify passes and the acknowledged writes of the round are there, whole`);

  // Everything once more, now that the database has been through every kill.
  const all = [];
  for (const [id, v] of visits) {
    const e = await checkVisit(id, v, 'final');
    if (e) all.push(e);
  }
  for (const [id, o] of opps) {
    const e = await checkOpp(id, o, 'final');
    if (e) all.push(e);
  }
  for (const im of imports) {
    const e = await checkImport(im, 'final');
    if (e) all.push(e);
  }
  // Every visit of the run, acknowledged or cut off, has its contact row:
  // read in the database itself (sqlite3), not only through the API.
  const half = sql(`SELECT count(*) FROM visits v WHERE v.objective LIKE '${RUN}-%'
    AND NOT EXISTS (SELECT 1 FROM visit_contacts c WHERE c.visit_id = v.id);`);
  const runVisits = sql(`SELECT count(*) FROM visits WHERE objective LIKE '${RUN}-%';`);
  if (half !== '0') all.push(`final: ${half} visits of the run without their contact row`);
  const au = await checkAudit('final');
  if (au) all.push(au);
  if (all.length) bad('every acknowledged write is there, whole, after all the kills', all.slice(0, 10).join('; '));
  else ok(`every acknowledged write is there, whole, after all the kills (${visits.size} of ${runVisits} visits, ${opps.size} opportunities, ${imports.filter((x) => x.acked).length} of ${imports.length} imports acknowledged)`);
  const code = await stop();
  if (code !== 0) bad('the server stops cleanly at the end', `exit ${code}`);
  const a = cliAudit('end');
  if (a) bad('medsales audit verify at the end', a); else ok('medsales audit verify at the end');
  if (/ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/.test(serverLog))
    bad('no sanitizer report in the server log', serverLog.match(/.*(ERROR: |runtime error:).*/)[0]);
  else ok('no sanitizer report in the server log');
  const unexpected = problems.filter((p) => !/ 409 /.test(p));
  if (unexpected.length) bad('no write was refused for a reason other than the kill', unexpected.slice(0, 5).join('; '));
  else ok('no write was refused for a reason other than the kill');
  console.log(`crash: ${KILLS} kills in ${((Date.now() - t0) / 1000).toFixed(1)} s ` +
    `(audit verify ${(tAudit / 1000).toFixed(1)} s, restarts ${(tStart / 1000).toFixed(1)} s); ` +
    `${attempts} writes sent, ${acks} acknowledged (seed ${process.env.CRASH_SEED || 'time'})`);
  console.log(`crash: ${pass} passed, ${fail} failed`);
  process.exit(fail ? 1 : 0);
}

main().catch((e) => {
  console.log(`not ok - crash test: ${e.stack || e}`);
  if (server) server.kill('SIGKILL');
  console.log(`crash: ${pass} passed, ${fail + 1} failed`);
  process.exit(1);
});

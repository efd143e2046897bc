// Browser tests of the MedSales web UI: playwright-core driving Debian's
// chromium against a running server with the demo data.
//
//   MEDSALES_URL=http://127.0.0.1:18080 node tests/e2e/run.mjs [name-filter]
//
// Prints "ok - <name>" / "not ok - <name>: <reason>" per test and
// "e2e: N passed, M failed"; exits 1 when a test failed. Every test fails on
// a Content-Security-Policy violation or an uncaught error in the page.
// Screenshots go to tests/e2e/screenshots/ (git-ignored).
import { createRequire } from 'node:module'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
// playwright-core is a devDependency of web/.
const require = createRequire(join(here, '../../web/package.json'))
const { chromium } = require('playwright-core')

const BASE = (process.env.MEDSALES_URL || 'http://127.0.0.1:18080').replace(/\/$/, '')
const DEMO_PASSWORD = process.env.MEDSALES_DEMO_PASSWORD || 'Demo@2026'
// `medsales init` sets the administrator's password from MEDSALES_ADMIN_PASSWORD.
const ADMIN_PASSWORD = process.env.MEDSALES_ADMIN_PASSWORD || DEMO_PASSWORD
const pw = (username) => (username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD)
const SHOTS = join(here, 'screenshots')
const ONLY = process.argv[2] || ''
const STAMP = Date.now().toString(36)
mkdirSync(SHOTS, { recursive: true })

const DESKTOP = { width: 1366, height: 860 }
const PHONE = { width: 375, height: 812 }
const TEST_TIMEOUT = 45000

try {
  const r = await fetch(BASE + '/api/v1/health')
  if (!r.ok) throw new Error('status ' + r.status)
} catch (e) {
  console.log(`not ok - server at ${BASE} answers /api/v1/health: ${e.message}`)
  console.log('e2e: 0 passed, 1 failed')
  process.exit(1)
}

const browser = await chromium.launch({
  headless: true,
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
})

// ---------------------------------------------------------------- helpers

// A fresh browser context (no cookies, no localStorage) that records CSP
// violations and page errors.
async function open(ctx, { viewport = DESKTOP } = {}) {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
    locale: 'en-US',
    timezoneId: 'Asia/Shanghai',
  })
  ctx.contexts.push(context)
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} sample=${e.sample}`)
    })
  })
  const page = await context.newPage()
  page.setDefaultTimeout(10000)
  page.on('console', (m) => {
    const text = m.text()
    if (/CSP violation|Content Security Policy|Refused to (apply|load|execute|evaluate|connect|frame)/i.test(text)) {
      ctx.problems.push('CSP: ' + text)
    }
  })
  page.on('pageerror', (e) => ctx.problems.push('page error: ' + e.message))
  ctx.pages.push(page)
  return page
}

const sel = {
  username: 'input[data-test="login-username"]',
  password: 'input[data-test="login-password"]',
  submit: '[data-test="login-submit"]',
  home: '[data-test="home"]',
}

async function login(page, username, password = pw(username)) {
  if (!page.url().includes('/login')) await page.goto(BASE + '/login')
  await page.fill(sel.username, username)
  await page.fill(sel.password, password)
  await page.click(sel.submit)
  await page.waitForSelector(sel.home)
}

const lang = (page) => page.evaluate(() => document.documentElement.lang)

// Switch the language with the header menu (saved on the server when logged in).
async function switchLocale(page, code) {
  if ((await lang(page)) === code) return
  const loggedIn = !page.url().includes('/login')
  const saved = loggedIn
    ? page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH')
    : null
  await page.click('[data-test="lang-switch"]')
  await page.locator(`.el-dropdown-menu__item[data-test="lang-${code}"]`).filter({ visible: true }).click()
  await page.waitForFunction((c) => document.documentElement.lang === c, code)
  if (saved) {
    const r = await saved
    if (!r.ok()) throw new Error(`PATCH /me answered ${r.status()}`)
  }
}

async function expectText(page, selector, text) {
  const loc = page.locator(selector).filter({ hasText: text }).first()
  try {
    await loc.waitFor({ state: 'visible', timeout: 8000 })
  } catch {
    const seen = await page.locator(selector).allInnerTexts().catch(() => [])
    throw new Error(`expected "${text}" in ${selector}, saw ${JSON.stringify(seen.slice(0, 5))}`)
  }
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: true })
}

// Direct API calls for set-up (node's fetch, its own session).
async function apiSession(username, password = pw(username)) {
  const r = await fetch(BASE + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: BASE },
    body: JSON.stringify({ username, password }),
  })
  if (!r.ok) throw new Error(`API login ${username}: ${r.status} ${await r.text()}`)
  const cookie = (r.headers.get('set-cookie') || '').split(';')[0]
  const { csrf_token: csrf } = await r.json()
  return async (method, path, body) => {
    const res = await fetch(BASE + '/api/v1' + path, {
      method,
      headers: { 'Content-Type': 'application/json', Origin: BASE, Cookie: cookie, 'X-CSRF-Token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
}

// A fresh rep created through the API (unique per run).
let seq = 0
async function createRep(prefix) {
  const admin = await apiSession('admin')
  const units = await admin('GET', '/org/units')
  const list = Array.isArray(units) ? units : units.items
  const unit = list.find((u) => u.type === 'team') || list[list.length - 1]
  const username = `e2e.${prefix}.${STAMP}${++seq}`
  const password = `Start#${STAMP}9a`
  await admin('POST', '/users', { username, display_name: `E2E ${prefix} ${STAMP}`, role: 'rep', unit_id: unit.id, password })
  return { username, password }
}

// A promise a failed test left waiting (page.waitForResponse after the step
// that failed) rejects later: the test is already reported, so note it
// instead of ending the run.
process.on('unhandledRejection', (e) => console.log(`# late rejection: ${String((e && e.message) || e).split('\n')[0]}`))

// ---------------------------------------------------------------- tests
const tests = []
const test = (name, fn) => tests.push({ name, fn })

test('log in in zh-CN', async (ctx) => {
  const page = await open(ctx)
  await page.goto(BASE + '/')
  await page.waitForURL(/\/login/)
  if ((await lang(page)) !== 'zh-CN') throw new Error('default language is not zh-CN')
  await expectText(page, '[data-test="login-title"]', '欢迎登录')
  await expectText(page, '.el-form-item__label', '用户名')
  await expectText(page, sel.submit, '登录')
  await shot(page, 'login-zh-desktop')
  await login(page, 'rep.sh1')
  await switchLocale(page, 'zh-CN')
  await expectText(page, '[data-test="side-menu"]', '首页')
  await expectText(page, '[data-test="side-menu"]', '我的账户')
  await expectText(page, '[data-test="home-role"]', '销售代表')
  await expectText(page, '.section-title', '您的功能模块')
  const unit = (await page.locator('[data-test="home-unit"]').innerText()).trim()
  if (!unit) throw new Error('home page shows no unit')
  await shot(page, 'home-zh-desktop')
})

test('log in in en', async (ctx) => {
  const page = await open(ctx)
  await page.goto(BASE + '/login')
  await switchLocale(page, 'en')
  await expectText(page, '[data-test="login-title"]', 'Sign in')
  await expectText(page, '.el-form-item__label', 'Username')
  await expectText(page, '.el-form-item__label', 'Password')
  await shot(page, 'login-en-desktop')
  await login(page, 'director')
  await switchLocale(page, 'en') // the user's saved language wins after login
  await expectText(page, '[data-test="side-menu"]', 'Home')
  await expectText(page, '[data-test="side-menu"]', 'Reference data')
  await expectText(page, '[data-test="home-role"]', 'Sales director')
  await expectText(page, '.section-title', 'Your modules')
  await shot(page, 'home-en-desktop')
  await page.click('[data-test="side-menu"] [data-menu="reference"]')
  await expectText(page, '.page-title', 'Reference data')
  await expectText(page, '.el-tabs__item', 'Product lines')
  await shot(page, 'reference-en-desktop')
  await switchLocale(page, 'zh-CN') // leave the demo user as it was
})

test('wrong password shows the translated message', async (ctx) => {
  const user = await createRep('bad')
  const page = await open(ctx)
  await page.goto(BASE + '/login')
  await page.fill(sel.username, user.username)
  await page.fill(sel.password, 'not-the-password-1')
  await page.click(sel.submit)
  // a form-level alert, or under the field the server named
  await expectText(page, '.login-form .el-alert, .login-form .el-form-item__error', '用户名或密码错误')
  if (!page.url().includes('/login')) throw new Error('left the login page')
  await shot(page, 'login-error-zh')
})

test('an admin creates a user who can then log in', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'admin')
  await switchLocale(page, 'zh-CN')
  await page.click('[data-test="side-menu"] [data-menu="users"]')
  await page.waitForSelector('[data-test="user-table"] .el-table__row')
  await shot(page, 'users-zh-desktop')
  const username = `e2e.ui.${STAMP}`
  const password = `Welcome#${STAMP}7`
  const name = `界面测试 ${STAMP}`
  await page.click('[data-test="user-create"]')
  const dialog = page.locator('.el-dialog').filter({ has: page.locator('[data-test="uf-username"]') })
  await dialog.waitFor()
  await dialog.locator('input[data-test="uf-username"]').fill(username)
  await dialog.locator('input[data-test="uf-display-name"]').fill(name)
  await dialog.locator('input[data-test="uf-password"]').fill(password)
  // the unit: open the tree select and take the last unit offered (a team)
  await dialog.locator('.el-form-item').filter({ has: page.locator('[data-test="uf-unit"]') }).locator('.el-select__wrapper').click()
  const options = page.locator('.el-tree-select__popper .el-tree-node__content').filter({ visible: true })
  await options.first().waitFor()
  await options.last().click()
  await shot(page, 'users-create-dialog-zh')
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST')
  await dialog.locator('[data-test="uf-save"]').click()
  const r = await created
  if (r.status() !== 201) throw new Error(`POST /users answered ${r.status()}: ${await r.text()}`)
  await dialog.waitFor({ state: 'hidden' })
  await page.fill('input[data-test="user-search"]', username)
  await expectText(page, '[data-test="user-table"] .el-table__row', username)

  const page2 = await open(ctx)
  await login(page2, username, password)
  await expectText(page2, '[data-test="welcome"]', name)
  await expectText(page2, '[data-test="home-role"]', '销售代表')
})

test('a rep does not see the admin menu and gets 403 on admin pages', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'rep.sh1')
  await switchLocale(page, 'zh-CN')
  await page.waitForSelector('[data-test="side-menu"] [data-menu="home"]')
  for (const m of ['[data-menu="users"]', '[data-menu="org"]', '[data-menu="reference"]', '[data-menu-group="admin"]']) {
    if (await page.locator('[data-test="side-menu"] ' + m).count()) throw new Error('rep sees menu entry ' + m)
  }
  await page.goto(BASE + '/admin/users')
  await expectText(page, '[data-test="forbidden"]', '无权访问')
  await shot(page, 'forbidden-zh')
  const status = await page.evaluate(async () => (await fetch('/api/v1/users')).status)
  if (status !== 403) throw new Error('GET /api/v1/users as a rep answered ' + status)
})

test('compliance reads the audit log, filters it to one record, opens a change and verifies the chain', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'compliance')
  await switchLocale(page, 'zh-CN')
  await page.click('[data-test="side-menu"] [data-menu="audit"]')
  await page.waitForSelector('[data-test="audit-table"] .el-table__row')
  await page.click('[data-test="audit-verify"]')
  await expectText(page, '[data-test="audit-verify-result"]', '哈希链完整')
  // The first record link filters the list to that record's history.
  const link = page.locator('[data-test="audit-table"] .el-table__row').filter({ hasNotText: '登录' }).first()
    .locator('[data-test="audit-record"]')
  const id = await link.getAttribute('data-entity-id')
  await link.click()
  await page.waitForFunction((want) => {
    const rows = [...document.querySelectorAll('[data-test="audit-table"] [data-test="audit-record"]')]
    return rows.length > 0 && rows.every((r) => r.getAttribute('data-entity-id') === want)
  }, id)
  await page.locator('[data-test="audit-table"] .el-table__expand-icon').first().click()
  await expectText(page, '[data-test="audit-table"]', '修改后')
  await page.waitForSelector('[data-test="audit-table"] .value.after')
  await shot(page, 'audit-zh-desktop')
  await switchLocale(page, 'en')
  await expectText(page, '[data-test="audit-page"]', 'Audit log')
  await page.click('[data-test="audit-verify"]')
  await expectText(page, '[data-test="audit-verify-result"]', 'The chain is intact')
  await shot(page, 'audit-en-desktop')
  // A rep has no such page.
  const rep = await open(ctx, { viewport: PHONE })
  await login(rep, 'rep.sh1')
  await rep.goto(BASE + '/compliance/audit')
  await rep.waitForSelector('[data-test="forbidden"]')
})

test('the language switch is remembered across reload and login', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'mgr.east')
  await switchLocale(page, 'zh-CN')
  await switchLocale(page, 'en')
  await expectText(page, '[data-test="side-menu"]', 'My team')
  await page.reload()
  await page.waitForSelector(sel.home)
  if ((await lang(page)) !== 'en') throw new Error('language not kept after reload')
  await expectText(page, '[data-test="side-menu"]', 'My team')
  await page.click('[data-test="side-menu"] [data-menu="team"]')
  await page.waitForSelector('[data-test="team-page"] .el-table__row')
  await shot(page, 'team-en-desktop')
  // Another browser (no localStorage): the login page is zh-CN, and the
  // language saved on the server wins after login.
  const page2 = await open(ctx)
  await page2.goto(BASE + '/login')
  if ((await lang(page2)) !== 'zh-CN') throw new Error('fresh browser not in zh-CN')
  await login(page2, 'mgr.east')
  await page2.waitForFunction(() => document.documentElement.lang === 'en')
  await expectText(page2, '[data-test="side-menu"]', 'Home')
  await switchLocale(page2, 'zh-CN') // leave the demo user as it was
  await expectText(page2, '[data-test="side-menu"]', '首页')
})

test('audit: an entry reads as a compliance officer reads it (yuan, names, labels, the stored value beneath), logins left out (zh-CN and en)', async (ctx) => {
  const rep = await apiSession('rep.sh1')
  const inst = await rep('POST', '/institutions', { name: '审计读医院-' + STAMP, province_code: 'SH', city: '上海' })
  const opp = await rep('POST', '/opportunities', { name: '审计读商机-' + STAMP, institution_id: inst.id, expected_close_date: shanghaiDate(90), product_line_code: 'IVD_REAGENT', amount_fen: 50000000 })
  await rep('POST', '/contacts', { institution_id: inst.id, name: '审计读主任-' + STAMP, decision_role: 'DECISION_MAKER', stance: 'supporter' })
  const page = await open(ctx)
  await login(page, 'compliance')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/compliance/audit')
  await page.waitForSelector('[data-test="audit-table"] .el-table__row')
  // The newest entries: no login among them (the compliance login is the newest entry of all).
  const first = await page.locator('[data-test="audit-table"] .el-table__row').first().innerText()
  if (/登录/.test(first)) throw new Error('a login entry leads the list: ' + first)
  const row = page.locator('[data-test="audit-table"] .el-table__row').filter({ hasText: '审计读商机-' + STAMP }).first()
  await row.locator('.el-table__expand-icon').click()
  const detail = page.locator('[data-test="audit-table"] .diff').first()
  await expectText(page, '[data-test="audit-table"] .diff', '¥500,000.00')
  const text = await detail.innerText()
  for (const want of ['金额（元）', '¥500,000.00', '50000000', '冯琳', '审计读医院-' + STAMP, '"IVD_REAGENT"', '线索确认', '"LEAD_CONFIRMED"']) {
    if (!text.includes(want)) throw new Error(`the detail lacks ${want}: ${text}`)
  }
  if (text.includes('（分）')) throw new Error('a field still reads in fen: ' + text)
  // A contact's fixed codes read by the web's names, the stored code beneath.
  await page.locator('[data-test="audit-table"] .el-table__row').filter({ hasText: '审计读主任-' + STAMP }).first()
    .locator('.el-table__expand-icon').click()
  await expectText(page, '[data-test="audit-table"]', '决策者')
  const all = (await page.locator('[data-test="audit-table"] .diff').allInnerTexts()).join('\n')
  for (const want of ['决策者', '"DECISION_MAKER"', '支持', '"supporter"']) {
    if (!all.includes(want)) throw new Error(`the contact's detail lacks ${want}: ${all}`)
  }
  await shot(page, 'audit-labels-zh-desktop')
  await switchLocale(page, 'en')
  await expectText(page, '[data-test="audit-table"] .diff', 'Amount (yuan)')
  await expectText(page, '[data-test="audit-table"]', 'Lead confirmed')
  await expectText(page, '[data-test="audit-table"]', 'Decision maker')
  await shot(page, 'audit-labels-en-desktop')
  await page.click('[data-test="audit-sessions"]')
  await expectText(page, '[data-test="audit-table"]', 'Log in')
  void opp
})

test('coverage tab: a new primary asks what becomes of the old primary\'s planned visits; ending a coverage asks too (zh-CN and en)', async (ctx) => {
  const rep = await apiSession('rep.sh1')
  const admin = await apiSession('admin')
  const sh2 = (await admin('GET', '/users?limit=200')).items.find((u) => u.username === 'rep.sh2')
  const inst = await rep('POST', '/institutions', { name: '交接页医院-' + STAMP, province_code: 'SH', city: '上海' })
  const v = await rep('POST', '/visits', { institution_id: inst.id, type: 'in_person', visit_date: shanghaiDate(2), objective: '交接 ' + STAMP })
  const page = await open(ctx)
  await login(page, 'mgr.sh')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/institutions/' + inst.id)
  await page.locator('.inst-tabs .el-tabs__item').filter({ hasText: '覆盖历史' }).click()
  await page.waitForSelector('[data-test="coverage-table"] .el-table__row')
  await page.click('[data-test="coverage-add"]')
  await pick(page, 'coverage-user', 'rep.sh2')
  await expectText(page, '[data-test="coverage-plans"]', '1 个计划拜访')
  await page.waitForTimeout(400) // the user list's closing fade
  await shot(page, 'coverage-plans-zh-desktop')
  await page.click('[data-test="coverage-save"]')
  await expectText(page, '.el-message', '已移交 1 个计划拜访')
  const mgr = await apiSession('mgr.sh')
  if ((await mgr('GET', '/visits/' + v.id)).owner_id !== sh2.id) throw new Error('the plan was not handed over')
  await switchLocale(page, 'en')
  const row = page.locator('[data-test="coverage-table"] .el-table__row').filter({ hasText: 'rep.sh2' }).filter({ hasText: 'now' }).first()
  await row.locator('.el-button').filter({ hasText: 'End coverage' }).click()
  await expectText(page, '[data-test="coverage-end-plans"]', '1 planned visit here from today')
  await page.waitForTimeout(400) // the dialog's opening fade
  await shot(page, 'coverage-end-plans-en-desktop')
  await page.click('[data-test="coverage-end-confirm"]')
  await expectText(page, '.el-message', '1 planned visit cancelled')
  const after = await mgr('GET', '/visits/' + v.id)
  if (after.status !== 'cancelled' || after.cancel_reason !== 'coverage_ended') throw new Error('the plan was not cancelled: ' + JSON.stringify(after))
  await switchLocale(page, 'zh-CN')
})

test('a record outside the user\'s scope shows a not-found page, not a blank one (zh-CN and en)', async (ctx) => {
  const sh1 = await apiSession('rep.sh1')
  const opp = (await sh1('GET', '/opportunities?limit=1')).items[0]
  const visit = (await sh1('GET', '/visits?limit=1')).items[0]
  const lead = (await sh1('GET', '/leads?limit=1')).items[0]
  const tender = (await sh1('GET', '/tenders?limit=1')).items[0]
  const paths = [`/opportunities/${opp.id}`, `/opportunities/${opp.id}/project`, `/visits/${visit.id}`]
  if (lead) paths.push(`/leads/${lead.id}`)
  if (tender) paths.push(`/tenders/${tender.id}`)
  const page = await open(ctx, { viewport: PHONE })
  await login(page, 'rep.bj1')
  for (const code of ['zh-CN', 'en']) {
    await switchLocale(page, code)
    for (const p of paths) {
      await page.goto(BASE + p)
      await page.locator('[data-test="not-found"]').waitFor()
    }
    await page.waitForTimeout(3500) // past a toast's life: the page stays
    if (!(await page.locator('[data-test="not-found"]').isVisible())) throw new Error('the not-found page went away')
    await expectText(page, '[data-test="not-found"]', code === 'en' ? 'outside your data scope' : '不在您的数据范围内')
    await shot(page, `not-found-${code === 'en' ? 'en' : 'zh'}-phone`)
  }
})

test('change password works', async (ctx) => {
  const user = await createRep('pw')
  const page = await open(ctx)
  await login(page, user.username, user.password)
  await switchLocale(page, 'zh-CN')
  await page.click('[data-test="user-menu"]')
  await page.locator('[data-test="menu-password"]').filter({ visible: true }).click()
  await page.waitForSelector('input[data-test="pw-old"]')
  const next = `Changed#${STAMP}5`
  await page.fill('input[data-test="pw-old"]', user.password)
  await page.fill('input[data-test="pw-new"]', next)
  await page.fill('input[data-test="pw-confirm"]', next)
  const done = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/password'))
  await page.click('[data-test="pw-submit"]')
  const r = await done
  if (r.status() !== 204 && r.status() !== 200) throw new Error(`POST /me/password answered ${r.status()}: ${await r.text()}`)
  await expectText(page, '.el-message', '密码已修改')
  await shot(page, 'account-zh-desktop')
  await page.click('[data-test="user-menu"]')
  await page.locator('[data-test="menu-logout"]').filter({ visible: true }).click()
  await page.waitForSelector(sel.username)
  await login(page, user.username, next)
})

test('the layout at 375x812 has a drawer menu', async (ctx) => {
  const page = await open(ctx, { viewport: PHONE })
  await page.goto(BASE + '/login')
  await shot(page, 'login-zh-phone')
  await login(page, 'admin')
  await switchLocale(page, 'zh-CN')
  if (await page.locator('[data-test="aside"]').isVisible()) throw new Error('side menu shown on a phone')
  await shot(page, 'home-zh-phone')
  await page.click('[data-test="menu-toggle"]')
  const drawer = page.locator('.menu-drawer')
  await drawer.locator('[data-menu="users"]').waitFor({ state: 'visible' })
  await page.waitForFunction(() => {
    const d = document.querySelector('.menu-drawer')
    return d && Math.abs(d.getBoundingClientRect().left) < 1
  })
  await shot(page, 'drawer-zh-phone')
  await drawer.locator('[data-menu="users"]').click()
  await page.waitForURL(/\/admin\/users/)
  await drawer.waitFor({ state: 'hidden' })
  await page.waitForSelector('[data-test="user-cards"] .list-card')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  if (overflow > 0) throw new Error(`page is ${overflow}px wider than the screen`)
  await shot(page, 'users-zh-phone')
  await switchLocale(page, 'en')
  await page.click('[data-test="menu-toggle"]')
  await expectText(page, '.menu-drawer', 'Organisation')
  await drawer.locator('[data-menu="org"]').click()
  await drawer.waitFor({ state: 'hidden' })
  await page.waitForSelector('[data-test="org-tree"] .el-tree-node')
  await shot(page, 'org-en-phone')
  await switchLocale(page, 'zh-CN')
})

test('the organisation page shows a unit\'s provinces and territory; an administrator assigns provinces', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'admin')
  await switchLocale(page, 'en')
  await page.goto(BASE + '/admin/org')
  await page.waitForSelector('[data-test="org-tree"] .el-tree-node')
  const unit = (code) => page.locator('[data-test="org-tree"] .org-node')
    .filter({ has: page.locator('.org-node-code', { hasText: new RegExp('^' + code + '$') }) })
  // a district: none of its own, Shanghai inherited from its province unit
  await unit('SH-D1').click()
  await expectText(page, '[data-test="org-provinces"]', 'None assigned')
  await expectText(page, '[data-test="org-territory"]', 'Shanghai')
  // a region: its provinces' territories
  await unit('EAST').click()
  await expectText(page, '[data-test="org-territory"]', 'Jiangsu')
  await unit('SH').click()
  await expectText(page, '[data-test="org-provinces"]', 'Shanghai')
  await page.click('[data-test="org-edit-provinces"]')
  await page.waitForSelector('[data-test="org-provinces-select"]')
  await shot(page, 'org-provinces-en')
  const put = answer(page, 'PUT', /\/org\/units\/\d+\/provinces$/)
  await page.click('[data-test="org-provinces-save"]')
  if (!(await put).ok()) throw new Error('PUT provinces failed')
  await expectText(page, '.el-message', 'Provinces saved')
  await expectText(page, '[data-test="org-territory"]', 'Shanghai')
  await shot(page, 'org-territory-en')
  await switchLocale(page, 'zh-CN')
  await expectText(page, '[data-test="org-territory"]', '上海')
  await expectText(page, '[data-test="org-detail"]', '辖区')
  await shot(page, 'org-territory-zh')
})

// ---------------------------------------------------------------- customers

// Waits for the API answer of a request the page is about to make.
const answer = (page, method, re) => page.waitForResponse((r) => r.request().method() === method && re.test(new URL(r.url()).pathname))

async function noOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  if (overflow > 0) throw new Error(`page is ${overflow}px wider than the screen`)
}

// Every ECharts chart inside `selector` has drawn a canvas of some size.
async function chartsDrawn(page, selector, min = 1) {
  await page.waitForFunction(([sel, n]) => {
    const canvases = [...document.querySelectorAll(sel + ' .echart canvas')]
    return canvases.length >= n && canvases.every((c) => c.width > 50 && c.height > 50)
  }, [selector, min])
}

test('settings: saving over a change someone else saved first warns and reloads (zh-CN)', async (ctx) => {
  const admin = await apiSession('admin')
  const page = await open(ctx)
  await login(page, 'admin')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/settings/completeness')
  const first = page.locator('[data-test="completeness-institution"] .el-input-number input').first()
  await first.waitFor()
  const before = await first.inputValue()
  // someone else saves (the same weights, a new version)
  const cur = await admin('GET', '/settings/completeness')
  await admin('PUT', '/settings/completeness', { value: cur.value, version: cur.version })
  await first.fill(String(Number(before) === 100 ? 99 : Number(before) + 1))
  await first.press('Tab')
  const put = page.waitForResponse((r) => r.url().endsWith('/api/v1/settings/completeness') && r.request().method() === 'PUT')
  await page.click('[data-test="completeness-save"]')
  if ((await put).status() !== 409) throw new Error('the stale save was not refused')
  await expectText(page, '.el-message--warning', '已被他人修改')
  await page.waitForFunction((v) => {
    const i = document.querySelector('[data-test="completeness-institution"] .el-input-number input')
    return i && i.value === v
  }, before)
  const after = await admin('GET', '/settings/completeness')
  if (after.version !== cur.version + 1) throw new Error('the stale save changed the setting')
})

// Issue 11: with no key contacts the contact fields are 0 of 0, which counts
// as not filled; the institution page says so (both languages).
test('an institution without key contacts says how 0 of 0 contact fields are scored', async (ctx) => {
  const rep = await apiSession('rep.sh1')
  const inst = await rep('POST', '/institutions', { name: `零比零-${STAMP}`, province_code: 'SH', city: '上海' })
  const detail = await rep('GET', '/institutions/' + inst.id)
  const contactMissing = detail.completeness_missing.filter((m) => m.part === 'contact').length
  if (!contactMissing) throw new Error('the server lists no contact field as missing')
  const page = await open(ctx)
  await login(page, 'rep.sh1')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/institutions/' + inst.id)
  await expectText(page, '[data-test="completeness-panel"]', '没有关键联系人时比例为 0/0，按未填写计分')
  const zh = await page.locator('[data-test="completeness-share"]').allInnerTexts()
  if (zh.length !== contactMissing || !zh.every((t) => t.includes('尚无关键联系人：0/0 按未填写计分'))) {
    throw new Error(`share notes ${JSON.stringify(zh)}, want ${contactMissing} saying 0/0 counts as not filled`)
  }
  await shot(page, 'institution-no-key-contacts-zh-desktop')
  await switchLocale(page, 'en')
  await expectText(page, '[data-test="completeness-panel"]', 'with no key contacts that share is 0 of 0, which counts as not filled')
  await expectText(page, '[data-test="completeness-share"]', 'No key contacts yet: 0 of 0 counts as not filled')
  await shot(page, 'institution-no-key-contacts-en-desktop')
  await switchLocale(page, 'zh-CN')
})

test('a rep finds an institution, reads its grade and completeness, adds a contact and a need', async (ctx) => {
  const rep = await apiSession('rep.sh1')
  const mine = await rep('GET', '/institutions?limit=200&sort=name')
  if (!mine.total) throw new Error('rep.sh1 has no institutions in the demo')
  const page = await open(ctx)
  await login(page, 'rep.sh1')
  await switchLocale(page, 'zh-CN')
  if (await page.locator('[data-test="side-menu"] [data-menu="white-space"]').count()) throw new Error('a rep sees the white-space report')
  const listed = answer(page, 'GET', /\/api\/v1\/institutions$/)
  await page.click('[data-test="side-menu"] [data-menu="institutions"]')
  await listed
  const rows = page.locator('[data-test="inst-table"] .el-table__body-wrapper .el-table__row')
  await rows.first().waitFor()
  await expectText(page, '.pager', `共 ${mine.total} 条`)
  const names = (await page.locator('[data-test="inst-table"] [data-test="inst-link"]').allInnerTexts()).map((x) => x.trim())
  const expected = mine.items.slice(0, 20).map((i) => i.name)
  if (JSON.stringify(names) !== JSON.stringify(expected)) throw new Error(`list shows ${JSON.stringify(names)}, the rep's institutions are ${JSON.stringify(expected)}`)
  await shot(page, 'institutions-zh-desktop')

  // search by a Chinese substring of one of the rep's institutions
  // a demo institution (not one an earlier test made, which has no contacts)
  const target = mine.items.filter((i) => !i.name.includes(STAMP)).pop()
  const chars = [...target.name]
  const part = chars.slice(2, 4).join('')
  const found = await rep('GET', '/institutions?limit=200&q=' + encodeURIComponent(part))
  const searched = page.waitForResponse((r) => r.url().includes('/api/v1/institutions?') && new URL(r.url()).searchParams.get('q') === part)
  await page.fill('input[data-test="inst-search"]', part)
  await searched
  await page.waitForFunction(([p, n]) => {
    const links = [...document.querySelectorAll('[data-test="inst-table"] [data-test="inst-link"]')]
    return links.length === n && links.every((a) => a.textContent.includes(p))
  }, [part, Math.min(found.total, 20)])
  await expectText(page, '[data-test="inst-table"] [data-test="inst-link"]', target.name)

  // the institution: grade explanation and the missing fields
  const detail = await rep('GET', '/institutions/' + target.id)
  await page.locator('[data-test="inst-link"]').filter({ hasText: target.name }).click()
  await page.waitForURL(new RegExp('/institutions/' + target.id))
  await expectText(page, '[data-test="inst-name"]', target.name)
  await page.waitForSelector('[data-test="grade-explain"]')
  await expectText(page, '[data-test="grade-explain"]', '综合得分')
  await expectText(page, '[data-test="grade-formula"]', `${detail.grade_explanation.score} = ${detail.grade_explanation.potential.score} × ${detail.grade_explanation.model.w_potential}%`)
  const parts = await page.locator('[data-test="grade-table"] .el-table__body-wrapper .el-table__row').count()
  if (parts !== 12) throw new Error(`grade table has ${parts} rows, want 12`)
  await expectText(page, '[data-test="grade-table"]', '采购潜力')
  await chartsDrawn(page, '[data-test="grade-explain"]', 2)
  await expectText(page, '[data-test="completeness-panel"]', `完整度 ${detail.completeness}%`)
  if (detail.completeness_missing.length) {
    const missing = await page.locator('[data-test="completeness-missing"] .el-table__body-wrapper .el-table__row').count()
    if (missing !== detail.completeness_missing.length) throw new Error(`${missing} missing fields shown, the server lists ${detail.completeness_missing.length}`)
  }
  await shot(page, 'institution-overview-zh-desktop')

  // add a contact: a wrong mobile is refused as you type, then saved
  await page.locator('.inst-tabs .el-tabs__item').filter({ hasText: '联系人' }).click()
  await page.waitForSelector('[data-test="contacts-tab"] [data-test="contact-table"] .el-table__row')
  await page.click('[data-test="contacts-tab"] [data-test="contact-add"]')
  const dialog = page.locator('.el-dialog').filter({ has: page.locator('[data-test="contact-form"]') })
  await dialog.waitFor()
  const name = '测试' + STAMP.slice(-4)
  const mobile = '139' + String(Date.now()).slice(-8)
  await dialog.locator('input[data-test="cf-name"]').fill(name)
  await dialog.locator('input[data-test="cf-mobile"]').fill('12345')
  await dialog.locator('input[data-test="cf-mobile"]').blur()
  await expectText(page, '.el-dialog .el-form-item__error', '11 位')
  await dialog.locator('input[data-test="cf-mobile"]').fill(mobile)
  await shot(page, 'contact-form-zh-desktop')
  const created = answer(page, 'POST', /\/api\/v1\/contacts$/)
  await dialog.locator('[data-test="cf-save"]').click()
  const r = await created
  if (r.status() !== 201) throw new Error(`POST /contacts answered ${r.status()}: ${await r.text()}`)
  await dialog.waitFor({ state: 'hidden' })
  await expectText(page, '[data-test="contacts-tab"] [data-test="contact-table"] .el-table__row', name)
  // the profile drawer: no consent given -> the PIPL warning
  await page.locator('[data-test="contacts-tab"] .el-table__row').filter({ hasText: name }).click()
  await expectText(page, '[data-test="contact-profile"]', mobile)
  await page.waitForSelector('[data-test="consent-warning"]')
  await shot(page, 'contact-drawer-zh-desktop')
  await page.keyboard.press('Escape')
  await page.locator('[data-test="contact-drawer"]').waitFor({ state: 'hidden' })

  // add a need with a budget in yuan: the API gets exact fen
  await page.locator('.inst-tabs .el-tabs__item').filter({ hasText: '需求' }).click()
  await page.waitForSelector('[data-test="needs-tab"] [data-test="need-add"]')
  await page.click('[data-test="needs-tab"] [data-test="need-add"]')
  const nd = page.locator('.el-dialog').filter({ has: page.locator('[data-test="need-form"]') })
  await nd.waitFor()
  const need = `E2E 需求 ${STAMP}：更新超声设备`
  await nd.locator('textarea[data-test="nf-need"]').fill(need)
  await nd.locator('input[data-test="nf-budget"]').fill('1,234,567.89')
  const posted = answer(page, 'POST', /\/api\/v1\/needs$/)
  await nd.locator('[data-test="nf-save"]').click()
  const nr = await posted
  if (nr.status() !== 201) throw new Error(`POST /needs answered ${nr.status()}: ${await nr.text()}`)
  const sent = JSON.parse(nr.request().postData())
  if (sent.budget_fen !== 123456789) throw new Error(`budget sent as ${sent.budget_fen} fen, want 123456789`)
  await nd.waitFor({ state: 'hidden' })
  await expectText(page, '[data-test="needs-tab"] [data-test="need-table"] .el-table__row', need)
  await shot(page, 'institution-needs-zh-desktop')
})

test('a manager reassigning an institution is asked about the old rep\'s planned visits and hands them over (zh-CN and en)', async (ctx) => {
  const rep2 = await apiSession('rep.sh2')
  const rep3 = await apiSession('rep.sh3')
  const me3 = await rep3('GET', '/me')
  const inst = await rep2('POST', '/institutions', { name: '交接界面医院-' + STAMP, province_code: 'SH', city: '上海' })
  const visit = await rep2('POST', '/visits', { institution_id: inst.id, type: 'in_person', visit_date: shanghaiDate(2), objective: 'handover ' + STAMP })
  const page = await open(ctx)
  await login(page, 'mgr.sh')
  for (const code of ['en', 'zh-CN']) {
    await switchLocale(page, code)
    await page.goto(BASE + '/institutions')
    await page.fill('input[data-test="inst-search"]', '交接界面医院-' + STAMP)
    const row = page.locator('[data-test="inst-table"] .el-table__row').filter({ hasText: '交接界面医院-' + STAMP })
    await row.first().waitFor()
    await row.first().locator('.el-checkbox').click()
    await page.click('[data-test="inst-reassign"]')
    const dialog = page.locator('[data-test="reassign-dialog"]').filter({ visible: true })
    await pick(page, 'reassign-from', 'rep.sh2')
    await pick(page, 'reassign-to', 'rep.sh3')
    await expectText(page, '[data-test="reassign-plans"]', code === 'en' ? '1 planned visit' : '1 个计划拜访')
    await shot(page, `reassign-plans-${code === 'en' ? 'en' : 'zh'}-desktop`)
    if (code === 'en') {
      await dialog.locator('.el-dialog__headerbtn').click()
      await dialog.waitFor({ state: 'hidden' })
      continue
    }
    await dialog.locator('[data-test="reassign-submit"]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await expectText(page, '[data-test="reassign-result"]', '1 个计划拜访已交给新负责人')
  }
  const after = await rep3('GET', '/visits/' + visit.id)
  if (after.owner_id !== me3.user.id || after.status !== 'planned') throw new Error('the plan was not handed over: ' + JSON.stringify(after))
})

test('a manager sees the white-space report with its chart', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'mgr.sh')
  await switchLocale(page, 'zh-CN')
  const loaded = answer(page, 'GET', /\/api\/v1\/reports\/white-space$/)
  await page.click('[data-test="side-menu"] [data-menu="white-space"]')
  const r = await loaded
  if (!r.ok()) throw new Error(`white-space answered ${r.status()}`)
  const data = await r.json()
  await expectText(page, '.page-title', '空白市场')
  await chartsDrawn(page, '[data-test="white-space"]', 1)
  const groups = await page.locator('[data-test="ws-groups"] .el-table__body-wrapper .el-table__row').count()
  if (groups !== data.groups.length) throw new Error(`${groups} groups shown, the server sent ${data.groups.length}`)
  if (data.uncovered.length) await page.waitForSelector('[data-test="ws-uncovered"] .el-table__row')
  await shot(page, 'white-space-zh-desktop')
  // the completeness report too
  const rep = answer(page, 'GET', /\/api\/v1\/reports\/completeness$/)
  await page.click('[data-test="side-menu"] [data-menu="report-completeness"]')
  await rep
  await chartsDrawn(page, '[data-test="completeness-report"]', 1)
  await page.waitForSelector('[data-test="completeness-table"] .el-table__row')
  await shot(page, 'completeness-report-zh-desktop')
})

test('the institution page and the grading model in English', async (ctx) => {
  const dir = await apiSession('director')
  const list = await dir('GET', '/institutions?limit=1&sort=-grade_score')
  const inst = list.items[0]
  const page = await open(ctx)
  await login(page, 'director')
  await switchLocale(page, 'en')
  await page.goto(BASE + '/institutions/' + inst.id)
  await expectText(page, '[data-test="inst-name"]', inst.name)
  await expectText(page, '.card-title', 'Why this grade')
  await expectText(page, '[data-test="grade-table"] th', 'Points')
  await expectText(page, '[data-test="grade-table"]', 'Purchase potential')
  await expectText(page, '.inst-tabs .el-tabs__item', 'Grade history')
  await chartsDrawn(page, '[data-test="grade-explain"]', 2)
  await shot(page, 'institution-overview-en-desktop')
  await page.locator('.inst-tabs .el-tabs__item').filter({ hasText: 'Coverage' }).click()
  await page.waitForSelector('[data-test="coverage-table"] .el-table__row')
  await expectText(page, '[data-test="coverage-table"]', 'Primary')
  await page.locator('.inst-tabs .el-tabs__item').filter({ hasText: 'Grade history' }).click()
  await page.waitForSelector('[data-test="grade-history"] .el-timeline-item')
  await page.goto(BASE + '/settings/grading')
  await expectText(page, '.page-title', 'Grading model')
  await expectText(page, '[data-test="weights-sum"]', 'Sum 100')
  // the live sum follows the inputs, and saving is refused until it is 100
  const w = page.locator('[data-test="w-potential"] input')
  await w.fill('60')
  await w.blur()
  await expectText(page, '[data-test="weights-sum"]', 'Sum 110')
  if (!(await page.locator('[data-test="grading-save"]').isDisabled())) throw new Error('save enabled with weights summing to 110')
  await shot(page, 'grading-en-desktop')
  await switchLocale(page, 'zh-CN') // leave the demo user as it was
})

test('the institutions list at 375x812 shows cards', async (ctx) => {
  const page = await open(ctx, { viewport: PHONE })
  await login(page, 'mgr.sh')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/institutions')
  await page.waitForSelector('[data-test="inst-cards"] [data-test="inst-card"]')
  if (await page.locator('[data-test="inst-table"]').count()) throw new Error('a table on a phone')
  await noOverflow(page)
  await shot(page, 'institutions-zh-phone')
  await page.click('[data-test="inst-filters-toggle"]')
  await page.waitForSelector('[data-test="inst-filter-band"]')
  await noOverflow(page)
  await page.locator('[data-test="inst-card"]').first().click()
  await page.waitForSelector('[data-test="grade-explain"]')
  await chartsDrawn(page, '[data-test="grade-explain"]', 2)
  await noOverflow(page)
  await shot(page, 'institution-zh-phone')
})

test('a manager exports the list and imports institutions from CSV', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'mgr.sh')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/institutions')
  await page.waitForSelector('[data-test="inst-table"] .el-table__row')
  // export: the file of the current filters
  const dl = page.waitForEvent('download')
  await page.click('[data-test="inst-export"]')
  await page.locator('[data-test="export-csv"]').filter({ visible: true }).click()
  const file = await dl
  if (!/\.csv$/.test(file.suggestedFilename())) throw new Error('export saved as ' + file.suggestedFilename())
  const { readFileSync } = await import('node:fs')
  const csv = readFileSync(await file.path(), 'utf8').replace(/^\ufeff/, '')
  if (!csv.startsWith('name,aliases,province_code')) throw new Error('export starts with ' + csv.slice(0, 40))
  // import: template, dry run with one bad row, then the real import
  await page.click('[data-test="inst-import"]')
  const dialog = page.locator('.import-dialog')
  await dialog.waitFor()
  const tpl = page.waitForEvent('download')
  await dialog.locator('[data-test="import-template"]').click()
  if ((await tpl).suggestedFilename() !== 'template-institutions.csv') throw new Error('template named ' + (await tpl).suggestedFilename())
  const name = `E2E导入医院${STAMP}`
  const body = `name,province_code,city,level,beds\n${name},SH,上海,L2,120\n,SH,上海,L9,abc\n`
  await dialog.locator('input[type=file]').setInputFiles({ name: 'import.csv', mimeType: 'text/csv', buffer: Buffer.from(body) })
  const dry = answer(page, 'POST', /\/api\/v1\/import\/institutions$/)
  await dialog.locator('[data-test="import-dryrun"]').click()
  const dr = await dry
  if (!dr.ok()) throw new Error(`dry run answered ${dr.status()}: ${await dr.text()}`)
  if (new URL(dr.url()).searchParams.get('dry_run') !== 'true') throw new Error('the first upload was not a dry run')
  await page.waitForSelector('[data-test="import-report"]')
  await expectText(page, '[data-test="import-errors"] .el-table__row', '必填项为空')
  await shot(page, 'import-dryrun-zh-desktop')
  const real = answer(page, 'POST', /\/api\/v1\/import\/institutions$/)
  await dialog.locator('[data-test="import-confirm"]').click()
  const rr = await real
  if (!rr.ok() || new URL(rr.url()).searchParams.get('dry_run') !== 'false') throw new Error(`import answered ${rr.status()}`)
  await expectText(page, '[data-test="import-result"]', '已导入 1 行')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  await page.fill('input[data-test="inst-search"]', name)
  await expectText(page, '[data-test="inst-table"] [data-test="inst-link"]', name)
})

// ---------------------------------------------------------------- pipeline (issue 6)

// Today + n days in the business calendar (Asia/Shanghai), YYYY-MM-DD.
function shanghaiDate(n = 0) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  return new Date(Date.parse(today + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10)
}

// Open an Element Plus select (by its data-test) and click the option with
// that text (or the first option).
async function pick(page, testId, text) {
  const select = page.locator(`[data-test="${testId}"]`).filter({ visible: true }).first()
  await select.locator('.el-select__wrapper').click()
  // the option list of this select (input[aria-controls] names it)
  const list = await select.locator('input').first().getAttribute('aria-controls')
  let options = page.locator(`[id="${list}"] .el-select-dropdown__item`).filter({ visible: true })
  if (text) options = options.filter({ hasText: text })
  await options.first().click()
}

// Fill an Element Plus date picker: the milestone `field` of the tender form.
async function fillDate(page, field, date) {
  const input = page.locator(`[data-test="tender-form"] [data-field="${field}"] input`)
  await input.click()
  await input.fill(date)
  await input.press('Enter')
}

// Drag a board card to a stage column (native HTML5 drag and drop).
async function dragToStage(page, oppId, stage) {
  const card = page.locator(`[data-test="board-card"][data-id="${oppId}"]`)
  await card.waitFor()
  await card.dragTo(page.locator(`[data-test="board-col"][data-stage="${stage}"] .board-col-body`))
}

const waitApi = (page, re, method = 'POST') => page.waitForResponse((r) => re.test(r.url()) && r.request().method() === method)

// On a lead's page: tick the four screening items (each saved), qualify,
// and see the status say so.
async function qualifyLead(page, qualifiedText) {
  for (const k of ['budget_confirmed', 'decision_maker_known', 'need_confirmed', 'timeline']) {
    const saved = waitApi(page, /\/api\/v1\/leads\/\d+$/, 'PATCH')
    await page.click(`[data-test="check-${k}"]`)
    if (!(await saved).ok()) throw new Error('ticking ' + k + ' failed')
  }
  await page.click('[data-test="lead-qualify"]')
  await expectText(page, '[data-test="lead-status"]', qualifiedText)
}

test('pipeline: a rep takes a conference lead to a won contract (zh-CN)', async (ctx) => {
  const rep = await apiSession('rep.sh1')
  // one of the rep's institutions that has departments
  let inst = null
  for (const i of (await rep('GET', '/institutions?limit=30&sort=name')).items) {
    if ((await rep('GET', `/institutions/${i.id}/departments`)).items.length) {
      inst = i
      break
    }
  }
  if (!inst) throw new Error('rep.sh1 has no institution with departments')
  const page = await open(ctx)
  await login(page, 'rep.sh1')
  await switchLocale(page, 'zh-CN')
  await page.click('[data-test="side-menu"] [data-menu="leads"]')
  await page.waitForSelector('[data-test="leads-page"]')
  // a new lead from an academic meeting
  await page.click('[data-test="lead-create"]')
  await page.waitForSelector('[data-test="lead-form"]')
  await pick(page, 'lf-source', '学术会议')
  await page.fill('input[data-test="lf-source-detail"]', '华东放射年会')
  const picker = page.locator('[data-test="lead-form"] [data-test="inst-picker"]')
  await picker.locator('.el-select__wrapper').click()
  await page.keyboard.type(inst.name)
  const instList = await picker.locator('input').first().getAttribute('aria-controls')
  await page.locator(`[id="${instList}"] .el-select-dropdown__item`).filter({ visible: true, hasText: inst.name }).first().click()
  await pick(page, 'lf-product-line')
  await page.fill('input[data-test="lf-value"]', '1234567.89')
  const need = `E2E 线索 ${STAMP}`
  await page.fill('textarea[data-test="lf-need"]', need)
  const created = waitApi(page, /\/api\/v1\/leads$/)
  await page.click('[data-test="lf-save"]')
  const lead = await (await created).json()
  if (lead.estimated_value_fen !== 123456789) throw new Error('estimated value sent as ' + lead.estimated_value_fen)
  await page.waitForURL(/\/leads\/\d+$/)
  // screening: tick the checklist, qualify, convert
  await qualifyLead(page, '已合格')
  await shot(page, 'lead-zh-desktop')
  await page.click('[data-test="lead-convert"]')
  await page.waitForSelector('[data-test="convert-dialog"] input[data-test="cv-name"]')
  const oppName = `E2E 商机 ${STAMP}`
  await page.fill('input[data-test="cv-name"]', oppName)
  await page.click('[data-test="cv-save"]')
  await page.waitForURL(/\/opportunities\/\d+$/)
  const oppId = Number(page.url().match(/(\d+)$/)[1])
  await expectText(page, '[data-test="opp-name"]', oppName)
  // a product line
  await page.click('[data-test="lines-edit"]')
  await pick(page, 'line-product')
  const linesSaved = waitApi(page, /\/lines$/, 'PUT')
  await page.click('[data-test="lines-save"]')
  if (!(await linesSaved).ok()) throw new Error('PUT lines failed')
  await page.locator('[data-test="opp-lines"] .el-table__row').first().waitFor()
  // the board: need confirmed asks for the department
  await page.click('[data-test="side-menu"] [data-menu="opportunities"]')
  await page.waitForSelector('[data-test="board-col"]')
  await dragToStage(page, oppId, 'NEED_CONFIRMED')
  await expectText(page, '[data-test="stage-dialog-field"]', '科室')
  await pick(page, 'sd-department')
  await page.click('[data-test="stage-dialog-save"]')
  await page.locator('[data-test="stage-dialog"]').waitFor({ state: 'hidden' })
  await page.locator(`[data-test="board-col"][data-stage="NEED_CONFIRMED"] [data-test="board-card"][data-id="${oppId}"]`).waitFor()
  // solution: amount and lines are there already
  await dragToStage(page, oppId, 'SOLUTION')
  await page.locator(`[data-test="board-col"][data-stage="SOLUTION"] [data-test="board-card"][data-id="${oppId}"]`).waitFor()
  // tender: the competitors
  await dragToStage(page, oppId, 'TENDER')
  await expectText(page, '[data-test="stage-dialog-field"]', '竞争对手')
  await pick(page, 'competitor-pick')
  await page.click('[data-test="stage-dialog-save"]')
  await page.locator(`[data-test="board-col"][data-stage="TENDER"] [data-test="board-card"][data-id="${oppId}"]`).waitFor()
  await shot(page, 'board-zh-desktop')
  // a tender for it: first a clarification too late (statutory interval)
  await page.goto(BASE + `/opportunities/${oppId}`)
  await page.click('[data-test="opp-new-tender"]')
  await page.waitForSelector('[data-test="tender-form"] input[data-test="tf-project-name"]')
  await fillDate(page, 'announcement', shanghaiDate(1))
  await fillDate(page, 'doc_from', shanghaiDate(1))
  // 11 days on sale: 5 working days on the holiday calendar even across New Year
  await fillDate(page, 'doc_to', shanghaiDate(12))
  await fillDate(page, 'clarification', shanghaiDate(15))
  await fillDate(page, 'bid_deadline', shanghaiDate(25))
  const refused = waitApi(page, /\/api\/v1\/tenders$/)
  await page.click('[data-test="tf-save"]')
  if ((await refused).status() !== 400) throw new Error('a clarification 10 days before the deadline was accepted')
  await expectText(page, '[data-field="clarification"] .el-form-item__error', '15')
  await shot(page, 'tender-form-error-zh')
  await fillDate(page, 'clarification', shanghaiDate(5))
  const tenderSaved = waitApi(page, /\/api\/v1\/tenders$/)
  await page.click('[data-test="tf-save"]')
  const tr = await tenderSaved
  if (tr.status() !== 201) throw new Error(`POST /tenders answered ${tr.status()}: ${await tr.text()}`)
  await page.waitForURL(/\/tenders\/\d+$/)
  await expectText(page, '[data-test="tender-next-deadline"]', '招标公告')
  await expectText(page, '[data-test="tender-next-deadline"]', shanghaiDate(1))
  await shot(page, 'tender-zh-desktop')
  // the result: won
  await page.click('[data-test="tender-edit"]')
  await pick(page, 'tf-result', '已中标')
  await page.fill('input[data-test="tf-winner"]', '华康医疗')
  const patched = waitApi(page, /\/api\/v1\/tenders\/\d+$/, 'PATCH')
  await page.click('[data-test="tf-save"]')
  if (!(await patched).ok()) throw new Error('PATCH tender failed')
  await expectText(page, '[data-test="tender-result"]', '已中标')
  // and the opportunity to won
  await page.click('[data-test="tender-opp-link"]')
  await page.waitForURL(new RegExp(`/opportunities/${oppId}$`))
  await pick(page, 'opp-move', '赢单')
  await expectText(page, '[data-test="opp-stage"]', '赢单')
  await shot(page, 'opportunity-won-zh-desktop')
})

test('pipeline: the funnel renders with charts for the director (en)', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'director')
  await switchLocale(page, 'en')
  await page.click('[data-test="side-menu"] [data-menu="funnel"]')
  await expectText(page, '.page-title', 'Sales pipeline funnel')
  await page.locator('[data-test="funnel-page"] canvas').first().waitFor()
  if ((await page.locator('[data-test="funnel-page"] canvas').count()) < 2) throw new Error('expected the funnel and the conversion chart')
  await expectText(page, '[data-test="funnel-table"] .el-table__row', 'Lead confirmed')
  await expectText(page, '[data-test="funnel-closed"]', 'Win rate')
  await shot(page, 'funnel-en-desktop')
  await switchLocale(page, 'zh-CN')
})

test('pipeline: the tender calendar marks deadlines and greys passed milestones (zh-CN)', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'director')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/tenders/calendar')
  await expectText(page, '[data-test="tender-calendar"] .cal-legend', '截止类节点')
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const { past, future } = await page.evaluate((d) => {
    const out = { past: [0, 0], future: [0, 0] }
    for (const cell of document.querySelectorAll('[data-test="tender-calendar"] td')) {
      const day = cell.querySelector('.cal-day-num')
      if (!day || !cell.classList.contains('current')) continue
      const date = d.slice(0, 8) + day.textContent.trim()
      for (const chip of cell.querySelectorAll('[data-test="cal-chip"]')) {
        const k = date < d ? 'past' : 'future'
        out[k][0]++
        if (chip.classList.contains('is-past')) out[k][1]++
      }
    }
    return out
  }, today)
  // the demo has milestones on both sides of today in the current month
  if (past[0] && past[1] !== past[0]) throw new Error(`${past[0] - past[1]} passed milestones are not greyed`)
  if (future[1]) throw new Error(`${future[1]} coming milestones are greyed`)
  if (!past[0] && !future[0]) throw new Error('no milestone this month')
  await shot(page, 'tender-calendar-zh-desktop')
})

test('pipeline: a tender page lists the days its challenge window skipped over National Day, and the admin sees the holiday calendar (zh-CN and en)', async (ctx) => {
  const rep = await apiSession('rep.sh2')
  const inst = await rep('POST', '/institutions', { name: `E2E国庆医院-${STAMP}`, province_code: 'SH', city: '上海' })
  const td = await rep('POST', '/tenders', { project_name: `E2E国庆质疑期-${STAMP}`, method: 'open', institution_id: inst.id, doc_from: '2026-08-20', bid_deadline: '2026-09-15', award_notice: '2026-09-28' })
  if (td.challenge_deadline !== '2026-10-13') throw new Error(`challenge deadline ${td.challenge_deadline}, want 2026-10-13`)
  const page = await open(ctx)
  await login(page, 'rep.sh2')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + `/tenders/${td.id}`)
  await expectText(page, '[data-test="tender-working-days"] [data-test="wd-skipped"]', '2026-10-01 国庆节')
  await expectText(page, '[data-test="tender-working-days"] [data-test="wd-makeup"]', '2026-10-10')
  await expectText(page, '[data-test="tender-result"]', '待录入结果')
  await expectText(page, '[data-test="tender-awaiting"]', '录入结果')
  await shot(page, 'tender-working-days-zh-desktop')
  await page.goto(BASE + '/')
  await switchLocale(page, 'en')
  await page.goto(BASE + `/tenders/${td.id}`)
  await expectText(page, '[data-test="tender-working-days"]', '7 working days')
  await expectText(page, '[data-test="tender-working-days"] [data-test="wd-skipped"]', 'Weekend')
  const admin = await open(ctx)
  await login(admin, 'admin')
  await switchLocale(admin, 'en')
  await admin.goto(BASE + '/admin/holidays')
  await expectText(admin, '[data-test="holidays-count"]', '33 days off, 6 make-up working days')
  await expectText(admin, '[data-test="holidays-table"]', '2026-02-14')
  await shot(admin, 'holidays-en-desktop')
})

test('reports: on a phone the funnel keeps its period in view and folds the other filters (en)', async (ctx) => {
  const page = await open(ctx, { viewport: PHONE })
  await login(page, 'mgr.sh')
  await switchLocale(page, 'en')
  await page.goto(BASE + '/reports/funnel')
  await page.locator('[data-test="filters-toggle"]').waitFor()
  if (await page.locator('.filter-bar .el-select').filter({ visible: true }).count()) throw new Error('filters are not folded on a phone')
  await page.click('[data-test="filters-toggle"]')
  await page.locator('.filter-bar .el-select').filter({ visible: true }).first().waitFor()
  await shot(page, 'funnel-filters-en-phone')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  if (overflow > 0) throw new Error(`funnel is ${overflow}px wider than the screen`)
})

test('pipeline: a project page shows team, buying centre and late tasks', async (ctx) => {
  const mgr = await apiSession('mgr.sh')
  const list = await mgr('GET', '/opportunities?is_project=true&limit=20')
  let opp = null
  for (const o of list.items) {
    const p = await mgr('GET', `/opportunities/${o.id}/project`)
    if (p.team.length && p.buying_center.length && p.who_must_act.length) {
      opp = o
      break
    }
  }
  if (!opp) throw new Error('no demo project with a team, a buying centre and late tasks')
  const page = await open(ctx)
  await login(page, 'mgr.sh')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + `/opportunities/${opp.id}`)
  await page.click('[data-test="opp-project-link"]')
  await page.waitForURL(/\/project$/)
  await page.locator('[data-test="team-member"]').first().waitFor()
  await page.locator('[data-test="bc-card"]').first().waitFor()
  await page.locator('[data-test="buying-center"] canvas').waitFor()
  await expectText(page, '[data-test="who-must-act"] [data-test="act-item"]', '逾期')
  await page.locator('[data-test="task-late"]').first().waitFor()
  await shot(page, 'project-zh-desktop')
})

test('money: 万元 on cards and the board, full yuan in tables, one style each; the coaching chart on a phone is one line (zh-CN and en)', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'rep.sh1')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/opportunities')
  await page.locator('[data-test="board-col-meta"]').first().waitFor()
  const metas = await page.locator('[data-test="board-col-meta"]').allInnerTexts()
  for (const m of metas) if (!/万元$/.test(m.trim())) throw new Error('a board column reads ' + m)
  await page.goto(BASE + '/')
  await page.locator('[data-stat="desk-amount"]').waitFor()
  for (const k of ['desk-amount', 'desk-weighted']) {
    const v = await page.locator(`[data-stat="${k}"] .stat-value`).innerText()
    if (!/万元$/.test(v.trim())) throw new Error(`the ${k} card reads ${v}`)
  }
  await page.goto(BASE + '/tenders')
  const cell = page.locator('[data-test="tender-table"] .el-table__row td').filter({ hasText: '¥' }).first()
  if (await cell.count()) {
    const text = (await cell.innerText()).trim()
    if (!/^¥[\d,]+\.\d\d$/.test(text)) throw new Error('a table amount reads ' + text)
  }
  await shot(page, 'money-tenders-zh-desktop')
  await switchLocale(page, 'en')
  await page.goto(BASE + '/')
  const en = await page.locator('[data-stat="desk-amount"] .stat-value').innerText()
  if (!/^¥[\d,]+$/.test(en.trim())) throw new Error('the pipeline card reads ' + en)
  // the coaching chart over time on a phone: one line, no paged legend
  const phone = await open(ctx, { viewport: PHONE })
  await login(phone, 'rep.sh1')
  await switchLocale(phone, 'zh-CN')
  await phone.goto(BASE + '/coaching')
  const chart = phone.locator('[data-test="echart"][aria-label]').first()
  await chart.waitFor()
  const series = await phone.locator('[data-test="echart"]').evaluateAll((els) => els.map((e) => Number(e.dataset.series)))
  if (series.some((n) => n > 2)) throw new Error('a chart on the phone has series ' + series.join(', '))
  await shot(phone, 'coaching-zh-phone')
  await switchLocale(phone, 'en')
  await shot(phone, 'coaching-en-phone')
})

test('pipeline: at 375 px the board offers a move-to-stage select', async (ctx) => {
  const page = await open(ctx, { viewport: PHONE })
  await login(page, 'rep.sh1')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/opportunities')
  await page.locator('[data-test="board-card"]').first().waitFor()
  await page.locator('[data-test="board-move"]').first().waitFor()
  if (await page.locator('[data-test="board-card"][draggable="true"]').count()) throw new Error('cards are draggable on a phone')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  if (overflow > 0) throw new Error(`page is ${overflow}px wider than the screen`)
  await shot(page, 'board-zh-phone')
})

test('pipeline: on a phone the stage dialog asks for a product line with a usable product picker (zh-CN and en)', async (ctx) => {
  const rep = await apiSession('rep.sh1')
  const inst = (await rep('GET', '/institutions?limit=1')).items[0]
  const opp = await rep('POST', '/opportunities', { name: '手机产品线-' + STAMP, institution_id: inst.id, expected_close_date: shanghaiDate(60) })
  const page = await open(ctx, { viewport: PHONE })
  await login(page, 'rep.sh1')
  const dialog = page.locator('[data-test="stage-dialog"]').filter({ visible: true })
  for (const [code, stage, field] of [['en', 'Solution', 'line'], ['zh-CN', '方案', '产品明细']]) {
    if (await dialog.count()) {
      await dialog.locator('.el-dialog__headerbtn').click()
      await dialog.waitFor({ state: 'hidden' })
    }
    await switchLocale(page, code)
    await page.goto(BASE + '/opportunities/' + opp.id)
    await pick(page, 'opp-move', stage)
    await expectText(page, '[data-test="stage-dialog-field"]', field)
    await dialog.locator('[data-test="line-product"]').first().waitFor()
    const box = await dialog.locator('[data-test="line-product"]').first().boundingBox()
    if (!box || box.width < 200) throw new Error(`the product picker is ${box ? box.width : 0}px wide`)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    if (overflow > 0) throw new Error(`the dialog is ${overflow}px wider than the screen`)
    await shot(page, `stage-lines-${code === 'en' ? 'en' : 'zh'}-phone`)
  }
  // A product picked (its list price fills the line), the deal moves on.
  await pick(page, 'line-product')
  const moved = waitApi(page, new RegExp(`/api/v1/opportunities/${opp.id}/stage$`))
  await dialog.locator('[data-test="stage-dialog-save"]').click()
  const r = await moved
  if (r.status() !== 200) throw new Error('the move answered ' + r.status() + ' ' + (await r.text()))
  const after = await rep('GET', '/opportunities/' + opp.id)
  if (after.stage_code !== 'SOLUTION' || !after.lines.length) throw new Error('not moved: ' + after.stage_code)
})

// ---- visits (issue 4)

test('visits: on a phone a rep accepts a proposal, checks in on site, works the seven steps and completes (zh-CN)', async (ctx) => {
  const rep = await apiSession('rep.sh1')
  const page = await open(ctx, { viewport: PHONE })
  const context = ctx.contexts[0]
  await login(page, 'rep.sh1')
  await switchLocale(page, 'zh-CN')
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  // proposals: the next eight weeks (the demo plans the next nine days already)
  await page.goto(BASE + '/visits/proposals?weeks=8')
  await expectText(page, '[data-test="policy"]', 'A 级机构每月')
  const card = page.locator('[data-test="proposal"]').first()
  await card.waitFor()
  await shot(page, 'visit-proposals-zh-phone')
  const instId = Number(await card.getAttribute('data-institution'))
  const dateInput = card.locator('.el-date-editor input').first()
  await dateInput.fill(today)
  await dateInput.press('Enter')
  const planned = page.waitForResponse((r) => r.url().endsWith('/api/v1/visits/plan') && r.request().method() === 'POST')
  await card.locator('[data-test="prop-accept"]').click()
  const pr = await planned
  if (pr.status() !== 201) throw new Error(`POST /visits/plan answered ${pr.status()}: ${await pr.text()}`)
  const visitId = (await pr.json()).items[0].id
  if ((await pr.json()).items[0].visit_date !== today) throw new Error('the plan is not for today')
  await page.locator(`[data-test="planned-link"][href="/visits/${visitId}"]`).click()
  await page.waitForURL(new RegExp(`/visits/${visitId}$`))

  // the browser "is" at the institution
  const inst = await rep('GET', `/institutions/${instId}`)
  await context.grantPermissions(['geolocation'], { origin: BASE })
  await context.setGeolocation({ latitude: inst.latitude, longitude: inst.longitude, accuracy: 20 })
  await page.locator('[data-test="geo-consent"]').click()
  await shot(page, 'visit-form-planned-zh-phone')
  const checkedIn = page.waitForResponse((r) => r.url().endsWith(`/visits/${visitId}/check-in`))
  await page.click('[data-test="check-in"]')
  const ci = await checkedIn
  if (!ci.ok()) throw new Error(`check-in answered ${ci.status()}: ${await ci.text()}`)
  const ciBody = JSON.parse(ci.request().postData() || '{}')
  if (typeof ciBody.latitude !== 'number') throw new Error('check-in sent no position despite consent')
  await expectText(page, '[data-test="location-status"]', '已核实')
  await expectText(page, '[data-test="location-reason"]', '在机构范围内')

  await page.fill('textarea[data-test="vf-objective"]', '了解CT更新预算并约科室会')
  // the seven steps, each with a note
  const steps = page.locator('[data-step]')
  const n = await steps.count()
  if (n < 3) throw new Error(`only ${n} steps shown`)
  for (let i = 0; i < n; i++) {
    await steps.nth(i).locator('.el-checkbox').click()
    await steps.nth(i).locator('textarea').fill(`第 ${i + 1} 步要点`)
  }
  // a decision maker met
  await page.locator('[data-test="contacts-section"] .el-select').first().click()
  const dm = page.locator('.el-select-dropdown__item').filter({ hasText: '决策者' }).filter({ visible: true }).first()
  await dm.waitFor()
  await dm.click()
  await page.keyboard.press('Escape')
  await page.fill('textarea[data-test="vf-outcome"]', `主任同意试用 ${STAMP}`)
  await page.fill('input[data-test="vf-next-step"]', '提交试用申请')
  const nextDate = page.locator('[data-test="outcome-section"] .el-date-editor input').first()
  await nextDate.fill(today)
  await nextDate.press('Enter')
  await expectText(page, '[data-test="draft-note"]', '本机')
  await shot(page, 'visit-form-checked-in-zh-phone')

  const checkedOut = page.waitForResponse((r) => r.url().endsWith(`/visits/${visitId}/check-out`))
  await page.locator('[data-test="check-out"]').click()
  const co = await checkedOut
  if (!co.ok()) throw new Error(`check-out answered ${co.status()}: ${await co.text()}`)
  // the form warns before completing: checked out within the minute, so too short
  await expectText(page, '[data-test="precheck"]', '拜访时长不足')
  const completed = page.waitForResponse((r) => r.url().endsWith(`/visits/${visitId}/complete`))
  await page.click('[data-test="complete"]')
  const cr = await completed
  if (!cr.ok()) throw new Error(`complete answered ${cr.status()}: ${await cr.text()}`)
  const done = await cr.json()
  await page.locator('[data-test="visit-result"]').waitFor()
  if (done.is_effective) {
    await expectText(page, '[data-test="effective-badge"]', '有效拜访')
  } else {
    // checked out within seconds: the minimum duration (10 min) fails, translated
    if (!done.reasons.includes('too_short')) throw new Error('not effective for ' + done.reasons.join(','))
    await expectText(page, '[data-test="reasons"]', '拜访时长不足')
    const other = done.reasons.filter((r) => r !== 'too_short')
    if (other.length) throw new Error('unexpected reasons: ' + other.join(','))
  }
  await expectText(page, '[data-test="visit-task"]', '提交试用申请')
  await shot(page, 'visit-form-completed-zh-phone')

  // a second visit: the draft survives a lost connection and a reload
  const list = await rep('GET', '/visits?status=planned&sort=visit_date&limit=5')
  const second = list.items.find((v) => v.id !== visitId)
  if (!second) throw new Error('no other planned visit of rep.sh1')
  await page.route('**/api/v1/visits/*', (route) => (route.request().method() === 'PATCH' ? route.abort('internetdisconnected') : route.continue()))
  await page.goto(BASE + `/visits/${second.id}`)
  const text = `地下室没有信号 ${STAMP}`
  await page.fill('textarea[data-test="vf-outcome"]', text)
  await page.locator('[data-test="offline-banner"]').waitFor()
  await shot(page, 'visit-form-offline-zh-phone')
  await page.reload()
  await page.locator('textarea[data-test="vf-outcome"]').waitFor()
  const kept = await page.inputValue('textarea[data-test="vf-outcome"]')
  if (kept !== text) throw new Error(`after reload the outcome reads "${kept}"`)
  await expectText(page, '[data-test="draft-note"]', '已恢复本机草稿')
  await page.unroute('**/api/v1/visits/*')
  const synced = page.waitForResponse((r) => r.url().endsWith(`/api/v1/visits/${second.id}`) && r.request().method() === 'PATCH' && r.ok())
  await page.locator('[data-test="draft-note"] button').click()
  await synced
  const after = await rep('GET', `/visits/${second.id}`)
  if (after.outcome !== text) throw new Error('the draft did not reach the server')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  if (overflow > 0) throw new Error(`visit form is ${overflow}px wider than the screen`)
})

test('visits: a rep\'s home desk lists today\'s visit and the follow-up tasks due, on a phone (zh-CN and en)', async (ctx) => {
  const rep = await apiSession('rep.js3')
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const inst = (await rep('GET', '/institutions?limit=1')).items[0]
  const visit = await rep('POST', '/visits', { institution_id: inst.id, type: 'in_person', visit_date: today, objective: `desk ${STAMP}` })
  const due = await rep('GET', `/tasks?status=open&owner_id=${visit.owner_id}&due_before=${today}&limit=1`)
  try {
    const page = await open(ctx, { viewport: PHONE })
    await login(page, 'rep.js3')
    await switchLocale(page, 'zh-CN')
    await expectText(page, '[data-test="desk-visits"]', '我未来 7 天的拜访')
    await expectText(page, '[data-test="desk-tasks"]', `到期与逾期的跟进任务（${due.total}）`)
    // Today comes first, on its own, under a greeting that leaves room for it.
    const link = page.locator(`[data-test="home-today"] a[href="/visits/${visit.id}"]`)
    await link.waitFor()
    if (!(await link.innerText()).includes(inst.name)) throw new Error('today does not name the institution')
    const greet = await page.locator('.welcome-card').boundingBox()
    if (greet.height > 812 * 0.15) throw new Error(`the greeting takes ${greet.height}px of the first screen`)
    const todayTop = (await page.locator('[data-test="home-today"]').boundingBox()).y
    if (todayTop > 812 / 2) throw new Error(`"today" starts at ${todayTop}px`)
    // A task due before today says it is late.
    if (due.items.length && due.items[0].due_date < today) await page.locator('[data-test="desk-tasks"] [data-test="task-overdue"]').first().waitFor()
    if (await page.locator('[data-test="home-overview"]').count()) throw new Error('a rep is shown the system overview')
    const height = await page.evaluate(() => document.documentElement.scrollHeight)
    if (height > 2600) throw new Error(`the rep's home is ${height}px long`)
    await shot(page, 'home-desk-zh-phone')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    if (overflow > 0) throw new Error(`home is ${overflow}px wider than the screen`)
    await switchLocale(page, 'en')
    await expectText(page, '[data-test="desk-visits"]', 'My visits in the next 7 days')
    await expectText(page, '[data-test="desk-tasks"]', `Follow-up tasks due or overdue (${due.total})`)
    await expectText(page, '[data-test="home-today"]', 'Today')
    await shot(page, 'home-desk-en-phone')
    // amounts like ¥27,531,264 do not widen the page in English either
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    if (wide > 0) throw new Error(`home (en) is ${wide}px wider than the screen`)
    await link.click()
    await page.waitForURL(new RegExp(`/visits/${visit.id}$`))
  } finally {
    await rep('POST', `/visits/${visit.id}/cancel`, { reason: 'e2e' })
  }
})

test('home: a manager sees the team\'s open and overdue follow-ups, not their own zero (zh-CN and en)', async (ctx) => {
  const mgr = await apiSession('mgr.sh')
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const yesterday = new Date(Date.parse(today + 'T00:00:00Z') - 86400000).toISOString().slice(0, 10)
  const open_ = await mgr('GET', '/tasks?status=open&limit=1')
  const late = await mgr('GET', `/tasks?status=open&due_before=${yesterday}&limit=1`)
  if (!late.total) throw new Error('the demo team of mgr.sh has no overdue task')
  const page = await open(ctx)
  await login(page, 'mgr.sh')
  await switchLocale(page, 'zh-CN')
  await expectText(page, '[data-stat="tasks_overdue"]', '团队逾期跟进任务')
  await expectText(page, '[data-stat="tasks_overdue"] .stat-value', String(late.total))
  await expectText(page, '[data-stat="tasks_open"] .stat-value', String(open_.total))
  const sub = await page.locator('[data-test="desk"] .section-sub').innerText()
  if (/漏斗/.test(sub)) throw new Error('the subtitle promises a funnel: ' + sub)
  await shot(page, 'home-manager-zh-desktop')
  await switchLocale(page, 'en')
  await expectText(page, '[data-stat="tasks_overdue"]', "Team's overdue follow-up tasks")
  await shot(page, 'home-manager-en-desktop')
})

test('visits: a manager\'s visit log opens on what needs review, completed and not yet reviewed, newest first (zh-CN and en)', async (ctx) => {
  const mgr = await apiSession('mgr.sh')
  const want = await mgr('GET', '/visits?status=completed&reviewed=false&sort=-visit_date&limit=1')
  const page = await open(ctx)
  await login(page, 'mgr.sh')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/visits')
  await page.waitForURL(/reviewed=false/)
  if (!/status=completed/.test(page.url())) throw new Error('the log does not open on completed visits: ' + page.url())
  await expectText(page, '.el-pagination', String(want.total))
  const first = await page.locator('[data-test="visit-table"] .el-table__row').first().innerText()
  if (!first.includes(want.items[0].visit_date)) throw new Error(`the first row is not the newest to review (${want.items[0].visit_date}): ${first}`)
  await expectText(page, '[data-test="vl-reviewed"]', '待点评')
  await shot(page, 'visit-log-review-zh-desktop')
  await switchLocale(page, 'en')
  await expectText(page, '[data-test="vl-reviewed"]', 'To review')
  await shot(page, 'visit-log-review-en-desktop')
})

test('visits: the month calendar shows rep.sh1\'s visits (en)', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'rep.sh1')
  await switchLocale(page, 'en')
  await page.click('[data-test="side-menu"] [data-menu="visit-calendar"]').catch(() => page.goto(BASE + '/visits/calendar'))
  await page.waitForURL(/\/visits\/calendar/)
  await expectText(page, '.page-title', 'Visit calendar')
  await page.click('[data-test="cal-month"]')
  await page.locator('[data-test="cal-month-grid"] [data-test="cal-chip"]').first().waitFor()
  await expectText(page, '[data-test="cal-summary"]', 'Plan rate')
  await expectText(page, '.vlegend', 'Effective visit')
  await shot(page, 'visit-calendar-en-desktop')
  await page.click('[data-test="cal-week"]')
  await page.locator('[data-test="cal-week-grid"]').waitFor()
  await switchLocale(page, 'zh-CN') // leave the demo user as it was
})

test('visits: a manager sees the coverage chart and scores a joint visit 1-5 per step', async (ctx) => {
  const mgr = await apiSession('mgr.sh')
  const me = (await mgr('GET', '/me')).user
  const list = await mgr('GET', '/visits?type=joint&status=completed&limit=50')
  const joint = list.items.find((v) => v.owner_id !== me.id)
  if (!joint) throw new Error('no completed joint visit in mgr.sh\'s scope')
  const page = await open(ctx)
  await login(page, 'mgr.sh')
  await switchLocale(page, 'zh-CN')
  // proposals open on the manager's own name, without an error
  const props = page.waitForResponse((r) => r.url().includes('/api/v1/visits/proposals'))
  await page.goto(BASE + '/visits/proposals')
  if ((await props).status() !== 200) throw new Error('GET /visits/proposals failed for a manager')
  await expectText(page, '[data-test="prop-who"]', me.display_name)
  await page.goto(BASE + '/reports/visit-coverage')
  await page.locator('[data-test="cov-chart-reps"] canvas').waitFor()
  await page.locator('[data-test="cov-table"] .el-table__row').first().waitFor()
  await expectText(page, '.page-title', '拜访覆盖报表')
  await shot(page, 'visit-coverage-zh-desktop')
  await page.goto(BASE + `/visits/${joint.id}`)
  const form = page.locator('[data-test="coach-form"]')
  await form.waitFor()
  const rows = form.locator('[data-score-step]')
  const n = await rows.count()
  if (n < 3) throw new Error(`only ${n} steps to score`)
  for (let i = 0; i < n; i++) await rows.nth(i).locator('.el-rate__item').nth(i % 5).click()
  await form.locator('textarea[data-test="coach-comment"]').fill(`开场很好,异议处理要加强 ${STAMP}`)
  const saved = page.waitForResponse((r) => r.url().endsWith(`/visits/${joint.id}/comments`))
  await form.locator('[data-test="coach-save"]').click()
  const r = await saved
  if (r.status() !== 201) throw new Error(`POST comments answered ${r.status()}: ${await r.text()}`)
  const body = JSON.parse(r.request().postData())
  const scores = Object.values(body.scores || {})
  if (scores.length !== n || scores.some((x) => x < 1 || x > 5)) throw new Error('scores sent: ' + JSON.stringify(body.scores))
  await expectText(page, '[data-test="comment"]', `异议处理要加强 ${STAMP}`)
  // the new comment's scores read in the seven-step order, as the older ones
  // (the API answers them in its own key order)
  const stepOrder = await rows.evaluateAll((els) => els.map((e) => e.dataset.scoreStep))
  const shown = await page.locator('[data-test="comment"]').filter({ hasText: STAMP }).locator('[data-score]')
    .evaluateAll((els) => els.map((e) => e.dataset.score))
  if (shown.join() !== stepOrder.join()) throw new Error(`scores listed as ${shown.join()}, steps are ${stepOrder.join()}`)
  await shot(page, 'visit-coaching-zh-desktop')
})

test('an admin adds a competitor, and an empty name is refused at the field', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'admin')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/settings/competitors')
  await page.click('[data-test="competitor-add"]')
  const dialog = page.locator('.el-dialog').filter({ has: page.locator('[data-test="competitor-name"]') })
  await dialog.waitFor()
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/competitors') && r.request().method() === 'POST')
  await dialog.locator('[data-test="competitor-save"]').click()
  if ((await refused).status() !== 400) throw new Error('an empty name was not refused')
  await expectText(page, '.el-dialog .el-form-item__error', '必填')
  const name = `竞品E2E${STAMP}`
  await dialog.locator('input[data-test="competitor-name"]').fill(name)
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/competitors') && r.request().method() === 'POST')
  await dialog.locator('[data-test="competitor-save"]').click()
  const r = await created
  if (r.status() !== 201) throw new Error(`POST /competitors answered ${r.status()}: ${await r.text()}`)
  await dialog.waitFor({ state: 'hidden' })
  await expectText(page, '[data-test="competitors-page"] .el-table', name)
})

test('a lead that names an institution not on file: the rep files it from the convert dialog and converts (en)', async (ctx) => {
  const rep = await apiSession('rep.sh1')
  const instName = `E2E New Hospital ${STAMP}`
  const lead = await rep('POST', '/leads', { source: 'exhibition', new_institution_name: instName, need: `E2E new-institution lead ${STAMP}` })
  const page = await open(ctx, { viewport: PHONE })
  await login(page, 'rep.sh1')
  await switchLocale(page, 'en')
  await page.goto(BASE + '/leads/' + lead.id)
  await page.waitForSelector('[data-test="lead-screening"]')
  await qualifyLead(page, 'Qualified')
  await page.click('[data-test="lead-convert"]')
  await expectText(page, '[data-test="cv-new-inst"]', instName)
  await page.click('[data-test="cv-create-inst"]')
  const name = page.locator('input[data-test="if-name"]')
  await name.waitFor()
  if ((await name.inputValue()) !== instName) throw new Error('the institution form is not filled with the lead\'s name')
  // the province is a filterable cascader (region, then province)
  await page.locator('.el-dialog .el-cascader').filter({ visible: true }).first().click()
  await page.keyboard.type('Shanghai')
  await page.locator('.el-cascader__suggestion-item').filter({ visible: true, hasText: 'Shanghai' }).first().click()
  await page.fill('input[data-test="if-city"]', '上海')
  const filed = waitApi(page, /\/api\/v1\/institutions$/)
  await page.click('[data-test="if-save"]')
  const inst = await (await filed).json()
  if (!inst.id) throw new Error('the institution was not created')
  await page.locator('[data-test="cv-new-inst"]').waitFor({ state: 'hidden' })
  await page.waitForTimeout(400)
  await shot(page, 'lead-convert-new-inst-en-phone')
  const converted = waitApi(page, /\/convert$/)
  await page.click('[data-test="cv-save"]')
  const opp = await (await converted).json()
  if (opp.institution_id !== inst.id) throw new Error(`converted to institution ${opp.institution_id}, want ${inst.id}`)
  await page.waitForURL(/\/opportunities\/\d+$/)
})

test('visits: the coverage report on a phone lists each under-visited institution\'s visits of the required, period buttons in a row (zh-CN and en)', async (ctx) => {
  const mgr = await apiSession('mgr.sh')
  // This month judges what is due by today: early in a month nothing may be
  // under-visited yet; last month then (all its target due).
  const thisMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 7)
  let month = thisMonth
  let cov = await mgr('GET', `/reports/visit-coverage?month=${month}`)
  let under = (cov.team && cov.team.under_visited_list) || cov.under_visited_list || []
  if (!under.length) {
    const [y, m] = thisMonth.split('-').map(Number)
    month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
    cov = await mgr('GET', `/reports/visit-coverage?month=${month}`)
    under = (cov.team && cov.team.under_visited_list) || cov.under_visited_list || []
  }
  if (!under.length) throw new Error('no under-visited institution in mgr.sh\'s scope this month or the last')
  // under-visited means below what was due by today, never below the whole target
  for (const u of under) if (!(u.visits < u.due && u.due <= u.required)) throw new Error('under-visited with ' + JSON.stringify(u))
  // a row with no visit at all is the one vue-i18n's plural count overwrote
  const rows = [under.find((u) => u.visits === 0), under.find((u) => u.visits > 0), under.find((u) => u.required === 1)].filter(Boolean)
  const page = await open(ctx, { viewport: PHONE })
  await login(page, 'mgr.sh')
  for (const code of ['zh-CN', 'en']) {
    await switchLocale(page, code)
    await page.goto(BASE + '/reports/visit-coverage' + (month === thisMonth ? '' : '?month=' + month))
    await page.locator('[data-test="cov-under-item"]').first().waitFor()
    for (const u of rows) {
      const line = await page.locator(`[data-test="cov-under-item"][data-institution="${u.institution_id}"][data-user="${u.user_id}"] [data-test="cov-under-count"]`).innerText()
      const want = u.due !== u.required
        ? (code === 'en' ? `${u.visits} of ${u.due} visit${u.due === 1 ? '' : 's'} due by today (target ${u.required})` : `拜访 ${u.visits} 次 / 截至今天应 ${u.due} 次（目标 ${u.required} 次）`)
        : (code === 'en' ? `${u.visits} of ${u.required} visit${u.required === 1 ? '' : 's'}` : `拜访 ${u.visits} 次 / 应 ${u.required} 次`)
      if (!line.includes(want)) throw new Error(`${code}: under-visited line "${line}" for visits ${u.visits} of ${u.required}`)
    }
    // Month / Week / Custom side by side, not a staircase
    const tops = await page.locator('[data-test="cov-period"] .el-radio-button').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)))
    if (new Set(tops).size !== 1) throw new Error(`${code}: period buttons at heights ${tops.join(', ')}`)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    if (overflow > 0) throw new Error(`${code}: coverage report is ${overflow}px wider than the screen`)
    await shot(page, `visit-coverage-${code}-phone`)
  }
  // the opportunities' search hint reads whole on a phone (English is the longer)
  await page.goto(BASE + '/opportunities')
  const search = page.locator('input[data-test="opp-search"], [data-test="opp-search"] input').first()
  await search.waitFor()
  const fit = await search.evaluate((el) => {
    const cs = getComputedStyle(el)
    const ctx2 = document.createElement('canvas').getContext('2d')
    ctx2.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`
    return { text: ctx2.measureText(el.placeholder).width, box: el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) }
  })
  if (fit.text > fit.box) throw new Error(`the search hint needs ${Math.ceil(fit.text)}px, the box has ${Math.floor(fit.box)}px`)
  await shot(page, 'opportunities-en-phone')
  await switchLocale(page, 'zh-CN') // leave the demo user as it was
})

test('visits: check-out keeps its time when the next-step date is invalid; complete is blocked at the field (zh-CN and en)', async (ctx) => {
  const rep = await apiSession('rep.sh1')
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const before = new Date(Date.parse(today + 'T00:00:00Z') - 3 * 86400000).toISOString().slice(0, 10)
  const insts = (await rep('GET', '/institutions?limit=5')).items
  const page = await open(ctx, { viewport: PHONE })
  await login(page, 'rep.sh1')
  for (const [i, code] of ['zh-CN', 'en'].entries()) {
    const visit = await rep('POST', '/visits', { institution_id: insts[i].id, type: 'phone', visit_date: today, objective: `e2e next-step ${STAMP}` })
    try {
      await switchLocale(page, code)
      await page.goto(BASE + `/visits/${visit.id}`)
      const checkedIn = page.waitForResponse((r) => r.url().endsWith(`/visits/${visit.id}/check-in`))
      await page.click('[data-test="check-in"]')
      if (!(await checkedIn).ok()) throw new Error('check-in failed')
      await page.locator('[data-test="check-out"]').waitFor()
      // the picker offers no day before the visit
      await page.locator('[data-test="outcome-section"] .el-date-editor input').click()
      const day = page.locator('.el-date-table td').filter({ visible: true }).filter({ hasText: new RegExp(`^\\s*${Number(before.slice(8))}\\s*$`) })
      if (before.slice(0, 7) === today.slice(0, 7) && !(await day.first().evaluate((td) => td.classList.contains('disabled')))) {
        throw new Error(`${code}: ${before} is offered as the next-step date of a visit on ${today}`)
      }
      await page.keyboard.press('Escape')
      // a draft from before (an older page, a visit moved later) holds a next step before the visit
      const outcome = `外科主任同意试用 ${STAMP} ${code}`
      await page.fill('textarea[data-test="vf-outcome"]', outcome)
      await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('ms.visits.draft.')))
      await page.evaluate(({ id, date }) => {
        const k = Object.keys(localStorage).find((x) => x.startsWith('ms.visits.draft.') && x.endsWith('.' + id))
        const d = JSON.parse(localStorage.getItem(k))
        d.form.next_step_date = date
        d.dirty = true
        localStorage.setItem(k, JSON.stringify(d))
      }, { id: visit.id, date: before })
      await page.reload()
      const label = code === 'en' ? 'Next step date' : '下一步日期'
      await expectText(page, '[data-test="draft-fix"]', label)
      await expectText(page, '[data-field="next_step_date"] .el-form-item__error', code === 'en' ? `Cannot be before the visit date (${today})` : `不能早于拜访日期（${today}）`)
      const note = await page.locator('[data-test="draft-note"]').innerText()
      if (note.includes('next_step_date')) throw new Error(`${code}: the draft line shows the raw field key: ${note}`)
      // check-out records the time all the same
      const checkedOut = page.waitForResponse((r) => r.url().endsWith(`/visits/${visit.id}/check-out`))
      await page.click('[data-test="check-out-bottom"]')
      const co = await checkedOut
      if (!co.ok()) throw new Error(`${code}: check-out answered ${co.status()}`)
      await expectText(page, '.el-message', label)
      await page.locator('[data-test="complete"]').waitFor()
      const after = await rep('GET', `/visits/${visit.id}`)
      if (after.status !== 'checked_out' || !after.check_out_at) throw new Error(`${code}: the server has ${after.status} after check-out`)
      if (after.outcome !== outcome) throw new Error(`${code}: the valid content did not reach the server (${after.outcome})`)
      if (after.next_step_date) throw new Error(`${code}: the server took next_step_date ${after.next_step_date}`)
      await shot(page, `visit-invalid-next-step-${code}-phone`)
      // complete is blocked, naming the field
      let completeSent = false
      const watch = (r) => { if (r.url().endsWith(`/visits/${visit.id}/complete`)) completeSent = true }
      page.on('request', watch)
      await page.click('[data-test="complete"]')
      await expectText(page, '.el-message--error', label)
      page.off('request', watch)
      if (completeSent) throw new Error(`${code}: complete was sent with an invalid next-step date`)
      // corrected, the draft syncs and the visit completes
      const dateInput = page.locator('[data-test="outcome-section"] .el-date-editor input')
      const synced = page.waitForResponse((r) => r.url().endsWith(`/api/v1/visits/${visit.id}`) && r.request().method() === 'PATCH' && r.ok())
      await dateInput.fill(today)
      await dateInput.press('Enter')
      await synced
      if (await page.locator('[data-test="draft-fix"]').count()) throw new Error(`${code}: the field error stays after the correction`)
      const completed = page.waitForResponse((r) => r.url().endsWith(`/visits/${visit.id}/complete`))
      await page.click('[data-test="complete"]')
      if (!(await completed).ok()) throw new Error(`${code}: complete failed after the correction`)
      // a field the server refuses is named by its label, never by its key
      const other = await rep('POST', '/visits', { institution_id: insts[i].id, type: 'phone', visit_date: today })
      await page.route(`**/api/v1/visits/${other.id}`, (r) => (r.request().method() === 'PATCH'
        ? r.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'too_long', field: 'outcome', message: "'outcome' is longer than 2000 bytes" } }) })
        : r.continue()))
      await page.goto(BASE + `/visits/${other.id}`)
      await page.fill('textarea[data-test="vf-outcome"]', 'x')
      await expectText(page, '[data-test="draft-fix"]', code === 'en' ? 'Outcome' : '拜访结果')
      await expectText(page, '[data-field="outcome"] .el-form-item__error', code === 'en' ? 'The value is too long' : '内容过长')
      if ((await page.locator('[data-test="draft-note"]').innerText()).includes('outcome')) throw new Error(`${code}: raw key shown`)
      await page.unroute(`**/api/v1/visits/${other.id}`)
      await rep('POST', `/visits/${other.id}/cancel`, { reason: 'e2e' })
    } finally {
      const v = await rep('GET', `/visits/${visit.id}`)
      if (v.status === 'planned') await rep('POST', `/visits/${visit.id}/cancel`, { reason: 'e2e' })
    }
  }
  await switchLocale(page, 'zh-CN')
})

test('visits: the plan dialog\'s "choose an institution" goes once one is chosen (zh-CN)', async (ctx) => {
  const page = await open(ctx)
  await login(page, 'rep.sh1')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/visits/calendar')
  await page.click('[data-test="cal-plan"]')
  const dlg = page.locator('[data-test="plan-dialog"]')
  await dlg.waitFor()
  await dlg.locator('[data-test="plan-save"]').click()
  await expectText(page, '[data-test="plan-institution"] .el-form-item__error', '请选择机构')
  await dlg.locator('[data-test="inst-picker"]').click()
  await page.keyboard.type('上海')
  const opt = page.locator('.el-select-dropdown__item').filter({ visible: true }).first()
  await opt.waitFor()
  await opt.click()
  await page.locator('[data-test="plan-institution"] .el-form-item__error').waitFor({ state: 'detached' })
  if (await dlg.locator('.el-alert').count()) throw new Error('an alert stays after an institution was chosen')
})

test('visits: the plan dialog names the contact to meet and links an open opportunity (en and zh-CN)', async (ctx) => {
  const rep = await apiSession('rep.sh1')
  const inst = await rep('POST', '/institutions', { name: '计划界面医院-' + STAMP, province_code: 'SH', city: '上海' })
  const contact = await rep('POST', '/contacts', { institution_id: inst.id, name: '计划界面主任' + STAMP, decision_role: 'DECISION_MAKER' })
  const opp = await rep('POST', '/opportunities', { name: '计划界面商机-' + STAMP, institution_id: inst.id, expected_close_date: shanghaiDate(90) })
  const page = await open(ctx)
  await login(page, 'rep.sh1')
  const dlg = page.locator('[data-test="plan-dialog"]')
  for (const code of ['en', 'zh-CN']) {
    await switchLocale(page, code)
    await page.goto(BASE + '/visits/calendar')
    await page.click('[data-test="cal-plan"]')
    await dlg.waitFor()
    await dlg.locator('[data-test="inst-picker"]').click()
    await page.keyboard.type('计划界面医院-' + STAMP)
    const opt = page.locator('.el-select-dropdown__item').filter({ visible: true }).filter({ hasText: '计划界面医院-' + STAMP }).first()
    await opt.waitFor()
    await opt.click()
    if (code === 'en') {
      await expectText(page, '[data-test="plan-dialog"] .el-form-item__label', 'Contacts to meet')
      await shot(page, 'plan-dialog-en-desktop')
      await dlg.locator('.el-dialog__headerbtn').click()
      await dlg.waitFor({ state: 'hidden' })
      continue
    }
    await pick(page, 'plan-contacts', '计划界面主任' + STAMP)
    await dlg.locator('.el-dialog__title').click() // closes the multi-select's list, not the dialog
    // under load the list may still be opening when it is clicked: pick
    // again until the select shows the deal (the opportunities load after
    // the institution is chosen, and the select is disabled until then)
    for (let i = 0; i < 5; i++) {
      await pick(page, 'plan-opportunity', '计划界面商机-' + STAMP)
      if ((await dlg.locator('[data-test="plan-opportunity"]').innerText()).includes('计划界面商机-' + STAMP)) break
      await page.waitForTimeout(300)
    }
    await expectText(page, '[data-test="plan-dialog"] [data-test="plan-opportunity"]', '计划界面商机-' + STAMP)
    await shot(page, 'plan-dialog-zh-desktop')
  }
  const saved = waitApi(page, /\/api\/v1\/visits$/)
  await dlg.locator('[data-test="plan-save"]').click()
  const r = await saved
  if (r.status() !== 201) throw new Error('the plan answered ' + r.status() + ' ' + (await r.text()))
  const v = await r.json()
  if (v.opportunity_id !== opp.id || !v.contacts.some((c) => c.id === contact.id)) throw new Error('the plan lost its contact or deal: ' + JSON.stringify(v))
  await page.goto(BASE + '/visits/' + v.id)
  await expectText(page, '[data-test="visit-opportunity"]', '计划界面商机-' + STAMP)
})

test('visits: the needs budget is asked in yuan and sent in fen (en, phone)', async (ctx) => {
  const rep = await apiSession('rep.sh1')
  const planned = await rep('GET', '/visits?status=planned&limit=1')
  if (!planned.items.length) throw new Error('rep.sh1 has no planned visit')
  const id = planned.items[0].id
  const page = await open(ctx, { viewport: PHONE })
  await login(page, 'rep.sh1')
  await switchLocale(page, 'en')
  await page.goto(BASE + '/visits/' + id)
  // The product lines discussed and those of the needs analysis read in one order.
  const optionsOf = async (testId) => {
    const select = page.locator(`[data-test="${testId}"]`).filter({ visible: true }).first()
    await select.locator('.el-select__wrapper').click()
    const list = await select.locator('input').first().getAttribute('aria-controls')
    const texts = await page.locator(`[id="${list}"] .el-select-dropdown__item`).allInnerTexts()
    await page.keyboard.press('Escape')
    return texts.map((x) => x.trim())
  }
  const discussed = await optionsOf('vf-products')
  const analysed = await optionsOf('vf-needs-line')
  const inOrder = discussed.filter((x) => analysed.includes(x))
  if (inOrder.join('|') !== analysed.join('|')) throw new Error(`two orders: ${discussed.join(', ')} / ${analysed.join(', ')}`)
  await pick(page, 'vf-needs-line', 'imaging')
  const budget = page.locator('input[data-test="answer-budget"]')
  await budget.scrollIntoViewIfNeeded()
  await expectText(page, '[data-question="budget"] .el-form-item__label', 'yuan')
  const saved = waitApi(page, new RegExp(`/api/v1/visits/${id}$`), 'PATCH')
  await budget.fill('5,000,000')
  await budget.blur()
  const body = JSON.parse((await saved).request().postData())
  if (!body.needs || body.needs.answers.budget !== 500000000) throw new Error('budget sent as ' + JSON.stringify(body.needs))
  if ((await budget.inputValue()) !== '5,000,000.00') throw new Error('the budget reads ' + (await budget.inputValue()))
  // Not an amount: held back at the field, in the UI's language, not dropped in silence.
  await budget.fill('abc')
  await budget.blur()
  await expectText(page, '[data-question="budget"] .el-form-item__error', 'amount in yuan')
  const after = await rep('GET', `/visits/${id}`)
  if (after.needs && after.needs.answers && after.needs.answers.budget !== 500000000) throw new Error('the budget became ' + JSON.stringify(after.needs))
  // The volume a year is one line, the main need a text box.
  if (await page.locator('[data-question="volume"] textarea').count()) throw new Error('the volume is a multi-line box')
  await page.locator('[data-question="volume"] input').waitFor()
  await page.locator('[data-question="need"] textarea').waitFor()
  await shot(page, 'visit-needs-en-phone')
  await switchLocale(page, 'zh-CN')
  await expectText(page, '[data-question="budget"] .el-form-item__error', '请输入金额')
  await shot(page, 'visit-needs-zh-phone')
})

const feedStatus = async (p) => (await fetch(BASE + p)).status
// Confirms the message box that says `warning`; the status of the DELETE it sends.
async function confirmDelete(page, warning, urlEnd) {
  await expectText(page, '.el-message-box', warning)
  const sent = page.waitForResponse((r) => r.url().endsWith(urlEnd) && r.request().method() === 'DELETE')
  await page.locator('.el-message-box .el-button--primary').click()
  return (await sent).status()
}

test('calendar link: an admin revokes a user\'s from the users page (zh-CN)', async (ctx) => {
  const rep = await createRep('ics')
  const me = await apiSession(rep.username, rep.password)
  const first = await me('POST', '/me/calendar-token', {})
  if ((await feedStatus(first.path)) !== 200) throw new Error('a new feed address does not answer 200')

  const page = await open(ctx)
  await login(page, 'admin')
  await switchLocale(page, 'zh-CN')
  await page.goto(BASE + '/admin/users')
  await page.fill('input[data-test="user-search"]', rep.username)
  const row = page.locator('[data-test="user-table"] .el-table__row').filter({ hasText: rep.username })
  await row.waitFor()
  await row.locator('.row-actions .el-dropdown .el-button').click()
  const item = page.locator(`[data-test="user-revoke-calendar-${rep.username}"]`).filter({ visible: true })
  await item.waitFor()
  await shot(page, 'users-revoke-calendar-menu-zh')
  await item.click()
  if ((await confirmDelete(page, '日历订阅链接将立即失效', '/calendar-token')) !== 200)
    throw new Error('DELETE /users/{id}/calendar-token did not answer 200')
  await expectText(page, '.el-message', '已吊销')
  if ((await feedStatus(first.path)) !== 404) throw new Error('the revoked feed address still answers')
})

test('calendar link: a user revokes their own on the calendar page (en)', async (ctx) => {
  const rep = await createRep('ics')
  const me = await apiSession(rep.username, rep.password)
  const second = await me('POST', '/me/calendar-token', {})
  const page2 = await open(ctx)
  await login(page2, rep.username, rep.password)
  await switchLocale(page2, 'en')
  await page2.goto(BASE + '/visits/calendar')
  const button = page2.locator('[data-test="feed-revoke"]')
  await button.waitFor()
  await expectText(page2, '[data-test="calendar-feed"]', 'It stops working when your password changes')
  await shot(page2, 'calendar-feed-revoke-en')
  await button.click()
  if ((await confirmDelete(page2, 'The address stops working at once', '/me/calendar-token')) !== 200)
    throw new Error('DELETE /me/calendar-token did not answer 200')
  await expectText(page2, '[data-test="calendar-feed"]', 'No subscription address yet.')
  if (await button.count()) throw new Error('the revoke button stays without an address')
  if ((await feedStatus(second.path)) !== 404) throw new Error('the feed address the user revoked still answers')
  await page2.click('[data-test="feed-renew"]') // a new one: no question asked
  await page2.locator('[data-test="feed-url"]').waitFor()
  await button.waitFor()
  await switchLocale(page2, 'zh-CN')
  await shot(page2, 'calendar-feed-none-zh')
})

// ---------------------------------------------------------------- runner
let passed = 0
let failed = 0
for (const t of tests) {
  if (ONLY && !t.name.includes(ONLY)) continue
  const ctx = { contexts: [], pages: [], problems: [] }
  const started = Date.now()
  let timer
  // A test that timed out goes on running; what it throws after that (a
  // waitForResponse running out) must not end the whole run unreported.
  const run = t.fn(ctx)
  run.catch(() => {})
  try {
    await Promise.race([
      run,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT / 1000}s`)), TEST_TIMEOUT)
      }),
    ])
    if (ctx.problems.length) throw new Error(ctx.problems.join(' | '))
    passed++
    console.log(`ok - ${t.name} (${((Date.now() - started) / 1000).toFixed(1)}s)`)
  } catch (e) {
    failed++
    const reason = String((e && e.message) || e).split('\n')[0]
    const extra = ctx.problems.length && !reason.includes(ctx.problems[0]) ? ' | ' + ctx.problems.join(' | ') : ''
    console.log(`not ok - ${t.name}: ${reason}${extra}`)
    const slug = t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()
    for (const [i, p] of ctx.pages.entries()) {
      await p.screenshot({ path: join(SHOTS, `FAILED-${slug}-${i}.png`), fullPage: true }).catch(() => {})
    }
  } finally {
    clearTimeout(timer)
    for (const c of ctx.contexts) await c.close().catch(() => {})
  }
}
await browser.close()
console.log(`e2e: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)

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

// ---------------------------------------------------------------- runner
let passed = 0
let failed = 0
for (const t of tests) {
  if (ONLY && !t.name.includes(ONLY)) continue
  const ctx = { contexts: [], pages: [], problems: [] }
  const started = Date.now()
  let timer
  try {
    await Promise.race([
      t.fn(ctx),
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

// vue-i18n set-up and the app's language. zh-CN is the first language; the
// choice is kept in localStorage ("ms.locale") and, when logged in, on the
// server (PATCH /api/v1/me), whose saved value wins after login.
import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import epZhCn from 'element-plus/es/locale/lang/zh-cn'
import epEn from 'element-plus/es/locale/lang/en'
import zhCN from '../locales/zh-CN.json'
import en from '../locales/en.json'

export const LOCALES = [
  { code: 'zh-CN', label: '简体中文', short: '中' },
  { code: 'en', label: 'English', short: 'EN' },
]
const STORAGE_KEY = 'ms.locale'

function stored() {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    return LOCALES.some((l) => l.code === v) ? v : null
  } catch {
    return null
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: stored() || 'zh-CN',
  fallbackLocale: 'en',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
})

export const currentLocale = computed(() => i18n.global.locale.value)
export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? epEn : epZhCn))

export function isLocale(code) {
  return LOCALES.some((l) => l.code === code)
}

function applyDocument(code) {
  document.documentElement.lang = code
  document.title = i18n.global.t('app.title')
}

export function setLocale(code) {
  if (!isLocale(code)) return
  i18n.global.locale.value = code
  try {
    localStorage.setItem(STORAGE_KEY, code)
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  applyDocument(code)
}

applyDocument(i18n.global.locale.value)

// Name of a record that has name_zh / name_en, in the current language.
export function localName(rec, prefix = 'name') {
  if (!rec) return ''
  const zh = rec[prefix + '_zh']
  const enName = rec[prefix + '_en']
  return i18n.global.locale.value === 'en' ? enName || zh || '' : zh || enName || ''
}

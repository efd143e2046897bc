// Turns an ApiError into translated text and attaches it to the form field
// the server named (`field`), when the form has that field; otherwise it is
// shown as the form's own error (formError) or as a message, led by the
// field's label when the form knows one (`labels`: API field -> i18n key).
// The API's field key itself is never shown.
import { nextTick, reactive, ref } from 'vue'
import { ElMessage } from 'element-plus'
import { i18n } from '../i18n'

export function errorText(err) {
  const { t, te } = i18n.global
  if (!err) return ''
  const code = err.code || 'internal'
  // too long: the server says its limit in bytes; say it, with the Chinese
  // characters that fit (3 bytes each)
  if (code === 'too_long' && err.max > 0) return t('validation.maxBytes', { max: err.max, chars: Math.floor(err.max / 3) })
  if (te('errors.' + code)) return t('errors.' + code)
  if (te('errors.' + code, 'en')) return t('errors.' + code)
  // Unknown code: the server's English message is the best we have.
  return err.message || t('errors.internal')
}

// "Label: text" when the field has a label, else the text alone.
export function withFieldLabel(text, field, labels = {}) {
  const { t, te } = i18n.global
  const key = field && labels[field]
  return key && te(key) ? t('common.labelValue', { label: t(key), value: text }) : text
}

// Message for an error not tied to a form (lists, toggles...).
export function showError(err) {
  // 401: the router is already on its way to the login page
  if (err && err.status === 401) return
  ElMessage({ type: 'error', message: errorText(err), grouping: true, showClose: true })
}

// `text` translates an error (a page's own codes first); errorText by default.
export function useServerErrors(fields = [], { labels = {}, text: textOf = errorText } = {}) {
  const fieldErrors = reactive({})
  const formError = ref('')

  function clear() {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
    formError.value = ''
  }

  function clearField(name) {
    if (fieldErrors[name]) delete fieldErrors[name]
  }

  // Returns true when the error was attached to a field of this form.
  function apply(err, { toast = false } = {}) {
    clear()
    const text = textOf(err)
    if (err && err.field && fields.includes(err.field)) {
      // Element Plus reacts to a change of the `error` prop: set it after
      // the clear above has been rendered so the same text can reappear.
      nextTick(() => {
        fieldErrors[err.field] = text
      })
      return true
    }
    if (toast) showError(err)
    else formError.value = withFieldLabel(text, err && err.field, labels)
    return false
  }

  return { fieldErrors, formError, apply, clear, clearField }
}

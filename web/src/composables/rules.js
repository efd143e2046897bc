// Form rules shared by several forms; messages are translated when the rule
// list is built (the forms build it in a computed, so it follows the language).

// At least 8 characters with letters and digits. The server has the final
// word (400 weak_password).
export function passwordRule(t) {
  return {
    validator: (_rule, value, cb) => {
      if (!value) return cb()
      if (value.length < 8 || !/[A-Za-z]/.test(value) || !/\d/.test(value)) {
        return cb(new Error(t('validation.passwordWeak')))
      }
      cb()
    },
    trigger: ['blur', 'change'],
  }
}

export function maxLenRule(t, max) {
  return { max, message: t('validation.maxLength', { max }), trigger: ['blur', 'change'] }
}

export function requiredRule(t, trigger = ['blur', 'change']) {
  return { required: true, message: t('validation.required'), trigger }
}

export function codeRule(t) {
  return {
    pattern: /^[A-Za-z0-9_.-]+$/,
    message: t('validation.code'),
    trigger: ['blur', 'change'],
  }
}

export function usernameRule(t) {
  return {
    pattern: /^[a-z0-9][a-z0-9._-]{1,31}$/,
    message: t('validation.username'),
    trigger: ['blur', 'change'],
  }
}

// The server counts bytes (UTF-8): a Chinese character is 3 of them.
export function maxBytesRule(t, max) {
  return {
    validator: (_rule, value, cb) => {
      if (value && new TextEncoder().encode(String(value)).length > max) {
        return cb(new Error(t('validation.maxBytes', { max, chars: Math.floor(max / 3) })))
      }
      cb()
    },
    trigger: ['blur', 'change'],
  }
}

// A mainland mobile number: 11 digits starting 13-19 (spaces, dashes and a
// +86 prefix allowed, as the server does).
export function mobileRule(t) {
  return {
    validator: (_rule, value, cb) => {
      if (!value) return cb()
      let d = String(value).replace(/\D/g, '')
      if (d.length === 13 && d.startsWith('86')) d = d.slice(2)
      if (!/^1[3-9]\d{9}$/.test(d)) return cb(new Error(t('validation.mobile')))
      cb()
    },
    trigger: ['blur', 'change'],
  }
}

export function emailRule(t) {
  return { type: 'email', message: t('validation.email'), trigger: ['blur', 'change'] }
}

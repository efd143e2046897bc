// Uploads with progress: XMLHttpRequest (fetch has no upload progress).
// Same rules as request(): same-origin cookie, X-CSRF-Token, ApiError.
import { API_BASE, ApiError, getCsrfToken } from './client'

export function uploadFile(path, query, file, { contentType = 'text/csv', onProgress } = {}) {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === '') continue
    params.set(k, String(v))
  }
  const qs = params.toString()
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', API_BASE + path + (qs ? '?' + qs : ''))
    xhr.withCredentials = true
    xhr.setRequestHeader('Content-Type', contentType)
    xhr.setRequestHeader('Accept', 'application/json')
    const token = getCsrfToken()
    if (token) xhr.setRequestHeader('X-CSRF-Token', token)
    if (onProgress) {
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(Math.round((100 * e.loaded) / e.total))
      }
      xhr.upload.onload = () => onProgress(100)
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', '', 'network error'))
    xhr.onload = () => {
      let data = null
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data)
      const e = (data && data.error) || {}
      const code = e.code || { 400: 'invalid', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 413: 'too_large' }[xhr.status] || 'internal'
      reject(new ApiError(xhr.status, code, e.field, e.message || xhr.statusText))
    }
    xhr.send(file)
  })
}

// Downloads: a file fetched from the API (cookie session, errors shown as
// ApiError) or a Blob built here, saved through a temporary object URL.
import { API_BASE, ApiError } from '../api/client'

export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 30000)
}

function filenameOf(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)
  if (star) {
    try {
      return decodeURIComponent(star[1])
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd)
  return plain ? plain[1] : fallback
}

// GET path?query and save the answer as a file.
export async function downloadFile(path, query, fallbackName) {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === '') continue
    params.set(k, String(v))
  }
  const qs = params.toString()
  let res
  try {
    res = await fetch(API_BASE + path + (qs ? '?' + qs : ''), { credentials: 'same-origin', cache: 'no-store' })
  } catch (e) {
    throw new ApiError(0, 'network', '', e && e.message)
  }
  if (!res.ok) {
    let body = null
    try {
      body = await res.json()
    } catch {
      /* not JSON */
    }
    const e = (body && body.error) || {}
    throw new ApiError(res.status, e.code || (res.status === 404 ? 'not_found' : 'internal'), e.field, e.message || res.statusText)
  }
  const blob = await res.blob()
  saveBlob(blob, filenameOf(res, fallbackName))
  return blob.size
}

// A CSV text (UTF-8 with BOM so that Excel opens Chinese correctly). A text
// that a spreadsheet would run as a formula gets a single quote first, as the
// server's exports do (docs/import.md).
export function csvBlob(rows) {
  const cell = (v) => {
    let s = v == null ? '' : String(v)
    const formula = typeof v !== 'number' && /^'*[=+\-@\t\r]/.test(s)
    if (formula) s = "'" + s
    return formula || /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s
  }
  const text = rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
  return new Blob(['\ufeff' + text], { type: 'text/csv;charset=utf-8' })
}

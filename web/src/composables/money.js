// Money: the API keeps integer fen (`*_fen`); people read and type yuan.
// Conversion goes through the decimal string, never through a float
// multiplication, so 0.29 yuan is 29 fen exactly.
import { i18n } from '../i18n'

const MAX_FEN = 100000000000000 // the server's bound (1e12 yuan)

// "1,234.56", "¥1234.5", " 1234 " -> 123456 (fen); '' -> null; bad -> NaN
export function parseYuan(text) {
  if (text == null) return null
  const s = String(text).replace(/[¥￥,，\s]/g, '')
  if (s === '') return null
  const m = /^(\d{1,12})(?:\.(\d{0,2}))?$/.exec(s)
  if (!m) return NaN
  const fen = Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'))
  return fen > MAX_FEN ? NaN : fen
}

function groupThousands(intStr) {
  return intStr.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

// 123456 -> "1,234.56" (no currency sign)
export function fenToYuanString(fen, { grouping = true } = {}) {
  if (fen == null || fen === '' || Number.isNaN(Number(fen))) return ''
  const neg = Number(fen) < 0
  const abs = String(Math.abs(Math.trunc(Number(fen)))).padStart(3, '0')
  const int = abs.slice(0, -2).replace(/^0+(?=\d)/, '')
  const dec = abs.slice(-2)
  return (neg ? '-' : '') + (grouping ? groupThousands(int) : int) + '.' + dec
}

// "¥1,234.56"
export function formatYuan(fen) {
  if (fen == null) return '—'
  return '¥' + fenToYuanString(fen)
}

// In zh, amounts from 10,000 yuan up read better in 万元: "57万元", "1,234.5万元".
export function formatWan(fen) {
  if (fen == null) return ''
  const f = Math.trunc(Number(fen))
  // 1 万元 = 1,000,000 fen; keep two decimals of 万 (= 100 yuan), trimmed
  const hundredYuan = Math.round(f / 10000)
  const int = String(Math.trunc(hundredYuan / 100))
  const dec = String(Math.abs(hundredYuan % 100)).padStart(2, '0').replace(/0+$/, '')
  return groupThousands(int) + (dec ? '.' + dec : '') + '万元'
}

// One money style per context (docs/web.md): cards, boards, summaries and
// charts use formatMoney — always 万元 in zh ("0万元", "2,856.59万元": never
// "¥0" beside "2,856.59万元"), whole yuan in en ("¥28,565,900"); tables and
// record fields use formatYuan, the full amount with cents.
export function formatMoney(fen) {
  if (fen == null) return '—'
  if (i18n.global.locale.value !== 'en') return formatWan(fen)
  return (Number(fen) < 0 ? '-¥' : '¥') + groupThousands(String(Math.round(Math.abs(Number(fen)) / 100)))
}

// A form rule for a yuan amount (optional).
export function yuanRule(t) {
  return {
    validator: (_r, value, cb) => {
      const v = parseYuan(value)
      if (Number.isNaN(v)) return cb(new Error(t('validation.yuan')))
      cb()
    },
    trigger: ['blur', 'change'],
  }
}

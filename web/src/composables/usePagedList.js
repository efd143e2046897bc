// A server-paged list: `query()` gives the filters, the composable adds
// limit and offset, keeps rows, total and the loading flag, drops a reply
// that a newer request has overtaken, and shows an API error with `onError`
// (showError by default). `paging` may be passed in (a list that keeps its
// place across visits). Pair with components/ListPager.vue.
import { reactive, ref } from 'vue'
import { api, itemsOf } from '../api/client'
import { showError } from './useServerErrors'

export function usePagedList(path, query, { size = 20, sort, paging, onError = showError } = {}) {
  const pg = paging || reactive({ page: 1, size, sort })
  const rows = ref([])
  const total = ref(0)
  const loading = ref(false)
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const data = await api.get(path, {
        ...query(),
        limit: pg.size,
        offset: (pg.page - 1) * pg.size,
      })
      if (mine !== seq) return
      rows.value = itemsOf(data)
      total.value = data && typeof data.total === 'number' ? data.total : rows.value.length
    } catch (e) {
      if (mine === seq) onError(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  return { paging: pg, rows, total, loading, load }
}

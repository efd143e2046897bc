// A server-paged list: `query()` gives the filters, the composable adds
// limit and offset, keeps rows, total and the loading flag, and shows an
// API error as a message. Pair with components/ListPager.vue.
import { reactive, ref } from 'vue'
import { api, itemsOf } from '../api/client'
import { showError } from './useServerErrors'

export function usePagedList(path, query, { size = 20, sort } = {}) {
  const paging = reactive({ page: 1, size, sort })
  const rows = ref([])
  const total = ref(0)
  const loading = ref(false)

  async function load() {
    loading.value = true
    try {
      const data = await api.get(path, {
        ...query(),
        limit: paging.size,
        offset: (paging.page - 1) * paging.size,
      })
      rows.value = itemsOf(data)
      total.value = data && typeof data.total === 'number' ? data.total : rows.value.length
    } catch (e) {
      showError(e)
    } finally {
      loading.value = false
    }
  }

  return { paging, rows, total, loading, load }
}

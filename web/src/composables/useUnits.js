// The organisation as a tree, from GET /api/v1/org/units (a flat list with
// parent_id), optionally as of a date.
import { computed, ref } from 'vue'
import { fetchAll } from '../api/client'
import { localName } from '../i18n'

export function buildTree(units) {
  const byId = new Map(units.map((u) => [u.id, { ...u, children: [] }]))
  const roots = []
  for (const u of byId.values()) {
    const parent = u.parent_id != null ? byId.get(u.parent_id) : null
    if (parent) parent.children.push(u)
    else roots.push(u)
  }
  const sort = (list) => {
    list.sort((a, b) => String(a.code).localeCompare(String(b.code)))
    list.forEach((n) => sort(n.children))
  }
  sort(roots)
  return roots
}

// ids of a unit and every unit below it
export function subtreeIds(units, id) {
  const ids = new Set([id])
  let grew = true
  while (grew) {
    grew = false
    for (const u of units) {
      if (u.parent_id != null && ids.has(u.parent_id) && !ids.has(u.id)) {
        ids.add(u.id)
        grew = true
      }
    }
  }
  return ids
}

export function useUnits() {
  const units = ref([])
  const loading = ref(false)
  const error = ref(null)
  async function load(asOf) {
    loading.value = true
    error.value = null
    try {
      units.value = await fetchAll('/org/units', asOf ? { as_of: asOf } : {})
    } catch (e) {
      error.value = e
      throw e
    } finally {
      loading.value = false
    }
  }
  const tree = computed(() => buildTree(units.value))
  // For el-tree-select: {value, label, children}
  const options = computed(() => {
    const map = (n) => ({ value: n.id, label: localName(n), children: n.children.map(map) })
    return tree.value.map(map)
  })
  const byId = computed(() => new Map(units.value.map((u) => [u.id, u])))
  return { units, tree, options, byId, loading, error, load }
}

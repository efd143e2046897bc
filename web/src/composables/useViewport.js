// One shared "is this a phone?" flag (below 768 px): menus become a drawer,
// tables become cards, dialogs go full screen.
import { ref } from 'vue'

const query = typeof window !== 'undefined' ? window.matchMedia('(max-width: 767px)') : null
export const isMobile = ref(query ? query.matches : false)
if (query) {
  const update = () => {
    isMobile.value = query.matches
  }
  if (query.addEventListener) query.addEventListener('change', update)
  else query.addListener(update)
}

export function useViewport() {
  return { isMobile }
}

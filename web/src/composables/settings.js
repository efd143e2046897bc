// Versioned settings (GET/PUT /api/v1/settings/{kind}): the settings pages
// send the whole document with the version they read. When someone saved
// first (409), the page warns and reloads rather than overwrite them.
import { ElMessage } from 'element-plus'
import { api } from '../api/client'
import { i18n } from '../i18n'

// The saved setting ({value, version}), or null after a conflict (reload
// has been called). Other errors are the caller's (field errors).
export async function saveSetting(kind, value, version, reload) {
  try {
    return await api.put('/settings/' + kind, { value, version })
  } catch (e) {
    if (e.code !== 'conflict') throw e
    ElMessage({ type: 'warning', message: i18n.global.t('errors.conflictReload'), showClose: true })
    await reload()
    return null
  }
}

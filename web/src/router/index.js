// Routes: the public login page, and every page of modules.js inside the
// app layout. The guard loads the session once, sends anonymous users to
// /login?redirect=..., and shows the 403 page for a role not allowed.
import { createRouter, createWebHistory } from 'vue-router'
import { pages } from '../modules'
import { session, loadSession, clearSession } from '../stores/session'
import { setUnauthenticatedHandler } from '../api/client'
import AppLayout from '../layouts/AppLayout.vue'
import LoginView from '../views/LoginView.vue'
import { safeRedirect } from '../composables/format'

const routes = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true, labelKey: 'login.title' } },
  {
    path: '/',
    component: AppLayout,
    children: [
      ...pages.map((p) => ({
        path: p.path === '/' ? '' : p.path.replace(/^\//, ''),
        name: p.name,
        component: p.component,
        meta: { roles: p.roles, labelKey: p.labelKey },
      })),
      { path: 'forbidden', name: 'forbidden', component: () => import('../views/ForbiddenView.vue') },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('../views/NotFoundView.vue') },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})


router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession()
  if (to.meta.public) {
    if (to.name === 'login' && session.user) return safeRedirect(to.query.redirect)
    return true
  }
  if (!session.user) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  const roles = to.meta.roles
  if (roles && !roles.includes(session.user.role)) {
    return { name: 'forbidden', query: { from: to.fullPath } }
  }
  return true
})

// A 401 from the API in the middle of work: the session has expired.
setUnauthenticatedHandler(() => {
  if (!session.user) return
  clearSession(true)
  const current = router.currentRoute.value
  if (!current.meta.public) router.replace({ name: 'login', query: { redirect: current.fullPath } })
})

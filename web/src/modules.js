// The menu and the pages, in one list. A module adds a page with one entry:
//
//   { name: 'customers', path: '/customers', group: 'sales', order: 20,
//     roles: ['rep', 'manager', 'director', 'compliance'],
//     icon: OfficeBuilding, labelKey: 'menu.customers', descKey: 'modules.customers',
//     component: () => import('./views/customers/CustomerList.vue') }
//
// plus its i18n keys in both locale files. The router builds its routes from
// this list (roles become a guard), the side menu shows the entries of the
// user's role (grouped by `group`), and the home page lists them as modules.
// `menu: false` keeps a page out of the menu (detail pages, for instance).
import { markRaw } from 'vue'
import { House, User, Connection, OfficeBuilding, Collection, Setting, Postcard } from '@element-plus/icons-vue'

export const ALL_ROLES = ['rep', 'manager', 'director', 'compliance', 'admin']

// Menu groups, in display order (pages without a group stand at the top).
export const groups = [
  { key: 'admin', labelKey: 'menu.groups.admin', icon: markRaw(Setting), order: 90 },
]

export const pages = [
  {
    name: 'home', path: '/', order: 0, roles: ALL_ROLES, icon: markRaw(House),
    labelKey: 'menu.home', descKey: 'modules.home',
    component: () => import('./views/HomeView.vue'),
  },
  {
    name: 'team', path: '/team', order: 10, roles: ['manager', 'director'], icon: markRaw(Connection),
    labelKey: 'menu.team', descKey: 'modules.team',
    component: () => import('./views/TeamView.vue'),
  },
  {
    name: 'users', path: '/admin/users', group: 'admin', order: 91, roles: ['admin'], icon: markRaw(User),
    labelKey: 'menu.users', descKey: 'modules.users',
    component: () => import('./views/admin/UsersView.vue'),
  },
  {
    name: 'org', path: '/admin/org', group: 'admin', order: 92, roles: ['admin'], icon: markRaw(OfficeBuilding),
    labelKey: 'menu.org', descKey: 'modules.org',
    component: () => import('./views/admin/OrgView.vue'),
  },
  {
    name: 'reference', path: '/admin/reference', group: 'admin', order: 93, roles: ['admin', 'director'],
    icon: markRaw(Collection), labelKey: 'menu.reference', descKey: 'modules.reference',
    component: () => import('./views/admin/ReferenceView.vue'),
  },
  {
    name: 'account', path: '/account', order: 100, roles: ALL_ROLES, icon: markRaw(Postcard),
    labelKey: 'menu.account', descKey: 'modules.account',
    component: () => import('./views/AccountView.vue'),
  },
]

export function pagesFor(role) {
  return pages
    .filter((p) => p.menu !== false && p.roles.includes(role))
    .sort((a, b) => a.order - b.order)
}

// The menu of a role: [{type:'item', page} | {type:'group', group, pages}]
export function menuFor(role) {
  const entries = []
  const byGroup = new Map()
  for (const p of pagesFor(role)) {
    if (!p.group) {
      entries.push({ type: 'item', key: p.name, order: p.order, page: p })
      continue
    }
    if (!byGroup.has(p.group)) {
      const g = groups.find((x) => x.key === p.group) || { key: p.group, labelKey: p.group, order: p.order }
      const entry = { type: 'group', key: g.key, order: g.order, group: g, pages: [] }
      byGroup.set(p.group, entry)
      entries.push(entry)
    }
    byGroup.get(p.group).pages.push(p)
  }
  return entries.sort((a, b) => a.order - b.order)
}

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
import {
  House, User, Connection, OfficeBuilding, Collection, Setting, Postcard, Avatar, Tickets, DataAnalysis, PieChart,
  TrendCharts, Medal, Checked, Histogram, Lock, Calendar,
} from '@element-plus/icons-vue'

export const ALL_ROLES = ['rep', 'manager', 'director', 'compliance', 'admin']

// Menu groups, in display order (pages without a group stand at the top).
export const groups = [
  { key: 'customers', labelKey: 'menu.groups.customers', icon: markRaw(OfficeBuilding), order: 20 },
  { key: 'reports', labelKey: 'menu.groups.reports', icon: markRaw(DataAnalysis), order: 60 },
  { key: 'settings', labelKey: 'menu.groups.settings', icon: markRaw(Histogram), order: 80 },
  { key: 'compliance', labelKey: 'menu.groups.compliance', icon: markRaw(Lock), order: 85 },
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
  // ---- customers (R1, R4, R10, R11) ----
  {
    name: 'institutions', path: '/institutions', group: 'customers', order: 20, roles: ALL_ROLES,
    icon: markRaw(OfficeBuilding), labelKey: 'menu.institutions', descKey: 'modules.institutions',
    component: () => import('./views/customers/InstitutionList.vue'),
  },
  {
    name: 'institution', path: '/institutions/:id(\\d+)', menu: false, order: 20, roles: ALL_ROLES,
    icon: markRaw(OfficeBuilding), labelKey: 'menu.institution', descKey: 'modules.institutions',
    component: () => import('./views/customers/InstitutionView.vue'),
  },
  {
    name: 'contacts', path: '/contacts', group: 'customers', order: 21, roles: ALL_ROLES,
    icon: markRaw(Avatar), labelKey: 'menu.contacts', descKey: 'modules.contacts',
    component: () => import('./views/customers/ContactList.vue'),
  },
  {
    name: 'contact', path: '/contacts/:id(\\d+)', menu: false, order: 21, roles: ALL_ROLES,
    icon: markRaw(Avatar), labelKey: 'menu.contact', descKey: 'modules.contacts',
    component: () => import('./views/customers/ContactView.vue'),
  },
  {
    name: 'needs', path: '/needs', group: 'customers', order: 22, roles: ALL_ROLES,
    icon: markRaw(Tickets), labelKey: 'menu.needs', descKey: 'modules.needs',
    component: () => import('./views/customers/NeedList.vue'),
  },
  {
    name: 'white-space', path: '/reports/white-space', group: 'reports', order: 60,
    roles: ['manager', 'director', 'compliance', 'admin'], icon: markRaw(PieChart),
    labelKey: 'menu.whiteSpace', descKey: 'modules.whiteSpace',
    component: () => import('./views/reports/WhiteSpaceReport.vue'),
  },
  {
    name: 'report-completeness', path: '/reports/completeness', group: 'reports', order: 61,
    roles: ['manager', 'director', 'compliance', 'admin'], icon: markRaw(TrendCharts),
    labelKey: 'menu.completenessReport', descKey: 'modules.completenessReport',
    component: () => import('./views/reports/CompletenessReport.vue'),
  },
  {
    name: 'settings-grading', path: '/settings/grading', group: 'settings', order: 80, roles: ALL_ROLES,
    icon: markRaw(Medal), labelKey: 'menu.grading', descKey: 'modules.grading',
    component: () => import('./views/settings/GradingSettings.vue'),
  },
  {
    name: 'settings-completeness', path: '/settings/completeness', group: 'settings', order: 81, roles: ALL_ROLES,
    icon: markRaw(Checked), labelKey: 'menu.completenessSettings', descKey: 'modules.completenessSettings',
    component: () => import('./views/settings/CompletenessSettings.vue'),
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
    name: 'holidays', path: '/admin/holidays', group: 'admin', order: 94, roles: ['admin'],
    icon: markRaw(Calendar), labelKey: 'menu.holidays', descKey: 'modules.holidays',
    component: () => import('./views/admin/HolidaysView.vue'),
  },
  // ---- compliance (issue 2's audit log; R5 adds to this group) ----
  {
    name: 'audit', path: '/compliance/audit', group: 'compliance', order: 85, roles: ['compliance', 'admin'],
    icon: markRaw(Lock), labelKey: 'menu.audit', descKey: 'modules.audit',
    component: () => import('./views/admin/AuditView.vue'),
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

// ---- pipeline (issue 6): leads, opportunities, tenders, funnel, settings
import { pipelineGroups, pipelinePages } from './views/pipeline/pages.js'
groups.push(...pipelineGroups)
pages.push(...pipelinePages)

// ---- visits (issue 4): calendar, proposals, visit form, tasks, coaching, coverage, settings
import { visitGroups, visitPages } from './views/visits/pages.js'
groups.push(...visitGroups)
pages.push(...visitPages)

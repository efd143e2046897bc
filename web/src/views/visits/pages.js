// The visits' pages and menu group (issue 4: R3, R8, R10), added to modules.js.
import { markRaw } from 'vue'
import { Calendar, Compass, List, MapLocation, Finished, DataLine, Aim, Setting } from '@element-plus/icons-vue'

const ALL = ['rep', 'manager', 'director', 'compliance', 'admin']

export const visitGroups = [
  { key: 'visits', labelKey: 'visits.menu.group', icon: markRaw(MapLocation), order: 25 },
]

export const visitPages = [
  { name: 'visit-calendar', path: '/visits/calendar', group: 'visits', order: 25, roles: ALL, icon: markRaw(Calendar),
    labelKey: 'visits.menu.calendar', descKey: 'visits.modules.calendar', component: () => import('./CalendarView.vue') },
  { name: 'visit-proposals', path: '/visits/proposals', group: 'visits', order: 25.1, roles: ['rep', 'manager', 'director', 'admin'],
    icon: markRaw(Compass), labelKey: 'visits.menu.proposals', descKey: 'visits.modules.proposals', component: () => import('./ProposalsView.vue') },
  { name: 'visits', path: '/visits', group: 'visits', order: 25.2, roles: ALL, icon: markRaw(List),
    labelKey: 'visits.menu.list', descKey: 'visits.modules.list', component: () => import('./VisitList.vue') },
  { name: 'visit', path: '/visits/:id(\\d+)', menu: false, order: 25.2, roles: ALL, icon: markRaw(List),
    labelKey: 'visits.menu.visit', descKey: 'visits.modules.list', component: () => import('./VisitView.vue') },
  { name: 'tasks', path: '/tasks', group: 'visits', order: 25.3, roles: ALL, icon: markRaw(Finished),
    labelKey: 'visits.menu.tasks', descKey: 'visits.modules.tasks', component: () => import('./TaskList.vue') },
  { name: 'coaching', path: '/coaching', group: 'visits', order: 25.4, roles: ALL, icon: markRaw(Aim),
    labelKey: 'visits.menu.coaching', descKey: 'visits.modules.coaching', component: () => import('./CoachingView.vue') },
  { name: 'report-visit-coverage', path: '/reports/visit-coverage', group: 'reports', order: 58, roles: ALL, icon: markRaw(DataLine),
    labelKey: 'visits.menu.coverage', descKey: 'visits.modules.coverage', component: () => import('./CoverageReport.vue') },
  { name: 'settings-visits', path: '/settings/visits', group: 'settings', order: 83, roles: ALL, icon: markRaw(Setting),
    labelKey: 'visits.menu.settings', descKey: 'visits.modules.settings', component: () => import('./VisitSettings.vue') },
]

// The pipeline's pages and menu group (issue 6), added to modules.js.
import { markRaw } from 'vue'
import { Coin, Files, Filter, Flag, Goods, Histogram, Operation, Tickets, TrendCharts, Trophy, User } from '@element-plus/icons-vue'

const ALL = ['rep', 'manager', 'director', 'compliance', 'admin']


export const pipelineGroups = [
  { key: 'pipeline', labelKey: 'pipeline.menu.groups.pipeline', icon: markRaw(TrendCharts), order: 30 },
  { key: 'pipeline-settings', labelKey: 'pipeline.menu.groups.settings', icon: markRaw(Flag), order: 82 },
]

export const pipelinePages = [
  { name: 'leads', path: '/leads', group: 'pipeline', order: 30, roles: ALL, icon: markRaw(Filter), labelKey: 'pipeline.menu.leads', descKey: 'pipeline.modules.leads',
    component: () => import('./LeadList.vue') },
  { name: 'lead', path: '/leads/:id(\\d+)', menu: false, order: 30, roles: ALL, icon: markRaw(Filter), labelKey: 'pipeline.menu.lead', descKey: 'pipeline.modules.leads',
    component: () => import('./LeadView.vue') },
  { name: 'opportunities', path: '/opportunities', group: 'pipeline', order: 31, roles: ALL, icon: markRaw(Coin), labelKey: 'pipeline.menu.opportunities', descKey: 'pipeline.modules.opportunities',
    component: () => import('./OpportunityList.vue') },
  { name: 'opportunity', path: '/opportunities/:id(\\d+)', menu: false, order: 31, roles: ALL, icon: markRaw(Coin), labelKey: 'pipeline.menu.opportunity', descKey: 'pipeline.modules.opportunities',
    component: () => import('./OpportunityView.vue') },
  { name: 'project', path: '/opportunities/:id(\\d+)/project', menu: false, order: 31, roles: ALL, icon: markRaw(Operation), labelKey: 'pipeline.menu.project', descKey: 'pipeline.modules.project',
    component: () => import('./ProjectView.vue') },
  { name: 'tenders', path: '/tenders', group: 'pipeline', order: 32, roles: ALL, icon: markRaw(Files), labelKey: 'pipeline.menu.tenders', descKey: 'pipeline.modules.tenders',
    component: () => import('./TenderList.vue') },
  { name: 'tender-calendar', path: '/tenders/calendar', menu: false, order: 32, roles: ALL, icon: markRaw(Files), labelKey: 'pipeline.menu.tenderCalendar', descKey: 'pipeline.modules.tenders',
    component: () => import('./TenderList.vue') },
  { name: 'tender', path: '/tenders/:id(\\d+)', menu: false, order: 32, roles: ALL, icon: markRaw(Files), labelKey: 'pipeline.menu.tender', descKey: 'pipeline.modules.tenders',
    component: () => import('./TenderView.vue') },
  { name: 'funnel', path: '/reports/funnel', group: 'reports', order: 59, roles: ALL, icon: markRaw(Histogram), labelKey: 'pipeline.menu.funnel', descKey: 'pipeline.modules.funnel',
    component: () => import('./FunnelReport.vue') },
  { name: 'report-leads', path: '/reports/leads', group: 'reports', order: 59.1, roles: ALL, icon: markRaw(Tickets), labelKey: 'pipeline.menu.leadReport', descKey: 'pipeline.modules.leadReport',
    component: () => import('./LeadReport.vue') },
  { name: 'report-tenders', path: '/reports/tenders', group: 'reports', order: 59.2, roles: ALL, icon: markRaw(Trophy), labelKey: 'pipeline.menu.tenderReport', descKey: 'pipeline.modules.tenderReport',
    component: () => import('./TenderReport.vue') },
  { name: 'settings-products', path: '/settings/products', group: 'pipeline-settings', order: 85, roles: ALL, icon: markRaw(Goods), labelKey: 'pipeline.menu.products', descKey: 'pipeline.modules.products',
    component: () => import('./ProductsAdmin.vue') },
  { name: 'settings-competitors', path: '/settings/competitors', group: 'pipeline-settings', order: 86, roles: ALL, icon: markRaw(User), labelKey: 'pipeline.menu.competitors', descKey: 'pipeline.modules.competitors',
    component: () => import('./CompetitorsAdmin.vue') },
  { name: 'settings-stages', path: '/settings/stages', group: 'pipeline-settings', order: 87, roles: ['director', 'admin'], icon: markRaw(Flag), labelKey: 'pipeline.menu.stages', descKey: 'pipeline.modules.stages',
    component: () => import('./StageSettings.vue') },
  { name: 'settings-pipeline', path: '/settings/pipeline', group: 'pipeline-settings', order: 88, roles: ALL, icon: markRaw(Operation), labelKey: 'pipeline.menu.pipelineSettings', descKey: 'pipeline.modules.pipelineSettings',
    component: () => import('./PipelineSettings.vue') },
]


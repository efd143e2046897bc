/* routes.c: the whole API surface in one table (git's commands[]): method,
 * path, handler, and what the dispatcher checks before the handler runs.
 * docs/api.md is its reference. */
#include "api/api.h"
#include "api/api_pipeline.h"

#define ANY 0u
#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define MANAGER_UP                                                                                 \
	(ROLE_BIT(ROLE_MANAGER) | ROLE_BIT(ROLE_DIRECTOR) | ROLE_BIT(ROLE_COMPLIANCE) |            \
	 ROLE_BIT(ROLE_ADMIN))
#define REF_EDITORS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_DIRECTOR))
#define AUDITORS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_COMPLIANCE))
/* Sales data: everyone reads (in scope); compliance does not write. */
#define SALES_WRITERS                                                                              \
	(ROLE_BIT(ROLE_REP) | ROLE_BIT(ROLE_MANAGER) | ROLE_BIT(ROLE_DIRECTOR) |                   \
	 ROLE_BIT(ROLE_ADMIN))
#define MANAGERS (ROLE_BIT(ROLE_MANAGER) | ROLE_BIT(ROLE_DIRECTOR) | ROLE_BIT(ROLE_ADMIN))
/* Sales data: everyone reads (in scope); compliance does not write. */
#define SALES_WRITERS                                                                              \
	(ROLE_BIT(ROLE_REP) | ROLE_BIT(ROLE_MANAGER) | ROLE_BIT(ROLE_DIRECTOR) |                   \
	 ROLE_BIT(ROLE_ADMIN))
#define MANAGERS (ROLE_BIT(ROLE_MANAGER) | ROLE_BIT(ROLE_DIRECTOR) | ROLE_BIT(ROLE_ADMIN))

const struct route api_routes[] = {
	{ "GET", "/api/v1/health", api_health, R_NOSTORE, ANY },
	{ "POST", "/api/v1/auth/login", api_auth_login, R_SELFTX, ANY },
	{ "POST", "/api/v1/auth/logout", api_auth_logout, R_AUTH, ANY },
	{ "GET", "/api/v1/me", api_me_get, R_AUTH, ANY },
	{ "PATCH", "/api/v1/me", api_me_patch, R_AUTH, ANY },
	{ "POST", "/api/v1/me/password", api_me_password, R_AUTH | R_SELFTX, ANY },

	{ "GET", "/api/v1/users", api_user_list, R_AUTH, MANAGER_UP },
	{ "POST", "/api/v1/users", api_user_create, R_AUTH | R_SELFTX, ADMIN },
	{ "GET", "/api/v1/users/{id}", api_user_get, R_AUTH, ANY },
	{ "PATCH", "/api/v1/users/{id}", api_user_patch, R_AUTH, ADMIN },
	{ "POST", "/api/v1/users/{id}/password", api_user_password, R_AUTH | R_SELFTX, ADMIN },
	{ "DELETE", "/api/v1/users/{id}/calendar-token", api_user_calendar_token_revoke, R_AUTH,
	  ADMIN },

	{ "GET", "/api/v1/org/units", api_org_list, R_AUTH, ANY },
	{ "POST", "/api/v1/org/units", api_org_create, R_AUTH, ADMIN },
	{ "PATCH", "/api/v1/org/units/{id}", api_org_patch, R_AUTH, ADMIN },
	{ "PUT", "/api/v1/org/units/{id}/provinces", api_org_provinces, R_AUTH, ADMIN },

	{ "GET", "/api/v1/ref/{kind}", api_ref_list, R_AUTH, ANY },
	{ "POST", "/api/v1/ref/{kind}", api_ref_create, R_AUTH, REF_EDITORS },
	{ "PATCH", "/api/v1/ref/{kind}/{id}", api_ref_patch, R_AUTH, REF_EDITORS },

	{ "GET", "/api/v1/audit", api_audit_list, R_AUTH, AUDITORS },
	{ "GET", "/api/v1/audit/verify", api_audit_verify, R_AUTH, AUDITORS },

	{ "GET", "/api/v1/institutions", api_inst_list, R_AUTH, ANY },
	{ "POST", "/api/v1/institutions", api_inst_create, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/institutions/export", api_inst_export, R_AUTH, ANY },
	{ "GET", "/api/v1/institutions/{id}", api_inst_get, R_AUTH, ANY },
	{ "PATCH", "/api/v1/institutions/{id}", api_inst_patch, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/institutions/{id}/grade", api_inst_grade_override, R_AUTH, MANAGERS },
	{ "GET", "/api/v1/institutions/{id}/grades", api_inst_grades, R_AUTH, ANY },
	{ "GET", "/api/v1/institutions/{id}/coverage", api_coverage_list, R_AUTH, ANY },
	{ "POST", "/api/v1/institutions/{id}/coverage", api_coverage_add, R_AUTH, MANAGERS },
	{ "POST", "/api/v1/coverage/{id}/end", api_coverage_end, R_AUTH, MANAGERS },
	{ "POST", "/api/v1/coverage/reassign", api_coverage_reassign, R_AUTH, MANAGERS },
	{ "GET", "/api/v1/institutions/{id}/departments", api_dept_list, R_AUTH, ANY },
	{ "POST", "/api/v1/institutions/{id}/departments", api_dept_create, R_AUTH, SALES_WRITERS },
	{ "PATCH", "/api/v1/departments/{id}", api_dept_patch, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/contacts", api_contact_list, R_AUTH, ANY },
	{ "POST", "/api/v1/contacts", api_contact_create, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/contacts/export", api_contact_export, R_AUTH, ANY },
	{ "GET", "/api/v1/needs/export", api_need_export, R_AUTH, ANY },
	{ "GET", "/api/v1/contacts/{id}", api_contact_get, R_AUTH, ANY },
	{ "PATCH", "/api/v1/contacts/{id}", api_contact_patch, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/needs", api_need_list, R_AUTH, ANY },
	{ "POST", "/api/v1/needs", api_need_create, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/needs/{id}", api_need_get, R_AUTH, ANY },
	{ "PATCH", "/api/v1/needs/{id}", api_need_patch, R_AUTH, SALES_WRITERS },
	/* The holiday calendar (api_tender.c): a settings page of its own. */
	{ "GET", "/api/v1/settings/holidays", api_holiday_get, R_AUTH, ANY },
	{ "PUT", "/api/v1/settings/holidays", api_holiday_put, R_AUTH, ADMIN },
	{ "GET", "/api/v1/settings/{kind}", api_settings_get, R_AUTH, ANY },
	/* Who may change which settings: api_settings.c. */
	{ "PUT", "/api/v1/settings/{kind}", api_settings_put, R_AUTH | R_SELFTX, REF_EDITORS },
	{ "GET", "/api/v1/reports/completeness", api_report_completeness, R_AUTH, MANAGER_UP },
	{ "GET", "/api/v1/reports/white-space", api_report_white_space, R_AUTH, MANAGER_UP },

	/* Pipeline: products, competitors, stages, leads, opportunities,
	 * tenders, projects (api_pipeline.c, api_tender.c). */
	{ "GET", "/api/v1/products", api_product_list, R_AUTH, ANY },
	{ "POST", "/api/v1/products", api_product_create, R_AUTH, ADMIN },
	{ "PATCH", "/api/v1/products/{id}", api_product_patch, R_AUTH, ADMIN },
	{ "GET", "/api/v1/competitors", api_competitor_list, R_AUTH, ANY },
	{ "POST", "/api/v1/competitors", api_competitor_create, R_AUTH, MANAGERS },
	{ "PATCH", "/api/v1/competitors/{id}", api_competitor_patch, R_AUTH, MANAGERS },
	{ "GET", "/api/v1/pipeline/stages", api_stage_list, R_AUTH, ANY },
	{ "POST", "/api/v1/pipeline/stages", api_stage_create, R_AUTH, REF_EDITORS },
	{ "PUT", "/api/v1/pipeline/stages/order", api_stage_order, R_AUTH, REF_EDITORS },
	{ "PATCH", "/api/v1/pipeline/stages/{id}", api_stage_patch, R_AUTH, REF_EDITORS },
	{ "GET", "/api/v1/pipeline/board", api_opp_board, R_AUTH, ANY },
	{ "GET", "/api/v1/leads", api_lead_list, R_AUTH, ANY },
	{ "POST", "/api/v1/leads", api_lead_create, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/leads/{id}", api_lead_get, R_AUTH, ANY },
	{ "PATCH", "/api/v1/leads/{id}", api_lead_patch, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/leads/{id}/qualify", api_lead_qualify, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/leads/{id}/reject", api_lead_reject, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/leads/{id}/convert", api_lead_convert, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/opportunities", api_opp_list, R_AUTH, ANY },
	{ "POST", "/api/v1/opportunities", api_opp_create, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/opportunities/{id}", api_opp_get, R_AUTH, ANY },
	{ "PATCH", "/api/v1/opportunities/{id}", api_opp_patch, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/opportunities/{id}/stage", api_opp_stage, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/opportunities/{id}/reopen", api_opp_reopen, R_AUTH, SALES_WRITERS },
	{ "PUT", "/api/v1/opportunities/{id}/lines", api_opp_lines, R_AUTH, SALES_WRITERS },
	{ "PUT", "/api/v1/opportunities/{id}/competitors", api_opp_competitors, R_AUTH,
	  SALES_WRITERS },
	{ "POST", "/api/v1/opportunities/{id}/project", api_project_start, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/opportunities/{id}/project", api_project_get, R_AUTH, ANY },
	{ "PUT", "/api/v1/opportunities/{id}/project/team", api_project_team, R_AUTH,
	  SALES_WRITERS },
	{ "PUT", "/api/v1/opportunities/{id}/project/buying-center", api_project_bc, R_AUTH,
	  SALES_WRITERS },
	{ "POST", "/api/v1/opportunities/{id}/project/tasks", api_project_task_add, R_AUTH,
	  SALES_WRITERS },
	{ "PATCH", "/api/v1/project-tasks/{id}", api_project_task_patch, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/tenders", api_tender_list, R_AUTH, ANY },
	{ "POST", "/api/v1/tenders", api_tender_create, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/tenders/deadlines", api_tender_deadlines, R_AUTH, ANY },
	{ "GET", "/api/v1/tenders/{id}", api_tender_get, R_AUTH, ANY },
	{ "PATCH", "/api/v1/tenders/{id}", api_tender_patch, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/tenders/{id}/checklist", api_tender_checklist_add, R_AUTH,
	  SALES_WRITERS },
	{ "PATCH", "/api/v1/tender-checklist/{id}", api_tender_checklist_patch, R_AUTH,
	  SALES_WRITERS },
	{ "PUT", "/api/v1/tenders/{id}/bids", api_tender_bids, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/reports/funnel", api_report_funnel, R_AUTH, ANY },
	{ "GET", "/api/v1/reports/leads", api_report_leads, R_AUTH, ANY },
	{ "GET", "/api/v1/lead-source-costs", api_source_cost_list, R_AUTH, ANY },
	{ "POST", "/api/v1/lead-source-costs", api_source_cost_create, R_AUTH, MANAGERS },
	{ "PATCH", "/api/v1/lead-source-costs/{id}", api_source_cost_patch, R_AUTH, MANAGERS },
	{ "GET", "/api/v1/reports/tenders", api_report_tenders, R_AUTH, ANY },
	{ "GET", "/api/v1/dashboard", api_dashboard, R_AUTH, ANY },
	{ "POST", "/api/v1/import/{kind}", api_import, R_AUTH | R_RAWBODY | R_SELFTX, MANAGERS },
	{ "GET", "/api/v1/visits", api_visit_list, R_AUTH, ANY },
	{ "POST", "/api/v1/visits", api_visit_create, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/visits/plan", api_visit_plan, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/visits/proposals", api_visit_proposals, R_AUTH, ANY },
	{ "GET", "/api/v1/visits/{id}", api_visit_get, R_AUTH, ANY },
	{ "PATCH", "/api/v1/visits/{id}", api_visit_patch, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/visits/{id}/check-in", api_visit_check_in, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/visits/{id}/check-out", api_visit_check_out, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/visits/{id}/complete", api_visit_complete, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/visits/{id}/cancel", api_visit_cancel, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/visits/{id}/comments", api_visit_comment, R_AUTH, MANAGERS },
	{ "GET", "/api/v1/calendar", api_visit_calendar, R_AUTH, ANY },
	{ "GET", "/api/v1/calendar/{token}.ics", api_calendar_feed, 0, ANY },
	{ "GET", "/api/v1/me/calendar-token", api_calendar_token_get, R_AUTH, ANY },
	{ "POST", "/api/v1/me/calendar-token", api_calendar_token_renew, R_AUTH, ANY },
	{ "DELETE", "/api/v1/me/calendar-token", api_calendar_token_revoke, R_AUTH, ANY },
	{ "GET", "/api/v1/coaching", api_visit_coaching, R_AUTH, ANY },
	{ "GET", "/api/v1/tasks", api_task_list, R_AUTH, ANY },
	{ "POST", "/api/v1/tasks/{id}/complete", api_task_complete, R_AUTH, SALES_WRITERS },
	{ "POST", "/api/v1/tasks/{id}/reopen", api_task_reopen, R_AUTH, SALES_WRITERS },
	{ "GET", "/api/v1/reports/visit-coverage", api_visit_coverage, R_AUTH, ANY },
	{ NULL, NULL, NULL, 0, 0 },
};

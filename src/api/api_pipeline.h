/* api_pipeline.h: the handlers of the pipeline module (api_pipeline.c,
 * api_tender.c), for the route table. */
#ifndef MS_API_PIPELINE_H
#define MS_API_PIPELINE_H

#include "api/api.h"

/* from and to of ?from=&to=, by default January 1st of this year to today. */
enum ms_err api_period(struct api_ctx *c, const char **from, const char **to);

enum ms_err api_product_list(struct api_ctx *c);
enum ms_err api_product_create(struct api_ctx *c);
enum ms_err api_product_patch(struct api_ctx *c);
enum ms_err api_competitor_list(struct api_ctx *c);
enum ms_err api_competitor_create(struct api_ctx *c);
enum ms_err api_competitor_patch(struct api_ctx *c);
enum ms_err api_stage_list(struct api_ctx *c);
enum ms_err api_stage_patch(struct api_ctx *c);
enum ms_err api_lead_list(struct api_ctx *c);
enum ms_err api_lead_create(struct api_ctx *c);
enum ms_err api_lead_get(struct api_ctx *c);
enum ms_err api_lead_patch(struct api_ctx *c);
enum ms_err api_lead_qualify(struct api_ctx *c);
enum ms_err api_lead_reject(struct api_ctx *c);
enum ms_err api_lead_convert(struct api_ctx *c);
enum ms_err api_report_leads(struct api_ctx *c);
enum ms_err api_opp_list(struct api_ctx *c);
enum ms_err api_opp_board(struct api_ctx *c);
enum ms_err api_opp_create(struct api_ctx *c);
enum ms_err api_opp_get(struct api_ctx *c);
enum ms_err api_opp_patch(struct api_ctx *c);
enum ms_err api_opp_stage(struct api_ctx *c);
enum ms_err api_opp_reopen(struct api_ctx *c);
enum ms_err api_stage_create(struct api_ctx *c);
enum ms_err api_stage_order(struct api_ctx *c);
enum ms_err api_source_cost_list(struct api_ctx *c);
enum ms_err api_source_cost_create(struct api_ctx *c);
enum ms_err api_source_cost_patch(struct api_ctx *c);
enum ms_err api_opp_lines(struct api_ctx *c);
enum ms_err api_opp_competitors(struct api_ctx *c);
enum ms_err api_report_funnel(struct api_ctx *c);
enum ms_err api_tender_list(struct api_ctx *c);
enum ms_err api_tender_create(struct api_ctx *c);
enum ms_err api_tender_get(struct api_ctx *c);
enum ms_err api_tender_patch(struct api_ctx *c);
enum ms_err api_tender_deadlines(struct api_ctx *c);
enum ms_err api_tender_checklist_add(struct api_ctx *c);
enum ms_err api_tender_checklist_patch(struct api_ctx *c);
enum ms_err api_tender_bids(struct api_ctx *c);
enum ms_err api_report_tenders(struct api_ctx *c);
/* The holiday calendar the tender clock counts working days with. */
enum ms_err api_holiday_get(struct api_ctx *c);
enum ms_err api_holiday_put(struct api_ctx *c);
enum ms_err api_project_start(struct api_ctx *c);
enum ms_err api_project_get(struct api_ctx *c);
enum ms_err api_project_team(struct api_ctx *c);
enum ms_err api_project_bc(struct api_ctx *c);
enum ms_err api_project_task_add(struct api_ctx *c);
enum ms_err api_project_task_patch(struct api_ctx *c);
enum ms_err api_dashboard(struct api_ctx *c);

#endif

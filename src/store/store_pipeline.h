/* store_pipeline.h: products, competitors, pipeline stages, leads,
 * opportunities (lines, competitors, stage history, funnel), tenders and
 * large-equipment projects (R3, R12). Visibility: leads, opportunities and
 * tenders belong to an owner (a rep) and follow qb_scope_owner; a project's
 * team members also see its opportunity. Products, competitors and stages
 * are shared reference data. */
#ifndef MS_STORE_PIPELINE_H
#define MS_STORE_PIPELINE_H

#include "domain/pipeline.h"
#include "store/store.h"
#include "store/store_customer.h" /* UNSET */

/* Products. */
struct product_fields {
	const char *product_line_code, *name, *spec, *registration_no, *registration_expiry;
	const char *device_class;
	int64_t list_price_fen;
	int active; /* -1 unset */
};
enum ms_err store_product_list(struct store *st, const char *product_line, const char *q,
			       int active, json_t **out, struct ms_error *e);
enum ms_err store_product_create(struct store *st, const struct scope *who,
				 const struct product_fields *f, int64_t *id, struct ms_error *e);
enum ms_err store_product_update(struct store *st, const struct scope *who, int64_t id,
				 int64_t version, const struct product_fields *f,
				 struct ms_error *e);
enum ms_err store_product_get(struct store *st, int64_t id, json_t **out, struct ms_error *e);
/* The product of that name and specification: MS_ENOTFOUND when none. */
enum ms_err store_product_find(struct store *st, const char *name, const char *spec, int64_t *id);

/* Competitors. */
enum ms_err store_competitor_list(struct store *st, json_t **out, struct ms_error *e);
enum ms_err store_competitor_create(struct store *st, const struct scope *who, const char *name,
				    const char *origin, const char *notes, int64_t *id,
				    struct ms_error *e);
enum ms_err store_competitor_update(struct store *st, const struct scope *who, int64_t id,
				    int64_t version, const char *name, const char *origin,
				    const char *notes, int active, struct ms_error *e);

/* Stages, in order. */
enum ms_err store_stage_list(struct store *st, json_t **out, struct ms_error *e);
enum ms_err store_stage_update(struct store *st, const struct scope *who, int64_t id,
			       int64_t version, const char *name_zh, const char *name_en,
			       int64_t probability, const char *requires, struct ms_error *e);

/* A new open stage at position (UNSET: before the first won or lost one;
 * 1 up to that), the stages from there moving down one; 409 duplicate on
 * a code taken. */
enum ms_err store_stage_create(struct store *st, const struct scope *who, const char *code,
			       const char *name_zh, const char *name_en, int64_t probability,
			       const char *requires, int64_t position, int64_t *id,
			       struct ms_error *e);
/* Renumbers the stages in the order of codes (every code once, open ones
 * before won and lost: stage_order_check); one audit entry "reorder". The
 * history keeps the positions of its time. */
enum ms_err store_stage_reorder(struct store *st, const struct scope *who, json_t *codes,
				struct ms_error *e);

/* Leads. */
struct lead_fields {
	const char *source, *source_detail, *new_institution_name, *contact_name;
	const char *product_line_code, *need, *status;
	int64_t institution_id, department_id, contact_id, estimated_value_fen, owner_id;
	json_t *checklist; /* {"code": true/false}, borrowed */
};
void lead_fields_init(struct lead_fields *f);
struct lead_filter {
	const char *status, *source, *q;
	int64_t owner_id;
};
enum ms_err store_lead_create(struct store *st, const struct scope *who,
			      const struct lead_fields *f, int64_t *id, struct ms_error *e);
enum ms_err store_lead_update(struct store *st, const struct scope *who, int64_t id,
			      int64_t version, const struct lead_fields *f, struct ms_error *e);
enum ms_err store_lead_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			   struct ms_error *e);
enum ms_err store_lead_list(struct store *st, const struct scope *s, const struct lead_filter *f,
			    const struct page *pg, json_t **out, struct ms_error *e);
/* Qualifies (every checklist item ticked) or rejects (reason required). */
enum ms_err store_lead_decide(struct store *st, const struct scope *who, int64_t id, int qualify,
			      const char *reason, struct ms_error *e);
/* A qualified lead becomes an opportunity in the first stage, keeping its
 * source; *opp_id gets it. */
enum ms_err store_lead_convert(struct store *st, const struct scope *who, int64_t id,
			       const char *name, int64_t institution_id, const char *close_date,
			       int64_t amount_fen, int64_t *opp_id, struct ms_error *e);
/* What a lead source (a congress, a campaign) cost, recorded by a manager
 * (owner_id, whose scope it follows like a lead). */
struct source_cost_fields {
	const char *source, *source_detail, *spent_on, *notes;
	int64_t cost_fen;
};
void source_cost_fields_init(struct source_cost_fields *f);
enum ms_err store_source_cost_list(struct store *st, const struct scope *s, const char *from,
				   const char *to, json_t **out, struct ms_error *e);
enum ms_err store_source_cost_create(struct store *st, const struct scope *who,
				     const struct source_cost_fields *f, int64_t *id,
				     struct ms_error *e);
enum ms_err store_source_cost_update(struct store *st, const struct scope *who, int64_t id,
				     int64_t version, const struct source_cost_fields *f,
				     struct ms_error *e);
/* Per source in a period: the leads created (leads, qualified, rejected,
 * converted, value_fen), the deals won (won, won_fen: closed in the period,
 * by the deal's source), what the source cost (cost_fen) and won_per_yuan;
 * most won value first. */
enum ms_err store_report_leads(struct store *st, const struct scope *s, const char *from,
			       const char *to, json_t **out, struct ms_error *e);

/* Settings documents (GET/PUT /settings/lead-checklist, /settings/pipeline):
 * the qualification checklist {"items": [{code, zh, en}]} (1 to 20, codes
 * of a-z, 0-9, _, unique), every item of which a lead needs ticked to
 * qualify; and {"stalled_days": 1-365}, after which an open deal without a
 * change is stalled. The defaults when none is stored: */
json_t *lead_checklist_default_json(void);
json_t *pipeline_settings_default_json(void);
enum ms_err lead_checklist_check_json(json_t *v, struct ms_error *e);
enum ms_err pipeline_settings_check_json(json_t *v, struct ms_error *e);

/* Opportunities. */
struct opp_fields {
	const char *name, *product_line_code, *expected_close_date, *source, *lost_reason;
	int64_t institution_id, department_id, owner_id, amount_fen, won_competitor_id;
	int64_t probability;
};
void opp_fields_init(struct opp_fields *f);
struct opp_filter {
	const char *stage_code, *product_line_code, *q, *close_from, *close_to;
	int64_t owner_id, institution_id, unit_id;
	int is_project;		/* -1 any */
	int stalled;		/* -1 any, 1 only stalled */
	int open_only;		/* 1: not won or lost */
	int64_t stalled_before; /* set by the store: the stalled threshold */
};
void opp_filter_init(struct opp_filter *f);
enum ms_err store_opp_create(struct store *st, const struct scope *who, const struct opp_fields *f,
			     int64_t *id, struct ms_error *e);
enum ms_err store_opp_update(struct store *st, const struct scope *who, int64_t id, int64_t version,
			     const struct opp_fields *f, struct ms_error *e);
/* The record with lines, competitors, stage history and tenders. */
enum ms_err store_opp_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			  struct ms_error *e);
enum ms_err store_opp_list(struct store *st, const struct scope *s, const struct opp_filter *f,
			   const struct page *pg, json_t **out, struct ms_error *e);
/* The kanban board: each stage with its count, amount and first items. */
enum ms_err store_opp_board(struct store *st, const struct scope *s, const struct opp_filter *f,
			    int per_stage, json_t **out, struct ms_error *e);
/* Moves to a stage after stage_move_check; records the history. */
enum ms_err store_opp_move(struct store *st, const struct scope *who, int64_t id,
			   const char *stage_code, const char *lost_reason,
			   int64_t won_competitor_id, struct ms_error *e);
/* Takes a won or lost opportunity back to the open stage it was in before
 * it closed (the latest entry of an open stage in its history); reason
 * required; audited as "reopen" with the reason and the closed stage. */
enum ms_err store_opp_reopen(struct store *st, const struct scope *who, int64_t id,
			     const char *reason, struct ms_error *e);
/* Replaces the lines ([{product_id, quantity, unit_price_fen}]); the amount
 * becomes their sum. A won or lost opportunity's lines, competitors and
 * fields are frozen (400 closed) until it is reopened; a PATCH of
 * amount_fen on a deal with lines must equal their sum. */
enum ms_err store_opp_set_lines(struct store *st, const struct scope *who, int64_t id,
				json_t *lines, struct ms_error *e);
/* Replaces the competitors ([{competitor_id, position, notes}]). */
enum ms_err store_opp_set_competitors(struct store *st, const struct scope *who, int64_t id,
				      json_t *items, struct ms_error *e);
enum ms_err store_opp_visible(struct store *st, const struct scope *s, int64_t id,
			      struct ms_error *e);
/* MS_OK when the scope may change the deal: its owner, a manager over the
 * owner, or an all-seeing role; MS_EFORBIDDEN for a project team member who
 * is none of these (they read the deal and write only their own tasks);
 * MS_ENOTFOUND outside the scope. */
enum ms_err store_opp_writable(struct store *st, const struct scope *s, int64_t id,
			       struct ms_error *e);

/* Rewrites an opportunity's stage history with the given entries (codes
 * entered at those instants, in order) and its dates to match: for the
 * demo and benchmark data generators only, which build a past. */
enum ms_err store_opp_backdate(struct store *st, int64_t opp, const char *const *codes,
			       const int64_t *entered_at, int n, struct ms_error *e);

/* The open pipeline in scope: count, amount, stage-weighted amount,
 * stalled count, and the caller's late project tasks. */
enum ms_err store_opp_summary(struct store *st, const struct scope *s, json_t **out,
			      struct ms_error *e);

/* The funnel of a period for a cut. */
struct funnel_cut {
	const char *from, *to; /* dates, inclusive */
	int64_t unit_id, owner_id;
	const char *product_line_code, *segment_code, *province_code, *region_code;
};
enum ms_err store_report_funnel(struct store *st, const struct scope *s,
				const struct funnel_cut *cut, json_t **out, struct ms_error *e);

/* Tenders. */
struct tender_fields {
	const char *project_name, *project_no, *method, *agency, *result, *winner, *notes;
	const char *dates[11]; /* intent_notice ... contract_deadline, NULL unset */
	int64_t opportunity_id, institution_id, owner_id, budget_fen, our_price_fen, bid_bond_fen;
	int64_t winning_price_fen;
};
extern const char *const tender_date_fields[]; /* the 11 names, in struct order */
void tender_fields_init(struct tender_fields *f);
struct tender_filter {
	const char *result, *method, *q;
	const char *status; /* tender_status: in_progress awaiting_result won lost ... */
	int64_t owner_id, opportunity_id;
	int64_t due_within_days; /* -1 any */
};
enum ms_err store_tender_create(struct store *st, const struct scope *who,
				const struct tender_fields *f, int64_t *id, struct ms_error *e);
enum ms_err store_tender_update(struct store *st, const struct scope *who, int64_t id,
				int64_t version, const struct tender_fields *f, struct ms_error *e);
enum ms_err store_tender_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			     struct ms_error *e);
enum ms_err store_tender_list(struct store *st, const struct scope *s,
			      const struct tender_filter *f, const struct page *pg, json_t **out,
			      struct ms_error *e);
/* Every milestone of the visible tenders from from to to, date order. */
enum ms_err store_tender_deadlines(struct store *st, const struct scope *s, const char *from,
				   const char *to, json_t **out, struct ms_error *e);
enum ms_err store_tender_checklist_add(struct store *st, const struct scope *who, int64_t tender,
				       const char *item, int64_t owner_id, const char *due,
				       int64_t *id, struct ms_error *e);
enum ms_err store_tender_checklist_update(struct store *st, const struct scope *who, int64_t id,
					  int64_t version, const char *status, int64_t owner_id,
					  const char *due, const char *notes, struct ms_error *e);
/* Replaces the bids ([{bidder, competitor_id?, is_us, price_fen, ...}]). */
enum ms_err store_tender_set_bids(struct store *st, const struct scope *who, int64_t tender,
				  json_t *bids, struct ms_error *e);
/* Win rate and price position by product line and method. */
enum ms_err store_report_tenders(struct store *st, const struct scope *s, const char *from,
				 const char *to, json_t **out, struct ms_error *e);

/* Projects. */
enum ms_err store_project_start(struct store *st, const struct scope *who, int64_t opp,
				int64_t project_owner_id, struct ms_error *e);
/* Team, buying centre, plan, and what is late with who must act. */
enum ms_err store_project_get(struct store *st, const struct scope *s, int64_t opp, json_t **out,
			      struct ms_error *e);
/* Replaces the team ([{user_id, role}]). */
enum ms_err store_project_set_team(struct store *st, const struct scope *who, int64_t opp,
				   json_t *team, struct ms_error *e);
struct bc_fields {
	int64_t contact_id, influence, relationship_owner_id;
	const char *decision_role, *stance, *last_contact, *notes;
};
enum ms_err store_project_bc_put(struct store *st, const struct scope *who, int64_t opp,
				 const struct bc_fields *f, struct ms_error *e);
struct task_fields {
	const char *milestone, *title, *due_date, *status;
	int64_t owner_id;
};
enum ms_err store_project_task_add(struct store *st, const struct scope *who, int64_t opp,
				   const struct task_fields *f, int64_t *id, struct ms_error *e);
enum ms_err store_project_task_update(struct store *st, const struct scope *who, int64_t id,
				      int64_t version, const struct task_fields *f,
				      struct ms_error *e);

#endif

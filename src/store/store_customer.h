/* store_customer.h: the customer master: institutions and who covers them,
 * departments, contacts, needs, grading and completeness, and the settings
 * documents they are computed by. Visibility: a rep sees the institutions
 * they cover today (any role), a manager those covered by anyone in their
 * subtree, a director all; departments, contacts and needs follow their
 * institution. */
#ifndef MS_STORE_CUSTOMER_H
#define MS_STORE_CUSTOMER_H

#include "domain/customer.h"
#include "store/store.h"

/* Integer fields use UNSET for "not given"; strings NULL. */
#define UNSET INT64_MIN

struct inst_fields {
	const char *name, *aliases, *province_code, *city, *district, *address;
	const char *level, *class_, *ownership, *type, *network, *network_role, *segment_code;
	const char *status;
	double latitude, longitude; /* used when has_location */
	int has_location;
	int64_t beds, annual_outpatients, budget_fen, installed_units, relationship;
	int is_teaching;    /* -1 unset */
	int64_t owner_id;   /* create: the primary rep (UNSET: the caller) */
	int64_t created_by; /* import: carried over (UNSET: the caller) */
	int64_t created_at; /* import: carried over (UNSET: now) */
};
void inst_fields_init(struct inst_fields *f);

struct inst_filter {
	const char *q, *province_code, *city, *level, *type, *segment_code, *grade, *status;
	int64_t owner_id;
	int64_t completeness_min, completeness_max; /* -1 unset */
	int64_t unit_id; /* institutions whose primary rep is in this unit's subtree */
};
void inst_filter_init(struct inst_filter *f);

enum ms_err store_inst_create(struct store *st, const struct scope *who,
			      const struct inst_fields *f, int64_t *id, struct ms_error *e);
enum ms_err store_inst_update(struct store *st, const struct scope *who, int64_t id,
			      int64_t version, const struct inst_fields *f, struct ms_error *e);
/* The record with its grade explanation and completeness (missing fields). */
enum ms_err store_inst_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			   struct ms_error *e);
enum ms_err store_inst_list(struct store *st, const struct scope *s, const struct inst_filter *f,
			    const struct page *pg, json_t **out, struct ms_error *e);
/* Calls fn for each row of the filtered list in order, for exports. */
enum ms_err store_inst_each(struct store *st, const struct scope *s, const struct inst_filter *f,
			    const char *sort, int (*fn)(void *cls, json_t *row), void *cls,
			    struct ms_error *e);
/* MS_OK when the institution is visible to the scope, else MS_ENOTFOUND. */
enum ms_err store_inst_visible(struct store *st, const struct scope *s, int64_t id,
			       struct ms_error *e);
/* Institutions with the same name key in the same city (duplicates). */
enum ms_err store_inst_find_duplicate(struct store *st, const char *name, const char *city,
				      int64_t except_id, int64_t *dup_id, struct ms_error *e);

/* Grading and completeness, recomputed from the current data and models.
 * store_inst_recompute is called by every write that can change them. */
enum ms_err store_inst_recompute(struct store *st, int64_t id, struct ms_error *e);
enum ms_err store_inst_recompute_all(struct store *st, int64_t *count, struct ms_error *e);
/* grade NULL clears the override. */
enum ms_err store_inst_override_grade(struct store *st, const struct scope *who, int64_t id,
				      const char *grade, const char *reason, struct ms_error *e);
enum ms_err store_grade_history(struct store *st, const struct scope *s, int64_t id, json_t **out,
				struct ms_error *e);

/* Coverage. */
enum ms_err store_coverage_list(struct store *st, const struct scope *s, int64_t inst_id,
				json_t **out, struct ms_error *e);
/* What becomes of a rep's planned visits at an institution they stop
 * covering, dated from that day on: handed over to the one who takes it
 * (reason-less, audited "update"), cancelled (audited "cancel", reason
 * `reassigned`, or `coverage_ended` when a coverage ends with no
 * successor), or kept on the rep's desk. */
enum plan_fate { PLANS_HAND_OVER, PLANS_CANCEL, PLANS_KEEP };
/* Adds a coverage from valid_from; a new primary ends the previous primary's,
 * whose planned visits there from valid_from go as fate says (*plans, may be
 * NULL, counts them). */
enum ms_err store_coverage_add(struct store *st, const struct scope *who, int64_t inst_id,
			       int64_t user_id, const char *role, const char *valid_from,
			       enum plan_fate fate, int64_t *plans, struct ms_error *e);
/* Ends a coverage on valid_to; the user's planned visits at the institution
 * dated valid_to or later are cancelled (PLANS_CANCEL, reason
 * `coverage_ended`) or kept (PLANS_KEEP), unless the user still covers it
 * then. *plans (may be NULL) counts them. */
enum ms_err store_coverage_end(struct store *st, const struct scope *who, int64_t coverage_id,
			       const char *valid_to, enum plan_fate fate, int64_t *plans,
			       struct ms_error *e);
/* Moves every coverage of from_user (or only those of inst_ids[0..n)) to
 * to_user from valid_from, keeping the history; *moved gets the count of
 * institutions, *plans the count of planned visits handed over or
 * cancelled (each audited). */
enum ms_err store_coverage_reassign(struct store *st, const struct scope *who, int64_t from_user,
				    int64_t to_user, const char *valid_from,
				    const int64_t *inst_ids, size_t n, enum plan_fate fate,
				    int64_t *moved, int64_t *plans, struct ms_error *e);

/* Moves the start of every open coverage back to date: for the demo
 * generator, which builds a company with a past. */
enum ms_err store_coverage_backdate(struct store *st, const char *date, struct ms_error *e);

/* Settings documents: "grading" and "completeness". */
enum ms_err store_settings_get(struct store *st, const char *key, json_t **value, int64_t *version,
			       struct ms_error *e);
enum ms_err store_settings_put(struct store *st, const struct scope *who, const char *key,
			       json_t *value, int64_t version, struct ms_error *e);
/* The stored grading model, or the default when none (or an invalid one) is
 * stored; a database error is MS_EDB, never the default. */
enum ms_err store_grading_model(struct store *st, struct grading_model *m, struct ms_error *e);
/* The grading model as JSON (the stored one or the default). */
json_t *grading_model_json(const struct grading_model *m);
/* Parses and checks a grading model document. */
enum ms_err grading_model_from_json(json_t *v, struct grading_model *m, struct ms_error *e);
/* The completeness document: {"institution":{"field":weight...},"contact":{...}}. */
json_t *completeness_default_json(void);
enum ms_err completeness_check_json(json_t *v, struct ms_error *e);

/* Departments. */
struct dept_fields {
	const char *name, *category, *function, *notes;
	int64_t beds;
};
enum ms_err store_dept_create(struct store *st, const struct scope *who, int64_t inst_id,
			      const struct dept_fields *f, int64_t *id, struct ms_error *e);
enum ms_err store_dept_update(struct store *st, const struct scope *who, int64_t id,
			      int64_t version, const struct dept_fields *f, struct ms_error *e);
enum ms_err store_dept_list(struct store *st, const struct scope *s, int64_t inst_id, json_t **out,
			    struct ms_error *e);
enum ms_err store_dept_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			   struct ms_error *e);

/* Contacts. */
struct contact_fields {
	const char *name, *gender, *title, *position, *decision_role, *stance, *kol_tier;
	const char *kol_speciality, *kol_posts, *kol_engagements, *mobile, *email, *wechat;
	const char *consent_date;
	int64_t institution_id, department_id, influence;
	int is_public_official; /* -1 unset */
	int64_t created_by, created_at;
};
void contact_fields_init(struct contact_fields *f);
/* Sets the fields that customer_check_contact rules (the values of the API
 * body or of an import row) from v. */
void contact_fields_set_values(struct contact_fields *f, const struct contact_values *v);
struct contact_filter {
	const char *q, *decision_role, *stance, *kol_tier;
	int64_t institution_id, department_id;
	int key_only; /* -1 any */
};
enum ms_err store_contact_create(struct store *st, const struct scope *who,
				 const struct contact_fields *f, int64_t *id, struct ms_error *e);
enum ms_err store_contact_update(struct store *st, const struct scope *who, int64_t id,
				 int64_t version, const struct contact_fields *f,
				 struct ms_error *e);
enum ms_err store_contact_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			      struct ms_error *e);
enum ms_err store_contact_list(struct store *st, const struct scope *s,
			       const struct contact_filter *f, const struct page *pg, json_t **out,
			       struct ms_error *e);
enum ms_err store_contact_each(struct store *st, const struct scope *s,
			       const struct contact_filter *f, int (*fn)(void *cls, json_t *row),
			       void *cls, struct ms_error *e);
/* A contact with the same mobile number (after normalisation). */
enum ms_err store_contact_find_mobile(struct store *st, const char *mobile, int64_t except_id,
				      int64_t *dup_id, struct ms_error *e);

/* Needs. */
struct need_fields {
	const char *need, *pain_points, *current_solution, *volume, *budget_cycle, *decision_by;
	const char *product_line_code, *status;
	int64_t institution_id, department_id, current_age_years, budget_fen;
};
void need_fields_init(struct need_fields *f);
struct need_filter {
	const char *q, *product_line_code, *status;
	int64_t institution_id;
};
enum ms_err store_need_create(struct store *st, const struct scope *who,
			      const struct need_fields *f, int64_t *id, struct ms_error *e);
enum ms_err store_need_update(struct store *st, const struct scope *who, int64_t id,
			      int64_t version, const struct need_fields *f, struct ms_error *e);
enum ms_err store_need_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			   struct ms_error *e);
enum ms_err store_need_list(struct store *st, const struct scope *s, const struct need_filter *f,
			    const struct page *pg, json_t **out, struct ms_error *e);
/* Calls fn for each need of the filtered list, for exports. */
enum ms_err store_need_each(struct store *st, const struct scope *s, const struct need_filter *f,
			    int (*fn)(void *cls, json_t *row), void *cls, struct ms_error *e);

/* Reports. */
/* Average completeness per rep (group "rep") or per unit under the caller's
 * unit (group "unit"), over the institutions in scope they cover. */
enum ms_err store_report_completeness(struct store *st, const struct scope *s, const char *group,
				      json_t **out, struct ms_error *e);
/* Per province, city and segment: known, covered and uncovered institutions
 * (covered: a primary rep today), the uncovered ones ranked by potential,
 * and institutions with open needs. */
enum ms_err store_report_white_space(struct store *st, const struct scope *s,
				     const char *province_code, const char *segment_code,
				     json_t **out, struct ms_error *e);

#endif

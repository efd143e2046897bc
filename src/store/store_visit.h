/* store_visit.h: visits from plan to record (check-in and check-out, the
 * seven steps, needs analysis, contacts met, outcome and next step), their
 * effective-visit evaluation and warning signs, coaching comments and
 * scores, follow-up tasks, calendars, plan proposals by grade, the coverage
 * report, the iCalendar feed secret, and the four settings documents
 * ("effective_visit", "visit_rules", "seven_steps", "needs_templates").
 *
 * Visibility: a visit belongs to its rep (owner_id); a rep sees their own,
 * a manager those of the users in their subtree, director, compliance and
 * admin all. A visit outside the scope is MS_ENOTFOUND. Only the rep
 * records a visit (check-in, check-out, content, completion); a manager
 * over the rep may also plan, move and cancel planned visits. The rules
 * come from src/domain/visit.c. */
#ifndef MS_STORE_VISIT_H
#define MS_STORE_VISIT_H

#include "domain/visit.h"
#include "store/store.h"

/* ---- settings documents: stored or the built-in default ---- */
void store_visit_definition(struct store *st, struct visit_definition *d);
/* The stored visit rules or the default; a database error is MS_EDB. */
enum ms_err store_visit_rules(struct store *st, struct visit_rules *r, struct ms_error *e);
json_t *visit_definition_json(const struct visit_definition *d);
enum ms_err visit_definition_from_json(json_t *v, struct visit_definition *d, struct ms_error *e);
json_t *visit_rules_json(const struct visit_rules *r);
enum ms_err visit_rules_from_json(json_t *v, struct visit_rules *r, struct ms_error *e);
json_t *seven_steps_default_json(void);
enum ms_err seven_steps_check_json(json_t *v, struct ms_error *e);
json_t *needs_templates_default_json(void);
enum ms_err needs_templates_check_json(json_t *v, struct ms_error *e);
/* The document in force for key (a new reference), and its version (0 =
 * the default). */
json_t *store_visit_settings(struct store *st, const char *key, int64_t *version);
/* Re-evaluating every visit after the definition or the seven steps
 * change, in batches of short transactions so that other writers never
 * wait for the whole table. _mark, in the transaction that saves the
 * settings, (re)starts it from the first visit; _step does the next batch
 * of at most `batch` visits in its own transaction (so not inside one),
 * adds the visits read to *count and sets *more while some remain; _run
 * steps until none remains (*count the visits read). A re-evaluation left
 * half-done by a stop is finished by the next _run (medsales serve runs
 * one at start). */
#define STORE_VISIT_REEVAL_BATCH 2000
enum ms_err store_visit_reeval_mark(struct store *st, struct ms_error *e);
int store_visit_reeval_pending(struct store *st);
enum ms_err store_visit_reeval_step(struct store *st, int batch, int *more, int64_t *count,
				    struct ms_error *e);
enum ms_err store_visit_reeval_run(struct store *st, int64_t *count, struct ms_error *e);
/* Re-evaluates the visits that met contact_id, dated since or later and not
 * cancelled (a contact's decision role changed: docs/visits.md); in the
 * caller's transaction. *count (may be NULL) gets how many were read. */
enum ms_err store_visit_reeval_contact(struct store *st, int64_t contact_id, const char *since,
				       int64_t *count, struct ms_error *e);

/* ---- visits ---- */
#define VISIT_UNSET INT64_MIN

/* Integer fields VISIT_UNSET when not given; strings and JSON NULL.
 * JSON values are borrowed. */
struct visit_fields {
	int64_t owner_id, institution_id, department_id, co_visitor_id, planned_start_at;
	int64_t opportunity_id; /* create only: an open deal of the institution the caller sees */
	const char *type, *visit_date, *objective, *outcome, *next_step, *next_step_date;
	const char *location_note;
	json_t *contact_ids, *products, *steps, *needs;
	int unplanned; /* logged without a plan: the date may be past */
};
void visit_fields_init(struct visit_fields *f);

struct visit_filter {
	int64_t owner_id, institution_id, unit_id;
	const char *from, *to, *status, *type;
	int effective;	  /* -1 any */
	int has_warnings; /* -1 any */
	int reviewed;	  /* -1 any; 1/0: with or without a coaching comment */
	const char *location_status;
};
void visit_filter_init(struct visit_filter *f);

/* Creates a planned visit (or an unplanned one to be checked in). */
enum ms_err store_visit_create(struct store *st, const struct scope *who,
			       const struct visit_fields *f, int64_t *id, struct ms_error *e);
enum ms_err store_visit_update(struct store *st, const struct scope *who, int64_t id,
			       int64_t version, const struct visit_fields *f, struct ms_error *e);
/* The record with contacts, comments, its follow-up task and evaluation. */
enum ms_err store_visit_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			    struct ms_error *e);
enum ms_err store_visit_list(struct store *st, const struct scope *s, const struct visit_filter *f,
			     const struct page *pg, json_t **out, struct ms_error *e);

/* A position given with a check-in or check-out. */
struct visit_pos {
	int has_pos;
	double lat, lon, accuracy_m; /* accuracy_m < 0: unknown */
};
/* at: when (<= now + skew, >= now - 30 days). */
enum ms_err store_visit_check_in(struct store *st, const struct scope *who, int64_t id, int64_t at,
				 const struct visit_pos *pos, int64_t now, struct ms_error *e);
enum ms_err store_visit_check_out(struct store *st, const struct scope *who, int64_t id, int64_t at,
				  const struct visit_pos *pos, int64_t now, struct ms_error *e);
/* Submits the record: evaluates it, creates the follow-up task from the
 * next step, and writes the needs answers to the institution's needs. */
enum ms_err store_visit_complete(struct store *st, const struct scope *who, int64_t id, int64_t now,
				 struct ms_error *e);
enum ms_err store_visit_cancel(struct store *st, const struct scope *who, int64_t id,
			       const char *reason, struct ms_error *e);

/* Coaching: a manager (or director) over the rep comments; scores (1-5 per
 * step code) only on a joint visit. scores may be NULL. */
enum ms_err store_visit_comment(struct store *st, const struct scope *who, int64_t id,
				const char *comment, json_t *scores, int64_t *comment_id,
				struct ms_error *e);
/* A rep's scores over time: the evaluations and the monthly means. */
enum ms_err store_coaching(struct store *st, const struct scope *s, int64_t user_id,
			   const char *from, const char *to, json_t **out, struct ms_error *e);

/* A user's calendar (events and tasks due) from..to, or with user_id 0 the
 * team's plan against execution (per rep and day) in the scope, optionally
 * under unit_id. */
enum ms_err store_visit_calendar(struct store *st, const struct scope *s, int64_t user_id,
				 int64_t unit_id, const char *from, const char *to,
				 const char *today, json_t **out, struct ms_error *e);
/* Proposed visits for user_id from..to by the grade policy. */
enum ms_err store_visit_proposals(struct store *st, const struct scope *s, int64_t user_id,
				  const char *from, const char *to, const char *today, json_t **out,
				  struct ms_error *e);
/* The coverage report from..to for the reps in scope (under unit_id, or
 * user_id alone). */
enum ms_err store_visit_coverage(struct store *st, const struct scope *s, int64_t unit_id,
				 int64_t user_id, const char *from, const char *to, json_t **out,
				 struct ms_error *e);

/* ---- tasks ---- */
struct task_filter {
	int64_t owner_id;
	const char *status, *due_before;
};
enum ms_err store_task_list(struct store *st, const struct scope *s, const struct task_filter *f,
			    const struct page *pg, json_t **out, struct ms_error *e);
enum ms_err store_task_complete(struct store *st, const struct scope *who, int64_t id, int done,
				struct ms_error *e);
enum ms_err store_task_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			   struct ms_error *e);

/* ---- the iCalendar feed ---- */
enum ms_err store_calendar_token_set(struct store *st, const struct scope *who,
				     const char *token_hash, struct ms_error *e);
/* Retires the user's feed address, if any (*revoked 1 then), with an audit
 * entry "revoke" by who. The caller checks that who may. */
enum ms_err store_calendar_token_revoke(struct store *st, const struct scope *who, int64_t user_id,
					int *revoked, struct ms_error *e);
/* *created_at 0 when the user has none. */
enum ms_err store_calendar_token_info(struct store *st, int64_t user_id, int64_t *created_at,
				      struct ms_error *e);
/* The user (active) whose token hashes to token_hash, or MS_ENOTFOUND. */
enum ms_err store_calendar_token_user(struct store *st, const char *token_hash, int64_t *user_id,
				      char *display_name, size_t n, struct ms_error *e);
/* The user's visits from..to for the feed, with the institution's name,
 * city, district and address, and the user's locale on every row. */
enum ms_err store_visit_feed(struct store *st, int64_t user_id, const char *from, const char *to,
			     json_t **out, struct ms_error *e);

/* ---- batch path for the demo and tools: no per-row audit ---- */
struct visit_row {
	int64_t owner_id, institution_id, department_id, co_visitor_id;
	const char *type, *status, *visit_date, *objective, *outcome, *next_step, *next_step_date;
	int64_t planned_start_at, check_in_at, check_out_at, logged_at, created_at;
	int was_planned, has_pos;
	double lat, lon, distance_m; /* distance_m < 0: unknown */
	const char *location_status, *location_reason, *location_note;
	const char *steps_json, *products_json, *reasons_json, *warnings_json;
	int is_effective;
};
enum ms_err store_visit_insert_raw(struct store *st, const struct visit_row *r, int64_t *id,
				   struct ms_error *e);
/* owner_id and visit_date of a completed visit, or 0 and NULL. */
enum ms_err store_visit_contact_raw(struct store *st, int64_t visit_id, int64_t contact_id,
				    int64_t owner_id, const char *visit_date, struct ms_error *e);
enum ms_err store_visit_comment_raw(struct store *st, int64_t visit_id, int64_t author_id,
				    int64_t rep_id, const char *comment, const char *scores_json,
				    double score_avg, int64_t at, struct ms_error *e);
enum ms_err store_task_insert_raw(struct store *st, int64_t owner_id, const char *due_date,
				  const char *title, int64_t visit_id, int64_t inst_id, int done,
				  int64_t at, struct ms_error *e);
/* One audit entry summing up a batch: action "batch_create", entity, and
 * {"count": n, "note": note} as the after snapshot. */
enum ms_err store_visit_batch_audit(struct store *st, const struct scope *who, const char *entity,
				    int64_t count, const char *note, struct ms_error *e);

#endif

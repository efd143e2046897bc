/* store_audit.c: the append-only, hash-chained audit log. Every write in the
 * store goes through store_audit_append (usually by db_exec_audited), in the
 * same transaction as the write itself. */
#include "store/store_audit.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "domain/audit.h"
#include "store/db.h"

/* What an audit entry records of each table: every column a person may want
 * to compare, never secrets (password hashes, session tokens). A module adds
 * its tables here. */
static const struct {
	const char *entity;
	const char *sql;
} snapshots[] = {
	{ "users",
	  "SELECT id, username, display_name, role, unit_id, email, phone, locale, active, "
	  "version FROM users WHERE id = ?" },
	{ "org_units", "SELECT u.id, u.code, u.type, u.version, v.parent_id, v.name_zh, v.name_en, "
		       "v.valid_from FROM org_units u JOIN org_unit_versions v ON v.unit_id = u.id "
		       "WHERE u.id = ? ORDER BY v.valid_from DESC LIMIT 1" },
	{ "ref_items", "SELECT id, kind, code, name_zh, name_en, priority, parent_code, active, "
		       "version FROM ref_items WHERE id = ?" },
	{ "sessions", "SELECT id, user_id, addr FROM sessions WHERE id = ?" },
	{ "settings", "SELECT id, key, value_json, version FROM settings WHERE id = ?" },
	{ "holiday_years", "SELECT year AS id, provisional, source, version FROM holiday_years "
			   "WHERE year = ?" },
	{ "products", "SELECT id, product_line_code, name, spec, registration_no, "
		      "registration_expiry, device_class, list_price_fen, active, version FROM "
		      "products WHERE id = ?" },
	{ "competitors", "SELECT id, name, origin, notes, active, version FROM competitors WHERE "
			 "id = ?" },
	{ "pipeline_stages", "SELECT id, code, name_zh, name_en, position, probability, requires, "
			     "version FROM pipeline_stages WHERE id = ?" },
	{ "leads", "SELECT id, source, source_detail, institution_id, new_institution_name, "
		   "department_id, contact_id, contact_name, product_line_code, need, "
		   "estimated_value_fen, owner_id, status, checklist_json, reject_reason, "
		   "opportunity_id, version FROM leads WHERE id = ?" },
	{ "lead_source_costs", "SELECT id, source, source_detail, spent_on, cost_fen, notes, "
			       "owner_id, version FROM lead_source_costs WHERE id = ?" },
	{ "opportunities", "SELECT id, name, institution_id, department_id, owner_id, "
			   "product_line_code, amount_fen, expected_close_date, stage_code, "
			   "probability, lost_reason, won_competitor_id, is_project, "
			   "project_owner_id, version FROM opportunities WHERE id = ?" },
	{ "tenders",
	  "SELECT id, opportunity_id, institution_id, owner_id, project_name, "
	  "project_no, budget_fen, method, agency, intent_notice, announcement, doc_from, "
	  "doc_to, clarification, bid_deadline, opening, evaluation, award_notice, "
	  "challenge_deadline, contract_deadline, our_price_fen, bid_bond_fen, result, "
	  "winning_price_fen, winner, version FROM tenders WHERE id = ?" },
	{ "tender_checklist", "SELECT id, tender_id, item, owner_id, due_date, status, notes, "
			      "version FROM tender_checklist WHERE id = ?" },
	{ "buying_center", "SELECT id, opportunity_id, contact_id, decision_role, influence, "
			   "stance, relationship_owner_id, last_contact, notes, version FROM "
			   "buying_center WHERE id = ?" },
	{ "project_tasks", "SELECT id, opportunity_id, milestone, title, owner_id, due_date, "
			   "status, done_on, version FROM project_tasks WHERE id = ?" },
	{ "institutions",
	  "SELECT id, name, aliases, province_code, city, district, address, latitude, longitude, "
	  "level, class, ownership, type, beds, annual_outpatients, is_teaching, network, "
	  "network_role, segment_code, status, budget_fen, installed_units, relationship, "
	  "grade_override, grade_override_reason, version FROM institutions WHERE id = ?" },
	{ "coverage",
	  "SELECT id, institution_id, user_id, role, valid_from, valid_to FROM coverage "
	  "WHERE id = ?" },
	{ "departments",
	  "SELECT id, institution_id, name, category, function, beds, notes, version "
	  "FROM departments WHERE id = ?" },
	{ "contacts",
	  "SELECT id, institution_id, department_id, name, gender, title, position, decision_role, "
	  "influence, stance, kol_tier, kol_speciality, kol_posts, kol_engagements, mobile, email, "
	  "wechat, consent_date, is_public_official, version FROM contacts WHERE id = ?" },
	{ "needs",
	  "SELECT id, institution_id, department_id, product_line_code, need, pain_points, "
	  "current_solution, current_age_years, volume, budget_fen, budget_cycle, "
	  "decision_by, status, version FROM needs WHERE id = ?" },
	{ "visits",
	  "SELECT v.id, v.owner_id, v.institution_id, v.department_id, v.type, v.status, "
	  "v.visit_date, v.planned_start_at, v.was_planned, v.objective, v.co_visitor_id, "
	  "v.check_in_at, v.check_in_lat, v.check_in_lon, v.check_in_accuracy_m, v.check_out_at, "
	  "v.check_out_lat, v.check_out_lon, v.distance_m, v.location_status, v.location_reason, "
	  "v.location_note, v.steps_json, v.needs_json, v.products_json, v.outcome, v.next_step, "
	  "v.next_step_date, v.logged_at, v.cancel_reason, v.opportunity_id, v.version, (SELECT "
	  "group_concat(vc.contact_id) FROM visit_contacts vc WHERE vc.visit_id = v.id) AS "
	  "contact_ids FROM visits v WHERE v.id = ?" },
	{ "visit_comments", "SELECT id, visit_id, author_id, rep_id, comment, scores_json "
			    "FROM visit_comments WHERE id = ?" },
	{ "tasks", "SELECT id, owner_id, due_date, title, visit_id, institution_id, status, "
		   "version FROM tasks WHERE id = ?" },
	{ "calendar_tokens", "SELECT user_id AS id, created_at FROM calendar_tokens "
			     "WHERE user_id = ?" },
};

enum ms_err store_audit_snapshot(struct store *st, const char *entity, int64_t id, json_t **out,
				 struct ms_error *e)
{
	*out = NULL;
	for (size_t i = 0; i < sizeof(snapshots) / sizeof(snapshots[0]); i++) {
		if (!strcmp(snapshots[i].entity, entity)) {
			enum ms_err err = db_row_by_id(st, snapshots[i].sql, id, out, NULL);
			if (err == MS_ENOTFOUND)
				return MS_OK;
			if (err)
				return ms_fail(e, MS_EDB, "internal", "", "storage error");
			return MS_OK;
		}
	}
	log_error("store: no audit snapshot for '%s'", entity);
	return ms_fail(e, MS_EDB, "internal", "", "storage error");
}

static char *dump(json_t *v)
{
	return v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

enum ms_err store_audit_append(struct store *st, const struct scope *who, const char *action,
			       const char *entity, int64_t entity_id, json_t *before, json_t *after,
			       struct ms_error *e)
{
	struct audit_entry en;
	char prev[HASH_HEX_LEN + 1], hash[HASH_HEX_LEN + 1];
	char *b = dump(before), *a = dump(after);
	sqlite3_stmt *s;
	struct qb q;
	enum ms_err err;
	int rc;

	qb_init(&q, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	s = db_prepare(st, &q, e);
	if (!s) {
		err = e ? e->err : MS_EDB;
		goto out;
	}
	en.id = 1;
	memcpy(prev, AUDIT_GENESIS, sizeof(prev));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		en.id = sqlite3_column_int64(s, 0) + 1;
		db_copy_text(s, 1, prev, sizeof(prev));
	} else if (rc != SQLITE_DONE) {
		err = db_error(st, rc, e);
		db_done(st, s);
		goto out;
	}
	db_done(st, s);
	qb_release(&q);

	en.at = date_now();
	en.user_id = who->user_id;
	en.username = who->username ? who->username : "";
	en.action = action;
	en.entity = entity;
	en.entity_id = entity_id;
	en.before = b ? b : "";
	en.after = a ? a : "";
	audit_hash(prev, &en, hash);

	qb_init(&q, "INSERT INTO audit_log (id, at, user_id, username, action, entity, entity_id, "
		    "before_json, after_json, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
	qb_int(&q, en.id);
	qb_int(&q, en.at);
	qb_int(&q, en.user_id);
	qb_text(&q, en.username);
	qb_text(&q, action);
	qb_text(&q, entity);
	qb_int(&q, entity_id);
	qb_text(&q, en.before);
	qb_text(&q, en.after);
	qb_text(&q, prev);
	qb_text(&q, hash);
	err = db_exec(st, &q, e);
out:
	qb_release(&q);
	free(b);
	free(a);
	return err;
}

static enum ms_err write_audited(struct store *st, const struct scope *who, const char *action,
				 const char *entity, int64_t *id, struct qb *q, struct ms_error *e)
{
	int creating = !strcmp(action, "create");
	json_t *before = NULL, *after = NULL;
	enum ms_err err;

	if (!creating && (err = store_audit_snapshot(st, entity, *id, &before, e)))
		goto out;
	if ((err = db_exec(st, q, e)))
		goto out;
	if (db_changes(st) == 0) {
		err = ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such record");
		goto out;
	}
	if (creating)
		*id = db_last_id(st);
	if (strcmp(action, "delete") && (err = store_audit_snapshot(st, entity, *id, &after, e)))
		goto out;
	err = store_audit_append(st, who, action, entity, *id, before, after, e);
out:
	json_decref(before);
	json_decref(after);
	return err;
}

enum ms_err db_exec_audited(struct store *st, const struct scope *who, const char *action,
			    const char *entity, int64_t id, struct qb *q, struct ms_error *e)
{
	return write_audited(st, who, action, entity, &id, q, e);
}

enum ms_err db_insert_audited(struct store *st, const struct scope *who, const char *entity,
			      struct qb *q, int64_t *id, struct ms_error *e)
{
	*id = 0;
	return write_audited(st, who, "create", entity, id, q, e);
}

/* Only the filters given reach the SQL, so that each can use its index
 * (entity and id, user, time) instead of a scan of the whole log. */
static void audit_where(struct qb *q, const struct audit_filter *f)
{
	qb_sql(q, " WHERE 1");
	qb_and_text(q, " AND entity = ?", f->entity);
	qb_and_int(q, " AND entity_id = ?", f->entity_id);
	qb_and_int(q, " AND user_id = ?", f->user_id);
	qb_and_text(q, " AND action = ?", f->action);
	if (f->hide_sessions)
		qb_sql(q, " AND action NOT IN ('login', 'logout')");
	qb_and_int(q, " AND at >= ?", f->from);
	qb_and_int(q, " AND at < ?", f->to);
}

/* What a compliance officer reads for an id or a code of a snapshot: a
 * name (one "label" column), or for a code its two names. */
#define USER_LABEL "SELECT display_name AS label FROM users WHERE id = ?"
static const struct {
	const char *field, *sql;
} id_labels[] = {
	{ "owner_id", USER_LABEL },
	{ "user_id", USER_LABEL },
	{ "project_owner_id", USER_LABEL },
	{ "relationship_owner_id", USER_LABEL },
	{ "author_id", USER_LABEL },
	{ "rep_id", USER_LABEL },
	{ "co_visitor_id", USER_LABEL },
	{ "institution_id", "SELECT name AS label FROM institutions WHERE id = ?" },
	{ "department_id", "SELECT name AS label FROM departments WHERE id = ?" },
	{ "contact_id", "SELECT name AS label FROM contacts WHERE id = ?" },
	{ "opportunity_id", "SELECT name AS label FROM opportunities WHERE id = ?" },
	{ "won_competitor_id", "SELECT name AS label FROM competitors WHERE id = ?" },
	{ "unit_id", "SELECT name_zh AS zh, name_en AS en FROM org_unit_versions WHERE unit_id = "
		     "? AND valid_to IS NULL" },
	{ "parent_id", "SELECT name_zh AS zh, name_en AS en FROM org_unit_versions WHERE unit_id "
		       "= ? AND valid_to IS NULL" },
};
#define REF_LABEL "SELECT name_zh AS zh, name_en AS en FROM ref_items WHERE kind = ? AND code = ?"
static const struct {
	const char *field, *kind, *sql; /* kind NULL: the sql binds the code alone */
} code_labels[] = {
	{ "product_line_code", "product_lines", REF_LABEL },
	{ "segment_code", "segments", REF_LABEL },
	{ "province_code", "provinces", REF_LABEL },
	{ "stage_code", NULL,
	  "SELECT name_zh AS zh, name_en AS en FROM pipeline_stages WHERE code = ?" },
};
/* The record an entry is about, by entity (one "label" column). */
static const struct {
	const char *entity, *sql;
} record_labels[] = {
	{ "users", USER_LABEL },
	{ "institutions", "SELECT name AS label FROM institutions WHERE id = ?" },
	{ "departments", "SELECT d.name || ' · ' || i.name AS label FROM departments d JOIN "
			 "institutions i ON i.id = d.institution_id WHERE d.id = ?" },
	{ "contacts", "SELECT c.name || ' · ' || i.name AS label FROM contacts c JOIN institutions "
		      "i ON i.id = c.institution_id WHERE c.id = ?" },
	{ "opportunities", "SELECT name AS label FROM opportunities WHERE id = ?" },
	{ "tenders", "SELECT project_name AS label FROM tenders WHERE id = ?" },
	{ "products", "SELECT name AS label FROM products WHERE id = ?" },
	{ "competitors", "SELECT name AS label FROM competitors WHERE id = ?" },
	{ "visits", "SELECT i.name || ' · ' || v.visit_date AS label FROM visits v JOIN "
		    "institutions i ON i.id = v.institution_id WHERE v.id = ?" },
	{ "needs", "SELECT i.name || ' · ' || n.product_line_code AS label FROM needs n JOIN "
		   "institutions i ON i.id = n.institution_id WHERE n.id = ?" },
	{ "tasks", "SELECT title AS label FROM tasks WHERE id = ?" },
	{ "project_tasks", "SELECT title AS label FROM project_tasks WHERE id = ?" },
};

/* A label row as a string, or {"zh", "en"}; NULL when not found. */
static json_t *label_of(struct store *st, const char *sql, int64_t id)
{
	json_t *row = NULL, *out = NULL;
	if (db_row_by_id(st, sql, id, &row, NULL) != MS_OK)
		return NULL;
	if (json_object_get(row, "label"))
		out = json_incref(json_object_get(row, "label"));
	else
		out = json_pack("{s:O, s:O}", "zh", json_object_get(row, "zh"), "en",
				json_object_get(row, "en"));
	json_decref(row);
	return out;
}

static json_t *code_label(struct store *st, const char *sql, const char *kind, const char *code)
{
	json_t *row = NULL, *out;
	struct qb q;
	qb_init(&q, sql);
	if (kind)
		qb_text(&q, kind);
	qb_text(&q, code);
	if (db_row(st, &q, &row, NULL) != MS_OK) {
		qb_release(&q);
		return NULL;
	}
	qb_release(&q);
	out = json_incref(row);
	json_decref(row);
	return out;
}

/* Adds to one snapshot's labels (field -> value -> label). */
static void label_snapshot(struct store *st, json_t *snap, json_t *labels)
{
	const char *key;
	json_t *v;
	if (!json_is_object(snap))
		return;
	json_object_foreach(snap, key, v)
	{
		json_t *l = NULL, *byval;
		char val[96];
		for (size_t i = 0; i < sizeof(id_labels) / sizeof(id_labels[0]); i++)
			if (json_is_integer(v) && !strcmp(key, id_labels[i].field)) {
				snprintf(val, sizeof(val), "%" JSON_INTEGER_FORMAT,
					 json_integer_value(v));
				l = label_of(st, id_labels[i].sql, json_integer_value(v));
			}
		for (size_t i = 0; i < sizeof(code_labels) / sizeof(code_labels[0]); i++)
			if (json_is_string(v) && !strcmp(key, code_labels[i].field)) {
				snprintf(val, sizeof(val), "%s", json_string_value(v));
				l = code_label(st, code_labels[i].sql, code_labels[i].kind,
					       json_string_value(v));
			}
		if (!l)
			continue;
		byval = json_object_get(labels, key);
		if (!byval) {
			byval = json_object();
			json_object_set_new(labels, key, byval);
		}
		json_object_set_new(byval, val, l);
	}
}

/* Each entry of a page gets "record_name" (the record it is about, now) and
 * "labels": the names of the ids and codes of its snapshots. */
static void label_entries(struct store *st, json_t *items)
{
	json_t *it;
	size_t k;
	json_array_foreach(items, k, it)
	{
		json_t *labels = json_object(), *name = NULL;
		const char *entity = json_string_value(json_object_get(it, "entity"));
		json_int_t id = json_integer_value(json_object_get(it, "entity_id"));
		label_snapshot(st, json_object_get(it, "before"), labels);
		label_snapshot(st, json_object_get(it, "after"), labels);
		json_object_set_new(it, "labels", labels);
		for (size_t i = 0;
		     entity && id && i < sizeof(record_labels) / sizeof(record_labels[0]); i++)
			if (!strcmp(entity, record_labels[i].entity))
				name = label_of(st, record_labels[i].sql, id);
		json_object_set_new(it, "record_name", name ? name : json_null());
	}
}

enum ms_err store_audit_list(struct store *st, const struct scope *s, const struct audit_filter *f,
			     const struct page *pg, json_t **out, struct ms_error *e)
{
	static const struct sort_key keys[] = { { "id", "id DESC", "id ASC" },
						{ NULL, NULL, NULL } };
	json_t *items = NULL;
	int64_t total = 0;
	enum ms_err err;
	struct qb q;

	(void)s; /* the route allows admin and compliance only, who see all */
	qb_init(&q, "SELECT count(*) FROM audit_log");
	audit_where(&q, f);
	err = db_int(st, &q, &total, e);
	qb_release(&q);
	if (err)
		return err;
	/* The page's ids first, from the filter's index alone (its entries
	 * carry the id): the entries themselves, with their snapshots, are read
	 * only for the page, not for every match the order passes over. */
	qb_init(&q, "SELECT id, at, user_id, username, action, entity, entity_id, before_json, "
		    "after_json, hash FROM audit_log WHERE id IN (SELECT id FROM audit_log");
	audit_where(&q, f);
	if (!(err = qb_order_page(&q, keys, pg, e))) {
		qb_sql(&q, pg->sort && !strcmp(pg->sort, "-id") ? ") ORDER BY id ASC"
								: ") ORDER BY id DESC");
		err = db_rows(st, &q, &items, e);
	}
	qb_release(&q);
	if (err)
		return err;
	label_entries(st, items);
	*out = store_list_result(items, total, pg);
	return MS_OK;
}

enum ms_err store_audit_verify(struct store *st, int64_t *checked, int64_t *broken_id,
			       struct ms_error *e)
{
	char prev[HASH_HEX_LEN + 1], hash[HASH_HEX_LEN + 1], stored[HASH_HEX_LEN + 1],
		stored_prev[HASH_HEX_LEN + 1];
	sqlite3_stmt *s;
	struct qb q;
	int rc;

	*checked = 0;
	*broken_id = 0;
	memcpy(prev, AUDIT_GENESIS, sizeof(prev));
	qb_init(&q, "SELECT id, at, user_id, username, action, entity, entity_id, before_json, "
		    "after_json, prev_hash, hash FROM audit_log ORDER BY id");
	s = db_prepare(st, &q, e);
	qb_release(&q);
	if (!s)
		return e ? e->err : MS_EDB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct audit_entry en;
		en.id = sqlite3_column_int64(s, 0);
		en.at = sqlite3_column_int64(s, 1);
		en.user_id = sqlite3_column_int64(s, 2);
		en.username = (const char *)sqlite3_column_text(s, 3);
		en.action = (const char *)sqlite3_column_text(s, 4);
		en.entity = (const char *)sqlite3_column_text(s, 5);
		en.entity_id = sqlite3_column_int64(s, 6);
		en.before = (const char *)sqlite3_column_text(s, 7);
		en.after = (const char *)sqlite3_column_text(s, 8);
		db_copy_text(s, 9, stored_prev, sizeof(stored_prev));
		db_copy_text(s, 10, stored, sizeof(stored));
		audit_hash(prev, &en, hash);
		/* A removed entry shows as a gap in ids or a prev_hash that is
		 * not the previous entry's hash. */
		if (en.id != *checked + 1 || strcmp(stored_prev, prev) || strcmp(stored, hash)) {
			*broken_id = en.id;
			break;
		}
		memcpy(prev, stored, sizeof(prev));
		(*checked)++;
	}
	db_done(st, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(st, rc, e);
	return MS_OK;
}

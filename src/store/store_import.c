/* store_import.c: look-ups by natural key and the many-row write paths of
 * CSV imports (store_import.h). Every record written gets its audit entry,
 * appended by struct import_audit: the same entry db_insert_audited would
 * write (the snapshot of store_audit.c's list, built from the values
 * written instead of read back; the hash chained to the previous entry,
 * kept in memory instead of re-read for each row). */
#include "store/store_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "domain/audit.h"
#include "store/customer_int.h"
#include "store/db.h"

enum ms_err store_import_models(struct store *st, struct import_models *m, struct ms_error *e)
{
	json_t *v = NULL, *inst, *contact;
	size_t n = 0;
	enum ms_err err;

	if ((err = store_grading_model(st, &m->grading, e)) || (err = completeness_doc(st, &v, e)))
		return err;
	inst = json_object_get(v, "institution");
	contact = json_object_get(v, "contact");
	for (int i = 0; completeness_institution_fields[i] && n < COMPLETENESS_MAX_FIELDS; i++) {
		m->fields[n].name = completeness_institution_fields[i];
		m->fields[n++].weight = (int)json_integer_value(
			json_object_get(inst, completeness_institution_fields[i]));
	}
	for (int i = 0; completeness_contact_fields[i] && n < COMPLETENESS_MAX_FIELDS; i++) {
		m->fields[n].name = completeness_contact_fields[i];
		m->fields[n++].weight = (int)json_integer_value(
			json_object_get(contact, completeness_contact_fields[i]));
	}
	m->nfields = n;
	json_decref(v);
	return MS_OK;
}

void store_import_cache(struct store *st, int big)
{
	struct qb q;

	/* SQLite-specific; a PostgreSQL engine makes this a no-op. Negative
	 * sizes are KiB. */
	qb_init(&q, big ? "PRAGMA cache_size = -262144" : "PRAGMA cache_size = -2000");
	if (db_exec(st, &q, NULL))
		log_warn("store: cannot set the cache size");
	qb_release(&q);
}

int store_import_ref_exists(struct store *st, const char *kind, const char *code)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT 1 FROM ref_items WHERE kind = ? AND code = ? AND active = 1");
	qb_text(&q, kind);
	qb_text(&q, code);
	err = db_int(st, &q, &one, NULL);
	qb_release(&q);
	return err == MS_OK ? 1 : err == MS_ENOTFOUND ? 0 : -1;
}

void store_import_ref_codes(struct store *st, const char *kind, char *buf, size_t size)
{
	json_t *row = NULL;
	const char *codes;
	struct qb q;

	qb_init(&q, "SELECT group_concat(code, ', ') AS codes FROM (SELECT code FROM ref_items "
		    "WHERE kind = ? AND active = 1 ORDER BY code)");
	qb_text(&q, kind);
	codes = db_row(st, &q, &row, NULL) == MS_OK
			? json_string_value(json_object_get(row, "codes"))
			: NULL;
	snprintf(buf, size, "%s", codes ? codes : "(none)");
	json_decref(row);
	qb_release(&q);
}

enum ms_err store_import_user(struct store *st, const struct scope *who, const char *username,
			      int64_t *id, int *assignable, struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	*assignable = 0;
	qb_init(&q, "SELECT id FROM users WHERE username = ?");
	qb_text(&q, username);
	err = db_int(st, &q, id, e);
	qb_release(&q);
	if (err)
		return err;
	qb_init(&q, "SELECT 1 FROM users u WHERE u.id = ? AND u.active = 1 AND u.role IN ('rep', "
		    "'manager')");
	qb_int(&q, *id);
	qb_scope_user(&q, who, "u.unit_id", "u.id");
	err = db_int(st, &q, &one, NULL);
	qb_release(&q);
	if (err == MS_OK)
		*assignable = 1;
	else if (err != MS_ENOTFOUND)
		return ms_fail(e, err, "internal", "", "storage error");
	return MS_OK;
}

static void text_by_id(struct store *st, const char *sql, int64_t id, char *buf, size_t n)
{
	json_t *row = NULL;
	const char *v;

	buf[0] = '\0';
	if (db_row_by_id(st, sql, id, &row, NULL))
		return;
	v = json_string_value(json_object_get(row, "v"));
	if (v)
		snprintf(buf, n, "%s", v);
	json_decref(row);
}

void store_import_username(struct store *st, int64_t id, char *buf, size_t n)
{
	text_by_id(st, "SELECT username AS v FROM users WHERE id = ?", id, buf, n);
}

void store_import_inst_city(struct store *st, int64_t id, char *buf, size_t n)
{
	text_by_id(st, "SELECT city AS v FROM institutions WHERE id = ?", id, buf, n);
}

enum ms_err store_import_dept_id(struct store *st, int64_t inst_id, const char *name, int64_t *id,
				 struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT id FROM departments WHERE institution_id = ? AND name = ?");
	qb_int(&q, inst_id);
	qb_text(&q, name);
	err = db_int(st, &q, id, e);
	qb_release(&q);
	return err;
}

/* ---- the audit chain during an import ---- */

static enum ms_err audit_load(struct store *st, struct import_audit *a, struct ms_error *e)
{
	json_t *row = NULL;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	err = db_row(st, &q, &row, e);
	qb_release(&q);
	a->next_id = 1;
	memcpy(a->prev, AUDIT_GENESIS, sizeof(a->prev));
	if (err == MS_OK) {
		a->next_id = json_integer_value(json_object_get(row, "id")) + 1;
		snprintf(a->prev, sizeof(a->prev), "%s",
			 json_string_value(json_object_get(row, "hash")));
	} else if (err != MS_ENOTFOUND) {
		return err;
	}
	json_decref(row);
	a->loaded = 1;
	return MS_OK;
}

/* Appends the "create" entry of entity id with the snapshot after (stolen),
 * as store_audit_append does. */
static enum ms_err audit_create(struct store *st, struct import_audit *a, const struct scope *who,
				const char *entity, int64_t id, json_t *after, struct ms_error *e)
{
	struct audit_entry en;
	char hash[HASH_HEX_LEN + 1];
	char *text = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct qb q;
	enum ms_err err;

	json_decref(after);
	if (!text)
		return ms_fail(e, MS_EDB, "internal", "", "out of memory");
	if (!a->loaded && (err = audit_load(st, a, e))) {
		free(text);
		return err;
	}
	en.id = a->next_id;
	en.at = date_now();
	en.user_id = who->user_id;
	en.username = who->username ? who->username : "";
	en.action = "create";
	en.entity = entity;
	en.entity_id = id;
	en.before = "";
	en.after = text;
	audit_hash(a->prev, &en, hash);
	qb_init(&q, "INSERT INTO audit_log (id, at, user_id, username, action, entity, entity_id, "
		    "before_json, after_json, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
	qb_int(&q, en.id);
	qb_int(&q, en.at);
	qb_int(&q, en.user_id);
	qb_text(&q, en.username);
	qb_text(&q, en.action);
	qb_text(&q, entity);
	qb_int(&q, id);
	qb_text(&q, en.before);
	qb_text(&q, en.after);
	qb_text(&q, a->prev);
	qb_text(&q, hash);
	err = db_exec(st, &q, e);
	qb_release(&q);
	free(text);
	if (!err) {
		a->next_id++;
		memcpy(a->prev, hash, sizeof(hash));
	}
	return err;
}

/* Runs an INSERT of one row of entity and appends its audit entry. */
static enum ms_err insert_audited(struct store *st, struct import_audit *a, const struct scope *who,
				  const char *entity, struct qb *q, int64_t *id, json_t *after,
				  struct ms_error *e)
{
	enum ms_err err = db_exec(st, q, e);

	if (err) {
		json_decref(after);
		return err;
	}
	*id = db_last_id(st);
	json_object_set_new(after, "id", json_integer(*id));
	return audit_create(st, a, who, entity, *id, after, e);
}

static json_t *opt_int(int64_t v)
{
	return v == UNSET ? json_null() : json_integer(v);
}

static json_t *opt_text(const char *s)
{
	return s ? json_string(s) : json_null();
}

enum ms_err store_import_inst(struct store *st, struct import_audit *a, const struct scope *who,
			      const struct inst_fields *f, int64_t owner_id,
			      const struct grade_result *g, int completeness, int64_t *id,
			      struct ms_error *e)
{
	struct strbuf search = STRBUF_INIT;
	char key[512], today[11], grade[2] = { g->grade, '\0' }, details[GRADE_DETAILS_MAX];
	int64_t now = date_now(), cid;
	json_t *after;
	struct qb q;
	enum ms_err err;

	customer_name_key(f->name, key, sizeof(key));
	strbuf_addf(&search, "%s|%s|", f->name, f->aliases ? f->aliases : "");
	db_lower_ascii(search.buf);
	qb_init(&q, "INSERT INTO institutions (" INST_INSERT_COLUMNS ", grade, grade_score, "
		    "grade_computed, potential_score, completeness, owner_id, created_by, "
		    "created_at, updated_at) VALUES (" INST_INSERT_VALUES
		    ", ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	inst_bind_insert(&q, f, strbuf_str(&search), key);
	qb_text(&q, grade);
	qb_int(&q, g->score);
	qb_text(&q, grade);
	qb_int(&q, g->potential);
	qb_int(&q, completeness);
	qb_opt_int(&q, owner_id);
	qb_int(&q, f->created_by == UNSET ? who->user_id : f->created_by);
	qb_int(&q, f->created_at == UNSET ? now : f->created_at);
	qb_int(&q, now);
	after = json_object();
	json_object_set_new(after, "name", json_string(f->name));
	json_object_set_new(after, "aliases", json_string(f->aliases ? f->aliases : ""));
	json_object_set_new(after, "province_code", json_string(f->province_code));
	json_object_set_new(after, "city", json_string(f->city ? f->city : ""));
	json_object_set_new(after, "district", json_string(f->district ? f->district : ""));
	json_object_set_new(after, "address", json_string(f->address ? f->address : ""));
	json_object_set_new(after, "latitude",
			    f->has_location ? json_real(f->latitude) : json_null());
	json_object_set_new(after, "longitude",
			    f->has_location ? json_real(f->longitude) : json_null());
	json_object_set_new(after, "level", json_string(f->level ? f->level : "UNGRADED"));
	json_object_set_new(after, "class", json_string(f->class_ ? f->class_ : "NONE"));
	json_object_set_new(after, "ownership",
			    json_string(f->ownership ? f->ownership : "PUBLIC"));
	json_object_set_new(after, "type", json_string(f->type ? f->type : "GENERAL"));
	json_object_set_new(after, "beds", opt_int(f->beds));
	json_object_set_new(after, "annual_outpatients", opt_int(f->annual_outpatients));
	json_object_set_new(after, "is_teaching", json_boolean(f->is_teaching > 0));
	json_object_set_new(after, "network", json_string(f->network ? f->network : ""));
	json_object_set_new(after, "network_role",
			    json_string(f->network_role ? f->network_role : "NONE"));
	json_object_set_new(after, "segment_code", opt_text(f->segment_code));
	json_object_set_new(after, "status", json_string(f->status ? f->status : "prospect"));
	json_object_set_new(after, "budget_fen", opt_int(f->budget_fen));
	json_object_set_new(after, "installed_units",
			    json_integer(f->installed_units == UNSET ? 0 : f->installed_units));
	json_object_set_new(after, "relationship", opt_int(f->relationship));
	json_object_set_new(after, "grade_override", json_null());
	json_object_set_new(after, "grade_override_reason", json_string(""));
	json_object_set_new(after, "version", json_integer(1));
	err = insert_audited(st, a, who, "institutions", &q, id, after, e);
	qb_release(&q);
	strbuf_release(&search);
	if (err)
		return err;
	if (owner_id != UNSET) {
		db_today(today);
		qb_init(&q, "INSERT INTO coverage (institution_id, user_id, role, valid_from, "
			    "created_at) VALUES (?, ?, 'primary', ?, ?)");
		qb_int(&q, *id);
		qb_int(&q, owner_id);
		qb_text(&q, today);
		qb_int(&q, now);
		after = json_pack("{s:I, s:I, s:s, s:s, s:n}", "institution_id", (json_int_t)*id,
				  "user_id", (json_int_t)owner_id, "role", "primary", "valid_from",
				  today, "valid_to");
		err = insert_audited(st, a, who, "coverage", &q, &cid, after, e);
		qb_release(&q);
		if (err)
			return err;
	}
	/* History starts with the first computed grade, as for a record made
	 * by hand. */
	if (grade_details_json(g, details, sizeof(details)) < 0)
		details[0] = '\0';
	qb_init(&q, "INSERT INTO grade_history (institution_id, grade, score, source, "
		    "details_json, user_id, created_at) VALUES (?, ?, ?, 'computed', ?, 0, ?)");
	qb_int(&q, *id);
	qb_text(&q, grade);
	qb_int(&q, g->score);
	qb_text(&q, details);
	qb_int(&q, now);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_import_dept(struct store *st, struct import_audit *a, const struct scope *who,
			      int64_t inst_id, const struct dept_fields *f, int64_t *id,
			      struct ms_error *e)
{
	int64_t now = date_now();
	struct qb q;
	enum ms_err err;

	qb_init(&q, "INSERT INTO departments (institution_id, name, category, function, beds, "
		    "notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	qb_int(&q, inst_id);
	qb_text(&q, f->name);
	qb_text(&q, f->category ? f->category : "CLINICAL");
	qb_text(&q, f->function ? f->function : "OTHER");
	qb_opt_int(&q, f->beds);
	qb_text(&q, f->notes ? f->notes : "");
	qb_int(&q, now);
	qb_int(&q, now);
	err = insert_audited(st, a, who, "departments", &q, id,
			     json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:i}", "institution_id",
				       (json_int_t)inst_id, "name", f->name, "category",
				       f->category ? f->category : "CLINICAL", "function",
				       f->function ? f->function : "OTHER", "beds",
				       opt_int(f->beds), "notes", f->notes ? f->notes : "",
				       "version", 1),
			     e);
	qb_release(&q);
	if (err == MS_ECONFLICT)
		return ms_fail(e, MS_ECONFLICT, "duplicate", "name",
			       "the institution already has a department '%s'", f->name);
	return err;
}

enum ms_err store_import_contact(struct store *st, struct import_audit *a, const struct scope *who,
				 const struct contact_fields *f, int64_t *id, struct ms_error *e)
{
	struct strbuf search = STRBUF_INIT;
	char mkey[32];
	int64_t now = date_now(), influence = f->influence == UNSET ? 3 : f->influence;
	const char *role = f->decision_role ? f->decision_role : "USER";
	json_t *after;
	struct qb q;
	enum ms_err err;

	customer_mobile_key(f->mobile ? f->mobile : "", mkey, sizeof(mkey));
	strbuf_addf(&search, "%s|%s|%s|%s", f->name, f->title ? f->title : "",
		    f->position ? f->position : "", f->kol_speciality ? f->kol_speciality : "");
	db_lower_ascii(search.buf);
	qb_init(&q, "INSERT INTO contacts (" CONTACT_INSERT_COLUMNS ", created_by, created_at, "
		    "updated_at) VALUES (" CONTACT_INSERT_VALUES ", ?, ?, ?)");
	contact_bind_insert(&q, f, role, influence, mkey, strbuf_str(&search));
	qb_int(&q, f->created_by == UNSET ? who->user_id : f->created_by);
	qb_int(&q, f->created_at == UNSET ? now : f->created_at);
	qb_int(&q, now);
	after = json_object();
	json_object_set_new(after, "institution_id", json_integer(f->institution_id));
	json_object_set_new(after, "department_id",
			    opt_int(f->department_id == 0 ? UNSET : f->department_id));
	json_object_set_new(after, "name", json_string(f->name));
	json_object_set_new(after, "gender", json_string(f->gender ? f->gender : ""));
	json_object_set_new(after, "title", json_string(f->title ? f->title : ""));
	json_object_set_new(after, "position", json_string(f->position ? f->position : ""));
	json_object_set_new(after, "decision_role", json_string(role));
	json_object_set_new(after, "influence", json_integer(influence));
	json_object_set_new(after, "stance", json_string(f->stance ? f->stance : "neutral"));
	json_object_set_new(after, "kol_tier", json_string(f->kol_tier ? f->kol_tier : "none"));
	json_object_set_new(after, "kol_speciality",
			    json_string(f->kol_speciality ? f->kol_speciality : ""));
	json_object_set_new(after, "kol_posts", json_string(""));
	json_object_set_new(after, "kol_engagements", json_string(""));
	json_object_set_new(after, "mobile", json_string(f->mobile ? f->mobile : ""));
	json_object_set_new(after, "email", json_string(f->email ? f->email : ""));
	json_object_set_new(after, "wechat", json_string(f->wechat ? f->wechat : ""));
	json_object_set_new(after, "consent_date", opt_text(f->consent_date));
	json_object_set_new(after, "is_public_official", json_boolean(f->is_public_official > 0));
	json_object_set_new(after, "version", json_integer(1));
	err = insert_audited(st, a, who, "contacts", &q, id, after, e);
	qb_release(&q);
	strbuf_release(&search);
	return err;
}

/* store_import.c: look-ups by natural key and the many-row write paths of
 * CSV imports (store_import.h). Writes go through db_insert_audited like
 * every other write, so the audit log records every imported record. */
#include "store/store_import.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "store/db.h"

enum ms_err store_import_models(struct store *st, struct import_models *m, struct ms_error *e)
{
	json_t *v = NULL, *inst, *contact;
	int64_t version;
	size_t n = 0;

	store_grading_model(st, &m->grading);
	if (store_settings_get(st, "completeness", &v, &version, NULL) != MS_OK ||
	    completeness_check_json(v, NULL) != MS_OK) {
		json_decref(v);
		v = completeness_default_json();
	}
	if (!v)
		return ms_fail(e, MS_EDB, "internal", "", "out of memory");
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
	struct qb q;
	sqlite3_stmt *s;

	buf[0] = '\0';
	qb_init(&q, sql);
	qb_int(&q, id);
	s = db_prepare(st, &q, NULL);
	qb_release(&q);
	if (!s)
		return;
	if (sqlite3_step(s) == SQLITE_ROW)
		db_copy_text(s, 0, buf, n);
	db_done(st, s);
}

void store_import_username(struct store *st, int64_t id, char *buf, size_t n)
{
	text_by_id(st, "SELECT username FROM users WHERE id = ?", id, buf, n);
}

void store_import_inst_city(struct store *st, int64_t id, char *buf, size_t n)
{
	text_by_id(st, "SELECT city FROM institutions WHERE id = ?", id, buf, n);
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

static void bind_opt(struct qb *q, int64_t v)
{
	if (v == UNSET)
		qb_null(q);
	else
		qb_int(q, v);
}

/* The explanation stored with a grade history entry; the same document as
 * store_customer.c's. */
static char *grade_details_text(const struct grade_result *g)
{
	json_t *d = json_pack("{s:{s:i, s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i, s:i, s:i}, "
			      "s:{s:i, s:i, s:i, s:i, s:i}, s:i, s:s%}",
			      "potential", "score", g->potential, "level", g->p_level, "beds",
			      g->p_beds, "budget", g->p_budget, "installed", g->p_installed,
			      "willingness", "score", g->willingness, "supporters", g->w_supporters,
			      "opponents", g->w_opponents, "relationship", g->w_relationship,
			      "history", g->w_history, "influence", "score", g->influence, "hub",
			      g->i_hub, "teaching", g->i_teaching, "kol", g->i_kol, "network",
			      g->i_network, "score", g->score, "grade", &g->grade, (size_t)1);
	char *text = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(d);
	return text;
}

enum ms_err store_import_inst(struct store *st, const struct scope *who,
			      const struct inst_fields *f, int64_t owner_id,
			      const struct grade_result *g, int completeness, int64_t *id,
			      struct ms_error *e)
{
	struct strbuf search = STRBUF_INIT;
	char key[512], today[11], grade[2] = { g->grade, '\0' };
	int64_t now = date_now(), cid;
	char *details = NULL;
	struct qb q;
	enum ms_err err;

	customer_name_key(f->name, key, sizeof(key));
	strbuf_addf(&search, "%s|%s|", f->name, f->aliases ? f->aliases : "");
	db_lower_ascii(search.buf);
	qb_init(&q,
		"INSERT INTO institutions (name, aliases, search_text, name_key, "
		"province_code, city, district, address, latitude, longitude, level, class, "
		"ownership, type, beds, annual_outpatients, is_teaching, network, network_role, "
		"segment_code, status, budget_fen, installed_units, relationship, grade, "
		"grade_score, grade_computed, potential_score, completeness, owner_id, created_by, "
		"created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	qb_text(&q, f->name);
	qb_text(&q, f->aliases ? f->aliases : "");
	qb_text(&q, strbuf_str(&search));
	qb_text(&q, key);
	qb_text(&q, f->province_code);
	qb_text(&q, f->city ? f->city : "");
	qb_text(&q, f->district ? f->district : "");
	qb_text(&q, f->address ? f->address : "");
	if (f->has_location) {
		qb_real(&q, f->latitude);
		qb_real(&q, f->longitude);
	} else {
		qb_null(&q);
		qb_null(&q);
	}
	qb_text(&q, f->level ? f->level : "UNGRADED");
	qb_text(&q, f->class_ ? f->class_ : "NONE");
	qb_text(&q, f->ownership ? f->ownership : "PUBLIC");
	qb_text(&q, f->type ? f->type : "GENERAL");
	bind_opt(&q, f->beds);
	bind_opt(&q, f->annual_outpatients);
	qb_int(&q, f->is_teaching > 0);
	qb_text(&q, f->network ? f->network : "");
	qb_text(&q, f->network_role ? f->network_role : "NONE");
	qb_text(&q, f->segment_code);
	qb_text(&q, f->status ? f->status : "prospect");
	bind_opt(&q, f->budget_fen);
	qb_int(&q, f->installed_units == UNSET ? 0 : f->installed_units);
	bind_opt(&q, f->relationship);
	qb_text(&q, grade);
	qb_int(&q, g->score);
	qb_text(&q, grade);
	qb_int(&q, g->potential);
	qb_int(&q, completeness);
	bind_opt(&q, owner_id);
	qb_int(&q, f->created_by == UNSET ? who->user_id : f->created_by);
	qb_int(&q, f->created_at == UNSET ? now : f->created_at);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "institutions", &q, id, e);
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
		err = db_insert_audited(st, who, "coverage", &q, &cid, e);
		qb_release(&q);
		if (err)
			return err;
	}
	/* History starts with the first computed grade, as for a record made
	 * by hand. */
	details = grade_details_text(g);
	qb_init(&q, "INSERT INTO grade_history (institution_id, grade, score, source, "
		    "details_json, user_id, created_at) VALUES (?, ?, ?, 'computed', ?, 0, ?)");
	qb_int(&q, *id);
	qb_text(&q, grade);
	qb_int(&q, g->score);
	qb_text(&q, details ? details : "");
	qb_int(&q, now);
	err = db_exec(st, &q, e);
	qb_release(&q);
	free(details);
	return err;
}

enum ms_err store_import_dept(struct store *st, const struct scope *who, int64_t inst_id,
			      const struct dept_fields *f, int64_t *id, struct ms_error *e)
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
	bind_opt(&q, f->beds);
	qb_text(&q, f->notes ? f->notes : "");
	qb_int(&q, now);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "departments", &q, id, e);
	qb_release(&q);
	if (err == MS_ECONFLICT)
		return ms_fail(e, MS_ECONFLICT, "duplicate", "name",
			       "the institution already has a department '%s'", f->name);
	return err;
}

enum ms_err store_import_contact(struct store *st, const struct scope *who,
				 const struct contact_fields *f, int64_t *id, struct ms_error *e)
{
	struct strbuf search = STRBUF_INIT;
	char mkey[32];
	int64_t now = date_now(), influence = f->influence == UNSET ? 3 : f->influence;
	const char *role = f->decision_role ? f->decision_role : "USER";
	struct qb q;
	enum ms_err err;

	customer_mobile_key(f->mobile ? f->mobile : "", mkey, sizeof(mkey));
	strbuf_addf(&search, "%s|%s|%s|%s", f->name, f->title ? f->title : "",
		    f->position ? f->position : "", f->kol_speciality ? f->kol_speciality : "");
	db_lower_ascii(search.buf);
	qb_init(&q,
		"INSERT INTO contacts (institution_id, department_id, name, gender, title, "
		"position, decision_role, influence, stance, kol_tier, kol_speciality, "
		"kol_posts, kol_engagements, mobile, mobile_key, email, wechat, consent_date, "
		"is_public_official, is_key, search_text, created_by, created_at, updated_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	qb_int(&q, f->institution_id);
	bind_opt(&q, f->department_id == 0 ? UNSET : f->department_id);
	qb_text(&q, f->name);
	qb_text(&q, f->gender ? f->gender : "");
	qb_text(&q, f->title ? f->title : "");
	qb_text(&q, f->position ? f->position : "");
	qb_text(&q, role);
	qb_int(&q, influence);
	qb_text(&q, f->stance ? f->stance : "neutral");
	qb_text(&q, f->kol_tier ? f->kol_tier : "none");
	qb_text(&q, f->kol_speciality ? f->kol_speciality : "");
	qb_text(&q, f->mobile ? f->mobile : "");
	qb_text(&q, mkey);
	qb_text(&q, f->email ? f->email : "");
	qb_text(&q, f->wechat ? f->wechat : "");
	qb_text(&q, f->consent_date);
	qb_int(&q, f->is_public_official > 0);
	qb_int(&q, contact_is_key(role, influence));
	qb_text(&q, strbuf_str(&search));
	qb_int(&q, f->created_by == UNSET ? who->user_id : f->created_by);
	qb_int(&q, f->created_at == UNSET ? now : f->created_at);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "contacts", &q, id, e);
	qb_release(&q);
	strbuf_release(&search);
	return err;
}

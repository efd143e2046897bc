/* store_contact.c: departments, contacts and the needs file of an
 * institution, in SQL. Each follows its institution's visibility, and each
 * write recomputes the institution's grade and completeness. */
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "store/customer_int.h"
#include "store/db.h"
#include "store/store_customer.h"
#include "store/store_visit.h"

void contact_fields_init(struct contact_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->institution_id = f->department_id = f->influence = UNSET;
	f->is_public_official = -1;
	f->created_by = f->created_at = UNSET;
}

void contact_fields_set_values(struct contact_fields *f, const struct contact_values *v)
{
	f->name = v->name;
	f->gender = v->gender;
	f->title = v->title;
	f->position = v->position;
	f->decision_role = v->decision_role;
	f->stance = v->stance;
	f->kol_tier = v->kol_tier;
	f->kol_speciality = v->kol_speciality;
	f->kol_posts = v->kol_posts;
	f->kol_engagements = v->kol_engagements;
	f->mobile = v->mobile;
	f->email = v->email;
	f->wechat = v->wechat;
	f->consent_date = v->consent_date;
	f->influence = v->influence == CONTACT_UNSET ? UNSET : v->influence;
}

void need_fields_init(struct need_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->institution_id = f->department_id = f->current_age_years = f->budget_fen = UNSET;
}

/* The department must belong to the institution. */
static enum ms_err check_dept(struct store *st, int64_t inst_id, int64_t dept_id,
			      struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	if (dept_id == UNSET || dept_id == 0)
		return MS_OK;
	qb_init(&q, "SELECT 1 FROM departments WHERE id = ? AND institution_id = ?");
	qb_int(&q, dept_id);
	qb_int(&q, inst_id);
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_EINVAL, "invalid", "department_id",
			       "department %lld is not a department of this institution",
			       (long long)dept_id);
	if (err)
		return err;
	return MS_OK;
}

static enum ms_err check_product_line(struct store *st, const char *code, struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	if (!code)
		return MS_OK;
	qb_init(&q, "SELECT 1 FROM ref_items WHERE kind = 'product_lines' AND code = ? AND "
		    "active = 1");
	qb_text(&q, code);
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_EINVAL, "invalid", "product_line_code",
			       "no active product line '%s'", code);
	return err;
}

static int64_t inst_of(struct store *st, const char *sql, int64_t id)
{
	int64_t inst = 0;
	struct qb q;
	qb_init(&q, sql);
	qb_int(&q, id);
	if (db_int(st, &q, &inst, NULL))
		inst = 0;
	qb_release(&q);
	return inst;
}

/* ---- departments ---- */

#define DEPT_COLUMNS                                                                               \
	"SELECT d.id, d.institution_id, d.name, d.category, d.function, d.beds, d.notes, "         \
	"(SELECT count(*) FROM contacts c WHERE c.department_id = d.id) AS contacts, "             \
	"d.created_at, d.updated_at, d.version FROM departments d WHERE 1 = 1"

enum ms_err store_dept_create(struct store *st, const struct scope *who, int64_t inst_id,
			      const struct dept_fields *f, int64_t *id, struct ms_error *e)
{
	int64_t now = date_now();
	struct qb q;
	enum ms_err err;

	if ((err = store_inst_visible(st, who, inst_id, e)))
		return err;
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
	err = db_insert_audited(st, who, "departments", &q, id, e);
	qb_release(&q);
	if (err == MS_ECONFLICT)
		return ms_fail(e, MS_ECONFLICT, "duplicate", "name",
			       "the institution already has a department '%s'", f->name);
	if (err)
		return err;
	return store_inst_recompute(st, inst_id, e);
}

enum ms_err store_dept_update(struct store *st, const struct scope *who, int64_t id,
			      int64_t version, const struct dept_fields *f, struct ms_error *e)
{
	int64_t inst = inst_of(st, "SELECT institution_id FROM departments WHERE id = ?", id);
	struct qb q;

	if (!inst || store_inst_visible(st, who, inst, NULL))
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such department");
	qb_init(&q, "UPDATE departments SET name = COALESCE(?, name), category = COALESCE(?, "
		    "category), function = COALESCE(?, function), beds = COALESCE(?, beds), "
		    "notes = COALESCE(?, notes), updated_at = ?, version = version + 1 "
		    "WHERE id = ? AND version = ?");
	qb_text(&q, f->name);
	qb_text(&q, f->category);
	qb_text(&q, f->function);
	qb_opt_int(&q, f->beds);
	qb_text(&q, f->notes);
	qb_int(&q, date_now());
	return db_update_versioned(st, who, "departments", id, version, &q, "name",
				   "the institution already has a department of that name", e);
}

enum ms_err store_dept_list(struct store *st, const struct scope *s, int64_t inst_id, json_t **out,
			    struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	if ((err = store_inst_visible(st, s, inst_id, e)))
		return err;
	qb_init(&q, DEPT_COLUMNS " AND d.institution_id = ? ORDER BY d.category, d.name");
	qb_int(&q, inst_id);
	err = db_rows(st, &q, out, e);
	qb_release(&q);
	return err;
}

enum ms_err store_dept_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			   struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, DEPT_COLUMNS " AND d.id = ?");
	qb_int(&q, id);
	qb_scope_inst(&q, s, "d.institution_id");
	err = db_row(st, &q, out, e);
	qb_release(&q);
	return err;
}

/* ---- contacts ---- */

#define CONTACT_COLUMNS                                                                            \
	"SELECT c.id, c.institution_id, i.name AS institution_name, c.department_id, "             \
	"d.name AS department_name, c.name, c.gender, c.title, c.position, c.decision_role, "      \
	"c.influence, c.stance, c.kol_tier, c.kol_speciality, c.kol_posts, c.kol_engagements, "    \
	"c.mobile, c.email, c.wechat, c.consent_date, c.is_public_official, c.is_key, "            \
	"c.created_by, c.created_at, c.updated_at, c.version FROM contacts c JOIN institutions "   \
	"i ON i.id = c.institution_id LEFT JOIN departments d ON d.id = c.department_id "          \
	"WHERE 1 = 1"

enum ms_err store_contact_find_mobile(struct store *st, const char *mobile, int64_t except_id,
				      int64_t *dup_id, struct ms_error *e)
{
	char key[32];
	struct qb q;
	enum ms_err err;

	customer_mobile_key(mobile, key, sizeof(key));
	if (!*key)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no mobile number");
	qb_init(&q, "SELECT id FROM contacts WHERE mobile_key = ? AND id <> ? ORDER BY id LIMIT 1");
	qb_text(&q, key);
	qb_int(&q, except_id);
	err = db_int(st, &q, dup_id, e);
	qb_release(&q);
	return err;
}

static void contact_search(struct strbuf *sb, const char *name, const char *title,
			   const char *position, const char *speciality)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s|%s|%s|%s", name ? name : "", title ? title : "",
		    position ? position : "", speciality ? speciality : "");
	db_lower_ascii(sb->buf);
}

/* The 409 for a mobile number contact dup already has. It names the other
 * contact only when the caller may see it: a message naming records outside
 * the scope would make the check an oracle over the whole company. */
static enum ms_err mobile_taken(struct store *st, const struct scope *who, int64_t dup,
				struct ms_error *e)
{
	int64_t inst = inst_of(st, "SELECT institution_id FROM contacts WHERE id = ?", dup);

	if (inst && store_inst_visible(st, who, inst, NULL) == MS_OK)
		return ms_fail(e, MS_ECONFLICT, "duplicate", "mobile",
			       "contact %lld already has this mobile number", (long long)dup);
	return ms_fail(e, MS_ECONFLICT, "duplicate_hidden", "mobile",
		       "this mobile number is already registered to a contact outside your "
		       "scope; ask your manager or the administrator");
}

void contact_bind_insert(struct qb *q, const struct contact_fields *f, const char *role,
			 int64_t influence, const char *mobile_key, const char *search)
{
	qb_int(q, f->institution_id);
	qb_opt_int(q, f->department_id == 0 ? UNSET : f->department_id);
	qb_text(q, f->name);
	qb_text(q, f->gender ? f->gender : "");
	qb_text(q, f->title ? f->title : "");
	qb_text(q, f->position ? f->position : "");
	qb_text(q, role);
	qb_int(q, influence);
	qb_text(q, f->stance ? f->stance : "neutral");
	qb_text(q, f->kol_tier ? f->kol_tier : "none");
	qb_text(q, f->kol_speciality ? f->kol_speciality : "");
	qb_text(q, f->kol_posts ? f->kol_posts : "");
	qb_text(q, f->kol_engagements ? f->kol_engagements : "");
	qb_text(q, f->mobile ? f->mobile : "");
	qb_text(q, mobile_key);
	qb_text(q, f->email ? f->email : "");
	qb_text(q, f->wechat ? f->wechat : "");
	qb_text(q, f->consent_date);
	qb_int(q, f->is_public_official > 0);
	qb_int(q, contact_is_key(role, influence));
	qb_text(q, search);
}

enum ms_err store_contact_create(struct store *st, const struct scope *who,
				 const struct contact_fields *f, int64_t *id, struct ms_error *e)
{
	struct strbuf search = STRBUF_INIT;
	char mkey[32];
	int64_t now = date_now(), dup, influence = f->influence == UNSET ? 3 : f->influence;
	const char *role = f->decision_role ? f->decision_role : "USER";
	struct qb q;
	enum ms_err err;

	if ((err = store_inst_visible(st, who, f->institution_id, e)) ||
	    (err = check_dept(st, f->institution_id, f->department_id, e)))
		return err;
	if (f->mobile && *f->mobile &&
	    store_contact_find_mobile(st, f->mobile, 0, &dup, NULL) == MS_OK)
		return mobile_taken(st, who, dup, e);
	customer_mobile_key(f->mobile ? f->mobile : "", mkey, sizeof(mkey));
	contact_search(&search, f->name, f->title, f->position, f->kol_speciality);
	qb_init(&q, "INSERT INTO contacts (" CONTACT_INSERT_COLUMNS ", created_by, created_at, "
		    "updated_at) VALUES (" CONTACT_INSERT_VALUES ", ?, ?, ?)");
	contact_bind_insert(&q, f, role, influence, mkey, strbuf_str(&search));
	qb_int(&q, f->created_by == UNSET ? who->user_id : f->created_by);
	qb_int(&q, f->created_at == UNSET ? now : f->created_at);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "contacts", &q, id, e);
	qb_release(&q);
	strbuf_release(&search);
	if (err)
		return err;
	return store_inst_recompute(st, f->institution_id, e);
}

enum ms_err store_contact_update(struct store *st, const struct scope *who, int64_t id,
				 int64_t version, const struct contact_fields *f,
				 struct ms_error *e)
{
	struct strbuf search = STRBUF_INIT;
	json_t *cur = NULL;
	char mkey[32];
	const char *role, *name, *title, *position, *spec, *mobile;
	int64_t inst = inst_of(st, "SELECT institution_id FROM contacts WHERE id = ?", id);
	int64_t influence, dup;
	struct qb q;
	enum ms_err err;

	if (!inst || store_inst_visible(st, who, inst, NULL))
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such contact");
	if ((err = check_dept(st, inst, f->department_id, e)))
		return err;
	if ((err = db_row_by_id(st,
				"SELECT name, title, position, kol_speciality, decision_role, "
				"influence, mobile FROM contacts WHERE id = ?",
				id, &cur, e)))
		return err;
#define CUR(field, key) (f->field ? f->field : json_string_value(json_object_get(cur, key)))
	name = CUR(name, "name");
	title = CUR(title, "title");
	position = CUR(position, "position");
	spec = CUR(kol_speciality, "kol_speciality");
	role = CUR(decision_role, "decision_role");
	mobile = CUR(mobile, "mobile");
#undef CUR
	influence = f->influence != UNSET ? f->influence
					  : json_integer_value(json_object_get(cur, "influence"));
	if (f->mobile && *f->mobile &&
	    store_contact_find_mobile(st, f->mobile, id, &dup, NULL) == MS_OK) {
		err = mobile_taken(st, who, dup, e);
		goto out;
	}
	customer_mobile_key(mobile, mkey, sizeof(mkey));
	contact_search(&search, name, title, position, spec);
	qb_init(&q, "UPDATE contacts SET department_id = CASE WHEN ? THEN ? ELSE department_id "
		    "END, name = ?, gender = COALESCE(?, gender), title = ?, position = ?, "
		    "decision_role = ?, influence = ?, stance = COALESCE(?, stance), "
		    "kol_tier = COALESCE(?, kol_tier), kol_speciality = ?, "
		    "kol_posts = COALESCE(?, kol_posts), "
		    "kol_engagements = COALESCE(?, kol_engagements), mobile = ?, mobile_key = ?, "
		    "email = COALESCE(?, email), wechat = COALESCE(?, wechat), "
		    "consent_date = COALESCE(?, consent_date), "
		    "is_public_official = CASE WHEN ? < 0 THEN is_public_official ELSE ? END, "
		    "is_key = ?, search_text = ?, updated_at = ?, version = version + 1 "
		    "WHERE id = ? AND version = ?");
	qb_int(&q, f->department_id != UNSET);
	qb_opt_int(&q, f->department_id == 0 ? UNSET : f->department_id);
	qb_text(&q, name);
	qb_text(&q, f->gender);
	qb_text(&q, title);
	qb_text(&q, position);
	qb_text(&q, role);
	qb_int(&q, influence);
	qb_text(&q, f->stance);
	qb_text(&q, f->kol_tier);
	qb_text(&q, spec);
	qb_text(&q, f->kol_posts);
	qb_text(&q, f->kol_engagements);
	qb_text(&q, mobile);
	qb_text(&q, mkey);
	qb_text(&q, f->email);
	qb_text(&q, f->wechat);
	qb_text(&q, f->consent_date);
	qb_int(&q, f->is_public_official);
	qb_int(&q, f->is_public_official);
	qb_int(&q, contact_is_key(role, influence));
	qb_text(&q, strbuf_str(&search));
	qb_int(&q, date_now());
	err = db_update_versioned(st, who, "contacts", id, version, &q, NULL, NULL, e);
	if (!err)
		err = store_inst_recompute(st, inst, e);
	/* Meeting a key decision maker is part of the effective visit: the
	 * visits of this month that met the contact are judged again by the
	 * role it has now; earlier months' visits (and reports) keep theirs. */
	if (!err && strcmp(role, json_string_value(json_object_get(cur, "decision_role")))) {
		char today[11], first[11];
		db_today(today);
		snprintf(first, sizeof(first), "%.8s01", today);
		err = store_visit_reeval_contact(st, id, first, NULL, e);
	}
out:
	strbuf_release(&search);
	json_decref(cur);
	return err;
}

enum ms_err store_contact_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			      struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, CONTACT_COLUMNS " AND c.id = ?");
	qb_int(&q, id);
	qb_scope_inst(&q, s, "c.institution_id");
	err = db_row(st, &q, out, e);
	qb_release(&q);
	return err;
}

static void contact_filters(struct qb *q, const struct scope *s, const void *fv,
			    struct strbuf *like, int rows)
{
	const struct contact_filter *f = fv;

	(void)rows;
	qb_scope_inst(q, s, "c.institution_id");
	qb_and_int(q, " AND c.institution_id = ?", f->institution_id);
	qb_and_int(q, " AND c.department_id = ?", f->department_id);
	qb_and_text(q, " AND c.decision_role = ?", f->decision_role);
	qb_and_text(q, " AND c.stance = ?", f->stance);
	qb_and_text(q, " AND c.kol_tier = ?", f->kol_tier);
	if (f->key_only >= 0) {
		qb_sql(q, " AND c.is_key = ?");
		qb_int(q, f->key_only);
	}
	if (f->q && *f->q) {
		strbuf_reset(like);
		qb_sql(q, " AND c.search_text LIKE ? ESCAPE '\\'");
		qb_text(q, db_like_pattern(like, f->q));
	}
}

static const struct sort_key contact_sort[] = {
	{ "name", "c.name, c.id", "c.name DESC, c.id DESC" },
	{ "influence", "c.influence, c.id", "c.influence DESC, c.id DESC" },
	{ "institution", "c.institution_id, c.name", "c.institution_id DESC, c.name" },
	{ "created_at", "c.created_at, c.id", "c.created_at DESC, c.id DESC" },
	{ NULL, NULL, NULL }
};

enum ms_err store_contact_list(struct store *st, const struct scope *s,
			       const struct contact_filter *f, const struct page *pg, json_t **out,
			       struct ms_error *e)
{
	return db_list(st, "SELECT count(*) FROM contacts c WHERE 1 = 1", CONTACT_COLUMNS,
		       contact_filters, s, f, contact_sort, pg, out, e);
}

enum ms_err store_contact_each(struct store *st, const struct scope *s,
			       const struct contact_filter *f, int (*fn)(void *cls, json_t *row),
			       void *cls, struct ms_error *e)
{
	return db_each(st, "SELECT count(*) FROM contacts c WHERE 1 = 1", CONTACT_COLUMNS,
		       contact_filters, s, f, contact_sort, "institution", fn, cls, e);
}

/* ---- needs ---- */

#define NEED_COLUMNS                                                                               \
	"SELECT n.id, n.institution_id, i.name AS institution_name, i.province_code, i.city, "     \
	"n.department_id, d.name AS department_name, n.product_line_code, n.need, "                \
	"n.pain_points, n.current_solution, n.current_age_years, n.volume, n.budget_fen, "         \
	"n.budget_cycle, n.decision_by, n.status, n.created_by, n.created_at, n.updated_at, "      \
	"n.version FROM needs n JOIN institutions i ON i.id = n.institution_id LEFT JOIN "         \
	"departments d ON d.id = n.department_id WHERE 1 = 1"

static void need_search(struct strbuf *sb, const struct need_fields *f, json_t *cur)
{
#define V(field, key)                                                                              \
	(f->field ? f->field : cur ? json_string_value(json_object_get(cur, key)) : "")
	strbuf_reset(sb);
	strbuf_addf(sb, "%s|%s|%s", V(need, "need"), V(pain_points, "pain_points"),
		    V(current_solution, "current_solution"));
#undef V
	db_lower_ascii(sb->buf);
}

enum ms_err store_need_create(struct store *st, const struct scope *who,
			      const struct need_fields *f, int64_t *id, struct ms_error *e)
{
	struct strbuf search = STRBUF_INIT;
	int64_t now = date_now();
	struct qb q;
	enum ms_err err;

	if ((err = store_inst_visible(st, who, f->institution_id, e)) ||
	    (err = check_dept(st, f->institution_id, f->department_id, e)) ||
	    (err = check_product_line(st, f->product_line_code, e)))
		return err;
	need_search(&search, f, NULL);
	qb_init(&q, "INSERT INTO needs (institution_id, department_id, product_line_code, need, "
		    "pain_points, current_solution, current_age_years, volume, budget_fen, "
		    "budget_cycle, decision_by, status, search_text, created_by, created_at, "
		    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	qb_int(&q, f->institution_id);
	qb_opt_int(&q, f->department_id == 0 ? UNSET : f->department_id);
	qb_text(&q, f->product_line_code);
	qb_text(&q, f->need);
	qb_text(&q, f->pain_points ? f->pain_points : "");
	qb_text(&q, f->current_solution ? f->current_solution : "");
	qb_opt_int(&q, f->current_age_years);
	qb_text(&q, f->volume ? f->volume : "");
	qb_opt_int(&q, f->budget_fen);
	qb_text(&q, f->budget_cycle ? f->budget_cycle : "");
	qb_text(&q, f->decision_by);
	qb_text(&q, f->status ? f->status : "open");
	qb_text(&q, strbuf_str(&search));
	qb_int(&q, who->user_id);
	qb_int(&q, now);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "needs", &q, id, e);
	qb_release(&q);
	strbuf_release(&search);
	if (err)
		return err;
	return store_inst_recompute(st, f->institution_id, e);
}

enum ms_err store_need_update(struct store *st, const struct scope *who, int64_t id,
			      int64_t version, const struct need_fields *f, struct ms_error *e)
{
	struct strbuf search = STRBUF_INIT;
	int64_t inst = inst_of(st, "SELECT institution_id FROM needs WHERE id = ?", id);
	json_t *cur = NULL;
	struct qb q;
	enum ms_err err;

	if (!inst || store_inst_visible(st, who, inst, NULL))
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such need");
	if ((err = check_dept(st, inst, f->department_id, e)) ||
	    (err = check_product_line(st, f->product_line_code, e)) ||
	    (err = db_row_by_id(st,
				"SELECT need, pain_points, current_solution FROM needs WHERE "
				"id = ?",
				id, &cur, e)))
		return err;
	need_search(&search, f, cur);
	qb_init(&q, "UPDATE needs SET department_id = CASE WHEN ? THEN ? ELSE department_id END, "
		    "product_line_code = COALESCE(?, product_line_code), need = COALESCE(?, need), "
		    "pain_points = COALESCE(?, pain_points), "
		    "current_solution = COALESCE(?, current_solution), "
		    "current_age_years = COALESCE(?, current_age_years), "
		    "volume = COALESCE(?, volume), budget_fen = COALESCE(?, budget_fen), "
		    "budget_cycle = COALESCE(?, budget_cycle), "
		    "decision_by = COALESCE(?, decision_by), status = COALESCE(?, status), "
		    "search_text = ?, updated_at = ?, version = version + 1 "
		    "WHERE id = ? AND version = ?");
	qb_int(&q, f->department_id != UNSET);
	qb_opt_int(&q, f->department_id == 0 ? UNSET : f->department_id);
	qb_text(&q, f->product_line_code);
	qb_text(&q, f->need);
	qb_text(&q, f->pain_points);
	qb_text(&q, f->current_solution);
	qb_opt_int(&q, f->current_age_years);
	qb_text(&q, f->volume);
	qb_opt_int(&q, f->budget_fen);
	qb_text(&q, f->budget_cycle);
	qb_text(&q, f->decision_by);
	qb_text(&q, f->status);
	qb_text(&q, strbuf_str(&search));
	qb_int(&q, date_now());
	err = db_update_versioned(st, who, "needs", id, version, &q, NULL, NULL, e);
	if (!err)
		err = store_inst_recompute(st, inst, e);
	strbuf_release(&search);
	json_decref(cur);
	return err;
}

enum ms_err store_need_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			   struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, NEED_COLUMNS " AND n.id = ?");
	qb_int(&q, id);
	qb_scope_inst(&q, s, "n.institution_id");
	err = db_row(st, &q, out, e);
	qb_release(&q);
	return err;
}

static void need_filters(struct qb *q, const struct scope *s, const void *fv, struct strbuf *like,
			 int rows)
{
	const struct need_filter *f = fv;

	(void)rows;
	qb_scope_inst(q, s, "n.institution_id");
	qb_and_int(q, " AND n.institution_id = ?", f->institution_id);
	qb_and_text(q, " AND n.product_line_code = ?", f->product_line_code);
	qb_and_text(q, " AND n.status = ?", f->status);
	if (f->q && *f->q) {
		strbuf_reset(like);
		qb_sql(q, " AND n.search_text LIKE ? ESCAPE '\\'");
		qb_text(q, db_like_pattern(like, f->q));
	}
}

static const struct sort_key need_sort[] = {
	{ "updated_at", "n.updated_at DESC, n.id DESC", "n.updated_at, n.id" },
	{ "decision_by", "n.decision_by, n.id", "n.decision_by DESC, n.id" },
	{ "budget_fen", "n.budget_fen, n.id", "n.budget_fen DESC, n.id" },
	{ NULL, NULL, NULL }
};

enum ms_err store_need_list(struct store *st, const struct scope *s, const struct need_filter *f,
			    const struct page *pg, json_t **out, struct ms_error *e)
{
	return db_list(st, "SELECT count(*) FROM needs n WHERE 1 = 1", NEED_COLUMNS, need_filters,
		       s, f, need_sort, pg, out, e);
}

enum ms_err store_need_each(struct store *st, const struct scope *s, const struct need_filter *f,
			    int (*fn)(void *cls, json_t *row), void *cls, struct ms_error *e)
{
	return db_each(st, "SELECT count(*) FROM needs n WHERE 1 = 1", NEED_COLUMNS, need_filters,
		       s, f, need_sort, NULL, fn, cls, e);
}

/* store_pipeline.c: products, competitors, stages and leads in SQL. The
 * opportunity, tender and project parts are in store_opportunity.c and
 * store_tender.c. Rules come from src/domain/pipeline.c. */
#include "store/store_pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "store/db.h"

/* ---- products ---- */

#define PRODUCT_COLUMNS                                                                            \
	"SELECT p.id, p.product_line_code, l.name_zh AS product_line_name_zh, l.name_en AS "       \
	"product_line_name_en, p.name, p.spec, p.registration_no, p.registration_expiry, "         \
	"p.device_class, p.list_price_fen, p.active, CASE WHEN p.registration_expiry IS NULL "     \
	"THEN 'unknown' WHEN p.registration_expiry < ? THEN 'expired' WHEN "                       \
	"p.registration_expiry < ? THEN 'expiring' ELSE 'valid' END AS registration_status, "      \
	"p.version FROM products p LEFT JOIN ref_items l ON l.kind = 'product_lines' AND "         \
	"l.code = p.product_line_code WHERE 1 = 1"

/* today and today + 180 days: a certificate expiring within six months is
 * flagged, as tenders check it on the bid and delivery dates. */
static void bind_expiry(struct qb *q, char *today, char *soon)
{
	int32_t d;
	db_today(today);
	date_parse(today, &d);
	date_format(d + 180, soon);
	qb_text(q, today);
	qb_text(q, soon);
}

enum ms_err store_product_list(struct store *st, const char *product_line, const char *q_text,
			       int active, json_t **out, struct ms_error *e)
{
	struct strbuf like = STRBUF_INIT;
	char today[11], soon[11];
	struct qb q;
	enum ms_err err;

	qb_init(&q, PRODUCT_COLUMNS);
	bind_expiry(&q, today, soon);
	qb_and_text(&q, " AND p.product_line_code = ?", product_line);
	if (active >= 0) {
		qb_sql(&q, " AND p.active = ?");
		qb_int(&q, active);
	}
	if (q_text && *q_text) {
		qb_sql(&q, " AND (lower(p.name) LIKE ? ESCAPE '\\' OR lower(p.spec) LIKE ? ESCAPE "
			   "'\\')");
		qb_text(&q, db_like_pattern(&like, q_text));
		qb_text(&q, strbuf_str(&like));
	}
	qb_sql(&q, " ORDER BY p.product_line_code, p.name, p.spec");
	err = db_rows(st, &q, out, e);
	qb_release(&q);
	strbuf_release(&like);
	return err;
}

enum ms_err store_product_get(struct store *st, int64_t id, json_t **out, struct ms_error *e)
{
	char today[11], soon[11];
	struct qb q;
	enum ms_err err;

	qb_init(&q, PRODUCT_COLUMNS);
	bind_expiry(&q, today, soon);
	qb_sql(&q, " AND p.id = ?");
	qb_int(&q, id);
	err = db_row(st, &q, out, e);
	qb_release(&q);
	return err;
}

enum ms_err store_product_find(struct store *st, const char *name, const char *spec, int64_t *id)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT id FROM products WHERE name = ? AND spec = ?");
	qb_text(&q, name);
	qb_text(&q, spec);
	err = db_int(st, &q, id, NULL);
	qb_release(&q);
	return err;
}

static enum ms_err check_product_line(struct store *st, const char *code, struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	if (!code)
		return MS_OK;
	qb_init(&q, "SELECT 1 FROM ref_items WHERE kind = 'product_lines' AND code = ?");
	qb_text(&q, code);
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_EINVAL, "invalid", "product_line_code", "no product line '%s'",
			       code);
	return err;
}

enum ms_err store_product_create(struct store *st, const struct scope *who,
				 const struct product_fields *f, int64_t *id, struct ms_error *e)
{
	int64_t now = date_now();
	struct qb q;
	enum ms_err err;

	if ((err = check_product_line(st, f->product_line_code, e)))
		return err;
	qb_init(&q, "INSERT INTO products (product_line_code, name, spec, registration_no, "
		    "registration_expiry, device_class, list_price_fen, active, created_at, "
		    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	qb_text(&q, f->product_line_code);
	qb_text(&q, f->name);
	qb_text(&q, f->spec ? f->spec : "");
	qb_text(&q, f->registration_no ? f->registration_no : "");
	qb_text(&q, f->registration_expiry);
	qb_text(&q, f->device_class ? f->device_class : "II");
	qb_int(&q, f->list_price_fen == UNSET ? 0 : f->list_price_fen);
	qb_int(&q, f->active != 0);
	qb_int(&q, now);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "products", &q, id, e);
	qb_release(&q);
	if (err == MS_ECONFLICT)
		return ms_fail(e, MS_ECONFLICT, "duplicate", "name",
			       "a product with this name and specification exists");
	return err;
}

enum ms_err store_product_update(struct store *st, const struct scope *who, int64_t id,
				 int64_t version, const struct product_fields *f,
				 struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	if ((err = check_product_line(st, f->product_line_code, e)))
		return err;
	qb_init(&q, "UPDATE products SET product_line_code = COALESCE(?, product_line_code), "
		    "name = COALESCE(?, name), spec = COALESCE(?, spec), "
		    "registration_no = COALESCE(?, registration_no), "
		    "registration_expiry = COALESCE(?, registration_expiry), "
		    "device_class = COALESCE(?, device_class), "
		    "list_price_fen = COALESCE(?, list_price_fen), "
		    "active = CASE WHEN ? < 0 THEN active ELSE ? END, updated_at = ?, "
		    "version = version + 1 WHERE id = ? AND version = ?");
	qb_text(&q, f->product_line_code);
	qb_text(&q, f->name);
	qb_text(&q, f->spec);
	qb_text(&q, f->registration_no);
	qb_text(&q, f->registration_expiry);
	qb_text(&q, f->device_class);
	qb_opt_int(&q, f->list_price_fen);
	qb_int(&q, f->active);
	qb_int(&q, f->active);
	qb_int(&q, date_now());
	return db_update_versioned(st, who, "products", id, version, &q, "name",
				   "a product with this name and specification exists", e);
}

/* ---- competitors ---- */

enum ms_err store_competitor_list(struct store *st, json_t **out, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "SELECT id, name, origin, notes, active, version FROM competitors ORDER BY "
		    "active DESC, name");
	err = db_rows(st, &q, out, e);
	qb_release(&q);
	return err;
}

enum ms_err store_competitor_create(struct store *st, const struct scope *who, const char *name,
				    const char *origin, const char *notes, int64_t *id,
				    struct ms_error *e)
{
	int64_t now = date_now();
	struct qb q;
	enum ms_err err;

	qb_init(&q, "INSERT INTO competitors (name, origin, notes, created_at, updated_at) VALUES "
		    "(?, ?, ?, ?, ?)");
	qb_text(&q, name);
	qb_text(&q, origin ? origin : "domestic");
	qb_text(&q, notes ? notes : "");
	qb_int(&q, now);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "competitors", &q, id, e);
	qb_release(&q);
	if (err == MS_ECONFLICT)
		return ms_fail(e, MS_ECONFLICT, "duplicate", "name", "competitor '%s' exists",
			       name);
	return err;
}

enum ms_err store_competitor_update(struct store *st, const struct scope *who, int64_t id,
				    int64_t version, const char *name, const char *origin,
				    const char *notes, int active, struct ms_error *e)
{
	struct qb q;

	qb_init(&q, "UPDATE competitors SET name = COALESCE(?, name), origin = COALESCE(?, "
		    "origin), notes = COALESCE(?, notes), active = CASE WHEN ? < 0 THEN active "
		    "ELSE ? END, updated_at = ?, version = version + 1 WHERE id = ? AND "
		    "version = ?");
	qb_text(&q, name);
	qb_text(&q, origin);
	qb_text(&q, notes);
	qb_int(&q, active);
	qb_int(&q, active);
	qb_int(&q, date_now());
	return db_update_versioned(st, who, "competitors", id, version, &q, "name",
				   "competitor name taken", e);
}

/* ---- stages ---- */

enum ms_err store_stage_list(struct store *st, json_t **out, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "SELECT id, code, name_zh, name_en, position, probability, is_won, is_lost, "
		    "requires, active, version FROM pipeline_stages ORDER BY position");
	err = db_rows(st, &q, out, e);
	qb_release(&q);
	return err;
}

enum ms_err store_stage_update(struct store *st, const struct scope *who, int64_t id,
			       int64_t version, const char *name_zh, const char *name_en,
			       int64_t probability, const char *requires, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	if (requires && (err = stage_requires_check(requires, e)))
		return err;
	qb_init(&q, "UPDATE pipeline_stages SET name_zh = COALESCE(?, name_zh), name_en = "
		    "COALESCE(?, name_en), probability = COALESCE(?, probability), requires = "
		    "COALESCE(?, requires), version = version + 1 WHERE id = ? AND version = ?");
	qb_text(&q, name_zh);
	qb_text(&q, name_en);
	qb_opt_int(&q, probability);
	qb_text(&q, requires);
	return db_update_versioned(st, who, "pipeline_stages", id, version, &q, NULL, NULL, e);
}

enum ms_err store_stage_create(struct store *st, const struct scope *who, const char *code,
			       const char *name_zh, const char *name_en, int64_t probability,
			       const char *requires, int64_t position, int64_t *id,
			       struct ms_error *e)
{
	int64_t first_closed = 0;
	struct qb q;
	enum ms_err err;

	if ((err = stage_code_check(code, e)) ||
	    (requires && (err = stage_requires_check(requires, e))))
		return err;
	qb_init(&q, "SELECT COALESCE(min(position), (SELECT count(*) + 1 FROM pipeline_stages)) "
		    "FROM pipeline_stages WHERE is_won = 1 OR is_lost = 1");
	err = db_int(st, &q, &first_closed, e);
	qb_release(&q);
	if (err)
		return err;
	if (position == UNSET)
		position = first_closed;
	if ((err = stage_insert_check((int)position, (int)first_closed, e)))
		return err;
	/* Those from the position on move down one. */
	qb_init(&q, "UPDATE pipeline_stages SET position = position + 1, version = version + 1 "
		    "WHERE position >= ?");
	qb_int(&q, position);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (err)
		return err;
	qb_init(&q, "INSERT INTO pipeline_stages (code, name_zh, name_en, position, probability, "
		    "requires) VALUES (?, ?, ?, ?, ?, ?)");
	qb_text(&q, code);
	qb_text(&q, name_zh);
	qb_text(&q, name_en);
	qb_int(&q, position);
	qb_int(&q, probability);
	qb_text(&q, requires ? requires : "");
	err = db_insert_audited(st, who, "pipeline_stages", &q, id, e);
	qb_release(&q);
	if (err == MS_ECONFLICT)
		return ms_fail(e, MS_ECONFLICT, "duplicate", "code", "stage '%s' exists", code);
	return err;
}

enum ms_err store_stage_reorder(struct store *st, const struct scope *who, json_t *codes,
				struct ms_error *e)
{
	json_t *before = NULL, *after = NULL, *row;
	struct stage stages[64];
	const char *names[64];
	size_t i, n, nc = json_array_size(codes);
	struct qb q;
	enum ms_err err;

	if (!json_is_array(codes) || nc > 64)
		return ms_fail(e, MS_EINVAL, "invalid", "codes",
			       "'codes' must be an array of the stage codes");
	if ((err = store_stage_list(st, &before, e)))
		return err;
	n = json_array_size(before);
	if (n > 64)
		n = 64;
	json_array_foreach(before, i, row)
	{
		if (i >= n)
			break;
		memset(&stages[i], 0, sizeof(stages[i]));
		stages[i].code = json_string_value(json_object_get(row, "code"));
		stages[i].is_won = json_is_true(json_object_get(row, "is_won"));
		stages[i].is_lost = json_is_true(json_object_get(row, "is_lost"));
	}
	for (i = 0; i < nc; i++) {
		names[i] = json_string_value(json_array_get(codes, i));
		if (!names[i]) {
			err = ms_fail(e, MS_EINVAL, "invalid", "codes", "item %zu is not a code",
				      i + 1);
			goto out;
		}
	}
	if ((err = stage_order_check(stages, n, names, nc, e)))
		goto out;
	for (i = 0; i < nc && !err; i++) {
		qb_init(&q, "UPDATE pipeline_stages SET position = ?, version = version + 1 WHERE "
			    "code = ? AND position <> ?");
		qb_int(&q, (int64_t)i + 1);
		qb_text(&q, names[i]);
		qb_int(&q, (int64_t)i + 1);
		err = db_exec(st, &q, e);
		qb_release(&q);
	}
	if (!err && !(err = store_stage_list(st, &after, e)))
		err = store_audit_append(st, who, "reorder", "pipeline_stages", 0, before, after,
					 e);
out:
	json_decref(before);
	json_decref(after);
	return err;
}

/* ---- leads ---- */

void lead_fields_init(struct lead_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->institution_id = f->department_id = f->contact_id = f->estimated_value_fen =
		f->owner_id = UNSET;
}

#define LEAD_COLUMNS                                                                               \
	"SELECT l.id, l.source, l.source_detail, l.institution_id, i.name AS institution_name, "   \
	"l.new_institution_name, l.department_id, d.name AS department_name, l.contact_id, "       \
	"c.name AS contact_full_name, l.contact_name, l.product_line_code, l.need, "               \
	"l.estimated_value_fen, l.owner_id, o.display_name AS owner_name, l.status, "              \
	"l.checklist_json, l.reject_reason, l.opportunity_id, l.created_by, l.created_at, "        \
	"l.updated_at, l.version FROM leads l JOIN users o ON o.id = l.owner_id LEFT JOIN "        \
	"institutions i ON i.id = l.institution_id LEFT JOIN departments d ON d.id = "             \
	"l.department_id LEFT JOIN contacts c ON c.id = l.contact_id WHERE 1 = 1"

/* The lead's institution, department and contact must be visible and
 * belong together. */
static enum ms_err check_lead_links(struct store *st, const struct scope *who,
				    const struct lead_fields *f, struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	if (f->institution_id != UNSET && f->institution_id &&
	    store_inst_visible(st, who, f->institution_id, NULL))
		return ms_fail(e, MS_EINVAL, "invalid", "institution_id", "no such institution");
	if (f->department_id != UNSET && f->department_id) {
		qb_init(&q, "SELECT 1 FROM departments WHERE id = ? AND institution_id = ?");
		qb_int(&q, f->department_id);
		qb_int(&q, f->institution_id == UNSET ? 0 : f->institution_id);
		err = db_int(st, &q, &one, e);
		qb_release(&q);
		if (err == MS_ENOTFOUND)
			return ms_fail(e, MS_EINVAL, "invalid", "department_id",
				       "the department is not one of the institution's");
		if (err)
			return err;
	}
	if (f->contact_id != UNSET && f->contact_id) {
		qb_init(&q, "SELECT 1 FROM contacts WHERE id = ? AND institution_id = ?");
		qb_int(&q, f->contact_id);
		qb_int(&q, f->institution_id == UNSET ? 0 : f->institution_id);
		err = db_int(st, &q, &one, e);
		qb_release(&q);
		if (err == MS_ENOTFOUND)
			return ms_fail(e, MS_EINVAL, "invalid", "contact_id",
				       "the contact is not one of the institution's");
		if (err)
			return err;
	}
	return check_product_line(st, f->product_line_code, e);
}

/* A rep owns their leads: another owner_id is refused, as on opportunities,
 * rather than silently replaced by the rep's own id. */
static enum ms_err lead_owner_check(const struct scope *who, const struct lead_fields *f,
				    struct ms_error *e)
{
	if (who->kind == SCOPE_OWN && f->owner_id != UNSET && f->owner_id != who->user_id)
		return ms_fail(e, MS_EINVAL, "invalid", "owner_id",
			       "a rep owns the leads they create");
	return MS_OK;
}

static char *checklist_text(json_t *checklist)
{
	return checklist ? json_dumps(checklist, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

enum ms_err store_lead_create(struct store *st, const struct scope *who,
			      const struct lead_fields *f, int64_t *id, struct ms_error *e)
{
	int64_t owner, now = date_now();
	char *cl = NULL;
	struct qb q;
	enum ms_err err;

	if ((f->institution_id == UNSET || !f->institution_id) &&
	    (!f->new_institution_name || !*f->new_institution_name))
		return ms_fail(e, MS_EINVAL, "required", "institution_id",
			       "name an existing institution or a new one");
	if ((err = check_lead_links(st, who, f, e)) || (err = lead_owner_check(who, f, e)) ||
	    (err = db_resolve_owner(st, who, f->owner_id, &owner, e)))
		return err;
	cl = checklist_text(f->checklist);
	qb_init(&q, "INSERT INTO leads (source, source_detail, institution_id, "
		    "new_institution_name, department_id, contact_id, contact_name, "
		    "product_line_code, need, estimated_value_fen, owner_id, status, "
		    "checklist_json, created_by, created_at, updated_at) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?)");
	qb_text(&q, f->source);
	qb_text(&q, f->source_detail ? f->source_detail : "");
	qb_opt_int(&q, f->institution_id ? f->institution_id : UNSET);
	qb_text(&q, f->new_institution_name ? f->new_institution_name : "");
	qb_opt_int(&q, f->department_id ? f->department_id : UNSET);
	qb_opt_int(&q, f->contact_id ? f->contact_id : UNSET);
	qb_text(&q, f->contact_name ? f->contact_name : "");
	qb_text(&q, f->product_line_code);
	qb_text(&q, f->need ? f->need : "");
	qb_opt_int(&q, f->estimated_value_fen);
	qb_int(&q, owner);
	qb_text(&q, cl ? cl : "{}");
	qb_int(&q, who->user_id);
	qb_int(&q, now);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "leads", &q, id, e);
	qb_release(&q);
	free(cl);
	return err;
}

enum ms_err store_lead_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			   struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, LEAD_COLUMNS " AND l.id = ?");
	qb_int(&q, id);
	qb_scope_owner(&q, s, "l.owner_id");
	err = db_row(st, &q, out, e);
	qb_release(&q);
	return err;
}

enum ms_err store_lead_update(struct store *st, const struct scope *who, int64_t id,
			      int64_t version, const struct lead_fields *f, struct ms_error *e)
{
	json_t *cur = NULL;
	char *cl = NULL;
	int64_t owner = UNSET;
	struct lead_fields links = *f;
	struct qb q;
	enum ms_err err;

	if ((err = store_lead_get(st, who, id, &cur, e)))
		return err;
	if (strcmp(json_string_value(json_object_get(cur, "status")), "converted") == 0) {
		err = ms_fail(e, MS_EINVAL, "closed", "status",
			      "a converted lead is part of its opportunity now");
		goto out;
	}
	if (links.institution_id == UNSET)
		links.institution_id = json_integer_value(json_object_get(cur, "institution_id"));
	if ((err = check_lead_links(st, who, &links, e)))
		goto out;
	if ((err = lead_owner_check(who, f, e)) ||
	    (f->owner_id != UNSET && (err = db_resolve_owner(st, who, f->owner_id, &owner, e))))
		goto out;
	cl = checklist_text(f->checklist);
	qb_init(&q,
		"UPDATE leads SET source = COALESCE(?, source), source_detail = COALESCE(?, "
		"source_detail), institution_id = COALESCE(?, institution_id), "
		"new_institution_name = COALESCE(?, new_institution_name), department_id = "
		"COALESCE(?, department_id), contact_id = COALESCE(?, contact_id), "
		"contact_name = COALESCE(?, contact_name), product_line_code = COALESCE(?, "
		"product_line_code), need = COALESCE(?, need), estimated_value_fen = "
		"COALESCE(?, estimated_value_fen), owner_id = COALESCE(?, owner_id), "
		"checklist_json = COALESCE(?, checklist_json), status = CASE WHEN status = "
		"'new' THEN 'qualifying' ELSE status END, updated_at = ?, version = version + 1 "
		"WHERE id = ? AND version = ?");
	qb_text(&q, f->source);
	qb_text(&q, f->source_detail);
	qb_opt_int(&q, f->institution_id);
	qb_text(&q, f->new_institution_name);
	qb_opt_int(&q, f->department_id);
	qb_opt_int(&q, f->contact_id);
	qb_text(&q, f->contact_name);
	qb_text(&q, f->product_line_code);
	qb_text(&q, f->need);
	qb_opt_int(&q, f->estimated_value_fen);
	qb_opt_int(&q, owner);
	qb_text(&q, cl);
	qb_int(&q, date_now());
	err = db_update_versioned(st, who, "leads", id, version, &q, NULL, NULL, e);
out:
	free(cl);
	json_decref(cur);
	return err;
}

static void lead_filters(struct qb *q, const struct scope *s, const void *fv, struct strbuf *like,
			 int rows)
{
	const struct lead_filter *f = fv;

	(void)rows;
	qb_scope_owner(q, s, "l.owner_id");
	qb_and_text(q, " AND l.status = ?", f->status);
	qb_and_text(q, " AND l.source = ?", f->source);
	qb_and_int(q, " AND l.owner_id = ?", f->owner_id);
	if (f->q && *f->q) {
		qb_sql(q, " AND (lower(l.need) LIKE ? ESCAPE '\\' OR lower(l.new_institution_name) "
			  "LIKE ? ESCAPE '\\' OR l.institution_id IN (SELECT id FROM institutions "
			  "WHERE search_text LIKE ? ESCAPE '\\'))");
		db_like_pattern(like, f->q);
		qb_text(q, strbuf_str(like));
		qb_text(q, strbuf_str(like));
		qb_text(q, strbuf_str(like));
	}
}

static const struct sort_key lead_sort[] = { { "created_at", "l.created_at DESC, l.id DESC",
					       "l.created_at, l.id" },
					     { "estimated_value_fen", "l.estimated_value_fen, l.id",
					       "l.estimated_value_fen DESC, l.id" },
					     { "status", "l.status, l.id", "l.status DESC, l.id" },
					     { NULL, NULL, NULL } };

enum ms_err store_lead_list(struct store *st, const struct scope *s, const struct lead_filter *f,
			    const struct page *pg, json_t **out, struct ms_error *e)
{
	return db_list(st, "SELECT count(*) FROM leads l WHERE 1 = 1", LEAD_COLUMNS, lead_filters,
		       s, f, lead_sort, pg, out, e);
}

enum ms_err store_lead_decide(struct store *st, const struct scope *who, int64_t id, int qualify,
			      const char *reason, struct ms_error *e)
{
	json_t *cur = NULL, *items = NULL, *value = NULL;
	const char *status;
	int64_t version;
	struct qb q;
	enum ms_err err;

	if ((err = store_lead_get(st, who, id, &cur, e)))
		return err;
	status = json_string_value(json_object_get(cur, "status"));
	if (!strcmp(status, "converted") || !strcmp(status, "rejected") ||
	    (qualify && !strcmp(status, "qualified"))) {
		err = ms_fail(e, MS_EINVAL, "closed", "status", "the lead is already %s", status);
		goto out;
	}
	if (qualify) {
		/* Every item of the qualification checklist must be ticked. */
		json_t *ticked = json_object_get(cur, "checklist"), *item;
		size_t i, n;
		int ok[32];
		if (store_settings_get(st, "lead_checklist", &value, &version, NULL) != MS_OK)
			value = lead_checklist_default_json();
		items = json_is_array(value) ? value : json_object_get(value, "items");
		n = json_array_size(items);
		if (n > 32)
			n = 32;
		json_array_foreach(items, i, item)
		{
			const char *code =
				json_is_string(item)
					? json_string_value(item)
					: json_string_value(json_object_get(item, "code"));
			if (i >= 32)
				break;
			ok[i] = code && json_is_true(json_object_get(ticked, code));
			if (!ok[i]) {
				err = ms_fail(e, MS_EINVAL, "checklist", code ? code : "checklist",
					      "qualifying needs '%s' ticked", code ? code : "?");
				goto out;
			}
		}
		if (!lead_checklist_complete(ok, n)) {
			err = ms_fail(e, MS_EINVAL, "checklist", "checklist",
				      "the qualification checklist is empty");
			goto out;
		}
	} else if (!reason || !*reason) {
		err = ms_fail(e, MS_EINVAL, "required", "reason", "a rejection needs a 'reason'");
		goto out;
	}
	qb_init(&q, "UPDATE leads SET status = ?, reject_reason = ?, updated_at = ?, version = "
		    "version + 1 WHERE id = ?");
	qb_text(&q, qualify ? "qualified" : "rejected");
	qb_text(&q, qualify ? "" : reason);
	qb_int(&q, date_now());
	qb_int(&q, id);
	err = db_exec_audited(st, who, qualify ? "qualify" : "reject", "leads", id, &q, e);
	qb_release(&q);
out:
	json_decref(cur);
	json_decref(value);
	return err;
}

enum ms_err store_lead_convert(struct store *st, const struct scope *who, int64_t id,
			       const char *name, int64_t institution_id, const char *close_date,
			       int64_t amount_fen, int64_t *opp_id, struct ms_error *e)
{
	struct opp_fields f;
	json_t *cur = NULL;
	struct qb q;
	enum ms_err err;

	if ((err = store_lead_get(st, who, id, &cur, e)))
		return err;
	if (strcmp(json_string_value(json_object_get(cur, "status")), "qualified")) {
		err = ms_fail(e, MS_EINVAL, "not_qualified", "status",
			      "only a qualified lead converts into an opportunity");
		goto out;
	}
	opp_fields_init(&f);
	f.institution_id = institution_id != UNSET
				   ? institution_id
				   : json_integer_value(json_object_get(cur, "institution_id"));
	if (!f.institution_id) {
		err = ms_fail(e, MS_EINVAL, "required", "institution_id",
			      "the lead names a new institution: create it, then give its id");
		goto out;
	}
	f.name = name;
	f.expected_close_date = close_date;
	f.product_line_code = json_string_value(json_object_get(cur, "product_line_code"));
	f.department_id = json_integer_value(json_object_get(cur, "department_id"));
	if (!f.department_id)
		f.department_id = UNSET;
	f.owner_id = json_integer_value(json_object_get(cur, "owner_id"));
	f.amount_fen = amount_fen != UNSET
			       ? amount_fen
			       : json_integer_value(json_object_get(cur, "estimated_value_fen"));
	f.source = json_string_value(json_object_get(cur, "source"));
	if ((err = store_opp_create(st, who, &f, opp_id, e)))
		goto out;
	qb_init(&q, "UPDATE opportunities SET lead_id = ? WHERE id = ?");
	qb_int(&q, id);
	qb_int(&q, *opp_id);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (err)
		goto out;
	qb_init(&q, "UPDATE leads SET status = 'converted', opportunity_id = ?, institution_id = "
		    "?, updated_at = ?, version = version + 1 WHERE id = ?");
	qb_int(&q, *opp_id);
	qb_int(&q, f.institution_id);
	qb_int(&q, date_now());
	qb_int(&q, id);
	err = db_exec_audited(st, who, "convert", "leads", id, &q, e);
	qb_release(&q);
out:
	json_decref(cur);
	return err;
}

/* The row of source in items, added when missing. */
static json_t *source_row(json_t *items, const char *source)
{
	json_t *row;
	size_t i;

	json_array_foreach(items, i, row)
	{
		if (!strcmp(json_string_value(json_object_get(row, "source")), source))
			return row;
	}
	row = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "source", source, "leads",
			0, "qualified", 0, "rejected", 0, "converted", 0, "value_fen", 0, "won", 0,
			"won_fen", 0, "cost_fen", 0);
	json_array_append_new(items, row);
	return row;
}

/* Adds the integer columns of rows (keyed by source) into items. */
static void add_rows(json_t *items, json_t *rows)
{
	json_t *r, *v;
	const char *k;
	size_t i;

	json_array_foreach(rows, i, r)
	{
		json_t *row = source_row(items, json_string_value(json_object_get(r, "source")));
		json_object_foreach(r, k, v)
		{
			if (json_is_integer(v))
				json_object_set_new(
					row, k,
					json_integer(json_integer_value(json_object_get(row, k)) +
						     json_integer_value(v)));
		}
	}
}

/* Runs q (released) and adds its rows into items. */
static enum ms_err sum_into(struct store *st, json_t *items, struct qb *q, struct ms_error *e)
{
	json_t *rows = NULL;
	enum ms_err err = db_rows(st, q, &rows, e);

	qb_release(q);
	if (!err)
		add_rows(items, rows);
	json_decref(rows);
	return err;
}

static int by_won_then_leads(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t wx = json_integer_value(json_object_get(x, "won_fen")),
		   wy = json_integer_value(json_object_get(y, "won_fen")),
		   lx = json_integer_value(json_object_get(x, "leads")),
		   ly = json_integer_value(json_object_get(y, "leads"));
	if (wx != wy)
		return wx < wy ? 1 : -1;
	if (lx != ly)
		return lx < ly ? 1 : -1;
	return strcmp(json_string_value(json_object_get(x, "source")),
		      json_string_value(json_object_get(y, "source")));
}

enum ms_err store_report_leads(struct store *st, const struct scope *s, const char *from,
			       const char *to, json_t **out, struct ms_error *e)
{
	json_t *items = json_array(), *rows, *row, *sorted[16];
	int32_t df, dt;
	size_t i, n = 0;
	struct qb q;
	enum ms_err err;

	if (date_parse(from, &df) || date_parse(to, &dt)) {
		json_decref(items);
		return ms_fail(e, MS_EINVAL, "invalid", "from", "bad period");
	}
	/* The leads created in the period. */
	qb_init(&q,
		"SELECT l.source, count(*) AS leads, sum(l.status IN ('qualified', "
		"'converted')) AS qualified, sum(l.status = 'rejected') AS rejected, "
		"sum(l.status = 'converted') AS converted, COALESCE(sum(l.estimated_value_fen), "
		"0) AS value_fen FROM leads l WHERE l.created_at >= ? AND l.created_at < ?");
	qb_int(&q, (int64_t)df * 86400 - DATE_TZ_OFFSET_SECONDS);
	qb_int(&q, ((int64_t)dt + 1) * 86400 - DATE_TZ_OFFSET_SECONDS);
	qb_scope_owner(&q, s, "l.owner_id");
	qb_sql(&q, " GROUP BY l.source");
	err = sum_into(st, items, &q, e);
	/* The deals won in the period, by the source they carry (a converted
	 * lead's, or the one the rep gave): not only those reached through a
	 * lead of the period, which left out every deal opened without one. */
	if (!err) {
		qb_init(&q,
			"SELECT o.source, count(*) AS won, COALESCE(sum(o.amount_fen), 0) AS "
			"won_fen FROM opportunities o JOIN pipeline_stages s ON s.code = "
			"o.stage_code WHERE s.is_won = 1 AND o.closed_on >= ? AND o.closed_on <= "
			"? AND o.source IN ('academic_meeting', 'exhibition', 'inbound', "
			"'tender_notice', 'referral', 'colleague', 'other')");
		qb_text(&q, from);
		qb_text(&q, to);
		qb_scope_owner(&q, s, "o.owner_id");
		qb_sql(&q, " GROUP BY o.source");
		err = sum_into(st, items, &q, e);
	}
	/* What the sources cost in the period. */
	if (!err) {
		qb_init(&q, "SELECT c.source, COALESCE(sum(c.cost_fen), 0) AS cost_fen FROM "
			    "lead_source_costs c WHERE c.spent_on >= ? AND c.spent_on <= ?");
		qb_text(&q, from);
		qb_text(&q, to);
		qb_scope_owner(&q, s, "c.owner_id");
		qb_sql(&q, " GROUP BY c.source");
		err = sum_into(st, items, &q, e);
	}
	if (err) {
		json_decref(items);
		return err;
	}
	json_array_foreach(items, i, row)
	{
		json_int_t leads = json_integer_value(json_object_get(row, "leads"));
		json_int_t cost = json_integer_value(json_object_get(row, "cost_fen"));
		json_int_t won = json_integer_value(json_object_get(row, "won_fen"));
		json_object_set_new(row, "conversion_pct",
				    leads ? json_real((double)((json_integer_value(json_object_get(
									row, "converted")) *
									2000 +
								leads) /
							       (2 * leads)) /
						      10.0)
					  : json_null());
		/* won yuan per yuan spent, two decimals, half up */
		json_object_set_new(
			row, "won_per_yuan",
			cost ? json_real((double)((won * 200 + cost) / (2 * cost)) / 100.0)
			     : json_null());
		if (n < sizeof(sorted) / sizeof(sorted[0]))
			sorted[n++] = row;
	}
	qsort(sorted, n, sizeof(sorted[0]), by_won_then_leads);
	rows = json_array();
	for (i = 0; i < n; i++)
		json_array_append(rows, sorted[i]);
	json_decref(items);
	*out = rows;
	return MS_OK;
}

/* ---- what lead sources cost ---- */

void source_cost_fields_init(struct source_cost_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->cost_fen = UNSET;
}

enum ms_err store_source_cost_list(struct store *st, const struct scope *s, const char *from,
				   const char *to, json_t **out, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT c.id, c.source, c.source_detail, c.spent_on, c.cost_fen, c.notes, "
		    "c.owner_id, u.display_name AS owner_name, c.created_at, c.updated_at, "
		    "c.version FROM lead_source_costs c JOIN users u ON u.id = c.owner_id WHERE "
		    "c.spent_on >= ? AND c.spent_on <= ?");
	qb_text(&q, from);
	qb_text(&q, to);
	qb_scope_owner(&q, s, "c.owner_id");
	qb_sql(&q, " ORDER BY c.spent_on DESC, c.id DESC LIMIT 1000");
	err = db_rows(st, &q, out, e);
	qb_release(&q);
	return err;
}

enum ms_err store_source_cost_create(struct store *st, const struct scope *who,
				     const struct source_cost_fields *f, int64_t *id,
				     struct ms_error *e)
{
	int64_t now = date_now();
	struct qb q;
	enum ms_err err;

	qb_init(&q, "INSERT INTO lead_source_costs (source, source_detail, spent_on, cost_fen, "
		    "notes, owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	qb_text(&q, f->source);
	qb_text(&q, f->source_detail ? f->source_detail : "");
	qb_text(&q, f->spent_on);
	qb_int(&q, f->cost_fen);
	qb_text(&q, f->notes ? f->notes : "");
	qb_int(&q, who->user_id);
	qb_int(&q, now);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "lead_source_costs", &q, id, e);
	qb_release(&q);
	return err;
}

enum ms_err store_source_cost_update(struct store *st, const struct scope *who, int64_t id,
				     int64_t version, const struct source_cost_fields *f,
				     struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT 1 FROM lead_source_costs c WHERE c.id = ?");
	qb_int(&q, id);
	qb_scope_owner(&q, who, "c.owner_id");
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such source cost");
	if (err)
		return err;
	qb_init(&q, "UPDATE lead_source_costs SET source = COALESCE(?, source), source_detail = "
		    "COALESCE(?, source_detail), spent_on = COALESCE(?, spent_on), cost_fen = "
		    "COALESCE(?, cost_fen), notes = COALESCE(?, notes), updated_at = ?, version = "
		    "version + 1 WHERE id = ? AND version = ?");
	qb_text(&q, f->source);
	qb_text(&q, f->source_detail);
	qb_text(&q, f->spent_on);
	qb_opt_int(&q, f->cost_fen);
	qb_text(&q, f->notes);
	qb_int(&q, date_now());
	return db_update_versioned(st, who, "lead_source_costs", id, version, &q, NULL, NULL, e);
}

/* ---- the pipeline's settings documents ---- */

json_t *lead_checklist_default_json(void)
{
	return json_pack("{s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]}",
			 "items", "code", "budget_confirmed", "zh", "预算已落实", "en",
			 "Budget confirmed", "code", "decision_maker_known", "zh", "决策人已明确",
			 "en", "Decision maker known", "code", "need_confirmed", "zh", "需求已确认",
			 "en", "Need confirmed", "code", "timeline", "zh", "时间表已明确", "en",
			 "Timeline clear");
}

json_t *pipeline_settings_default_json(void)
{
	return json_pack("{s:i}", "stalled_days", 30);
}

/* A text member of 1 to max bytes. */
static int text_ok(json_t *o, const char *key, size_t max)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v && *v && strlen(v) <= max;
}

static int checklist_code_ok(const char *c)
{
	size_t n = c ? strlen(c) : 0;
	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= '0' && c[i] <= '9') || c[i] == '_'))
			return 0;
	return 1;
}

enum ms_err lead_checklist_check_json(json_t *v, struct ms_error *e)
{
	json_t *items = json_object_get(v, "items"), *it;
	size_t i, n = json_array_size(items);

	if (!json_is_object(v) || json_object_size(v) != 1 || !json_is_array(items) || n < 1 ||
	    n > 20)
		return ms_fail(e, MS_EINVAL, "invalid", "items",
			       "want {\"items\": [1 to 20 {code, zh, en}]}");
	json_array_foreach(items, i, it)
	{
		const char *code = json_string_value(json_object_get(it, "code"));
		if (!json_is_object(it) || json_object_size(it) != 3 || !checklist_code_ok(code))
			return ms_fail(e, MS_EINVAL, "invalid", "code",
				       "item %zu: want {code (1 to 32 of a-z, 0-9, _), zh, en}",
				       i + 1);
		if (!text_ok(it, "zh", 200) || !text_ok(it, "en", 200))
			return ms_fail(
				e, MS_EINVAL, "required", text_ok(it, "zh", 200) ? "en" : "zh",
				"item %zu: a name in both languages, at most 200 bytes", i + 1);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(json_string_value(
					    json_object_get(json_array_get(items, k), "code")),
				    code))
				return ms_fail(e, MS_EINVAL, "duplicate", "code",
					       "item code '%s' appears twice", code);
	}
	return MS_OK;
}

enum ms_err pipeline_settings_check_json(json_t *v, struct ms_error *e)
{
	json_t *d = json_object_get(v, "stalled_days");

	if (!json_is_object(v) || json_object_size(v) != 1 || !d)
		return ms_fail(e, MS_EINVAL, "invalid", "stalled_days",
			       "want {\"stalled_days\": 1 to 365}");
	if (!json_is_integer(d) || json_integer_value(d) < 1 || json_integer_value(d) > 365)
		return ms_fail(e, MS_EINVAL, "out_of_range", "stalled_days",
			       "'stalled_days' must be 1 to 365");
	return MS_OK;
}

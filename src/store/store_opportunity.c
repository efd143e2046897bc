/* store_opportunity.c: opportunities, their lines, competitors and stage
 * history, the kanban board and the funnel; large-equipment projects. */
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "store/db.h"
#include "store/store_pipeline.h"

void opp_fields_init(struct opp_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->institution_id = f->department_id = f->owner_id = f->amount_fen = f->won_competitor_id =
		f->probability = UNSET;
}

void opp_filter_init(struct opp_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->is_project = f->stalled = -1;
}

/* Opportunities the scope sees: its owners' and, for a project, those whose
 * team the caller is on. */
static void qb_scope_opp(struct qb *q, const struct scope *s, const char *col_owner,
			 const char *col_id)
{
	if (s->kind == SCOPE_ALL)
		return;
	qb_sql(q, " AND (1 = 1");
	qb_scope_owner(q, s, col_owner);
	qb_sql(q, " OR ");
	qb_sql(q, col_id);
	qb_sql(q, " IN (SELECT opportunity_id FROM project_team WHERE user_id = ?))");
	qb_int(q, s->user_id);
}

enum ms_err store_opp_visible(struct store *st, const struct scope *s, int64_t id,
			      struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT 1 FROM opportunities o WHERE o.id = ?");
	qb_int(&q, id);
	qb_scope_opp(&q, s, "o.owner_id", "o.id");
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such opportunity");
	if (err)
		return err;
	return MS_OK;
}

/* Who may change a deal: its owner and the managers whose scope holds the
 * owner (and the all-seeing roles the routes let write). A project team
 * member who is neither sees the deal (qb_scope_opp) but may not change it:
 * MS_EFORBIDDEN; outside the scope, MS_ENOTFOUND as for a read. */
enum ms_err store_opp_writable(struct store *st, const struct scope *s, int64_t id,
			       struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	if ((err = store_opp_visible(st, s, id, e)))
		return err;
	qb_init(&q, "SELECT 1 FROM opportunities o WHERE o.id = ?");
	qb_int(&q, id);
	qb_scope_owner(&q, s, "o.owner_id");
	err = db_int(st, &q, &one, NULL);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_EFORBIDDEN, "forbidden", "",
			       "only the opportunity's owner and their managers may change it");
	if (err)
		return ms_fail(e, err, "internal", "", "storage error");
	return MS_OK;
}

/* Whether the caller may change the deal, for the UI: store_opp_writable,
 * and not a read-only (compliance) scope, which the routes refuse. */
static int opp_can_write(struct store *st, const struct scope *s, int64_t id)
{
	return !s->read_only && store_opp_writable(st, s, id, NULL) == MS_OK;
}

/* Loads a stage by code. */
static enum ms_err load_stage(struct store *st, const char *code, struct stage *s, json_t **row,
			      struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT code, position, probability, is_won, is_lost, requires FROM "
		    "pipeline_stages WHERE code = ? AND active = 1");
	qb_text(&q, code);
	err = db_row(st, &q, row, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_EINVAL, "invalid", "stage_code", "no stage '%s'", code);
	if (err)
		return err;
	s->code = json_string_value(json_object_get(*row, "code"));
	s->position = (int)json_integer_value(json_object_get(*row, "position"));
	s->probability = (int)json_integer_value(json_object_get(*row, "probability"));
	s->is_won = json_is_true(json_object_get(*row, "is_won"));
	s->is_lost = json_is_true(json_object_get(*row, "is_lost"));
	s->requires = json_string_value(json_object_get(*row, "requires"));
	return MS_OK;
}

/* The day of the deal's (o.id) previous entry into the stage bound next:
 * a re-entry has one (migration 0014). */
#define PREV_ENTERED_ON                                                                            \
	"(SELECT p.entered_on FROM stage_history p WHERE p.opportunity_id = o.id AND "             \
	"p.stage_code = ? ORDER BY p.id DESC LIMIT 1)"

static enum ms_err record_stage(struct store *st, int64_t opp, const struct stage *s,
				int64_t user_id, struct ms_error *e)
{
	char today[11];
	int64_t now = date_now();
	struct qb q;
	enum ms_err err;

	db_today(today);
	/* Close the entry in force, noting where the deal went. */
	qb_init(&q, "UPDATE stage_history SET left_at = ?, next_position = ?, advanced = (? > "
		    "position AND ? = 0) WHERE opportunity_id = ? AND left_at IS NULL");
	qb_int(&q, now);
	qb_int(&q, s->position);
	qb_int(&q, s->position);
	qb_int(&q, s->is_lost);
	qb_int(&q, opp);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (err)
		return err;
	qb_init(&q,
		"INSERT INTO stage_history (opportunity_id, stage_code, position, entered_at, "
		"entered_on, prev_entered_on, amount_fen, owner_id, product_line_code, user_id) "
		"SELECT id, ?, ?, ?, ?, " PREV_ENTERED_ON ", amount_fen, owner_id, "
		"product_line_code, ? FROM opportunities o WHERE id = ?");
	qb_text(&q, s->code);
	qb_int(&q, s->position);
	qb_int(&q, now);
	qb_text(&q, today);
	qb_text(&q, s->code);
	qb_int(&q, user_id);
	qb_int(&q, opp);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_opp_create(struct store *st, const struct scope *who, const struct opp_fields *f,
			     int64_t *id, struct ms_error *e)
{
	json_t *first = NULL;
	struct stage s;
	int64_t now = date_now(), owner = who->user_id;
	int32_t close, today;
	char today_s[11];
	struct qb q;
	enum ms_err err;

	db_today(today_s);
	date_parse(today_s, &today);
	if (!f->expected_close_date || date_parse(f->expected_close_date, &close))
		return ms_fail(e, MS_EINVAL, "required", "expected_close_date",
			       "'expected_close_date' is required");
	if ((err = opp_close_date_check(close, today, 1, e)))
		return err;
	if (store_inst_visible(st, who, f->institution_id, NULL))
		return ms_fail(e, MS_EINVAL, "invalid", "institution_id", "no such institution");
	if (f->owner_id != UNSET && f->owner_id != who->user_id) {
		if (who->kind == SCOPE_OWN)
			return ms_fail(e, MS_EINVAL, "invalid", "owner_id",
				       "a rep owns the opportunities they create");
		if ((err = db_resolve_owner(st, who, f->owner_id, &owner, e)))
			return err;
	}
	if (f->department_id != UNSET && f->department_id) {
		int64_t one;
		qb_init(&q, "SELECT 1 FROM departments WHERE id = ? AND institution_id = ?");
		qb_int(&q, f->department_id);
		qb_int(&q, f->institution_id);
		err = db_int(st, &q, &one, e);
		qb_release(&q);
		if (err == MS_ENOTFOUND)
			return ms_fail(e, MS_EINVAL, "invalid", "department_id",
				       "the department is not one of the institution's");
		if (err)
			return err;
	}
	qb_init(&q, "SELECT code FROM pipeline_stages WHERE active = 1 AND is_won = 0 AND "
		    "is_lost = 0 ORDER BY position LIMIT 1");
	err = db_row(st, &q, &first, e);
	qb_release(&q);
	if (err)
		return err;
	{
		json_t *row = NULL;
		err = load_stage(st, json_string_value(json_object_get(first, "code")), &s, &row,
				 e);
		json_decref(first);
		if (err)
			return err;
		qb_init(&q,
			"INSERT INTO opportunities (name, institution_id, department_id, "
			"owner_id, product_line_code, amount_fen, expected_close_date, "
			"stage_code, stage_entered_at, probability, source, last_activity_at, "
			"created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"?, ?, ?, ?, ?, ?)");
		qb_text(&q, f->name);
		qb_int(&q, f->institution_id);
		qb_opt_int(&q, f->department_id ? f->department_id : UNSET);
		qb_int(&q, owner);
		qb_text(&q, f->product_line_code);
		qb_int(&q, f->amount_fen == UNSET ? 0 : f->amount_fen);
		qb_text(&q, f->expected_close_date);
		qb_text(&q, s.code);
		qb_int(&q, now);
		qb_int(&q, f->probability == UNSET ? s.probability : f->probability);
		qb_text(&q, f->source ? f->source : "");
		qb_int(&q, now);
		qb_int(&q, who->user_id);
		qb_int(&q, now);
		qb_int(&q, now);
		err = db_insert_audited(st, who, "opportunities", &q, id, e);
		qb_release(&q);
		if (!err)
			err = record_stage(st, *id, &s, who->user_id, e);
		json_decref(row);
	}
	return err;
}

enum ms_err store_opp_update(struct store *st, const struct scope *who, int64_t id, int64_t version,
			     const struct opp_fields *f, struct ms_error *e)
{
	json_t *cur = NULL;
	int32_t close, today;
	char today_s[11];
	int is_open;
	struct qb q;
	enum ms_err err;

	if ((err = store_opp_writable(st, who, id, e)) ||
	    (err = db_row_by_id(st,
				"SELECT o.institution_id, s.is_won, s.is_lost, (SELECT count(*) "
				"FROM opportunity_lines l WHERE l.opportunity_id = o.id) AS lines, "
				"(SELECT COALESCE(sum(l.quantity * l.unit_price_fen), 0) FROM "
				"opportunity_lines l WHERE l.opportunity_id = o.id) AS lines_fen "
				"FROM opportunities o JOIN pipeline_stages s ON s.code = "
				"o.stage_code WHERE o.id = ?",
				id, &cur, e)))
		return err;
	is_open = !json_is_true(json_object_get(cur, "is_won")) &&
		  !json_is_true(json_object_get(cur, "is_lost"));
	if ((err = opp_frozen_check(!is_open, e)))
		goto out;
	if (f->amount_fen != UNSET &&
	    (err = opp_amount_check((int)json_integer_value(json_object_get(cur, "lines")),
				    json_integer_value(json_object_get(cur, "lines_fen")),
				    f->amount_fen, e)))
		goto out;
	db_today(today_s);
	date_parse(today_s, &today);
	if (f->expected_close_date && !date_parse(f->expected_close_date, &close) &&
	    (err = opp_close_date_check(close, today, is_open, e)))
		goto out;
	if (f->department_id != UNSET && f->department_id) {
		int64_t one;
		qb_init(&q, "SELECT 1 FROM departments WHERE id = ? AND institution_id = ?");
		qb_int(&q, f->department_id);
		qb_int(&q, json_integer_value(json_object_get(cur, "institution_id")));
		err = db_int(st, &q, &one, e);
		qb_release(&q);
		if (err == MS_ENOTFOUND)
			err = ms_fail(e, MS_EINVAL, "invalid", "department_id",
				      "the department is not one of the institution's");
		if (err)
			goto out;
	}
	qb_init(&q, "UPDATE opportunities SET name = COALESCE(?, name), department_id = "
		    "COALESCE(?, department_id), product_line_code = COALESCE(?, "
		    "product_line_code), amount_fen = COALESCE(?, amount_fen), "
		    "expected_close_date = COALESCE(?, expected_close_date), probability = "
		    "COALESCE(?, probability), last_activity_at = ?, updated_at = ?, version = "
		    "version + 1 WHERE id = ? AND version = ?");
	qb_text(&q, f->name);
	qb_opt_int(&q, f->department_id);
	qb_text(&q, f->product_line_code);
	qb_opt_int(&q, f->amount_fen);
	qb_text(&q, f->expected_close_date);
	qb_opt_int(&q, f->probability);
	qb_int(&q, date_now());
	qb_int(&q, date_now());
	err = db_update_versioned(st, who, "opportunities", id, version, &q, NULL, NULL, e);
out:
	json_decref(cur);
	return err;
}

/* Stalled: open and untouched for the configured number of days. */
static int64_t stalled_before(struct store *st)
{
	json_t *v = NULL;
	int64_t version, days = 30;
	if (store_settings_get(st, "pipeline", &v, &version, NULL) == MS_OK) {
		json_t *d = json_object_get(v, "stalled_days");
		if (json_is_integer(d) && json_integer_value(d) > 0)
			days = json_integer_value(d);
	}
	json_decref(v);
	return date_now() - days * 86400;
}

#define OPP_COLUMNS                                                                                \
	"SELECT o.id, o.name, o.institution_id, i.name AS institution_name, i.city, "              \
	"o.department_id, d.name AS department_name, o.owner_id, u.display_name AS owner_name, "   \
	"o.product_line_code, o.amount_fen, o.expected_close_date, o.stage_code, "                 \
	"s.name_zh AS stage_name_zh, s.name_en AS stage_name_en, s.position AS stage_position, "   \
	"o.stage_entered_at, o.probability, o.lead_id, o.source, o.lost_reason, "                  \
	"o.won_competitor_id, o.closed_on, o.is_project, o.project_owner_id, "                     \
	"o.last_activity_at, (s.is_won = 0 AND s.is_lost = 0 AND o.last_activity_at < ?) AS "      \
	"is_stalled, o.created_at, o.updated_at, o.version FROM opportunities o JOIN "             \
	"institutions i ON i.id = o.institution_id JOIN users u ON u.id = o.owner_id JOIN "        \
	"pipeline_stages s ON s.code = o.stage_code LEFT JOIN departments d ON d.id = "            \
	"o.department_id WHERE 1 = 1"

static void opp_filters(struct qb *q, const struct scope *s, const void *fv, struct strbuf *like,
			int rows)
{
	const struct opp_filter *f = fv;
	int64_t stalled_ts = f->stalled_before;

	if (rows) /* the select list's is_stalled */
		qb_int(q, stalled_ts);
	qb_scope_opp(q, s, "o.owner_id", "o.id");
	qb_and_text(q, " AND o.stage_code = ?", f->stage_code);
	qb_and_text(q, " AND o.product_line_code = ?", f->product_line_code);
	qb_and_int(q, " AND o.owner_id = ?", f->owner_id);
	qb_and_int(q, " AND o.institution_id = ?", f->institution_id);
	if (f->unit_id) {
		struct scope sub;
		scope_for(&sub, ROLE_MANAGER, 0, f->unit_id);
		qb_scope_owner(q, &sub, "o.owner_id");
	}
	if (f->is_project >= 0) {
		qb_sql(q, " AND o.is_project = ?");
		qb_int(q, f->is_project);
	}
	qb_and_text(q, " AND o.expected_close_date >= ?", f->close_from);
	qb_and_text(q, " AND o.expected_close_date <= ?", f->close_to);
	if (f->open_only > 0)
		qb_sql(q, " AND o.stage_code IN (SELECT code FROM pipeline_stages WHERE is_won = 0 "
			  "AND is_lost = 0)");
	if (f->stalled > 0) {
		qb_sql(q, " AND o.last_activity_at < ? AND o.stage_code IN (SELECT code FROM "
			  "pipeline_stages WHERE is_won = 0 AND is_lost = 0)");
		qb_int(q, stalled_ts);
	}
	if (f->q && *f->q) {
		qb_sql(q, " AND (lower(o.name) LIKE ? ESCAPE '\\' OR o.institution_id IN (SELECT "
			  "id FROM institutions WHERE search_text LIKE ? ESCAPE '\\'))");
		db_like_pattern(like, f->q);
		qb_text(q, strbuf_str(like));
		qb_text(q, strbuf_str(like));
	}
}

static const struct sort_key opp_sort[] = {
	{ "expected_close_date", "o.expected_close_date, o.id",
	  "o.expected_close_date DESC, o.id DESC" },
	{ "amount_fen", "o.amount_fen, o.id", "o.amount_fen DESC, o.id DESC" },
	{ "stage", "s.position, o.id", "s.position DESC, o.id DESC" },
	{ "updated_at", "o.updated_at, o.id", "o.updated_at DESC, o.id DESC" },
	{ "name", "o.name, o.id", "o.name DESC, o.id DESC" },
	{ NULL, NULL, NULL }
};

enum ms_err store_opp_list(struct store *st, const struct scope *s, const struct opp_filter *f,
			   const struct page *pg, json_t **out, struct ms_error *e)
{
	struct opp_filter g = *f;

	g.stalled_before = stalled_before(st);
	return db_list(st, "SELECT count(*) FROM opportunities o WHERE 1 = 1", OPP_COLUMNS,
		       opp_filters, s, &g, opp_sort, pg, out, e);
}

enum ms_err store_opp_board(struct store *st, const struct scope *s, const struct opp_filter *f,
			    int per_stage, json_t **out, struct ms_error *e)
{
	json_t *stages = NULL, *stage;
	size_t i;
	enum ms_err err;

	if ((err = store_stage_list(st, &stages, e)))
		return err;
	json_array_foreach(stages, i, stage)
	{
		struct opp_filter sf = *f;
		struct page pg = { per_stage, 0, "-amount_fen" };
		json_t *page = NULL;
		struct qb q;
		int64_t amount = 0;
		struct strbuf like = STRBUF_INIT;

		sf.stage_code = json_string_value(json_object_get(stage, "code"));
		if ((err = store_opp_list(st, s, &sf, &pg, &page, e)))
			break;
		qb_init(&q,
			"SELECT COALESCE(sum(o.amount_fen), 0) FROM opportunities o WHERE 1 = 1");
		opp_filters(&q, s, &sf, &like, 0);
		err = db_int(st, &q, &amount, e);
		qb_release(&q);
		strbuf_release(&like);
		if (err) {
			json_decref(page);
			break;
		}
		json_object_set(stage, "count", json_object_get(page, "total"));
		json_object_set_new(stage, "amount_fen", json_integer(amount));
		json_object_set(stage, "items", json_object_get(page, "items"));
		json_decref(page);
	}
	if (err) {
		json_decref(stages);
		return err;
	}
	*out = json_pack("{s:o}", "stages", stages);
	return MS_OK;
}

enum ms_err store_opp_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			  struct ms_error *e)
{
	json_t *row = NULL, *part = NULL;
	struct qb q;
	enum ms_err err;

	qb_init(&q, OPP_COLUMNS " AND o.id = ?");
	qb_int(&q, stalled_before(st));
	qb_int(&q, id);
	qb_scope_opp(&q, s, "o.owner_id", "o.id");
	err = db_row(st, &q, &row, e);
	qb_release(&q);
	if (err)
		return err;
#define PART(key, sql)                                                                             \
	if (!err) {                                                                                \
		qb_init(&q, sql);                                                                  \
		qb_int(&q, id);                                                                    \
		err = db_rows(st, &q, &part, e);                                                   \
		qb_release(&q);                                                                    \
		if (!err)                                                                          \
			json_object_set_new(row, key, part);                                       \
		part = NULL;                                                                       \
	}
	PART("lines", "SELECT l.id, l.product_id, p.name AS product_name, p.spec, "
		      "p.product_line_code, p.registration_expiry, l.quantity, l.unit_price_fen, "
		      "l.quantity * l.unit_price_fen AS total_fen FROM opportunity_lines l JOIN "
		      "products p ON p.id = l.product_id WHERE l.opportunity_id = ? ORDER BY l.id")
	PART("competitors", "SELECT x.id, x.competitor_id, c.name, c.origin, x.position, x.notes "
			    "FROM opportunity_competitors x JOIN competitors c ON c.id = "
			    "x.competitor_id WHERE x.opportunity_id = ? ORDER BY c.name")
	PART("stage_history", "SELECT h.stage_code, s.name_zh, s.name_en, h.entered_at, "
			      "h.left_at, h.amount_fen, h.user_id, u.display_name AS user_name "
			      "FROM stage_history h JOIN pipeline_stages s ON s.code = "
			      "h.stage_code LEFT JOIN users u ON u.id = h.user_id WHERE "
			      "h.opportunity_id = ? ORDER BY h.id")
	PART("tenders", "SELECT id, project_name, method, bid_deadline, next_deadline, "
			"next_milestone, result FROM tenders WHERE opportunity_id = ? ORDER BY id")
#undef PART
	if (err) {
		json_decref(row);
		return err;
	}
	json_object_set_new(row, "can_write", json_boolean(opp_can_write(st, s, id)));
	*out = row;
	return MS_OK;
}

/* Refuses a change to a won or lost opportunity (opp_frozen_check). */
static enum ms_err frozen_check(struct store *st, int64_t id, struct ms_error *e)
{
	int64_t closed = 0;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT s.is_won + s.is_lost FROM opportunities o JOIN pipeline_stages s ON "
		    "s.code = o.stage_code WHERE o.id = ?");
	qb_int(&q, id);
	err = db_int(st, &q, &closed, e);
	qb_release(&q);
	return err ? err : opp_frozen_check(closed > 0, e);
}

/* What the stage requirements check reads. */
static enum ms_err load_facts(struct store *st, int64_t id, struct opp_facts *f, struct ms_error *e)
{
	json_t *row = NULL;
	enum ms_err err = db_row_by_id(
		st,
		"SELECT o.amount_fen, o.department_id IS NOT NULL AS has_dept, "
		"(SELECT count(*) FROM opportunity_lines WHERE opportunity_id = o.id) AS lines, "
		"(SELECT count(*) FROM tenders WHERE opportunity_id = o.id) AS tenders, "
		"(SELECT count(*) FROM opportunity_competitors WHERE opportunity_id = o.id) AS "
		"comps "
		"FROM opportunities o WHERE o.id = ?",
		id, &row, e);
	if (err)
		return err;
	memset(f, 0, sizeof(*f));
	f->amount_fen = json_integer_value(json_object_get(row, "amount_fen"));
	f->has_department = json_is_true(json_object_get(row, "has_dept"));
	f->lines = (int)json_integer_value(json_object_get(row, "lines"));
	f->tenders = (int)json_integer_value(json_object_get(row, "tenders"));
	f->competitors = (int)json_integer_value(json_object_get(row, "comps"));
	f->has_close_date = 1;
	json_decref(row);
	return MS_OK;
}

enum ms_err store_opp_move(struct store *st, const struct scope *who, int64_t id,
			   const char *stage_code, const char *lost_reason,
			   int64_t won_competitor_id, struct ms_error *e)
{
	json_t *cur = NULL, *from_row = NULL, *to_row = NULL;
	struct stage from, to;
	struct opp_facts facts;
	char today[11];
	struct qb q;
	enum ms_err err;

	if ((err = store_opp_writable(st, who, id, e)) ||
	    (err = db_row_by_id(st, "SELECT stage_code FROM opportunities WHERE id = ?", id, &cur,
				e)))
		return err;
	if ((err = load_stage(st, json_string_value(json_object_get(cur, "stage_code")), &from,
			      &from_row, e)) ||
	    (err = load_stage(st, stage_code, &to, &to_row, e)) ||
	    (err = load_facts(st, id, &facts, e)))
		goto out;
	facts.has_lost_reason = lost_reason && *lost_reason;
	facts.has_won_competitor = won_competitor_id != UNSET && won_competitor_id > 0;
	if (facts.has_won_competitor) {
		int64_t one;
		qb_init(&q, "SELECT 1 FROM competitors WHERE id = ?");
		qb_int(&q, won_competitor_id);
		err = db_int(st, &q, &one, e);
		qb_release(&q);
		if (err == MS_ENOTFOUND)
			err = ms_fail(e, MS_EINVAL, "invalid", "won_competitor_id",
				      "no such competitor");
		if (err)
			goto out;
	}
	if ((err = stage_move_check(&from, &to, &facts, e)))
		goto out;
	db_today(today);
	qb_init(&q,
		"UPDATE opportunities SET stage_code = ?, stage_entered_at = ?, probability = "
		"?, lost_reason = ?, won_competitor_id = ?, closed_on = ?, last_activity_at = ?, "
		"updated_at = ?, version = version + 1 WHERE id = ?");
	qb_text(&q, to.code);
	qb_int(&q, date_now());
	qb_int(&q, to.probability);
	qb_text(&q, to.is_lost ? lost_reason : "");
	qb_opt_int(&q, to.is_lost ? won_competitor_id : UNSET);
	qb_text(&q, to.is_won || to.is_lost ? today : NULL);
	qb_int(&q, date_now());
	qb_int(&q, date_now());
	qb_int(&q, id);
	err = db_exec_audited(st, who, "stage", "opportunities", id, &q, e);
	qb_release(&q);
	if (!err)
		err = record_stage(st, id, &to, who->user_id, e);
out:
	json_decref(cur);
	json_decref(from_row);
	json_decref(to_row);
	return err;
}

enum ms_err store_opp_reopen(struct store *st, const struct scope *who, int64_t id,
			     const char *reason, struct ms_error *e)
{
	json_t *cur = NULL, *prev = NULL, *from_row = NULL, *to_row = NULL, *before = NULL,
	       *after = NULL;
	struct stage from, to = { 0 };
	int have_to = 0;
	struct qb q;
	enum ms_err err;

	if ((err = store_opp_writable(st, who, id, e)) ||
	    (err = db_row_by_id(st, "SELECT stage_code FROM opportunities WHERE id = ?", id, &cur,
				e)) ||
	    (err = load_stage(st, json_string_value(json_object_get(cur, "stage_code")), &from,
			      &from_row, e)))
		goto out;
	/* The stage before the close: the latest entry of an open stage. */
	qb_init(&q, "SELECT h.stage_code FROM stage_history h JOIN pipeline_stages s ON s.code = "
		    "h.stage_code WHERE h.opportunity_id = ? AND s.is_won = 0 AND s.is_lost = 0 "
		    "AND s.active = 1 ORDER BY h.id DESC LIMIT 1");
	qb_int(&q, id);
	err = db_row(st, &q, &prev, NULL);
	qb_release(&q);
	if (err == MS_OK)
		have_to = !load_stage(st, json_string_value(json_object_get(prev, "stage_code")),
				      &to, &to_row, NULL);
	err = MS_OK;
	if ((err = opp_reopen_check(&from, have_to ? &to : NULL, reason, e)))
		goto out;
	if ((err = store_audit_snapshot(st, "opportunities", id, &before, e)))
		goto out;
	qb_init(&q, "UPDATE opportunities SET stage_code = ?, stage_entered_at = ?, probability = "
		    "?, lost_reason = '', won_competitor_id = NULL, closed_on = NULL, "
		    "last_activity_at = ?, updated_at = ?, version = version + 1 WHERE id = ?");
	qb_text(&q, to.code);
	qb_int(&q, date_now());
	qb_int(&q, to.probability);
	qb_int(&q, date_now());
	qb_int(&q, date_now());
	qb_int(&q, id);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (!err)
		err = record_stage(st, id, &to, who->user_id, e);
	if (!err && !(err = store_audit_snapshot(st, "opportunities", id, &after, e))) {
		if (after) {
			json_object_set_new(after, "reopen_reason", json_string(reason));
			json_object_set_new(after, "reopened_from", json_string(from.code));
		}
		err = store_audit_append(st, who, "reopen", "opportunities", id, before, after, e);
	}
out:
	json_decref(cur);
	json_decref(prev);
	json_decref(from_row);
	json_decref(to_row);
	json_decref(before);
	json_decref(after);
	return err;
}

enum ms_err store_opp_set_lines(struct store *st, const struct scope *who, int64_t id,
				json_t *lines, struct ms_error *e)
{
	json_t *line, *before = NULL, *after = NULL;
	int64_t total = 0;
	size_t i;
	struct qb q;
	enum ms_err err;

	if ((err = store_opp_writable(st, who, id, e)) || (err = frozen_check(st, id, e)))
		return err;
	if (!json_is_array(lines) || json_array_size(lines) > 200)
		return ms_fail(e, MS_EINVAL, "invalid", "lines",
			       "'lines' must be an array of at most 200 items");
	if ((err = store_audit_snapshot(st, "opportunities", id, &before, e)))
		return err;
	qb_init(&q, "DELETE FROM opportunity_lines WHERE opportunity_id = ?");
	qb_int(&q, id);
	err = db_exec(st, &q, e);
	qb_release(&q);
	json_array_foreach(lines, i, line)
	{
		json_t *pid = json_object_get(line, "product_id"),
		       *qty = json_object_get(line, "quantity"),
		       *price = json_object_get(line, "unit_price_fen");
		int64_t one;
		if (err)
			break;
		if (!json_is_object(line) || json_object_size(line) != 3 || !json_is_integer(pid) ||
		    !json_is_integer(qty) || !json_is_integer(price)) {
			err = ms_fail(e, MS_EINVAL, "invalid", "lines",
				      "line %zu: want {product_id, quantity, unit_price_fen}",
				      i + 1);
			break;
		}
		if (json_integer_value(qty) < 1 ||
		    json_integer_value(qty) > PIPELINE_MAX_QUANTITY) {
			err = ms_fail(e, MS_EINVAL, "out_of_range", "quantity",
				      "line %zu: quantity must be 1 to %d", i + 1,
				      PIPELINE_MAX_QUANTITY);
			break;
		}
		if (json_integer_value(price) < 0 ||
		    json_integer_value(price) > PIPELINE_MAX_PRICE_FEN) {
			err = ms_fail(e, MS_EINVAL, "out_of_range", "unit_price_fen",
				      "line %zu: the unit price is out of range", i + 1);
			break;
		}
		qb_init(&q, "SELECT 1 FROM products WHERE id = ? AND active = 1");
		qb_int(&q, json_integer_value(pid));
		err = db_int(st, &q, &one, e);
		qb_release(&q);
		if (err == MS_ENOTFOUND)
			err = ms_fail(e, MS_EINVAL, "invalid", "product_id",
				      "line %zu: no active product %lld", i + 1,
				      (long long)json_integer_value(pid));
		if (err)
			break;
		total += json_integer_value(qty) * json_integer_value(price);
		if (total > PIPELINE_MAX_AMOUNT_FEN) {
			err = ms_fail(e, MS_EINVAL, "out_of_range", "lines",
				      "the total is out of range");
			break;
		}
		qb_init(&q, "INSERT INTO opportunity_lines (opportunity_id, product_id, quantity, "
			    "unit_price_fen) VALUES (?, ?, ?, ?)");
		qb_int(&q, id);
		qb_int(&q, json_integer_value(pid));
		qb_int(&q, json_integer_value(qty));
		qb_int(&q, json_integer_value(price));
		err = db_exec(st, &q, e);
		qb_release(&q);
	}
	if (!err) {
		qb_init(&q, "UPDATE opportunities SET amount_fen = ?, product_line_code = "
			    "COALESCE((SELECT p.product_line_code FROM opportunity_lines l JOIN "
			    "products p ON p.id = l.product_id WHERE l.opportunity_id = ? GROUP BY "
			    "p.product_line_code ORDER BY sum(l.quantity * l.unit_price_fen) DESC "
			    "LIMIT 1), product_line_code), last_activity_at = ?, updated_at = ?, "
			    "version = version + 1 WHERE id = ?");
		qb_int(&q, total);
		qb_int(&q, id);
		qb_int(&q, date_now());
		qb_int(&q, date_now());
		qb_int(&q, id);
		err = db_exec(st, &q, e);
		qb_release(&q);
	}
	if (!err && !(err = store_audit_snapshot(st, "opportunities", id, &after, e))) {
		if (after)
			json_object_set(after, "lines", lines);
		err = store_audit_append(st, who, "lines", "opportunities", id, before, after, e);
	}
	json_decref(before);
	json_decref(after);
	return err;
}

enum ms_err store_opp_set_competitors(struct store *st, const struct scope *who, int64_t id,
				      json_t *items, struct ms_error *e)
{
	json_t *item;
	size_t i;
	struct qb q;
	enum ms_err err;

	if ((err = store_opp_writable(st, who, id, e)) || (err = frozen_check(st, id, e)))
		return err;
	if (!json_is_array(items) || json_array_size(items) > 50)
		return ms_fail(e, MS_EINVAL, "invalid", "competitors",
			       "'competitors' must be an array of at most 50 items");
	qb_init(&q, "DELETE FROM opportunity_competitors WHERE opportunity_id = ?");
	qb_int(&q, id);
	err = db_exec(st, &q, e);
	qb_release(&q);
	json_array_foreach(items, i, item)
	{
		json_t *cid = json_object_get(item, "competitor_id");
		const char *pos = json_string_value(json_object_get(item, "position"));
		const char *notes = json_string_value(json_object_get(item, "notes"));
		if (err)
			break;
		if (!json_is_integer(cid) || (pos && !code_in(competitor_positions, pos))) {
			err = ms_fail(e, MS_EINVAL, "invalid", "competitors",
				      "item %zu: want {competitor_id, position, notes}", i + 1);
			break;
		}
		qb_init(&q, "INSERT INTO opportunity_competitors (opportunity_id, competitor_id, "
			    "position, notes) VALUES (?, ?, ?, ?)");
		qb_int(&q, id);
		qb_int(&q, json_integer_value(cid));
		qb_text(&q, pos ? pos : "unknown");
		qb_text(&q, notes ? notes : "");
		err = db_exec(st, &q, e);
		qb_release(&q);
		if (err == MS_EINVAL)
			err = ms_fail(e, MS_EINVAL, "invalid", "competitor_id",
				      "item %zu: no such competitor", i + 1);
		else if (err == MS_ECONFLICT)
			err = ms_fail(e, MS_EINVAL, "duplicate", "competitor_id",
				      "item %zu: competitor listed twice", i + 1);
	}
	if (!err) {
		qb_init(&q, "UPDATE opportunities SET last_activity_at = ? WHERE id = ?");
		qb_int(&q, date_now());
		qb_int(&q, id);
		err = db_exec(st, &q, e);
		qb_release(&q);
	}
	if (!err)
		err = store_audit_append(st, who, "competitors", "opportunities", id, NULL, items,
					 e);
	return err;
}

/* ---- the funnel ---- */

static void funnel_cuts(struct qb *q, const struct scope *s, const struct funnel_cut *c,
			const char *owner_col, const char *opp_col)
{
	qb_scope_owner(q, s, owner_col);
	if (c->owner_id) {
		qb_sql(q, " AND ");
		qb_sql(q, owner_col);
		qb_sql(q, " = ?");
		qb_int(q, c->owner_id);
	}
	if (c->unit_id) {
		struct scope sub;
		scope_for(&sub, ROLE_MANAGER, 0, c->unit_id);
		qb_scope_owner(q, &sub, owner_col);
	}
	if (c->segment_code || c->province_code || c->region_code) {
		qb_sql(q, " AND ");
		qb_sql(q, opp_col);
		qb_sql(q, " IN (SELECT o.id FROM opportunities o JOIN institutions i ON i.id = "
			  "o.institution_id WHERE 1 = 1");
		qb_and_text(q, " AND i.segment_code = ?", c->segment_code);
		qb_and_text(q, " AND i.province_code = ?", c->province_code);
		if (c->region_code) {
			qb_sql(q,
			       " AND i.province_code IN (SELECT code FROM ref_items WHERE kind = "
			       "'provinces' AND parent_code = ?)");
			qb_text(q, c->region_code);
		}
		qb_sql(q, ")");
	}
}

/* A deal's first entry into a stage within a period starting at the date
 * bound next: no previous entry on or after it (migration 0014). */
#define FIRST_ENTRY "(COALESCE(h.prev_entered_on, '') < ?)"

/* A percentage with one decimal, rounded half up; null for 0 / 0. */
static json_t *pct(json_int_t part, json_int_t whole)
{
	if (!whole)
		return json_null();
	return json_real((double)((part * 2000 + whole) / (2 * whole)) / 10.0);
}

enum ms_err store_report_funnel(struct store *st, const struct scope *s, const struct funnel_cut *c,
				json_t **out, struct ms_error *e)
{
	json_t *stages = NULL, *again = NULL, *row;
	json_int_t won = 0, lost = 0, won_fen = 0, lost_fen = 0;
	int64_t stalled = 0;
	/* Without a cut by people or customers, the daily summary answers
	 * (migration 0006); otherwise one pass over the stage entries. */
	int summary = s->kind == SCOPE_ALL && !c->owner_id && !c->unit_id && !c->segment_code &&
		      !c->province_code && !c->region_code;
	size_t i;
	struct qb q;
	enum ms_err err;

	if (summary) {
		/* Every entry from the daily sums; the re-entries of the
		 * period are subtracted below. */
		qb_init(&q,
			"SELECT f.stage_code, s.name_zh, s.name_en, s.position, s.is_won, "
			"s.is_lost, sum(f.entered) AS entries, sum(f.entered) AS entered, "
			"sum(f.entered_fen) AS entered_fen, sum(f.advanced) AS advanced, "
			"sum(f.left_stage) AS left_stage, round(sum(f.seconds_sum) / 86400.0 / "
			"NULLIF(sum(f.left_stage), 0), 1) AS avg_days FROM funnel_daily f JOIN "
			"pipeline_stages s ON s.code = f.stage_code WHERE f.entered_on >= ? AND "
			"f.entered_on <= ?");
		qb_text(&q, c->from);
		qb_text(&q, c->to);
		qb_and_text(&q, " AND f.product_line_code = ?", c->product_line_code);
		qb_sql(&q, " GROUP BY f.stage_code, s.name_zh, s.name_en, s.position, s.is_won, "
			   "s.is_lost HAVING sum(f.entered) > 0 ORDER BY s.position");
	} else {
		/* Deals: a deal's first entry into the stage in the period
		 * (no previous entry on or after from); its value and whether
		 * it went on to a later stage (not to lost) from there. Every
		 * entry for the time spent. */
		qb_init(&q,
			"SELECT h.stage_code, s.name_zh, s.name_en, s.position, s.is_won, "
			"s.is_lost, count(*) AS entries, COALESCE(sum(" FIRST_ENTRY "), 0) AS "
			"entered, COALESCE(sum(CASE WHEN " FIRST_ENTRY
			" THEN h.amount_fen END), 0) "
			"AS entered_fen, COALESCE(sum(CASE WHEN " FIRST_ENTRY " THEN h.advanced "
			"END), 0) AS advanced, COALESCE(sum(h.left_at IS NOT NULL), 0) AS "
			"left_stage, round(avg(CASE WHEN h.left_at IS NOT NULL THEN (h.left_at - "
			"h.entered_at) / 86400.0 END), 1) AS avg_days FROM stage_history h JOIN "
			"pipeline_stages s ON s.code = h.stage_code WHERE h.entered_on >= ? AND "
			"h.entered_on <= ?");
		qb_text(&q, c->from);
		qb_text(&q, c->from);
		qb_text(&q, c->from);
		qb_text(&q, c->from);
		qb_text(&q, c->to);
		qb_and_text(&q, " AND h.product_line_code = ?", c->product_line_code);
		funnel_cuts(&q, s, c, "h.owner_id", "h.opportunity_id");
		qb_sql(&q, " GROUP BY h.stage_code, s.name_zh, s.name_en, s.position, s.is_won, "
			   "s.is_lost ORDER BY s.position");
	}
	err = db_rows(st, &q, &stages, e);
	qb_release(&q);
	if (!err && summary) {
		/* The re-entries of the period: entries whose previous entry
		 * into the stage is in it too (few; a partial index). */
		qb_init(&q, "SELECT h.stage_code, count(*) AS n, COALESCE(sum(h.amount_fen), 0) AS "
			    "fen, COALESCE(sum(h.advanced), 0) AS adv FROM stage_history h WHERE "
			    "h.prev_entered_on >= ? AND h.entered_on <= ?");
		qb_text(&q, c->from);
		qb_text(&q, c->to);
		qb_and_text(&q, " AND h.product_line_code = ?", c->product_line_code);
		qb_sql(&q, " GROUP BY h.stage_code");
		err = db_rows(st, &q, &again, e);
		qb_release(&q);
	}
	if (err) {
		json_decref(stages);
		return err;
	}
	/* Conversion per open stage; the won and lost deals are those closed
	 * in the period. */
	json_array_foreach(stages, i, row)
	{
		json_int_t entered = json_integer_value(json_object_get(row, "entered"));
		json_int_t fen = json_integer_value(json_object_get(row, "entered_fen"));
		json_int_t advanced = json_integer_value(json_object_get(row, "advanced"));
		int is_won = json_is_true(json_object_get(row, "is_won"));
		int is_lost = json_is_true(json_object_get(row, "is_lost"));
		json_t *r;
		size_t k;

		json_array_foreach(again, k, r)
		{
			if (strcmp(json_string_value(json_object_get(r, "stage_code")),
				   json_string_value(json_object_get(row, "stage_code"))))
				continue;
			entered -= json_integer_value(json_object_get(r, "n"));
			fen -= json_integer_value(json_object_get(r, "fen"));
			advanced -= json_integer_value(json_object_get(r, "adv"));
		}
		json_object_set_new(row, "entered", json_integer(entered));
		json_object_set_new(row, "entered_fen", json_integer(fen));
		json_object_set_new(row, "advanced", json_integer(advanced));
		json_object_set_new(
			row, "reentries",
			json_integer(json_integer_value(json_object_get(row, "entries")) -
				     entered));
		json_object_set_new(row, "conversion_pct",
				    is_won || is_lost ? json_null() : pct(advanced, entered));
		if (is_won) {
			won += entered;
			won_fen += fen;
		}
		if (is_lost) {
			lost += entered;
			lost_fen += fen;
		}
	}
	json_decref(again);

	qb_init(&q, "SELECT count(*) FROM opportunities o JOIN pipeline_stages s ON s.code = "
		    "o.stage_code WHERE s.is_won = 0 AND s.is_lost = 0 AND o.last_activity_at < ?");
	qb_int(&q, stalled_before(st));
	qb_and_text(&q, " AND o.product_line_code = ?", c->product_line_code);
	funnel_cuts(&q, s, c, "o.owner_id", "o.id");
	err = db_int(st, &q, &stalled, e);
	qb_release(&q);
	if (err) {
		json_decref(stages);
		return err;
	}
	*out = json_pack("{s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I, s:o, s:o}, s:I}", "from", c->from,
			 "to", c->to, "stages", stages, "closed", "won", won, "lost", lost,
			 "won_fen", won_fen, "lost_fen", lost_fen, "win_rate_pct",
			 pct(won, won + lost), "win_rate_value_pct",
			 pct(won_fen, won_fen + lost_fen), "stalled_open", (json_int_t)stalled);
	return MS_OK;
}

/* ---- projects ---- */

enum ms_err store_project_start(struct store *st, const struct scope *who, int64_t opp,
				int64_t project_owner_id, struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	if ((err = store_opp_writable(st, who, opp, e)))
		return err;
	qb_init(&q, "SELECT 1 FROM users WHERE id = ? AND active = 1");
	qb_int(&q, project_owner_id);
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_EINVAL, "invalid", "project_owner_id", "no such active user");
	if (err)
		return err;
	qb_init(&q, "UPDATE opportunities SET is_project = 1, project_owner_id = ?, "
		    "last_activity_at = ?, updated_at = ?, version = version + 1 WHERE id = ?");
	qb_int(&q, project_owner_id);
	qb_int(&q, date_now());
	qb_int(&q, date_now());
	qb_int(&q, opp);
	err = db_exec_audited(st, who, "project", "opportunities", opp, &q, e);
	qb_release(&q);
	if (err)
		return err;
	/* The owner and the deal's rep are on the team from the start. */
	qb_init(&q, "INSERT INTO project_team (opportunity_id, user_id, role) SELECT ?, ?, "
		    "'manager' WHERE NOT EXISTS (SELECT 1 FROM project_team WHERE opportunity_id "
		    "= ? AND user_id = ? AND role = 'manager')");
	qb_int(&q, opp);
	qb_int(&q, project_owner_id);
	qb_int(&q, opp);
	qb_int(&q, project_owner_id);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (err)
		return err;
	qb_init(&q, "INSERT INTO project_team (opportunity_id, user_id, role) SELECT id, "
		    "owner_id, 'sales' FROM opportunities o WHERE id = ? AND NOT EXISTS (SELECT 1 "
		    "FROM project_team t WHERE t.opportunity_id = o.id AND t.user_id = o.owner_id "
		    "AND t.role = 'sales')");
	qb_int(&q, opp);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_project_get(struct store *st, const struct scope *s, int64_t opp, json_t **out,
			      struct ms_error *e)
{
	json_t *res = json_object(), *part = NULL;
	char today[11];
	struct qb q;
	enum ms_err err;

	if ((err = store_opp_visible(st, s, opp, e))) {
		json_decref(res);
		return err;
	}
	db_today(today);
#define PART(key, sql, bind_today)                                                                 \
	if (!err) {                                                                                \
		qb_init(&q, sql);                                                                  \
		if (bind_today)                                                                    \
			qb_text(&q, today);                                                        \
		qb_int(&q, opp);                                                                   \
		err = db_rows(st, &q, &part, e);                                                   \
		qb_release(&q);                                                                    \
		if (!err)                                                                          \
			json_object_set_new(res, key, part);                                       \
		part = NULL;                                                                       \
	}
	PART("team",
	     "SELECT t.id, t.user_id, u.display_name AS user_name, u.username, t.role FROM "
	     "project_team t JOIN users u ON u.id = t.user_id WHERE t.opportunity_id = ? "
	     "ORDER BY t.role, u.display_name",
	     0)
	PART("buying_center",
	     "SELECT b.id, b.contact_id, c.name AS contact_name, c.title, c.position, "
	     "d.name AS department_name, b.decision_role, b.influence, b.stance, "
	     "b.relationship_owner_id, u.display_name AS relationship_owner_name, (SELECT "
	     "max(vc.visit_date) FROM visit_contacts vc WHERE vc.contact_id = b.contact_id AND "
	     "vc.owner_id IS NOT NULL) AS last_contact, b.last_contact AS last_contact_noted, "
	     "b.notes, b.version FROM buying_center b JOIN contacts c ON c.id = b.contact_id LEFT "
	     "JOIN departments d ON d.id = c.department_id LEFT JOIN users u ON u.id = "
	     "b.relationship_owner_id WHERE b.opportunity_id = ? ORDER BY b.influence DESC, "
	     "c.name",
	     0)
	PART("tasks",
	     "SELECT t.id, t.milestone, t.title, t.owner_id, u.display_name AS owner_name, "
	     "t.due_date, t.status, t.done_on, (t.status <> 'done' AND t.due_date < ?) AS is_late, "
	     "t.version FROM project_tasks t LEFT JOIN users u ON u.id = t.owner_id WHERE "
	     "t.opportunity_id = ? ORDER BY t.due_date, t.id",
	     1)
	PART("who_must_act",
	     "SELECT t.owner_id, u.display_name AS owner_name, count(*) AS late_tasks, "
	     "min(t.due_date) AS oldest_due FROM project_tasks t LEFT JOIN users u ON u.id = "
	     "t.owner_id WHERE t.status <> 'done' AND t.due_date < ? AND t.opportunity_id = ? "
	     "GROUP BY t.owner_id, u.display_name ORDER BY late_tasks DESC",
	     1)
	PART("deadlines",
	     "SELECT id AS tender_id, project_name, next_milestone, next_deadline FROM tenders "
	     "WHERE next_deadline >= ? AND opportunity_id = ? ORDER BY next_deadline",
	     1)
#undef PART
	if (!err) {
		qb_init(&q, "SELECT o.is_project, o.project_owner_id, u.display_name AS "
			    "project_owner_name FROM opportunities o LEFT JOIN users u ON u.id = "
			    "o.project_owner_id WHERE o.id = ?");
		qb_int(&q, opp);
		err = db_row(st, &q, &part, e);
		qb_release(&q);
		if (!err)
			json_object_update(res, part);
		json_decref(part);
	}
	if (err) {
		json_decref(res);
		return err;
	}
	json_object_set_new(res, "can_write", json_boolean(opp_can_write(st, s, opp)));
	*out = res;
	return MS_OK;
}

enum ms_err store_project_set_team(struct store *st, const struct scope *who, int64_t opp,
				   json_t *team, struct ms_error *e)
{
	json_t *m;
	size_t i;
	struct qb q;
	enum ms_err err;

	if ((err = store_opp_writable(st, who, opp, e)))
		return err;
	if (!json_is_array(team) || json_array_size(team) > 50)
		return ms_fail(e, MS_EINVAL, "invalid", "team",
			       "'team' must be an array of at most 50 members");
	qb_init(&q, "DELETE FROM project_team WHERE opportunity_id = ?");
	qb_int(&q, opp);
	err = db_exec(st, &q, e);
	qb_release(&q);
	json_array_foreach(team, i, m)
	{
		json_t *uid = json_object_get(m, "user_id");
		const char *role = json_string_value(json_object_get(m, "role"));
		int64_t one;
		if (err)
			break;
		if (!json_is_integer(uid) || !code_in(project_roles, role)) {
			err = ms_fail(e, MS_EINVAL, "invalid", "team",
				      "member %zu: want {user_id, role}", i + 1);
			break;
		}
		qb_init(&q, "SELECT 1 FROM users WHERE id = ? AND active = 1");
		qb_int(&q, json_integer_value(uid));
		err = db_int(st, &q, &one, e);
		qb_release(&q);
		if (err == MS_ENOTFOUND)
			err = ms_fail(e, MS_EINVAL, "invalid", "user_id",
				      "member %zu: no such active user", i + 1);
		if (err)
			break;
		qb_init(&q, "INSERT INTO project_team (opportunity_id, user_id, role) VALUES "
			    "(?, ?, ?)");
		qb_int(&q, opp);
		qb_int(&q, json_integer_value(uid));
		qb_text(&q, role);
		err = db_exec(st, &q, e);
		qb_release(&q);
		if (err == MS_ECONFLICT)
			err = ms_fail(e, MS_EINVAL, "duplicate", "team",
				      "member %zu is listed twice in the same role", i + 1);
	}
	if (!err)
		err = store_audit_append(st, who, "team", "opportunities", opp, NULL, team, e);
	return err;
}

enum ms_err store_project_bc_put(struct store *st, const struct scope *who, int64_t opp,
				 const struct bc_fields *f, struct ms_error *e)
{
	int64_t one, id = 0;
	struct qb q;
	enum ms_err err;

	if ((err = store_opp_writable(st, who, opp, e)))
		return err;
	/* One of the deal's institution's contacts that the caller sees (issue
	 * 23: being on a team is no way into an institution's contacts). */
	qb_init(&q, "SELECT 1 FROM contacts c JOIN opportunities o ON o.institution_id = "
		    "c.institution_id WHERE c.id = ? AND o.id = ?");
	qb_int(&q, f->contact_id);
	qb_int(&q, opp);
	qb_scope_inst(&q, who, "c.institution_id");
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_EINVAL, "invalid", "contact_id",
			       "the contact is not one of the institution's");
	if (err)
		return err;
	qb_init(&q, "SELECT id FROM buying_center WHERE opportunity_id = ? AND contact_id = ?");
	qb_int(&q, opp);
	qb_int(&q, f->contact_id);
	err = db_int(st, &q, &id, NULL);
	qb_release(&q);
	if (err == MS_OK) {
		qb_init(&q,
			"UPDATE buying_center SET decision_role = ?, influence = ?, stance = ?, "
			"relationship_owner_id = ?, last_contact = ?, notes = ?, version = "
			"version + 1 WHERE id = ?");
	} else {
		qb_init(&q,
			"INSERT INTO buying_center (decision_role, influence, stance, "
			"relationship_owner_id, last_contact, notes, opportunity_id, contact_id) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	}
	qb_text(&q, f->decision_role);
	qb_int(&q, f->influence);
	qb_text(&q, f->stance);
	qb_opt_int(&q, f->relationship_owner_id);
	qb_text(&q, f->last_contact);
	qb_text(&q, f->notes ? f->notes : "");
	if (id) {
		qb_int(&q, id);
		err = db_exec_audited(st, who, "update", "buying_center", id, &q, e);
	} else {
		qb_int(&q, opp);
		qb_int(&q, f->contact_id);
		err = db_insert_audited(st, who, "buying_center", &q, &id, e);
	}
	qb_release(&q);
	if (err == MS_EINVAL)
		return ms_fail(e, MS_EINVAL, "invalid", "relationship_owner_id", "no such user");
	return err;
}

enum ms_err store_project_task_add(struct store *st, const struct scope *who, int64_t opp,
				   const struct task_fields *f, int64_t *id, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	/* A team member who may not change the deal adds only their own tasks. */
	err = store_opp_writable(st, who, opp, e);
	if (err == MS_EFORBIDDEN && f->owner_id == who->user_id)
		err = MS_OK;
	else if (err == MS_EFORBIDDEN)
		return ms_fail(e, MS_EFORBIDDEN, "forbidden", "owner_id",
			       "a project team member adds only tasks of their own");
	if (err)
		return err;
	qb_init(&q, "INSERT INTO project_tasks (opportunity_id, milestone, title, owner_id, "
		    "due_date, status) VALUES (?, ?, ?, ?, ?, ?)");
	qb_int(&q, opp);
	qb_text(&q, f->milestone);
	qb_text(&q, f->title);
	qb_opt_int(&q, f->owner_id);
	qb_text(&q, f->due_date);
	qb_text(&q, f->status ? f->status : "todo");
	err = db_insert_audited(st, who, "project_tasks", &q, id, e);
	qb_release(&q);
	if (err == MS_EINVAL)
		return ms_fail(e, MS_EINVAL, "invalid", "owner_id", "no such user");
	return err;
}

enum ms_err store_project_task_update(struct store *st, const struct scope *who, int64_t id,
				      int64_t version, const struct task_fields *f,
				      struct ms_error *e)
{
	int64_t opp = 0, owner = 0;
	json_t *task = NULL;
	char today[11];
	struct qb q;
	enum ms_err err;

	if (db_row_by_id(st, "SELECT opportunity_id, owner_id FROM project_tasks WHERE id = ?", id,
			 &task, NULL) == MS_OK) {
		opp = json_integer_value(json_object_get(task, "opportunity_id"));
		owner = json_integer_value(json_object_get(task, "owner_id"));
	}
	json_decref(task);
	if (!opp || store_opp_visible(st, who, opp, NULL))
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such task");
	/* A team member who may not change the deal changes only their own
	 * tasks, and keeps them. */
	err = store_opp_writable(st, who, opp, e);
	if (err == MS_EFORBIDDEN && owner == who->user_id &&
	    (f->owner_id == UNSET || f->owner_id == who->user_id))
		err = MS_OK;
	else if (err == MS_EFORBIDDEN)
		return ms_fail(e, MS_EFORBIDDEN, "forbidden",
			       owner == who->user_id ? "owner_id" : "",
			       "a project team member changes only their own tasks");
	if (err)
		return err;
	db_today(today);
	qb_init(&q, "UPDATE project_tasks SET milestone = COALESCE(?, milestone), title = "
		    "COALESCE(?, title), owner_id = COALESCE(?, owner_id), due_date = COALESCE(?, "
		    "due_date), status = COALESCE(?, status), done_on = CASE WHEN ? = 'done' THEN "
		    "COALESCE(done_on, ?) WHEN ? IS NULL THEN done_on ELSE NULL END, version = "
		    "version + 1 WHERE id = ? AND version = ?");
	qb_text(&q, f->milestone);
	qb_text(&q, f->title);
	qb_opt_int(&q, f->owner_id);
	qb_text(&q, f->due_date);
	qb_text(&q, f->status);
	qb_text(&q, f->status);
	qb_text(&q, today);
	qb_text(&q, f->status);
	err = db_update_versioned(st, who, "project_tasks", id, version, &q, NULL, NULL, e);
	if (!err) {
		qb_init(&q, "UPDATE opportunities SET last_activity_at = ? WHERE id = ?");
		qb_int(&q, date_now());
		qb_int(&q, opp);
		err = db_exec(st, &q, e);
		qb_release(&q);
	}
	return err;
}

enum ms_err store_opp_backdate(struct store *st, int64_t opp, const char *const *codes,
			       const int64_t *entered_at, int n, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, "DELETE FROM stage_history WHERE opportunity_id = ?");
	qb_int(&q, opp);
	err = db_exec(st, &q, e);
	qb_release(&q);
	for (int i = 0; i < n && !err; i++) {
		char on[11];
		date_format(date_of_instant(entered_at[i]), on);
		qb_init(&q, "INSERT INTO stage_history (opportunity_id, stage_code, position, "
			    "entered_at, entered_on, prev_entered_on, left_at, next_position, "
			    "advanced, amount_fen, owner_id, product_line_code, user_id) SELECT "
			    "o.id, s.code, s.position, ?, ?, " PREV_ENTERED_ON ", ?, n.position, "
			    "n.position > s.position AND n.is_lost = 0, o.amount_fen, o.owner_id, "
			    "o.product_line_code, o.owner_id FROM opportunities o JOIN "
			    "pipeline_stages s ON s.code = ? LEFT JOIN pipeline_stages n ON n.code "
			    "= ? WHERE o.id = ?");
		qb_int(&q, entered_at[i]);
		qb_text(&q, on);
		qb_text(&q, codes[i]);
		if (i + 1 < n)
			qb_int(&q, entered_at[i + 1]);
		else
			qb_null(&q);
		qb_text(&q, codes[i]);
		qb_text(&q, i + 1 < n ? codes[i + 1] : NULL);
		qb_int(&q, opp);
		err = db_exec(st, &q, e);
		qb_release(&q);
	}
	if (!err && n > 0) {
		char last[11];
		date_format(date_of_instant(entered_at[n - 1]), last);
		qb_init(&q,
			"UPDATE opportunities SET created_at = ?, stage_entered_at = ?, "
			"last_activity_at = ?, closed_on = CASE WHEN (SELECT is_won + is_lost "
			"FROM pipeline_stages WHERE code = opportunities.stage_code) > 0 THEN ? "
			"ELSE NULL END WHERE id = ?");
		qb_int(&q, entered_at[0]);
		qb_int(&q, entered_at[n - 1]);
		qb_int(&q, entered_at[n - 1]);
		qb_text(&q, last);
		qb_int(&q, opp);
		err = db_exec(st, &q, e);
		qb_release(&q);
	}
	return err;
}

enum ms_err store_opp_summary(struct store *st, const struct scope *s, json_t **out,
			      struct ms_error *e)
{
	json_t *row = NULL, *late = NULL;
	char today[11];
	struct qb q;
	enum ms_err err;

	/* The open pipeline and its stage-weighted value (domain.md 8.1). */
	qb_init(&q, "SELECT count(*) AS open_count, COALESCE(sum(o.amount_fen), 0) AS "
		    "open_amount_fen, COALESCE(sum(o.amount_fen * o.probability / 100), 0) AS "
		    "weighted_amount_fen, COALESCE(sum(o.last_activity_at < ?), 0) AS stalled FROM "
		    "opportunities o JOIN pipeline_stages s ON s.code = o.stage_code WHERE "
		    "s.is_won = 0 AND s.is_lost = 0");
	qb_int(&q, stalled_before(st));
	qb_scope_opp(&q, s, "o.owner_id", "o.id");
	err = db_row(st, &q, &row, e);
	qb_release(&q);
	if (err)
		return err;
	db_today(today);
	qb_init(&q, "SELECT t.id, t.opportunity_id, o.name AS opportunity_name, t.milestone, "
		    "t.title, t.due_date FROM project_tasks t JOIN opportunities o ON o.id = "
		    "t.opportunity_id WHERE t.status <> 'done' AND t.due_date < ? AND t.owner_id = "
		    "? ORDER BY t.due_date LIMIT 20");
	qb_text(&q, today);
	qb_int(&q, s->user_id);
	err = db_rows(st, &q, &late, e);
	qb_release(&q);
	if (err) {
		json_decref(row);
		return err;
	}
	json_object_set_new(row, "my_late_project_tasks", late);
	*out = row;
	return MS_OK;
}

/* store_report.c: the customer reports: information completeness by rep
 * and by team, and region deepening / white space (R11). */
#include <string.h>

#include "base/date.h"
#include "store/db.h"
#include "store/store_customer.h"

enum ms_err store_report_completeness(struct store *st, const struct scope *s, const char *group,
				      json_t **out, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	/* From the users, so that an active rep who is primary on nothing has
	 * a line of 0 institutions (average and minimum null); other users
	 * appear when they are primary on something. */
#define COMPLETENESS_FROM                                                                          \
	"FROM users u LEFT JOIN institutions i ON i.owner_id = u.id "                              \
	"LEFT JOIN org_unit_versions v ON v.unit_id = u.unit_id AND v.valid_to IS NULL "           \
	"WHERE (i.id IS NOT NULL OR (u.role = 'rep' AND u.active = 1))"
	if (!strcmp(group, "rep"))
		qb_init(&q,
			"SELECT u.id AS user_id, u.username, u.display_name, u.unit_id, "
			"v.name_zh AS unit_name_zh, v.name_en AS unit_name_en, "
			"count(i.id) AS institutions, round(avg(i.completeness), 1) AS average, "
			"min(i.completeness) AS minimum, "
			"COALESCE(sum(i.completeness < 60), 0) AS below_60 " COMPLETENESS_FROM);
	else
		qb_init(&q, "SELECT u.unit_id, v.name_zh AS unit_name_zh, v.name_en AS "
			    "unit_name_en, count(DISTINCT u.id) AS reps, count(i.id) AS "
			    "institutions, round(avg(i.completeness), 1) AS average, "
			    "min(i.completeness) AS minimum, "
			    "COALESCE(sum(i.completeness < 60), 0) AS below_60 " COMPLETENESS_FROM);
#undef COMPLETENESS_FROM
	qb_scope_user(&q, s, "u.unit_id", "u.id");
	if (!strcmp(group, "rep"))
		qb_sql(&q, " GROUP BY u.id, u.username, u.display_name, u.unit_id, v.name_zh, "
			   "v.name_en ORDER BY count(i.id) > 0, average, u.username");
	else
		qb_sql(&q, " GROUP BY u.unit_id, v.name_zh, v.name_en ORDER BY count(i.id) > 0, "
			   "average, "
			   "u.unit_id");
	err = db_rows(st, &q, out, e);
	qb_release(&q);
	return err;
}

/* Institutions with a completed visit in the last 90 days: covered means a
 * primary rep and such activity (domain.md 5.1). Bound: the first day. */
#define RECENT_SQL                                                                                 \
	"WITH recent AS (SELECT DISTINCT institution_id FROM visits WHERE status = "               \
	"'completed' AND visit_date >= ?) "

static void ws_filters(struct qb *q, const char *province, const char *segment)
{
	qb_and_text(q, " AND i.province_code = ?", province);
	qb_and_text(q, " AND i.segment_code = ?", segment);
}

enum ms_err store_report_white_space(struct store *st, const struct scope *s, const char *province,
				     const char *segment, json_t **out, struct ms_error *e)
{
	json_t *groups = NULL, *uncovered = NULL, *needs = NULL;
	char since[11];
	int32_t today;
	struct qb q;
	enum ms_err err;

	db_today(since);
	date_parse(since, &today);
	date_format(today - 90, since);

	/* Counts are over every institution of the market (covered by anyone
	 * or no one): what exists in a market is not a team's record. A
	 * manager's market is their unit's territory (qb_territory). The lists
	 * below show only what the caller may open. */
	qb_init(&q, RECENT_SQL
		"SELECT i.province_code, p.name_zh AS province_name_zh, "
		"p.name_en AS province_name_en, i.city, i.segment_code, g.name_zh AS "
		"segment_name_zh, "
		"g.name_en AS segment_name_en, count(*) AS known, "
		"sum(i.owner_id IS NOT NULL AND i.id IN (SELECT institution_id FROM recent)) "
		"AS covered, sum(i.owner_id IS NOT NULL AND i.id NOT IN (SELECT "
		"institution_id FROM recent)) AS assigned_idle, "
		"sum(i.owner_id IS NULL) AS unassigned, "
		"sum(i.owner_id IS NULL OR i.id NOT IN (SELECT institution_id FROM recent)) AS "
		"uncovered, sum(CASE WHEN i.owner_id IS NULL OR i.id NOT IN (SELECT "
		"institution_id FROM recent) THEN i.potential_score ELSE 0 END) AS "
		"uncovered_potential, sum(EXISTS (SELECT 1 FROM needs n WHERE "
		"n.institution_id = i.id AND n.status = 'open')) AS with_open_needs "
		"FROM institutions i LEFT JOIN ref_items p ON p.kind = 'provinces' AND "
		"p.code = i.province_code LEFT JOIN ref_items g ON g.kind = 'segments' AND "
		"g.code = i.segment_code WHERE 1 = 1");
	qb_text(&q, since);
	ws_filters(&q, province, segment);
	if (s->kind == SCOPE_SUBTREE) {
		qb_sql(&q, " AND i.province_code IN ");
		qb_territory(&q, s->unit_id);
	}
	qb_sql(&q, " GROUP BY i.province_code, p.name_zh, p.name_en, i.city, i.segment_code, "
		   "g.name_zh, g.name_en ORDER BY uncovered_potential DESC, known DESC");
	err = db_rows(st, &q, &groups, e);
	qb_release(&q);
	if (err)
		goto fail;

	qb_init(&q, RECENT_SQL
		"SELECT i.id, i.name, i.province_code, i.city, i.level, i.class, "
		"i.type, i.segment_code, i.beds, i.potential_score, i.grade_score, i.owner_id, "
		"i.owner_id IS NULL AS is_unassigned FROM institutions i WHERE (i.owner_id IS "
		"NULL OR i.id NOT IN (SELECT institution_id FROM recent))");
	qb_text(&q, since);
	ws_filters(&q, province, segment);
	qb_scope_inst(&q, s, "i.id");
	qb_sql(&q, " ORDER BY i.potential_score DESC, i.grade_score DESC, i.id LIMIT 50");
	err = db_rows(st, &q, &uncovered, e);
	qb_release(&q);
	if (err)
		goto fail;

	qb_init(&q, "SELECT i.id, i.name, i.province_code, i.city, i.owner_id, count(*) AS "
		    "open_needs, max(n.budget_fen) AS max_budget_fen, min(n.decision_by) AS "
		    "next_decision FROM needs n JOIN institutions i ON i.id = n.institution_id "
		    "WHERE n.status = 'open'");
	ws_filters(&q, province, segment);
	qb_scope_inst(&q, s, "i.id");
	qb_sql(&q, " GROUP BY i.id, i.name, i.province_code, i.city, i.owner_id ORDER BY "
		   "open_needs DESC, max_budget_fen DESC LIMIT 50");
	err = db_rows(st, &q, &needs, e);
	qb_release(&q);
	if (err)
		goto fail;
	*out = json_pack("{s:o, s:o, s:o}", "groups", groups, "uncovered", uncovered, "unmet_needs",
			 needs);
	return MS_OK;
fail:
	json_decref(groups);
	json_decref(uncovered);
	json_decref(needs);
	return err;
}

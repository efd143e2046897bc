/* store_tender.c: tenders (招投标) with their statutory milestones, bid
 * document checklist and bids; the deadline calendar and the tender
 * report. The clock's rules are src/domain/pipeline.c's. */
#include <string.h>

#include "base/date.h"
#include "store/db.h"
#include "store/store_holiday.h"
#include "store/store_pipeline.h"

const char *const tender_date_fields[] = {
	"intent_notice", "announcement",       "doc_from",	    "doc_to",
	"clarification", "bid_deadline",       "opening",	    "evaluation",
	"award_notice",	 "challenge_deadline", "contract_deadline", NULL
};

void tender_fields_init(struct tender_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->opportunity_id = f->institution_id = f->owner_id = f->budget_fen = f->our_price_fen =
		f->bid_bond_fen = f->winning_price_fen = UNSET;
}

static void to_dates(const char *const text[11], struct tender_dates *d)
{
	int32_t *slot[] = {
		&d->intent_notice, &d->announcement,	   &d->doc_from,	 &d->doc_to,
		&d->clarification, &d->bid_deadline,	   &d->opening,		 &d->evaluation,
		&d->award_notice,  &d->challenge_deadline, &d->contract_deadline
	};
	memset(d, 0, sizeof(*d));
	for (int i = 0; i < 11; i++)
		if (text[i] && date_parse(text[i], slot[i]))
			*slot[i] = 0;
}

static void from_dates(const struct tender_dates *d, char out[11][11], const char *text[11])
{
	const int32_t v[] = {
		d->intent_notice, d->announcement,	 d->doc_from,	      d->doc_to,
		d->clarification, d->bid_deadline,	 d->opening,	      d->evaluation,
		d->award_notice,  d->challenge_deadline, d->contract_deadline
	};
	for (int i = 0; i < 11; i++) {
		if (v[i]) {
			date_format(v[i], out[i]);
			text[i] = out[i];
		} else {
			text[i] = NULL;
		}
	}
}

/* The holiday calendar around a tender's dates: from the earliest to 60
 * days after the latest (a derived challenge deadline lies within 7
 * working days of the award, and no arrangement closes more than 9 days
 * in a row). */
static enum ms_err load_calendar(struct store *st, const struct tender_dates *d,
				 struct holiday_set *hs, struct ms_error *e)
{
	const int32_t v[] = {
		d->intent_notice, d->announcement,	 d->doc_from,	      d->doc_to,
		d->clarification, d->bid_deadline,	 d->opening,	      d->evaluation,
		d->award_notice,  d->challenge_deadline, d->contract_deadline
	};
	int32_t lo = 0, hi = 0;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (!v[i])
			continue;
		if (!lo || v[i] < lo)
			lo = v[i];
		if (!hi || v[i] > hi)
			hi = v[i];
	}
	return store_holiday_load(st, lo, hi + 60, hs, e);
}

static int32_t today_days(void)
{
	char today_s[11];
	int32_t today = 0;
	db_today(today_s);
	date_parse(today_s, &today);
	return today;
}

/* The next relevant milestone from today; for a tender awaiting its
 * result with nothing ahead, "record_result", due since the bids were
 * opened. */
static const char *next_step(const struct tender_dates *d, const char *result, int32_t today,
			     int32_t *when)
{
	const char *next = tender_next_deadline(d, result, today, when);
	if (!next && !strcmp(tender_status(d, result, today), "awaiting_result")) {
		next = "record_result";
		*when = d->opening ? d->opening : d->bid_deadline;
	}
	return next;
}

/* Checks and completes the dates: statutory intervals on the holiday
 * calendar, derived deadlines, and the next relevant deadline from today. */
static enum ms_err settle_dates(struct store *st, const char *method, const char *result, int check,
				const char *const in[11], char buf[11][11], const char *out[11],
				const char **next_name, char *next_date, struct ms_error *e)
{
	struct tender_dates d;
	struct holiday_set hs;
	int32_t when;
	enum ms_err err;

	to_dates(in, &d);
	if ((err = load_calendar(st, &d, &hs, e)))
		return err;
	err = check ? tender_dates_check(method, &d, &hs.cal, e) : MS_OK;
	if (!err)
		tender_dates_derive(&d, &hs.cal);
	store_holiday_release(&hs);
	if (err)
		return err;
	from_dates(&d, buf, out);
	*next_name = next_step(&d, result, today_days(), &when);
	if (*next_name)
		date_format(when, next_date);
	return MS_OK;
}

/* What a tender shows as of today, computed when it is read: its status
 * (tender_status) and its next step (next_step). */
static void add_status(json_t *row, int32_t today)
{
	const char *text[11], *result = json_string_value(json_object_get(row, "result"));
	const char *status, *next;
	struct tender_dates d;
	char buf[11];
	int32_t when = 0;

	for (int i = 0; i < 11; i++)
		text[i] = json_string_value(json_object_get(row, tender_date_fields[i]));
	to_dates(text, &d);
	status = tender_status(&d, result, today);
	next = next_step(&d, result, today, &when);
	json_object_set_new(row, "status", json_string(status));
	if (next) {
		date_format(when, buf);
		json_object_set_new(row, "next_milestone", json_string(next));
		json_object_set_new(row, "next_deadline", json_string(buf));
	} else {
		json_object_set_new(row, "next_milestone", json_null());
		json_object_set_new(row, "next_deadline", json_null());
	}
}

/* The windows counted in working days, each with the days it skipped
 * (holidays and weekends) and the make-up working days it counted. */
#define SKIPPED_MAX 60
static enum ms_err add_windows(struct store *st, json_t *row, struct ms_error *e)
{
	const char *text[11];
	struct tender_dates d;
	struct tender_window w[TENDER_MAX_WINDOWS];
	struct skipped_day sk[SKIPPED_MAX];
	struct holiday_set hs;
	json_t *list = json_array();
	size_t n;
	enum ms_err err;

	for (int i = 0; i < 11; i++)
		text[i] = json_string_value(json_object_get(row, tender_date_fields[i]));
	to_dates(text, &d);
	n = tender_working_windows(json_string_value(json_object_get(row, "method")), &d, w);
	if ((err = load_calendar(st, &d, &hs, e))) {
		json_decref(list);
		return err;
	}
	for (size_t i = 0; i < n; i++) {
		char from[11], to[11], day[11];
		size_t k, m = working_days_skipped(&hs.cal, w[i].from, w[i].to, sk, SKIPPED_MAX);
		json_t *skipped = json_array(), *makeup = json_array();
		date_format(w[i].from, from);
		date_format(w[i].to, to);
		for (k = 0; k < m && k < SKIPPED_MAX; k++) {
			date_format(sk[k].day, day);
			if (sk[k].kind == 'w')
				json_array_append_new(makeup, json_pack("{s:s, s:s}", "date", day,
									"name", sk[k].name));
			else
				json_array_append_new(
					skipped,
					json_pack("{s:s, s:s, s:s?}", "date", day, "kind",
						  sk[k].kind == 'h' ? "holiday" : "weekend", "name",
						  sk[k].name));
		}
		json_array_append_new(
			list,
			json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:o, s:o, s:b}", "milestone",
				  w[i].milestone, "from_milestone", w[i].from_milestone, "from",
				  from, "to", to, "rule_days", w[i].rule_days, "working_days",
				  working_days_between(&hs.cal, w[i].from, w[i].to), "calendar",
				  store_holiday_coverage(st, w[i].from, w[i].to), "skipped_days",
				  skipped, "makeup_workdays", makeup, "truncated",
				  m > SKIPPED_MAX));
	}
	store_holiday_release(&hs);
	json_object_set_new(row, "working_day_windows", list);
	return MS_OK;
}

static enum ms_err check_links(struct store *st, const struct scope *who,
			       const struct tender_fields *f, int64_t *inst, int64_t *opp_owner,
			       struct ms_error *e)
{
	if (f->opportunity_id != UNSET && f->opportunity_id) {
		json_t *row = NULL;
		enum ms_err err;
		err = store_opp_writable(st, who, f->opportunity_id, NULL);
		if (err == MS_EFORBIDDEN)
			return ms_fail(e, MS_EFORBIDDEN, "forbidden", "opportunity_id",
				       "only the opportunity's owner and their managers may add a "
				       "tender to it");
		if (err)
			return ms_fail(e, MS_EINVAL, "invalid", "opportunity_id",
				       "no such opportunity");
		err = db_row_by_id(
			st, "SELECT institution_id, owner_id FROM opportunities WHERE id = ?",
			f->opportunity_id, &row, e);
		if (err)
			return err;
		*inst = json_integer_value(json_object_get(row, "institution_id"));
		*opp_owner = json_integer_value(json_object_get(row, "owner_id"));
		json_decref(row);
		if (f->institution_id != UNSET && f->institution_id != *inst)
			return ms_fail(e, MS_EINVAL, "invalid", "institution_id",
				       "the tender's institution is not the opportunity's");
		return MS_OK;
	}
	if (f->institution_id == UNSET || store_inst_visible(st, who, f->institution_id, NULL))
		return ms_fail(e, MS_EINVAL, f->institution_id == UNSET ? "required" : "invalid",
			       "institution_id", "name the institution or the opportunity");
	*inst = f->institution_id;
	return MS_OK;
}

enum ms_err store_tender_create(struct store *st, const struct scope *who,
				const struct tender_fields *f, int64_t *id, struct ms_error *e)
{
	char buf[11][11], next_date[11] = "";
	const char *dates[11], *next_name = NULL;
	int64_t inst = 0, owner = 0, opp_owner = 0, now = date_now();
	struct qb q;
	enum ms_err err;

	if ((err = check_links(st, who, f, &inst, &opp_owner, e)))
		return err;
	/* A rep owns what they enter, as for opportunities: naming anyone
	 * else is refused, not ignored. Otherwise the tender follows its
	 * opportunity's owner unless the manager names one. */
	if (who->kind == SCOPE_OWN && f->owner_id != UNSET && f->owner_id != who->user_id)
		return ms_fail(e, MS_EINVAL, "invalid", "owner_id",
			       "a rep owns the tenders they create");
	if (who->kind == SCOPE_OWN && opp_owner && opp_owner != who->user_id)
		return ms_fail(e, MS_EINVAL, "invalid", "opportunity_id",
			       "the tender of another rep's opportunity belongs to that rep: "
			       "ask them or your manager to enter it");
	if (f->owner_id == UNSET && opp_owner)
		owner = opp_owner;
	else if ((err = db_resolve_owner(st, who, f->owner_id, &owner, e)))
		return err;
	if ((err = settle_dates(st, f->method, f->result, 1, f->dates, buf, dates, &next_name,
				next_date, e)) ||
	    (err = tender_bond_check(f->bid_bond_fen == UNSET ? 0 : f->bid_bond_fen,
				     f->budget_fen == UNSET ? 0 : f->budget_fen, e)))
		return err;
	qb_init(&q,
		"INSERT INTO tenders (opportunity_id, institution_id, owner_id, project_name, "
		"project_no, budget_fen, method, agency, intent_notice, announcement, doc_from, "
		"doc_to, clarification, bid_deadline, opening, evaluation, award_notice, "
		"challenge_deadline, contract_deadline, next_deadline, next_milestone, "
		"our_price_fen, bid_bond_fen, result, winning_price_fen, winner, notes, "
		"created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	qb_opt_int(&q, f->opportunity_id ? f->opportunity_id : UNSET);
	qb_int(&q, inst);
	qb_int(&q, owner);
	qb_text(&q, f->project_name);
	qb_text(&q, f->project_no ? f->project_no : "");
	qb_int(&q, f->budget_fen == UNSET ? 0 : f->budget_fen);
	qb_text(&q, f->method);
	qb_text(&q, f->agency ? f->agency : "");
	for (int i = 0; i < 11; i++)
		qb_text(&q, dates[i]);
	qb_text(&q, next_name ? next_date : NULL);
	qb_text(&q, next_name);
	qb_opt_int(&q, f->our_price_fen);
	qb_opt_int(&q, f->bid_bond_fen);
	qb_text(&q, f->result ? f->result : "pending");
	qb_opt_int(&q, f->winning_price_fen);
	qb_text(&q, f->winner ? f->winner : "");
	qb_text(&q, f->notes ? f->notes : "");
	qb_int(&q, who->user_id);
	qb_int(&q, now);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "tenders", &q, id, e);
	qb_release(&q);
	if (err == MS_EINVAL)
		return ms_fail(e, MS_EINVAL, "invalid", "owner_id", "no such owner");
	return err;
}

#define TENDER_COLUMNS                                                                             \
	"SELECT t.id, t.opportunity_id, o.name AS opportunity_name, o.product_line_code, "         \
	"t.institution_id, i.name AS institution_name, t.owner_id, u.display_name AS "             \
	"owner_name, t.project_name, t.project_no, t.budget_fen, t.method, t.agency, "             \
	"t.intent_notice, t.announcement, t.doc_from, t.doc_to, t.clarification, "                 \
	"t.bid_deadline, t.opening, t.evaluation, t.award_notice, t.challenge_deadline, "          \
	"t.contract_deadline, t.next_deadline, t.next_milestone, t.our_price_fen, "                \
	"t.bid_bond_fen, t.result, t.winning_price_fen, t.winner, t.notes, t.created_at, "         \
	"t.updated_at, t.version FROM tenders t JOIN institutions i ON i.id = t.institution_id "   \
	"JOIN users u ON u.id = t.owner_id LEFT JOIN opportunities o ON o.id = "                   \
	"t.opportunity_id WHERE 1 = 1"

enum ms_err store_tender_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			     struct ms_error *e)
{
	json_t *row = NULL, *part = NULL;
	struct qb q;
	enum ms_err err;

	qb_init(&q, TENDER_COLUMNS " AND t.id = ?");
	qb_int(&q, id);
	qb_scope_owner(&q, s, "t.owner_id");
	err = db_row(st, &q, &row, e);
	qb_release(&q);
	if (err)
		return err;
	qb_init(&q, "SELECT c.id, c.item, c.owner_id, u.display_name AS owner_name, c.due_date, "
		    "c.status, c.notes, c.version FROM tender_checklist c LEFT JOIN users u ON "
		    "u.id = c.owner_id WHERE c.tender_id = ? ORDER BY c.due_date, c.id");
	qb_int(&q, id);
	err = db_rows(st, &q, &part, e);
	qb_release(&q);
	if (!err) {
		json_object_set_new(row, "checklist", part);
		qb_init(&q,
			"SELECT b.id, b.bidder, b.competitor_id, b.is_us, b.price_fen, "
			"b.tech_score, b.commercial_score, b.price_score, b.total_score, b.rank "
			"FROM tender_bids b WHERE b.tender_id = ? ORDER BY b.rank, b.id");
		qb_int(&q, id);
		err = db_rows(st, &q, &part, e);
		qb_release(&q);
		if (!err)
			json_object_set_new(row, "bids", part);
	}
	if (!err) {
		/* Registration certificates of the offered products that will
		 * have expired, or will be within 180 days of expiring, on the
		 * bid deadline: tenders check them on the bid and delivery
		 * dates. */
		const char *bid = json_string_value(json_object_get(row, "bid_deadline"));
		char from[11], limit[11];
		int32_t d;
		if (!bid || date_parse(bid, &d)) {
			db_today(from);
			date_parse(from, &d);
		}
		date_format(d, from);
		date_format(d + 180, limit);
		qb_init(&q,
			"SELECT p.id AS product_id, p.name, p.spec, p.registration_no, "
			"p.registration_expiry, p.registration_expiry < ? AS is_expired FROM "
			"opportunity_lines l JOIN products p ON p.id = l.product_id JOIN tenders t "
			"ON t.opportunity_id = l.opportunity_id WHERE t.id = ? AND "
			"p.registration_expiry IS NOT NULL AND p.registration_expiry < ? ORDER BY "
			"p.registration_expiry");
		qb_text(&q, from);
		qb_int(&q, id);
		qb_text(&q, limit);
		err = db_rows(st, &q, &part, e);
		qb_release(&q);
		if (!err)
			json_object_set_new(row, "certificate_warnings", part);
	}
	if (!err) {
		add_status(row, today_days());
		err = add_windows(st, row, e);
	}
	if (err) {
		json_decref(row);
		return err;
	}
	*out = row;
	return MS_OK;
}

enum ms_err store_tender_update(struct store *st, const struct scope *who, int64_t id,
				int64_t version, const struct tender_fields *f, struct ms_error *e)
{
	json_t *cur = NULL;
	const char *merged[11], *dates[11], *next_name = NULL, *method;
	int64_t owner = UNSET;
	int dates_changed = 0;
	char buf[11][11], next_date[11] = "";
	struct qb q;
	enum ms_err err;

	if ((err = store_tender_get(st, who, id, &cur, e)))
		return err;
	/* The clock is checked on the dates as they will be. */
	for (int i = 0; i < 11; i++)
		merged[i] =
			f->dates[i]
				? (*f->dates[i] ? f->dates[i] : NULL)
				: json_string_value(json_object_get(cur, tender_date_fields[i]));
	/* A follower that was derived follows its leader when the leader
	 * moves: the opening the deadline, the challenge and contract
	 * deadlines the award. */
	{
		struct tender_dates old;
		const char *cur_text[11];
		for (int i = 0; i < 11; i++)
			cur_text[i] =
				json_string_value(json_object_get(cur, tender_date_fields[i]));
		to_dates(cur_text, &old);
		if (f->dates[5] && !f->dates[6] && old.opening && old.opening == old.bid_deadline)
			merged[6] = NULL;
		if (f->dates[8] && old.award_notice) {
			struct holiday_set hs;
			int32_t derived;
			if ((err = load_calendar(st, &old, &hs, e)))
				goto out;
			derived = add_working_days(&hs.cal, old.award_notice, 7);
			store_holiday_release(&hs);
			/* derived on the calendar, or on weekdays alone before
			 * migration 0013 */
			if (!f->dates[9] &&
			    (old.challenge_deadline == derived ||
			     old.challenge_deadline == add_working_days(NULL, old.award_notice, 7)))
				merged[9] = NULL;
			if (!f->dates[10] && old.contract_deadline == old.award_notice + 30)
				merged[10] = NULL;
		}
	}
	method = f->method ? f->method : json_string_value(json_object_get(cur, "method"));
	if (f->owner_id != UNSET) {
		if (who->kind == SCOPE_OWN && f->owner_id != who->user_id) {
			err = ms_fail(e, MS_EINVAL, "invalid", "owner_id",
				      "a rep owns the tenders they create");
			goto out;
		}
		if ((err = db_resolve_owner(st, who, f->owner_id, &owner, e)))
			goto out;
	}
	/* The clock is checked when a milestone or the method changes: a
	 * PATCH that records the result of a tender whose dates were stored
	 * under an earlier rule or calendar is not refused for them. */
	for (int i = 0; i < 11; i++)
		dates_changed |= f->dates[i] != NULL;
	if ((err = settle_dates(
		     st, method,
		     f->result ? f->result : json_string_value(json_object_get(cur, "result")),
		     dates_changed || f->method, merged, buf, dates, &next_name, next_date, e)))
		goto out;
	{
		int64_t bond = f->bid_bond_fen != UNSET
				       ? f->bid_bond_fen
				       : json_integer_value(json_object_get(cur, "bid_bond_fen"));
		int64_t budget = f->budget_fen != UNSET
					 ? f->budget_fen
					 : json_integer_value(json_object_get(cur, "budget_fen"));
		if ((err = tender_bond_check(bond, budget, e)))
			goto out;
	}
	qb_init(&q,
		"UPDATE tenders SET project_name = COALESCE(?, project_name), project_no = "
		"COALESCE(?, project_no), budget_fen = COALESCE(?, budget_fen), method = ?, "
		"agency = COALESCE(?, agency), intent_notice = ?, announcement = ?, doc_from = "
		"?, doc_to = ?, clarification = ?, bid_deadline = ?, opening = ?, evaluation = "
		"?, award_notice = ?, challenge_deadline = ?, contract_deadline = ?, "
		"next_deadline = ?, next_milestone = ?, our_price_fen = COALESCE(?, "
		"our_price_fen), bid_bond_fen = COALESCE(?, bid_bond_fen), result = COALESCE(?, "
		"result), winning_price_fen = COALESCE(?, winning_price_fen), winner = "
		"COALESCE(?, winner), notes = COALESCE(?, notes), owner_id = COALESCE(?, "
		"owner_id), updated_at = ?, version = version + 1 WHERE id = ? AND version = ?");
	qb_text(&q, f->project_name);
	qb_text(&q, f->project_no);
	qb_opt_int(&q, f->budget_fen);
	qb_text(&q, method);
	qb_text(&q, f->agency);
	for (int i = 0; i < 11; i++)
		qb_text(&q, dates[i]);
	qb_text(&q, next_name ? next_date : NULL);
	qb_text(&q, next_name);
	qb_opt_int(&q, f->our_price_fen);
	qb_opt_int(&q, f->bid_bond_fen);
	qb_text(&q, f->result);
	qb_opt_int(&q, f->winning_price_fen);
	qb_text(&q, f->winner);
	qb_text(&q, f->notes);
	qb_opt_int(&q, owner);
	qb_int(&q, date_now());
	err = db_update_versioned(st, who, "tenders", id, version, &q, NULL, NULL, e);
out:
	json_decref(cur);
	return err;
}

static void tender_filters(struct qb *q, const struct scope *s, const void *fv, struct strbuf *like,
			   int rows)
{
	const struct tender_filter *f = fv;

	(void)rows;
	qb_scope_owner(q, s, "t.owner_id");
	qb_and_text(q, " AND t.result = ?", f->result);
	qb_and_text(q, " AND t.method = ?", f->method);
	qb_and_int(q, " AND t.owner_id = ?", f->owner_id);
	qb_and_int(q, " AND t.opportunity_id = ?", f->opportunity_id);
	if (f->due_within_days >= 0 || f->status) {
		static _Thread_local char today[11], until[11];
		int32_t d;
		db_today(today);
		date_parse(today, &d);
		date_format(d + (int32_t)(f->due_within_days > 0 ? f->due_within_days : 0), until);
		/* Due within N days: a milestone that still matters for the
		 * result (tender_milestone_relevant) falls from today to
		 * today + N, so the list and the calendar agree. */
		if (f->due_within_days >= 0) {
			qb_sql(q, " AND ((t.result IN ('pending', 'won') AND (0 = 1");
			for (int k = 0; tender_date_fields[k]; k++) {
				static const char *const cond[] = {
					" OR t.intent_notice BETWEEN ? AND ?",
					" OR t.announcement BETWEEN ? AND ?",
					" OR t.doc_from BETWEEN ? AND ?",
					" OR t.doc_to BETWEEN ? AND ?",
					" OR t.clarification BETWEEN ? AND ?",
					" OR t.bid_deadline BETWEEN ? AND ?",
					" OR t.opening BETWEEN ? AND ?",
					" OR t.evaluation BETWEEN ? AND ?",
					" OR t.award_notice BETWEEN ? AND ?",
					" OR t.challenge_deadline BETWEEN ? AND ?",
					" OR t.contract_deadline BETWEEN ? AND ?",
				};
				qb_sql(q, cond[k]);
				qb_text(q, today);
				qb_text(q, until);
			}
			qb_sql(q, ")) OR (t.result = 'lost' AND t.challenge_deadline BETWEEN ? AND "
				  "?))");
			qb_text(q, today);
			qb_text(q, until);
		}
		/* The status of tender_status: a pending tender is awaiting its
		 * result once the day of its bids has passed. */
		if (f->status && !strcmp(f->status, "awaiting_result")) {
			qb_sql(q, " AND t.result = 'pending' AND COALESCE(t.opening, "
				  "t.bid_deadline) < ?");
			qb_text(q, today);
		} else if (f->status && !strcmp(f->status, "in_progress")) {
			qb_sql(q, " AND t.result = 'pending' AND (COALESCE(t.opening, "
				  "t.bid_deadline) IS NULL OR COALESCE(t.opening, t.bid_deadline) "
				  ">= ?)");
			qb_text(q, today);
		} else if (f->status) {
			qb_and_text(q, " AND t.result = ?", f->status);
		}
	}
	if (f->q && *f->q) {
		qb_sql(q, " AND (lower(t.project_name) LIKE ? ESCAPE '\\' OR lower(t.project_no) "
			  "LIKE ? ESCAPE '\\' OR t.institution_id IN (SELECT id FROM institutions "
			  "WHERE search_text LIKE ? ESCAPE '\\'))");
		db_like_pattern(like, f->q);
		qb_text(q, strbuf_str(like));
		qb_text(q, strbuf_str(like));
		qb_text(q, strbuf_str(like));
	}
}

static const struct sort_key tender_sort[] = {
	{ "next_deadline", "t.next_deadline IS NULL, t.next_deadline, t.id",
	  "t.next_deadline DESC, t.id DESC" },
	{ "bid_deadline", "t.bid_deadline, t.id", "t.bid_deadline DESC, t.id DESC" },
	{ "budget_fen", "t.budget_fen, t.id", "t.budget_fen DESC, t.id DESC" },
	{ "created_at", "t.created_at, t.id", "t.created_at DESC, t.id DESC" },
	{ NULL, NULL, NULL }
};

enum ms_err store_tender_list(struct store *st, const struct scope *s,
			      const struct tender_filter *f, const struct page *pg, json_t **out,
			      struct ms_error *e)
{
	json_t *row;
	size_t i;
	int32_t today = today_days();
	enum ms_err err = db_list(st, "SELECT count(*) FROM tenders t WHERE 1 = 1", TENDER_COLUMNS,
				  tender_filters, s, f, tender_sort, pg, out, e);
	if (err)
		return err;
	json_array_foreach(json_object_get(*out, "items"), i, row) add_status(row, today);
	return MS_OK;
}

enum ms_err store_tender_deadlines(struct store *st, const struct scope *s, const char *from,
				   const char *to, json_t **out, struct ms_error *e)
{
	json_t *rows = NULL, *row, *list = json_array();
	size_t i;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT t.id, t.project_name, t.institution_id, i.name AS institution_name, "
		    "t.owner_id, t.result, t.intent_notice, t.announcement, t.doc_from, t.doc_to, "
		    "t.clarification, t.bid_deadline, t.opening, t.evaluation, t.award_notice, "
		    "t.challenge_deadline, t.contract_deadline FROM tenders t JOIN institutions i "
		    "ON i.id = t.institution_id WHERE t.result IN ('pending', 'won', 'lost')");
	qb_scope_owner(&q, s, "t.owner_id");
	err = db_rows(st, &q, &rows, e);
	qb_release(&q);
	if (err) {
		json_decref(list);
		return err;
	}
	/* Flatten the milestones in the window; the client sorts by date. */
	json_array_foreach(rows, i, row)
	{
		for (int k = 0; tender_date_fields[k]; k++) {
			const char *d =
				json_string_value(json_object_get(row, tender_date_fields[k]));
			if (!d || strcmp(d, from) < 0 || strcmp(d, to) > 0 ||
			    !tender_milestone_relevant(
				    json_string_value(json_object_get(row, "result")),
				    tender_date_fields[k]))
				continue;
			json_array_append_new(
				list,
				json_pack("{s:O, s:O, s:O, s:s, s:s}", "tender_id",
					  json_object_get(row, "id"), "project_name",
					  json_object_get(row, "project_name"), "institution_name",
					  json_object_get(row, "institution_name"), "milestone",
					  tender_date_fields[k], "date", d));
		}
	}
	json_decref(rows);
	{
		/* Date order, then milestone order: insertion sort, small lists. */
		size_t n = json_array_size(list);
		for (size_t a = 1; a < n; a++)
			for (size_t b = a; b > 0; b--) {
				json_t *x = json_array_get(list, b - 1),
				       *y = json_array_get(list, b);
				if (strcmp(json_string_value(json_object_get(x, "date")),
					   json_string_value(json_object_get(y, "date"))) <= 0)
					break;
				json_incref(x);
				json_array_set(list, b - 1, y);
				json_array_set_new(list, b, x);
			}
	}
	*out = list;
	return MS_OK;
}

enum ms_err store_tender_checklist_add(struct store *st, const struct scope *who, int64_t tender,
				       const char *item, int64_t owner_id, const char *due,
				       int64_t *id, struct ms_error *e)
{
	json_t *t = NULL;
	struct qb q;
	enum ms_err err;

	if ((err = store_tender_get(st, who, tender, &t, e)))
		return err;
	json_decref(t);
	qb_init(&q, "INSERT INTO tender_checklist (tender_id, item, owner_id, due_date) VALUES "
		    "(?, ?, ?, ?)");
	qb_int(&q, tender);
	qb_text(&q, item);
	qb_opt_int(&q, owner_id);
	qb_text(&q, due);
	err = db_insert_audited(st, who, "tender_checklist", &q, id, e);
	qb_release(&q);
	if (err == MS_EINVAL)
		return ms_fail(e, MS_EINVAL, "invalid", "owner_id", "no such user");
	return err;
}

enum ms_err store_tender_checklist_update(struct store *st, const struct scope *who, int64_t id,
					  int64_t version, const char *status, int64_t owner_id,
					  const char *due, const char *notes, struct ms_error *e)
{
	json_t *t = NULL;
	int64_t tender = 0;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT tender_id FROM tender_checklist WHERE id = ?");
	qb_int(&q, id);
	err = db_int(st, &q, &tender, NULL);
	qb_release(&q);
	if (err || store_tender_get(st, who, tender, &t, NULL))
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such checklist item");
	json_decref(t);
	qb_init(&q, "UPDATE tender_checklist SET status = COALESCE(?, status), owner_id = "
		    "COALESCE(?, owner_id), due_date = COALESCE(?, due_date), notes = COALESCE(?, "
		    "notes), version = version + 1 WHERE id = ? AND version = ?");
	qb_text(&q, status);
	qb_opt_int(&q, owner_id);
	qb_text(&q, due);
	qb_text(&q, notes);
	err = db_update_versioned(st, who, "tender_checklist", id, version, &q, NULL, NULL, e);
	if (err == MS_EINVAL)
		return ms_fail(e, MS_EINVAL, "invalid", "owner_id", "no such user");
	return err;
}

enum ms_err store_tender_set_bids(struct store *st, const struct scope *who, int64_t tender,
				  json_t *bids, struct ms_error *e)
{
	json_t *t = NULL, *b;
	size_t i;
	struct qb q;
	enum ms_err err;

	if ((err = store_tender_get(st, who, tender, &t, e)))
		return err;
	json_decref(t);
	if (!json_is_array(bids) || json_array_size(bids) > 50)
		return ms_fail(e, MS_EINVAL, "invalid", "bids",
			       "'bids' must be an array of at most 50 bids");
	qb_init(&q, "DELETE FROM tender_bids WHERE tender_id = ?");
	qb_int(&q, tender);
	err = db_exec(st, &q, e);
	qb_release(&q);
	json_array_foreach(bids, i, b)
	{
		const char *bidder = json_string_value(json_object_get(b, "bidder"));
		json_t *price = json_object_get(b, "price_fen"), *rank = json_object_get(b, "rank");
		json_t *cid = json_object_get(b, "competitor_id");
		if (err)
			break;
		if (!bidder || !*bidder || strlen(bidder) > 200 ||
		    (price && !json_is_null(price) &&
		     (!json_is_integer(price) || json_integer_value(price) < 0 ||
		      json_integer_value(price) > PIPELINE_MAX_AMOUNT_FEN)) ||
		    (rank && !json_is_null(rank) &&
		     (!json_is_integer(rank) || json_integer_value(rank) < 1 ||
		      json_integer_value(rank) > 100))) {
			err = ms_fail(e, MS_EINVAL, "invalid", "bids",
				      "bid %zu: want {bidder, price_fen >= 0, rank 1-100, ...}",
				      i + 1);
			break;
		}
		qb_init(&q, "INSERT INTO tender_bids (tender_id, competitor_id, bidder, is_us, "
			    "price_fen, tech_score, commercial_score, price_score, total_score, "
			    "rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
		qb_int(&q, tender);
		qb_opt_int(&q, json_is_integer(cid) ? json_integer_value(cid) : UNSET);
		qb_text(&q, bidder);
		qb_int(&q, json_is_true(json_object_get(b, "is_us")));
		qb_opt_int(&q, json_is_integer(price) ? json_integer_value(price) : UNSET);
		{
			static const char *const scores[] = { "tech_score", "commercial_score",
							      "price_score", "total_score" };
			for (int k = 0; k < 4; k++) {
				json_t *v = json_object_get(b, scores[k]);
				if (json_is_number(v) && json_number_value(v) >= 0 &&
				    json_number_value(v) <= 1000)
					qb_real(&q, json_number_value(v));
				else
					qb_null(&q);
			}
		}
		qb_opt_int(&q, json_is_integer(rank) ? json_integer_value(rank) : UNSET);
		err = db_exec(st, &q, e);
		qb_release(&q);
		if (err == MS_EINVAL)
			err = ms_fail(e, MS_EINVAL, "invalid", "competitor_id",
				      "bid %zu: no such competitor", i + 1);
	}
	if (!err)
		err = store_audit_append(st, who, "bids", "tenders", tender, NULL, bids, e);
	return err;
}

enum ms_err store_report_tenders(struct store *st, const struct scope *s, const char *from,
				 const char *to, json_t **out, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	/* Price position: our price against the winning price (100 = equal,
	 * above 100 = we were dearer) and against the budget. */
	qb_init(&q,
		"SELECT COALESCE(o.product_line_code, '') AS product_line_code, t.method, "
		"count(*) AS tenders, sum(t.result = 'won') AS won, sum(t.result = 'lost') AS "
		"lost, sum(t.result IN ('cancelled', 'failed')) AS void, round(100.0 * "
		"sum(t.result = 'won') / NULLIF(sum(t.result IN ('won', 'lost')), 0), 1) AS "
		"win_rate_pct, round(avg(CASE WHEN t.our_price_fen > 0 AND t.winning_price_fen > "
		"0 THEN 100.0 * t.our_price_fen / t.winning_price_fen END), 1) AS "
		"price_vs_winner_pct, round(avg(CASE WHEN t.our_price_fen > 0 AND t.budget_fen > "
		"0 THEN 100.0 * t.our_price_fen / t.budget_fen END), 1) AS price_vs_budget_pct "
		"FROM tenders t LEFT JOIN opportunities o ON o.id = t.opportunity_id WHERE "
		"t.result <> 'pending' AND COALESCE(t.opening, t.bid_deadline, '') >= ? AND "
		"COALESCE(t.opening, t.bid_deadline, '') <= ?");
	qb_text(&q, from);
	qb_text(&q, to);
	qb_scope_owner(&q, s, "t.owner_id");
	qb_sql(&q, " GROUP BY COALESCE(o.product_line_code, ''), t.method ORDER BY tenders DESC");
	err = db_rows(st, &q, out, e);
	qb_release(&q);
	return err;
}

/* test_store_pipeline.c: the pipeline in the store (src/store/
 * store_pipeline.c, store_opportunity.c, store_tender.c) through its public
 * functions, on a fresh database in a temporary file: a funnel over a
 * scripted history worked out by hand (entries, value, advanced,
 * conversion, days in stage, won and lost, win rates, stalled deals), its
 * cuts by owner and unit and the scopes; leads from the checklist to the
 * opportunity that keeps their source; lines that set the amount and are
 * range-checked; and who sees which leads, opportunities and tenders. The
 * tests share the database and run in order. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "store_fixture.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/hash.h"
#include "store/db.h"
#include "store/store.h"
#include "store/store_customer.h"
#include "store/store_org.h"
#include "store/store_pipeline.h"
#include "store/store_user.h"

/* HQ <- R <- {A, B}: mgr.a manages A (rep.a1, rep.a2); rep.b1 is in B. */
static int64_t hq, reg, team_a, team_b;
static int64_t mgr_a, rep_a1, rep_a2, rep_b1, dir;
static struct scope s_mgr_a, s_rep_a1, s_rep_a2, s_rep_b1, s_dir;
static int64_t inst_a1, inst_b1, dept_a1, product, competitor;

static int64_t mk_inst(const struct scope *who, const char *name)
{
	struct inst_fields f;
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	inst_fields_init(&f);
	f.name = name;
	f.province_code = "PP";
	f.city = "城";
	begin();
	if (store_inst_create(st, who, &f, &id, &e))
		fail_msg("store_inst_create %s: %s", name, e.message);
	commit();
	return id;
}

static void today_plus(int days, char *buf)
{
	date_format(date_of_instant(date_now()) + days, buf);
}

/* Noon in Shanghai on y-m-d, as an instant. */
static int64_t noon(int y, int m, int d)
{
	return (int64_t)date_from_ymd(y, m, d) * 86400 - DATE_TZ_OFFSET_SECONDS + 12 * 3600;
}

static int setup(void **state)
{
	(void)state;
	if (fixture_open("pipe"))
		return -1;
	hq = mk_unit("P-HQ", "company", 0);
	reg = mk_unit("P-R", "region", hq);
	team_a = mk_unit("P-A", "team", reg);
	team_b = mk_unit("P-B", "team", reg);
	mgr_a = mk_user("mgr.a", "manager", team_a, &s_mgr_a, ROLE_MANAGER);
	rep_a1 = mk_user("rep.a1", "rep", team_a, &s_rep_a1, ROLE_REP);
	rep_a2 = mk_user("rep.a2", "rep", team_a, &s_rep_a2, ROLE_REP);
	rep_b1 = mk_user("rep.b1", "rep", team_b, &s_rep_b1, ROLE_REP);
	dir = mk_user("dir", "director", hq, &s_dir, ROLE_DIRECTOR);
	mk_ref(REF_REGIONS, "RR", NULL);
	mk_ref(REF_PROVINCES, "PP", "RR");
	mk_ref(REF_PRODUCT_LINES, "PL", NULL);
	inst_a1 = mk_inst(&s_rep_a1, "甲医院");
	inst_b1 = mk_inst(&s_rep_b1, "乙医院");
	{
		struct dept_fields df = { "放射科", NULL, NULL, NULL, 0 };
		struct product_fields pf = { 0 };
		struct ms_error e = MS_ERROR_INIT;
		pf.product_line_code = "PL";
		pf.name = "CT";
		pf.spec = "64";
		pf.list_price_fen = 100;
		pf.active = 1;
		begin();
		if (store_dept_create(st, &s_rep_a1, inst_a1, &df, &dept_a1, &e) ||
		    store_product_create(st, &sys, &pf, &product, &e) ||
		    store_competitor_create(st, &sys, "对手", "domestic", "", &competitor, &e))
			fail_msg("setup: %s", e.message);
		commit();
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_close();
	return 0;
}

static int end_tx(void **state)
{
	(void)state;
	if (st->in_tx)
		store_rollback(st);
	return 0;
}

/* An opportunity of who's at inst, with the department when dept, one line
 * of amount_fen when amount_fen > 0. */
static int64_t mk_opp(const struct scope *who, int64_t inst, int64_t dept, const char *name,
		      int64_t amount_fen)
{
	struct opp_fields f;
	struct ms_error e = MS_ERROR_INIT;
	char close[11];
	int64_t id = 0;
	opp_fields_init(&f);
	today_plus(30, close);
	f.name = name;
	f.institution_id = inst;
	f.expected_close_date = close;
	if (dept)
		f.department_id = dept;
	begin();
	if (store_opp_create(st, who, &f, &id, &e))
		fail_msg("store_opp_create %s: %s", name, e.message);
	if (amount_fen > 0) {
		json_t *lines = json_pack("[{s:I, s:i, s:I}]", "product_id", (json_int_t)product,
					  "quantity", 1, "unit_price_fen", (json_int_t)amount_fen);
		if (store_opp_set_lines(st, who, id, lines, &e))
			fail_msg("store_opp_set_lines %s: %s", name, e.message);
		json_decref(lines);
	}
	commit();
	return id;
}

static void move(const struct scope *who, int64_t id, const char *code)
{
	struct ms_error e = MS_ERROR_INIT;
	begin();
	if (!strcmp(code, "LOST")) {
		if (store_opp_move(st, who, id, code, "价格", competitor, &e))
			fail_msg("move %lld to %s: %s", (long long)id, code, e.message);
	} else if (store_opp_move(st, who, id, code, NULL, UNSET, &e)) {
		fail_msg("move %lld to %s: %s", (long long)id, code, e.message);
	}
	commit();
}

/* Moves along codes[1..n-1] now, then dates the history at[0..n-1]. */
static int64_t scripted(const struct scope *who, int64_t inst, int64_t dept, const char *name,
			int64_t amount, const char *const *codes, const int64_t *at, int n)
{
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = mk_opp(who, inst, dept, name, amount);
	for (int i = 1; i < n; i++)
		move(who, id, codes[i]);
	begin();
	if (store_opp_backdate(st, id, codes, at, n, &e))
		fail_msg("backdate %s: %s", name, e.message);
	commit();
	return id;
}

static json_t *funnel(const struct scope *s, int64_t unit, int64_t owner)
{
	struct funnel_cut c = { 0 };
	struct ms_error e = MS_ERROR_INIT;
	json_t *out = NULL;
	c.from = "2026-01-01";
	c.to = "2026-06-30";
	c.unit_id = unit;
	c.owner_id = owner;
	if (store_report_funnel(st, s, &c, &out, &e))
		fail_msg("funnel: %s", e.message);
	return out;
}

static json_t *stage_row(json_t *f, const char *code)
{
	json_t *row;
	size_t i;
	json_t *stages = json_object_get(f, "stages");
	json_array_foreach(stages, i, row)
	{
		if (!strcmp(json_string_value(json_object_get(row, "stage_code")), code))
			return row;
	}
	return NULL;
}

static int64_t iv(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_integer(v))
		fail_msg("'%s' is not an integer", k);
	return json_integer_value(v);
}

static double rv(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_number(v))
		fail_msg("'%s' is not a number", k);
	return json_number_value(v);
}

static void check_stage(json_t *f, const char *code, int64_t entered, int64_t fen, int64_t adv,
			double conv, double avg_days)
{
	json_t *row = stage_row(f, code);
	if (!row)
		fail_msg("no row for %s", code);
	assert_int_equal(iv(row, "entered"), entered);
	assert_int_equal(iv(row, "entered_fen"), fen);
	assert_int_equal(iv(row, "advanced"), adv);
	if (conv < 0)
		assert_true(json_is_null(json_object_get(row, "conversion_pct")));
	else
		assert_float_equal(rv(row, "conversion_pct"), conv, 1e-9);
	if (avg_days < 0)
		assert_true(json_is_null(json_object_get(row, "avg_days")));
	else
		assert_float_equal(rv(row, "avg_days"), avg_days, 1e-9);
}

/* ---- the funnel ---- */

static const char *const P1[] = { "LEAD_CONFIRMED", "NEED_CONFIRMED", "SOLUTION", "WON" };
static const char *const P2[] = { "LEAD_CONFIRMED", "NEED_CONFIRMED", "LOST" };
static const char *const P3[] = { "LEAD_CONFIRMED", "NEED_CONFIRMED", "SOLUTION",
				  "NEED_CONFIRMED" };
static const char *const P4[] = { "LEAD_CONFIRMED" };
static const char *const P5[] = { "LEAD_CONFIRMED", "NEED_CONFIRMED", "SOLUTION" };

/* The history, by hand (period 2026-01-01 .. 06-30, every entry at noon):
 *   O1 1,000,000: LEAD 01-05, NEED 01-15, SOLUTION 02-04, WON 03-06
 *   O2 2,000,000: LEAD 01-10, NEED 01-20, LOST 02-19
 *   O3   500,000: LEAD 02-01, NEED 02-11, SOLUTION 03-03, NEED 03-13 (back)
 *   O4   300,000: LEAD 03-01
 *   O5   800,000: LEAD 2025-12-20 (before), NEED 01-09, SOLUTION 07-10 (after)
 *   O6 (rep.b1) 700,000: LEAD 01-07
 * rep.a1's funnel:
 *   LEAD: O1 O2 O3 O4 = 4, 3,800,000; advanced O1 O2 O3 = 3, 75.0 %;
 *         10 days each: 10.0
 *   NEED: entries O1 O2 O3 O3 O5; deals O1 O2 O3 O5 = 4 (O3's second
 *         entry on 03-13 is a re-entry: 1), 4,300,000 (first entries);
 *         advanced from the first entry O1 (to 3), O3 (to 3), O5 (to 3);
 *         not O2 (lost) = 3, 75.0 %; days of every stay that ended
 *         20, 30, 20, 182 = 63.0
 *   SOLUTION: O1 O3 = 2, 1,500,000; advanced O1 (to WON) = 1, 50.0 %;
 *         days 30, 10 = 20.0
 *   WON 1, 1,000,000; LOST 1, 2,000,000; no conversion
 *   closed: won 1, lost 1, win rate 50.0 %, by value 1/3 = 33.3 %
 *   stalled: O3, O4, O5 open and untouched since the spring = 3 */
static void test_funnel_hand_computed(void **state)
{
	const int64_t t1[] = { noon(2026, 1, 5), noon(2026, 1, 15), noon(2026, 2, 4),
			       noon(2026, 3, 6) };
	const int64_t t2[] = { noon(2026, 1, 10), noon(2026, 1, 20), noon(2026, 2, 19) };
	const int64_t t3[] = { noon(2026, 2, 1), noon(2026, 2, 11), noon(2026, 3, 3),
			       noon(2026, 3, 13) };
	const int64_t t4[] = { noon(2026, 3, 1) };
	const int64_t t5[] = { noon(2025, 12, 20), noon(2026, 1, 9), noon(2026, 7, 10) };
	const int64_t t6[] = { noon(2026, 1, 7) };
	json_t *f, *closed;
	(void)state;

	scripted(&s_rep_a1, inst_a1, dept_a1, "O1", 1000000, P1, t1, 4);
	scripted(&s_rep_a1, inst_a1, dept_a1, "O2", 2000000, P2, t2, 3);
	scripted(&s_rep_a1, inst_a1, dept_a1, "O3", 500000, P3, t3, 4);
	scripted(&s_rep_a1, inst_a1, dept_a1, "O4", 300000, P4, t4, 1);
	scripted(&s_rep_a1, inst_a1, dept_a1, "O5", 800000, P5, t5, 3);
	scripted(&s_rep_b1, inst_b1, 0, "O6", 700000, P4, t6, 1);

	f = funnel(&s_rep_a1, 0, 0);
	assert_int_equal(json_array_size(json_object_get(f, "stages")), 5);
	check_stage(f, "LEAD_CONFIRMED", 4, 3800000, 3, 75.0, 10.0);
	check_stage(f, "NEED_CONFIRMED", 4, 4300000, 3, 75.0, 63.0);
	check_stage(f, "SOLUTION", 2, 1500000, 1, 50.0, 20.0);
	assert_int_equal(iv(stage_row(f, "NEED_CONFIRMED"), "reentries"), 1);
	assert_int_equal(iv(stage_row(f, "NEED_CONFIRMED"), "entries"), 5);
	check_stage(f, "WON", 1, 1000000, 0, -1, -1);
	check_stage(f, "LOST", 1, 2000000, 0, -1, -1);
	/* in stage order */
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(f, "stages"), 0), "stage_code")),
			    "LEAD_CONFIRMED");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(f, "stages"), 4), "stage_code")),
			    "LOST");
	closed = json_object_get(f, "closed");
	assert_int_equal(iv(closed, "won"), 1);
	assert_int_equal(iv(closed, "lost"), 1);
	assert_int_equal(iv(closed, "won_fen"), 1000000);
	assert_int_equal(iv(closed, "lost_fen"), 2000000);
	assert_float_equal(rv(closed, "win_rate_pct"), 50.0, 1e-9);
	assert_float_equal(rv(closed, "win_rate_value_pct"), 33.3, 1e-9);
	assert_int_equal(iv(f, "stalled_open"), 3);
	json_decref(f);

	/* the same through the owner cut (director), the unit cut and the
	 * manager's scope: rep.b1's O6 is not in team A */
	f = funnel(&s_dir, 0, rep_a1);
	check_stage(f, "LEAD_CONFIRMED", 4, 3800000, 3, 75.0, 10.0);
	assert_int_equal(iv(f, "stalled_open"), 3);
	json_decref(f);
	f = funnel(&s_dir, team_a, 0);
	check_stage(f, "LEAD_CONFIRMED", 4, 3800000, 3, 75.0, 10.0);
	check_stage(f, "NEED_CONFIRMED", 4, 4300000, 3, 75.0, 63.0);
	json_decref(f);
	f = funnel(&s_mgr_a, 0, 0);
	check_stage(f, "LEAD_CONFIRMED", 4, 3800000, 3, 75.0, 10.0);
	assert_int_equal(iv(f, "stalled_open"), 3);
	json_decref(f);
	/* the company: O6 too (LEAD 5 entries, 4,500,000; 3 of 5 = 60.0 %) */
	f = funnel(&s_dir, 0, 0);
	check_stage(f, "LEAD_CONFIRMED", 5, 4500000, 3, 60.0, 10.0);
	/* the daily summary less the period's re-entries: the same deals */
	check_stage(f, "NEED_CONFIRMED", 4, 4300000, 3, 75.0, 63.0);
	assert_int_equal(iv(stage_row(f, "NEED_CONFIRMED"), "reentries"), 1);
	assert_int_equal(iv(stage_row(f, "NEED_CONFIRMED"), "entries"), 5);
	assert_int_equal(iv(stage_row(f, "LEAD_CONFIRMED"), "reentries"), 0);
	assert_int_equal(iv(f, "stalled_open"), 4);
	json_decref(f);
	/* rep.b1 sees only O6; rep.a2 nothing */
	f = funnel(&s_rep_b1, 0, 0);
	assert_int_equal(json_array_size(json_object_get(f, "stages")), 1);
	check_stage(f, "LEAD_CONFIRMED", 1, 700000, 0, 0.0, -1);
	assert_true(json_is_null(json_object_get(json_object_get(f, "closed"), "win_rate_pct")));
	json_decref(f);
	f = funnel(&s_rep_a2, 0, 0);
	assert_int_equal(json_array_size(json_object_get(f, "stages")), 0);
	assert_int_equal(iv(json_object_get(f, "closed"), "won"), 0);
	json_decref(f);
	/* a rep naming another owner or unit gets nothing more than their own */
	f = funnel(&s_rep_a2, 0, rep_a1);
	assert_int_equal(json_array_size(json_object_get(f, "stages")), 0);
	json_decref(f);
	f = funnel(&s_mgr_a, team_b, 0);
	assert_int_equal(json_array_size(json_object_get(f, "stages")), 0);
	json_decref(f);
}

/* The closed deals keep their stage and closing date after the backdating. */
static void test_funnel_records_moves(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	json_t *o = NULL, *h;
	int64_t id = mk_opp(&s_rep_a1, inst_a1, dept_a1, "回退", 100);
	(void)state;
	move(&s_rep_a1, id, "NEED_CONFIRMED");
	move(&s_rep_a1, id, "SOLUTION");
	move(&s_rep_a1, id, "LEAD_CONFIRMED"); /* backwards: allowed, recorded */
	assert_int_equal(store_opp_get(st, &s_rep_a1, id, &o, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(o, "stage_code")), "LEAD_CONFIRMED");
	h = json_object_get(o, "stage_history");
	assert_int_equal(json_array_size(h), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 3), "stage_code")),
			    "LEAD_CONFIRMED");
	assert_true(json_is_null(json_object_get(json_array_get(h, 3), "left_at")));
	assert_false(json_is_null(json_object_get(json_array_get(h, 2), "left_at")));
	json_decref(o);
	/* won: closed for good */
	move(&s_rep_a1, id, "WON");
	begin();
	assert_int_equal(store_opp_move(st, &s_rep_a1, id, "NEGOTIATION", NULL, UNSET, &e),
			 MS_EINVAL);
	assert_string_equal(e.code, "closed");
	store_rollback(st);
	/* lost needs the reason and the winner */
	id = mk_opp(&s_rep_a1, inst_a1, dept_a1, "输单", 100);
	begin();
	assert_int_equal(store_opp_move(st, &s_rep_a1, id, "LOST", NULL, UNSET, &e), MS_EINVAL);
	assert_string_equal(e.field, "lost_reason");
	assert_int_equal(store_opp_move(st, &s_rep_a1, id, "LOST", "价格", UNSET, &e), MS_EINVAL);
	assert_string_equal(e.field, "won_competitor_id");
	assert_int_equal(store_opp_move(st, &s_rep_a1, id, "LOST", "价格", 999999, &e), MS_EINVAL);
	assert_string_equal(e.field, "won_competitor_id");
	store_rollback(st);
	/* TENDER needs competitors; NEED needs the department */
	id = mk_opp(&s_rep_a1, inst_a1, 0, "无科室", 100);
	begin();
	assert_int_equal(store_opp_move(st, &s_rep_a1, id, "NEED_CONFIRMED", NULL, UNSET, &e),
			 MS_EINVAL);
	assert_string_equal(e.field, "department_id");
	assert_int_equal(store_opp_move(st, &s_rep_a1, id, "TENDER", NULL, UNSET, &e), MS_EINVAL);
	assert_string_equal(e.field, "competitors");
	store_rollback(st);
}

/* ---- leads ---- */

static void test_lead_convert_keeps_source(void **state)
{
	struct lead_fields f;
	struct ms_error e = MS_ERROR_INIT;
	json_t *cl, *lead = NULL, *opp = NULL;
	int64_t id = 0, opp_id = 0;
	char close[11];
	(void)state;

	lead_fields_init(&f);
	f.source = "exhibition";
	f.institution_id = inst_a1;
	f.department_id = dept_a1;
	f.product_line_code = "PL";
	f.estimated_value_fen = 1234500;
	begin();
	assert_int_equal(store_lead_create(st, &s_rep_a1, &f, &id, &e), MS_OK);
	commit();
	today_plus(60, close);
	/* not qualified: no conversion */
	begin();
	assert_int_equal(
		store_lead_convert(st, &s_rep_a1, id, "转化", UNSET, close, UNSET, &opp_id, &e),
		MS_EINVAL);
	assert_string_equal(e.code, "not_qualified");
	/* the checklist: one item unticked, named */
	assert_int_equal(store_lead_decide(st, &s_rep_a1, id, 1, NULL, &e), MS_EINVAL);
	assert_string_equal(e.code, "checklist");
	assert_string_equal(e.field, "budget_confirmed");
	store_rollback(st);
	cl = json_pack("{s:b, s:b, s:b, s:b}", "budget_confirmed", 1, "decision_maker_known", 1,
		       "need_confirmed", 1, "timeline", 0);
	lead_fields_init(&f);
	f.checklist = cl;
	begin();
	assert_int_equal(store_lead_update(st, &s_rep_a1, id, 1, &f, &e), MS_OK);
	commit();
	json_decref(cl);
	begin();
	assert_int_equal(store_lead_decide(st, &s_rep_a1, id, 1, NULL, &e), MS_EINVAL);
	assert_string_equal(e.field, "timeline");
	/* rejecting needs a reason */
	assert_int_equal(store_lead_decide(st, &s_rep_a1, id, 0, "", &e), MS_EINVAL);
	assert_string_equal(e.field, "reason");
	store_rollback(st);
	cl = json_pack("{s:b, s:b, s:b, s:b}", "budget_confirmed", 1, "decision_maker_known", 1,
		       "need_confirmed", 1, "timeline", 1);
	lead_fields_init(&f);
	f.checklist = cl;
	begin();
	assert_int_equal(store_lead_update(st, &s_rep_a1, id, 2, &f, &e), MS_OK);
	assert_int_equal(store_lead_decide(st, &s_rep_a1, id, 1, NULL, &e), MS_OK);
	/* another rep cannot convert it (not visible) */
	assert_int_equal(
		store_lead_convert(st, &s_rep_a2, id, "越权", UNSET, close, UNSET, &opp_id, &e),
		MS_ENOTFOUND);
	assert_int_equal(
		store_lead_convert(st, &s_rep_a1, id, "转化", UNSET, close, UNSET, &opp_id, &e),
		MS_OK);
	commit();
	json_decref(cl);
	assert_int_equal(store_opp_get(st, &s_rep_a1, opp_id, &opp, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(opp, "source")), "exhibition");
	assert_int_equal(iv(opp, "lead_id"), id);
	assert_int_equal(iv(opp, "institution_id"), inst_a1);
	assert_int_equal(iv(opp, "department_id"), dept_a1);
	assert_int_equal(iv(opp, "amount_fen"), 1234500);
	assert_int_equal(iv(opp, "owner_id"), rep_a1);
	assert_string_equal(json_string_value(json_object_get(opp, "product_line_code")), "PL");
	assert_string_equal(json_string_value(json_object_get(opp, "stage_code")),
			    "LEAD_CONFIRMED");
	json_decref(opp);
	assert_int_equal(store_lead_get(st, &s_rep_a1, id, &lead, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(lead, "status")), "converted");
	assert_int_equal(iv(lead, "opportunity_id"), opp_id);
	json_decref(lead);
	/* converted: no second conversion, no edit */
	begin();
	assert_int_equal(
		store_lead_convert(st, &s_rep_a1, id, "再转", UNSET, close, UNSET, &opp_id, &e),
		MS_EINVAL);
	lead_fields_init(&f);
	f.need = "x";
	assert_int_equal(store_lead_update(st, &s_rep_a1, id, 4, &f, &e), MS_EINVAL);
	assert_string_equal(e.code, "closed");
	store_rollback(st);
}

/* ---- lines ---- */

static int64_t opp_amount(int64_t id, size_t *nlines)
{
	struct ms_error e = MS_ERROR_INIT;
	json_t *o = NULL;
	int64_t a;
	assert_int_equal(store_opp_get(st, &s_dir, id, &o, &e), MS_OK);
	a = iv(o, "amount_fen");
	*nlines = json_array_size(json_object_get(o, "lines"));
	json_decref(o);
	return a;
}

static void test_lines_set_amount(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = mk_opp(&s_rep_a1, inst_a1, dept_a1, "行项目", 0);
	size_t n;
	json_t *l;
	(void)state;
	assert_int_equal(opp_amount(id, &n), 0);
	assert_int_equal(n, 0);
	/* 2 x 1,500 + 3 x 100 = 3,300 */
	l = json_pack("[{s:I, s:i, s:i}, {s:I, s:i, s:i}]", "product_id", (json_int_t)product,
		      "quantity", 2, "unit_price_fen", 1500, "product_id", (json_int_t)product,
		      "quantity", 3, "unit_price_fen", 100);
	begin();
	assert_int_equal(store_opp_set_lines(st, &s_rep_a1, id, l, &e), MS_OK);
	commit();
	json_decref(l);
	assert_int_equal(opp_amount(id, &n), 3300);
	assert_int_equal(n, 2);
	/* replaced, not added */
	l = json_pack("[{s:I, s:i, s:i}]", "product_id", (json_int_t)product, "quantity", 1,
		      "unit_price_fen", 10);
	begin();
	assert_int_equal(store_opp_set_lines(st, &s_rep_a1, id, l, &e), MS_OK);
	commit();
	json_decref(l);
	assert_int_equal(opp_amount(id, &n), 10);
	assert_int_equal(n, 1);
	/* out of range: named; the caller's rollback leaves the old lines */
	{
		static const struct {
			int64_t qty, price;
			const char *field;
		} bad[] = { { 0, 10, "quantity" },
			    { 100001, 10, "quantity" },
			    { -1, 10, "quantity" },
			    { 1, -1, "unit_price_fen" },
			    { 1, PIPELINE_MAX_PRICE_FEN + 1, "unit_price_fen" },
			    { 100000, PIPELINE_MAX_PRICE_FEN, "lines" } };
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			l = json_pack("[{s:I, s:I, s:I}]", "product_id", (json_int_t)product,
				      "quantity", (json_int_t)bad[i].qty, "unit_price_fen",
				      (json_int_t)bad[i].price);
			begin();
			assert_int_equal(store_opp_set_lines(st, &s_rep_a1, id, l, &e), MS_EINVAL);
			assert_string_equal(e.field, bad[i].field);
			store_rollback(st);
			json_decref(l);
			assert_int_equal(opp_amount(id, &n), 10);
			assert_int_equal(n, 1);
		}
	}
	/* the limits themselves pass: 100,000 x 1 and 1 x 10^12 */
	l = json_pack("[{s:I, s:i, s:i}, {s:I, s:i, s:I}]", "product_id", (json_int_t)product,
		      "quantity", 100000, "unit_price_fen", 1, "product_id", (json_int_t)product,
		      "quantity", 1, "unit_price_fen", (json_int_t)PIPELINE_MAX_PRICE_FEN);
	begin();
	assert_int_equal(store_opp_set_lines(st, &s_rep_a1, id, l, &e), MS_OK);
	commit();
	json_decref(l);
	assert_int_equal(opp_amount(id, &n), 100000 + PIPELINE_MAX_PRICE_FEN);
	/* someone else's deal: not found */
	l = json_pack("[]");
	begin();
	assert_int_equal(store_opp_set_lines(st, &s_rep_b1, id, l, &e), MS_ENOTFOUND);
	store_rollback(st);
	json_decref(l);
}

/* ---- scope ---- */

static int64_t opp_total(const struct scope *s, const char *q)
{
	struct opp_filter f;
	struct page pg = { 200, 0, NULL };
	struct ms_error e = MS_ERROR_INIT;
	json_t *res = NULL;
	int64_t total;
	opp_filter_init(&f);
	f.q = q;
	assert_int_equal(store_opp_list(st, s, &f, &pg, &res, &e), MS_OK);
	total = iv(res, "total");
	assert_int_equal((int64_t)json_array_size(json_object_get(res, "items")), total);
	json_decref(res);
	return total;
}

static void test_scope_of_lists(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct lead_fields lf;
	struct lead_filter lfil = { 0 };
	struct tender_fields tf;
	struct tender_filter tfil = { 0 };
	struct page pg = { 200, 0, NULL };
	int64_t a1, b1, lead, tender;
	json_t *res = NULL, *team;
	(void)state;

	a1 = mk_opp(&s_rep_a1, inst_a1, 0, "范围甲", 0);
	b1 = mk_opp(&s_rep_b1, inst_b1, 0, "范围乙", 0);
	assert_int_equal(opp_total(&s_rep_a1, "范围"), 1);
	assert_int_equal(opp_total(&s_rep_a2, "范围"), 0);
	assert_int_equal(opp_total(&s_rep_b1, "范围"), 1);
	assert_int_equal(opp_total(&s_mgr_a, "范围"), 1);
	assert_int_equal(opp_total(&s_dir, "范围"), 2);
	assert_int_equal(store_opp_visible(st, &s_mgr_a, a1, &e), MS_OK);
	assert_int_equal(store_opp_visible(st, &s_mgr_a, b1, &e), MS_ENOTFOUND);
	assert_int_equal(store_opp_visible(st, &s_rep_a2, a1, &e), MS_ENOTFOUND);
	/* a rep may not create a deal at an institution they cannot see */
	{
		struct opp_fields f;
		char close[11];
		int64_t id;
		opp_fields_init(&f);
		today_plus(10, close);
		f.name = "越权";
		f.institution_id = inst_b1;
		f.expected_close_date = close;
		begin();
		assert_int_equal(store_opp_create(st, &s_rep_a1, &f, &id, &e), MS_EINVAL);
		assert_string_equal(e.field, "institution_id");
		/* nor one closing yesterday */
		today_plus(-1, close);
		f.institution_id = inst_a1;
		assert_int_equal(store_opp_create(st, &s_rep_a1, &f, &id, &e), MS_EINVAL);
		assert_string_equal(e.code, "in_past");
		assert_string_equal(e.field, "expected_close_date");
		store_rollback(st);
	}
	/* a project's team member sees the deal */
	begin();
	assert_int_equal(store_project_start(st, &s_rep_a1, a1, mgr_a, &e), MS_OK);
	team = json_pack("[{s:I, s:s}, {s:I, s:s}]", "user_id", (json_int_t)rep_a1, "role", "sales",
			 "user_id", (json_int_t)rep_b1, "role", "technical");
	assert_int_equal(store_project_set_team(st, &s_rep_a1, a1, team, &e), MS_OK);
	commit();
	json_decref(team);
	assert_int_equal(store_opp_visible(st, &s_rep_b1, a1, &e), MS_OK);
	assert_int_equal(opp_total(&s_rep_b1, "范围"), 2);
	assert_int_equal(store_opp_visible(st, &s_rep_a2, a1, &e), MS_ENOTFOUND);

	/* leads */
	lead_fields_init(&lf);
	lf.source = "inbound";
	lf.new_institution_name = "新医院范围";
	begin();
	assert_int_equal(store_lead_create(st, &s_rep_b1, &lf, &lead, &e), MS_OK);
	commit();
	lfil.q = "新医院范围";
	assert_int_equal(store_lead_list(st, &s_rep_b1, &lfil, &pg, &res, &e), MS_OK);
	assert_int_equal(iv(res, "total"), 1);
	json_decref(res);
	assert_int_equal(store_lead_list(st, &s_mgr_a, &lfil, &pg, &res, &e), MS_OK);
	assert_int_equal(iv(res, "total"), 0);
	json_decref(res);
	assert_int_equal(store_lead_list(st, &s_dir, &lfil, &pg, &res, &e), MS_OK);
	assert_int_equal(iv(res, "total"), 1);
	json_decref(res);
	assert_int_equal(store_lead_get(st, &s_rep_a1, lead, &res, &e), MS_ENOTFOUND);

	/* tenders */
	tender_fields_init(&tf);
	tf.project_name = "范围招标";
	tf.method = "open";
	tf.institution_id = inst_b1;
	begin();
	assert_int_equal(store_tender_create(st, &s_rep_b1, &tf, &tender, &e), MS_OK);
	commit();
	tfil.q = "范围招标";
	tfil.due_within_days = -1;
	assert_int_equal(store_tender_list(st, &s_rep_b1, &tfil, &pg, &res, &e), MS_OK);
	assert_int_equal(iv(res, "total"), 1);
	json_decref(res);
	assert_int_equal(store_tender_list(st, &s_mgr_a, &tfil, &pg, &res, &e), MS_OK);
	assert_int_equal(iv(res, "total"), 0);
	json_decref(res);
	assert_int_equal(store_tender_get(st, &s_rep_a1, tender, &res, &e), MS_ENOTFOUND);
	/* a tender on someone else's deal cannot be created */
	tender_fields_init(&tf);
	tf.project_name = "越权招标";
	tf.method = "open";
	tf.opportunity_id = b1;
	begin();
	assert_int_equal(store_tender_create(st, &s_rep_a2, &tf, &tender, &e), MS_EINVAL);
	assert_string_equal(e.field, "opportunity_id");
	store_rollback(st);
}

/* Reordering renumbers the stages 1..n in the order given (issue 11); a
 * wrong list changes nothing; the original order comes back. */
static void test_stage_reorder(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	json_t *list = NULL,
	       *swapped = json_pack("[s,s,s,s,s,s,s,s]", "LEAD_CONFIRMED", "SOLUTION",
				    "NEED_CONFIRMED", "APPROVAL", "TENDER", "NEGOTIATION", "WON",
				    "LOST"),
	       *back = json_pack("[s,s,s,s,s,s,s,s]", "LEAD_CONFIRMED", "NEED_CONFIRMED",
				 "SOLUTION", "APPROVAL", "TENDER", "NEGOTIATION", "WON", "LOST"),
	       *bad = json_pack("[s,s,s,s,s,s,s,s]", "LEAD_CONFIRMED", "NEED_CONFIRMED", "WON",
				"SOLUTION", "APPROVAL", "TENDER", "NEGOTIATION", "LOST");
	(void)state;
	begin();
	assert_int_equal(store_stage_reorder(st, &s_dir, bad, &e), MS_EINVAL);
	assert_string_equal(e.code, "order");
	assert_int_equal(store_stage_reorder(st, &s_dir, swapped, &e), MS_OK);
	assert_int_equal(store_stage_list(st, &list, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "code")),
			    "SOLUTION");
	assert_int_equal(iv(json_array_get(list, 1), "position"), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 2), "code")),
			    "NEED_CONFIRMED");
	assert_int_equal(iv(json_array_get(list, 2), "position"), 3);
	json_decref(list);
	assert_int_equal(store_stage_reorder(st, &s_dir, back, &e), MS_OK);
	assert_int_equal(store_stage_list(st, &list, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "code")),
			    "NEED_CONFIRMED");
	assert_int_equal(iv(json_array_get(list, 7), "position"), 8);
	commit();
	json_decref(list);
	json_decref(swapped);
	json_decref(back);
	json_decref(bad);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_funnel_hand_computed, end_tx),
		cmocka_unit_test_teardown(test_funnel_records_moves, end_tx),
		cmocka_unit_test_teardown(test_lead_convert_keeps_source, end_tx),
		cmocka_unit_test_teardown(test_lines_set_amount, end_tx),
		cmocka_unit_test_teardown(test_stage_reorder, end_tx),
		cmocka_unit_test_teardown(test_scope_of_lists, end_tx),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

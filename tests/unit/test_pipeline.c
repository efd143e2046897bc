/* test_pipeline.c: the pipeline rules of src/domain/pipeline.c: stage moves
 * and what each stage requires, the close-date and checklist checks, the
 * working-day arithmetic, the statutory tender clock for every method and
 * interval (exactly the minimum passes, one day less fails naming the
 * milestone), the derived deadlines, the next deadline and the 2 % bond
 * limit. Weekdays and day counts were worked out by hand and checked with
 * Python's datetime (2026-03-02, 2026-06-01 and 2026-11-23 are Mondays). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/date.h"
#include "domain/pipeline.h"

/* The stages of migration 0005. */
static const struct stage LEAD = { "LEAD_CONFIRMED", 1, 10, 0, 0, "expected_close_date" };
static const struct stage NEED = {
	"NEED_CONFIRMED", 2, 20, 0, 0, "expected_close_date,department"
};
static const struct stage SOLUTION = { "SOLUTION", 3, 35, 0, 0, "amount,lines" };
static const struct stage TENDER = { "TENDER", 5, 65, 0, 0, "amount,lines,competitors" };
static const struct stage NEGOTIATION = { "NEGOTIATION", 6, 80, 0, 0, "amount,lines" };
static const struct stage WON = { "WON", 7, 100, 1, 0, "amount,lines" };
static const struct stage LOST = { "LOST", 8, 0, 0, 1, "lost_reason,won_competitor" };

/* An opportunity that has everything. */
static const struct opp_facts FULL = { 100, 1, 1, 1, 1, 1, 1, 1 };

static int32_t D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static void expect_fail(enum ms_err got, const struct ms_error *e, const char *code,
			const char *field)
{
	assert_int_equal(got, MS_EINVAL);
	assert_int_equal(e->err, MS_EINVAL);
	assert_string_equal(e->code, code);
	assert_string_equal(e->field, field);
}

/* ---- stage moves ---- */

static void test_move_closed(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	expect_fail(stage_move_check(&WON, &NEGOTIATION, &FULL, &e), &e, "closed", "stage_code");
	ms_error_clear(&e);
	expect_fail(stage_move_check(&WON, &LOST, &FULL, &e), &e, "closed", "stage_code");
	ms_error_clear(&e);
	expect_fail(stage_move_check(&LOST, &LEAD, &FULL, &e), &e, "closed", "stage_code");
	ms_error_clear(&e);
	/* closed even towards itself: the closed check comes first */
	expect_fail(stage_move_check(&LOST, &LOST, &FULL, &e), &e, "closed", "stage_code");
}

static void test_move_same_stage(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	expect_fail(stage_move_check(&SOLUTION, &SOLUTION, &FULL, &e), &e, "invalid", "stage_code");
}

static void test_move_forward_backward(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	assert_int_equal(stage_move_check(&LEAD, &NEED, &FULL, &e), MS_OK);
	/* skipping stages is allowed when the target's requirements hold */
	assert_int_equal(stage_move_check(&LEAD, &NEGOTIATION, &FULL, &e), MS_OK);
	/* backwards among open stages: allowed (deals slip) */
	assert_int_equal(stage_move_check(&NEGOTIATION, &SOLUTION, &FULL, &e), MS_OK);
	assert_int_equal(stage_move_check(&TENDER, &LEAD, &FULL, &e), MS_OK);
	/* creation: no from */
	assert_int_equal(stage_move_check(NULL, &LEAD, &FULL, &e), MS_OK);
	assert_int_equal(stage_move_check(&NEGOTIATION, &WON, &FULL, &e), MS_OK);
	assert_int_equal(stage_move_check(&LEAD, &LOST, &FULL, &e), MS_OK);
}

static void test_move_each_requirement(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct opp_facts f;
	const struct stage custom = { "CUSTOM", 4, 50, 0, 0, "tender" };
	(void)state;

	f = FULL;
	f.has_close_date = 0;
	expect_fail(stage_move_check(NULL, &LEAD, &f, &e), &e, "required", "expected_close_date");
	f = FULL;
	f.has_department = 0;
	expect_fail(stage_move_check(&LEAD, &NEED, &f, &e), &e, "required", "department_id");
	/* the department is not needed further on */
	assert_int_equal(stage_move_check(&LEAD, &SOLUTION, &f, &e), MS_OK);
	f = FULL;
	f.amount_fen = 0;
	expect_fail(stage_move_check(&NEED, &SOLUTION, &f, &e), &e, "required", "amount_fen");
	f.amount_fen = -5;
	expect_fail(stage_move_check(&NEED, &SOLUTION, &f, &e), &e, "required", "amount_fen");
	f = FULL;
	f.lines = 0;
	expect_fail(stage_move_check(&NEED, &SOLUTION, &f, &e), &e, "required", "lines");
	expect_fail(stage_move_check(&NEGOTIATION, &WON, &f, &e), &e, "required", "lines");
	f = FULL;
	f.competitors = 0;
	expect_fail(stage_move_check(&SOLUTION, &TENDER, &f, &e), &e, "required", "competitors");
	f = FULL;
	f.tenders = 0;
	expect_fail(stage_move_check(&SOLUTION, &custom, &f, &e), &e, "required", "tender");
	f = FULL;
	f.has_lost_reason = 0;
	expect_fail(stage_move_check(&SOLUTION, &LOST, &f, &e), &e, "required", "lost_reason");
	f = FULL;
	f.has_won_competitor = 0;
	expect_fail(stage_move_check(&SOLUTION, &LOST, &f, &e), &e, "required",
		    "won_competitor_id");
	/* both missing: the first in the list is named */
	f.has_lost_reason = 0;
	expect_fail(stage_move_check(&SOLUTION, &LOST, &f, &e), &e, "required", "lost_reason");
	/* nothing at all: a stage without requirements still takes it */
	memset(&f, 0, sizeof(f));
	{
		const struct stage bare = { "BARE", 2, 20, 0, 0, "" };
		const struct stage spaced = { "SPACED", 3, 30, 0, 0, " amount , lines " };
		assert_int_equal(stage_move_check(&LEAD, &bare, &f, &e), MS_OK);
		expect_fail(stage_move_check(&LEAD, &spaced, &f, &e), &e, "required", "amount_fen");
		f.amount_fen = 1;
		expect_fail(stage_move_check(&LEAD, &spaced, &f, &e), &e, "required", "lines");
	}
}

static void test_stage_requires_check(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	assert_int_equal(stage_requires_check("", &e), MS_OK);
	assert_int_equal(stage_requires_check(NULL, &e), MS_OK);
	assert_int_equal(stage_requires_check("amount,lines,department,expected_close_date,"
					      "tender,competitors,lost_reason,won_competitor",
					      &e),
			 MS_OK);
	assert_int_equal(stage_requires_check(" amount , ,lines,", &e), MS_OK);
	expect_fail(stage_requires_check("amount,colour", &e), &e, "invalid", "requires");
	expect_fail(stage_requires_check("Amount", &e), &e, "invalid", "requires");
	expect_fail(stage_requires_check("department_id", &e), &e, "invalid", "requires");
	expect_fail(stage_requires_check("amountlines", &e), &e, "invalid", "requires");
}

static void test_close_date(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	int32_t today = D(2026, 11, 27);
	(void)state;
	assert_int_equal(opp_close_date_check(today, today, 1, &e), MS_OK);
	assert_int_equal(opp_close_date_check(today + 1, today, 1, &e), MS_OK);
	expect_fail(opp_close_date_check(today - 1, today, 1, &e), &e, "in_past",
		    "expected_close_date");
	/* a closed deal keeps its past date */
	assert_int_equal(opp_close_date_check(today - 400, today, 0, &e), MS_OK);
}

static void test_checklist(void **state)
{
	const int all[] = { 1, 1, 1, 1 }, one_missing[] = { 1, 1, 0, 1 }, none[] = { 0 };
	(void)state;
	assert_true(lead_checklist_complete(all, 4));
	assert_true(lead_checklist_complete(all, 1));
	assert_false(lead_checklist_complete(one_missing, 4));
	assert_true(lead_checklist_complete(one_missing, 2));
	assert_false(lead_checklist_complete(none, 1));
	/* an empty checklist qualifies nothing */
	assert_false(lead_checklist_complete(all, 0));
}

/* ---- working days ---- */

static void test_working_days_between(void **state)
{
	(void)state;
	/* Mon 2026-11-23 .. Fri 11-27: Tue Wed Thu Fri */
	assert_int_equal(working_days_between(NULL, D(2026, 11, 23), D(2026, 11, 27)), 4);
	/* to Sat and Sun: still 4 */
	assert_int_equal(working_days_between(NULL, D(2026, 11, 23), D(2026, 11, 28)), 4);
	assert_int_equal(working_days_between(NULL, D(2026, 11, 23), D(2026, 11, 29)), 4);
	/* Mon .. next Mon: 5 */
	assert_int_equal(working_days_between(NULL, D(2026, 11, 23), D(2026, 11, 30)), 5);
	/* Fri .. Sat, Sun: 0; Fri .. Mon: 1 */
	assert_int_equal(working_days_between(NULL, D(2026, 11, 27), D(2026, 11, 28)), 0);
	assert_int_equal(working_days_between(NULL, D(2026, 11, 27), D(2026, 11, 29)), 0);
	assert_int_equal(working_days_between(NULL, D(2026, 11, 27), D(2026, 11, 30)), 1);
	/* Sat 11-28 .. Fri 12-04: Mon..Fri */
	assert_int_equal(working_days_between(NULL, D(2026, 11, 28), D(2026, 12, 4)), 5);
	/* Thu 11-26 .. Wed 12-09: Fri, Mon-Fri, Mon-Wed = 9 */
	assert_int_equal(working_days_between(NULL, D(2026, 11, 26), D(2026, 12, 9)), 9);
	/* two weeks, and across a year end: Wed 2025-12-31 .. Wed 2026-01-14 = 10 */
	assert_int_equal(working_days_between(NULL, D(2026, 11, 23), D(2026, 12, 7)), 10);
	assert_int_equal(working_days_between(NULL, D(2025, 12, 31), D(2026, 1, 14)), 10);
	/* Sun 2026-11-29 .. Sat 2027-01-02 (34 days): 5 weeks less the weekend = 25 */
	assert_int_equal(working_days_between(NULL, D(2026, 11, 29), D(2027, 1, 2)), 25);
	/* empty and reversed */
	assert_int_equal(working_days_between(NULL, D(2026, 11, 23), D(2026, 11, 23)), 0);
	assert_int_equal(working_days_between(NULL, D(2026, 11, 30), D(2026, 11, 23)), 0);
}

static void test_add_working_days(void **state)
{
	(void)state;
	assert_int_equal(add_working_days(NULL, D(2026, 11, 23), 0), D(2026, 11, 23));
	assert_int_equal(add_working_days(NULL, D(2026, 11, 23), 4), D(2026, 11, 27));
	assert_int_equal(add_working_days(NULL, D(2026, 11, 23), 5), D(2026, 11, 30));
	/* Fri + 1 = Mon; Sat + 1 = Mon; Sun + 1 = Mon */
	assert_int_equal(add_working_days(NULL, D(2026, 11, 27), 1), D(2026, 11, 30));
	assert_int_equal(add_working_days(NULL, D(2026, 11, 28), 1), D(2026, 11, 30));
	assert_int_equal(add_working_days(NULL, D(2026, 11, 29), 1), D(2026, 11, 30));
	/* Fri 11-27 + 7: Mon .. Fri, Mon, Tue 12-08 */
	assert_int_equal(add_working_days(NULL, D(2026, 11, 27), 7), D(2026, 12, 8));
	/* Wed 2026-12-30 + 3: Thu 31, Fri 1, Mon 2027-01-04 */
	assert_int_equal(add_working_days(NULL, D(2026, 12, 30), 3), D(2027, 1, 4));
}

/* ---- the tender clock ---- */

/* A valid open tender announced on Monday 2026-03-02 (A): documents from A
 * to A + 7 (Mon, 5 working days), clarification at the deadline - 15,
 * deadline A + 20 (Sun 03-22), opening at the deadline, evaluation + 1,
 * award + 5, contract at award + 30. */
static struct tender_dates base(void)
{
	int32_t a = D(2026, 3, 2);
	struct tender_dates d;
	memset(&d, 0, sizeof(d));
	d.intent_notice = a - 30;
	d.announcement = a;
	d.doc_from = a;
	d.doc_to = a + 7;
	d.bid_deadline = a + 20;
	d.clarification = a + 5;
	d.opening = a + 20;
	d.evaluation = a + 21;
	d.award_notice = a + 25;
	d.challenge_deadline = a + 34;
	d.contract_deadline = a + 55;
	return d;
}

static void test_tender_open_valid(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct tender_dates d = base(), empty;
	(void)state;
	assert_int_equal(tender_dates_check("open", &d, NULL, &e), MS_OK);
	assert_int_equal(tender_dates_check("invited", &d, NULL, &e), MS_OK);
	/* nothing set: nothing to check */
	memset(&empty, 0, sizeof(empty));
	for (int i = 0; tender_methods[i]; i++)
		assert_int_equal(tender_dates_check(tender_methods[i], &empty, NULL, &e), MS_OK);
}

static void test_tender_intent_notice(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct tender_dates d = base();
	(void)state;
	d.intent_notice = d.announcement - 30;
	assert_int_equal(tender_dates_check("open", &d, NULL, &e), MS_OK);
	d.intent_notice = d.announcement - 29;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval",
		    "announcement");
	/* the rule holds for every method */
	expect_fail(tender_dates_check("rfq", &d, NULL, &e), &e, "statutory_interval",
		    "announcement");
	d.intent_notice = d.announcement + 1;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "announcement");
	/* Order across a gap: no announcement or document start between the
	 * intent (12-20) and the documents' end (12-01). */
	memset(&d, 0, sizeof(d));
	d.intent_notice = D(2026, 12, 20);
	d.doc_to = D(2026, 12, 1);
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "doc_to");
	d.doc_to = 0;
	d.bid_deadline = D(2026, 12, 1);
	expect_fail(tender_dates_check("rfq", &d, NULL, &e), &e, "order", "bid_deadline");
	d.bid_deadline = 0;
	d.announcement = D(2027, 1, 25);
	d.clarification = D(2027, 1, 20);
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "clarification");
}

static void test_tender_doc_window(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct tender_dates d = base();
	(void)state;
	/* Mon .. Mon = 5 working days: passes; Mon .. Fri, Sat, Sun = 4: fails */
	d.doc_to = d.doc_from + 7;
	assert_int_equal(tender_dates_check("open", &d, NULL, &e), MS_OK);
	for (int k = 4; k <= 6; k++) {
		d.doc_to = d.doc_from + k;
		expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval",
			    "doc_to");
	}
	/* from a Friday (03-06): Fri .. Fri 03-13 = 5 passes, .. Thu 03-12 = 4 fails */
	d.doc_from = D(2026, 3, 6);
	d.announcement = d.doc_from;
	d.intent_notice = 0;
	d.doc_to = D(2026, 3, 13);
	d.bid_deadline = d.doc_from + 20;
	d.clarification = d.bid_deadline - 15;
	d.opening = d.evaluation = d.award_notice = d.challenge_deadline = d.contract_deadline = 0;
	assert_int_equal(tender_dates_check("open", &d, NULL, &e), MS_OK);
	d.doc_to = D(2026, 3, 12);
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval", "doc_to");
	/* documents before the announcement */
	d = base();
	d.doc_from = d.announcement - 1;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "doc_from");
	d = base();
	d.doc_to = d.doc_from - 1;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "doc_to");
}

static void test_tender_clarification(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct tender_dates d = base();
	(void)state;
	d.clarification = d.bid_deadline - 15;
	assert_int_equal(tender_dates_check("open", &d, NULL, &e), MS_OK);
	d.clarification = d.bid_deadline - 14;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval",
		    "clarification");
	d.clarification = d.bid_deadline;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval",
		    "clarification");
	d.clarification = d.bid_deadline + 1;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "clarification");
}

/* Documents issued on Monday 2026-06-01 (I); only the dates this rule
 * reads. */
static struct tender_dates issued_on(int32_t issued, int32_t deadline)
{
	struct tender_dates d;
	memset(&d, 0, sizeof(d));
	d.announcement = issued;
	d.doc_from = issued;
	d.bid_deadline = deadline;
	return d;
}

static void test_tender_bid_deadline_by_method(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	int32_t i = D(2026, 6, 1), fri = D(2026, 6, 5);
	struct tender_dates d;
	(void)state;
	/* open and invited: 20 calendar days */
	d = issued_on(i, i + 20);
	assert_int_equal(tender_dates_check("open", &d, NULL, &e), MS_OK);
	assert_int_equal(tender_dates_check("invited", &d, NULL, &e), MS_OK);
	d = issued_on(i, i + 19);
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval",
		    "bid_deadline");
	expect_fail(tender_dates_check("invited", &d, NULL, &e), &e, "statutory_interval",
		    "bid_deadline");
	/* ...but 19 days are plenty for consultation (10) */
	assert_int_equal(tender_dates_check("consultation", &d, NULL, &e), MS_OK);
	/* doc_from unset: counted from the announcement */
	d = issued_on(i, i + 19);
	d.doc_from = 0;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval",
		    "bid_deadline");
	/* doc_from counts, not the announcement */
	d = issued_on(i, i + 25);
	d.doc_from = i + 6;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval",
		    "bid_deadline");
	d.doc_from = i + 5;
	assert_int_equal(tender_dates_check("open", &d, NULL, &e), MS_OK);
	/* consultation: 10 calendar days */
	d = issued_on(i, i + 10);
	assert_int_equal(tender_dates_check("consultation", &d, NULL, &e), MS_OK);
	d = issued_on(i, i + 9);
	expect_fail(tender_dates_check("consultation", &d, NULL, &e), &e, "statutory_interval",
		    "bid_deadline");
	/* negotiation and rfq: 3 working days; Mon .. Thu = 3, Mon .. Wed = 2 */
	d = issued_on(i, i + 3);
	assert_int_equal(tender_dates_check("negotiation", &d, NULL, &e), MS_OK);
	assert_int_equal(tender_dates_check("rfq", &d, NULL, &e), MS_OK);
	d = issued_on(i, i + 2);
	expect_fail(tender_dates_check("negotiation", &d, NULL, &e), &e, "statutory_interval",
		    "bid_deadline");
	expect_fail(tender_dates_check("rfq", &d, NULL, &e), &e, "statutory_interval",
		    "bid_deadline");
	/* from a Friday: Fri .. Tue = 2 fails, Fri .. Wed = 3 passes */
	d = issued_on(fri, fri + 4);
	expect_fail(tender_dates_check("rfq", &d, NULL, &e), &e, "statutory_interval",
		    "bid_deadline");
	d = issued_on(fri, fri + 5);
	assert_int_equal(tender_dates_check("rfq", &d, NULL, &e), MS_OK);
	/* single source: 5 working days from the announcement; Mon .. Mon = 5,
	 * Mon .. Sun = 4 */
	d = issued_on(i, i + 7);
	assert_int_equal(tender_dates_check("single_source", &d, NULL, &e), MS_OK);
	d = issued_on(i, i + 6);
	expect_fail(tender_dates_check("single_source", &d, NULL, &e), &e, "statutory_interval",
		    "bid_deadline");
	/* the documents' date does not matter for single source */
	d = issued_on(i, i + 7);
	d.doc_from = i + 6;
	assert_int_equal(tender_dates_check("single_source", &d, NULL, &e), MS_OK);
	/* no method: only the order */
	d = issued_on(i, i + 1);
	assert_int_equal(tender_dates_check(NULL, &d, NULL, &e), MS_OK);
}

static void test_tender_later_milestones(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct tender_dates d;
	(void)state;
	d = base();
	d.opening = d.bid_deadline - 1;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "opening");
	d = base();
	d.evaluation = d.opening - 1;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "evaluation");
	d = base();
	d.award_notice = d.evaluation - 1;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "award_notice");
	/* without an evaluation the award follows the opening */
	d = base();
	d.evaluation = 0;
	d.award_notice = d.opening - 1;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "award_notice");
	d = base();
	d.challenge_deadline = d.award_notice - 1;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "challenge_deadline");
	/* the contract within 30 days of the award */
	d = base();
	d.contract_deadline = d.award_notice + 30;
	assert_int_equal(tender_dates_check("open", &d, NULL, &e), MS_OK);
	d.contract_deadline = d.award_notice + 31;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval",
		    "contract_deadline");
	d.contract_deadline = d.award_notice - 1;
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "order", "contract_deadline");
}

static void test_tender_derive(void **state)
{
	struct tender_dates d;
	(void)state;
	memset(&d, 0, sizeof(d));
	/* award Fri 2026-11-27: challenge + 7 working days = Tue 12-08,
	 * contract + 30 days = Sun 12-27; opening = the deadline */
	d.bid_deadline = D(2026, 11, 20);
	d.award_notice = D(2026, 11, 27);
	tender_dates_derive(&d, NULL);
	assert_int_equal(d.challenge_deadline, D(2026, 12, 8));
	assert_int_equal(d.contract_deadline, D(2026, 12, 27));
	assert_int_equal(d.opening, D(2026, 11, 20));
	/* what is set stays */
	d.challenge_deadline = D(2026, 12, 1);
	d.contract_deadline = D(2026, 12, 10);
	d.opening = D(2026, 11, 21);
	tender_dates_derive(&d, NULL);
	assert_int_equal(d.challenge_deadline, D(2026, 12, 1));
	assert_int_equal(d.contract_deadline, D(2026, 12, 10));
	assert_int_equal(d.opening, D(2026, 11, 21));
	/* no award: nothing derived */
	memset(&d, 0, sizeof(d));
	d.announcement = D(2026, 11, 2);
	tender_dates_derive(&d, NULL);
	assert_int_equal(d.challenge_deadline, 0);
	assert_int_equal(d.contract_deadline, 0);
	assert_int_equal(d.opening, 0);
}

static void test_tender_next_deadline(void **state)
{
	struct tender_dates d = base();
	int32_t when = -1, a = D(2026, 3, 2);
	(void)state;
	/* before everything: the intent notice */
	assert_string_equal(tender_next_deadline(&d, "pending", a - 40, &when), "intent_notice");
	assert_int_equal(when, a - 30);
	/* on a milestone's day: that one ("on or after") */
	assert_string_equal(tender_next_deadline(&d, "pending", a, &when), "announcement");
	assert_int_equal(when, a);
	assert_string_equal(tender_next_deadline(&d, "pending", a + 1, &when), "clarification");
	assert_int_equal(when, a + 5);
	assert_string_equal(tender_next_deadline(&d, "pending", a + 6, &when), "doc_to");
	assert_int_equal(when, a + 7);
	/* the deadline and the opening share a day: the first listed */
	assert_string_equal(tender_next_deadline(&d, "pending", a + 8, &when), "bid_deadline");
	assert_int_equal(when, a + 20);
	assert_string_equal(tender_next_deadline(&d, "pending", a + 26, &when),
			    "challenge_deadline");
	assert_int_equal(when, a + 34);
	/* all past */
	assert_null(tender_next_deadline(&d, "pending", a + 56, &when));
	assert_int_equal(when, 0);
	memset(&d, 0, sizeof(d));
	assert_null(tender_next_deadline(&d, "pending", a, &when));
}

static void test_tender_bond(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	/* 2 % of 1,000,000 fen is 20,000 */
	assert_int_equal(tender_bond_check(20000, 1000000, &e), MS_OK);
	assert_int_equal(tender_bond_check(0, 1000000, &e), MS_OK);
	expect_fail(tender_bond_check(20001, 1000000, &e), &e, "statutory_limit", "bid_bond_fen");
	/* 2 % of 999 is 19.98: 19 passes, 20 fails */
	assert_int_equal(tender_bond_check(19, 999, &e), MS_OK);
	expect_fail(tender_bond_check(20, 999, &e), &e, "statutory_limit", "bid_bond_fen");
	expect_fail(tender_bond_check(-1, 1000000, &e), &e, "out_of_range", "bid_bond_fen");
	/* no budget known: a bond cannot be checked, so it needs the budget
	 * (issue 11); no bond and no budget is fine */
	expect_fail(tender_bond_check(500000, 0, &e), &e, "required", "budget_fen");
	expect_fail(tender_bond_check(1, 0, &e), &e, "required", "budget_fen");
	assert_int_equal(tender_bond_check(0, 0, &e), MS_OK);
	/* the largest budget the API takes */
	assert_int_equal(
		tender_bond_check(PIPELINE_MAX_AMOUNT_FEN / 50, PIPELINE_MAX_AMOUNT_FEN, &e),
		MS_OK);
	expect_fail(
		tender_bond_check(PIPELINE_MAX_AMOUNT_FEN / 50 + 1, PIPELINE_MAX_AMOUNT_FEN, &e),
		&e, "statutory_limit", "bid_bond_fen");
}

/* ---- the holiday calendar (issue 11) ----
 *
 * 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04), typed in from
 * the notice (not from migration 0013):
 *   元旦 01-01 (Thu) to 01-03 off, Sun 01-04 worked;
 *   春节 02-15 (Sun) to 02-23 (Mon) off, Sat 02-14 and Sat 02-28 worked;
 *   国庆 10-01 (Thu) to 10-07 (Wed) off, Sun 09-20 and Sat 10-10 worked.
 * (清明, 劳动节, 端午, 中秋 are left out: no window below reaches them.) */
static struct holiday cal2026_days[32];
static struct holiday_calendar cal2026;

static void add_days(int32_t from, int32_t to, char kind, const char *name)
{
	for (int32_t d = from; d <= to; d++)
		cal2026_days[cal2026.n++] = (struct holiday){ d, kind, name };
}

static const struct holiday_calendar *official_2026(void)
{
	if (cal2026.n)
		return &cal2026;
	cal2026.days = cal2026_days;
	add_days(D(2026, 1, 1), D(2026, 1, 3), 'h', "元旦");
	add_days(D(2026, 1, 4), D(2026, 1, 4), 'w', "元旦");
	add_days(D(2026, 2, 14), D(2026, 2, 14), 'w', "春节");
	add_days(D(2026, 2, 15), D(2026, 2, 23), 'h', "春节");
	add_days(D(2026, 2, 28), D(2026, 2, 28), 'w', "春节");
	add_days(D(2026, 9, 20), D(2026, 9, 20), 'w', "国庆节");
	add_days(D(2026, 10, 1), D(2026, 10, 7), 'h', "国庆节");
	add_days(D(2026, 10, 10), D(2026, 10, 10), 'w', "国庆节");
	return &cal2026;
}

static void test_working_days_spring_festival(void **state)
{
	const struct holiday_calendar *cal = official_2026();
	struct skipped_day sk[20];
	(void)state;
	assert_int_equal(cal->n, 24);
	assert_non_null(holiday_find(cal, D(2026, 2, 17)));
	assert_null(holiday_find(cal, D(2026, 2, 24)));
	assert_false(is_working_day(cal, D(2026, 2, 16))); /* a Monday of the holiday */
	assert_true(is_working_day(cal, D(2026, 2, 14)));  /* the make-up Saturday */
	assert_false(is_working_day(cal, D(2026, 3, 1)));  /* a plain Sunday */
	/* An award on Fri 02-13: the challenge window of 7 working days is
	 * Sat 02-14 (1, worked), [02-15..02-23 off], Tue 02-24 (2), 02-25 (3),
	 * 02-26 (4), Fri 02-27 (5), Sat 02-28 (6, worked), [Sun 03-01],
	 * Mon 03-02 (7): deadline 2026-03-02. Counting Monday to Friday only
	 * it was Tue 02-24, six days too early. */
	assert_int_equal(add_working_days(cal, D(2026, 2, 13), 7), D(2026, 3, 2));
	assert_int_equal(add_working_days(NULL, D(2026, 2, 13), 7), D(2026, 2, 24));
	assert_int_equal(working_days_between(cal, D(2026, 2, 13), D(2026, 3, 2)), 7);
	assert_int_equal(working_days_between(cal, D(2026, 2, 13), D(2026, 3, 1)), 6);
	/* what was skipped and what was worked, in date order: Sat 02-14
	 * worked, the nine days 02-15..02-23 off, Sat 02-28 worked, Sun 03-01 */
	assert_int_equal(working_days_skipped(cal, D(2026, 2, 13), D(2026, 3, 2), sk, 20), 12);
	assert_int_equal(sk[0].day, D(2026, 2, 14));
	assert_int_equal(sk[0].kind, 'w');
	assert_string_equal(sk[0].name, "春节");
	for (int i = 1; i <= 9; i++) {
		assert_int_equal(sk[i].day, D(2026, 2, 14) + i);
		assert_int_equal(sk[i].kind, 'h');
	}
	assert_int_equal(sk[10].day, D(2026, 2, 28));
	assert_int_equal(sk[10].kind, 'w');
	assert_int_equal(sk[11].day, D(2026, 3, 1));
	assert_int_equal(sk[11].kind, 's');
	assert_null(sk[11].name);
	/* the list is capped, the count is not */
	assert_int_equal(working_days_skipped(cal, D(2026, 2, 13), D(2026, 3, 2), sk, 2), 12);
	/* 元旦: 12-31 to 01-14 was 10 working days on weekdays; Thu 01-01 and
	 * Fri 01-02 are off and Sun 01-04 is worked: 9 */
	assert_int_equal(working_days_between(cal, D(2025, 12, 31), D(2026, 1, 14)), 9);
	assert_int_equal(working_days_between(NULL, D(2025, 12, 31), D(2026, 1, 14)), 10);
}

static void test_working_days_national_day(void **state)
{
	const struct holiday_calendar *cal = official_2026();
	struct ms_error e = MS_ERROR_INIT;
	struct tender_dates d;
	struct skipped_day sk[20];
	(void)state;
	/* An award on Mon 09-28: Tue 09-29 (1), Wed 09-30 (2), [10-01..10-07
	 * off], Thu 10-08 (3), Fri 10-09 (4), Sat 10-10 (5, worked), [Sun
	 * 10-11], Mon 10-12 (6), Tue 10-13 (7): challenge by 2026-10-13 (on
	 * weekdays only: Wed 10-07, in the middle of the holiday). */
	memset(&d, 0, sizeof(d));
	d.award_notice = D(2026, 9, 28);
	tender_dates_derive(&d, cal);
	assert_int_equal(d.challenge_deadline, D(2026, 10, 13));
	memset(&d, 0, sizeof(d));
	d.award_notice = D(2026, 9, 28);
	tender_dates_derive(&d, NULL);
	assert_int_equal(d.challenge_deadline, D(2026, 10, 7));
	/* skipped: 10-01..10-07 (holiday), Sun 10-11; worked: Sat 10-10 */
	assert_int_equal(working_days_skipped(cal, D(2026, 9, 28), D(2026, 10, 13), sk, 20), 9);
	assert_int_equal(sk[0].day, D(2026, 10, 1));
	assert_string_equal(sk[0].name, "国庆节");
	assert_int_equal(sk[6].day, D(2026, 10, 7));
	assert_int_equal(sk[7].day, D(2026, 10, 10));
	assert_int_equal(sk[7].kind, 'w');
	assert_int_equal(sk[8].day, D(2026, 10, 11));
	assert_int_equal(sk[8].kind, 's');
	/* Documents on sale from Tue 09-29: Wed 09-30 (1), Thu 10-08 (2), Fri
	 * 10-09 (3), Sat 10-10 (4, worked), Mon 10-12 (5): until 10-12 is
	 * the shortest legal window; until Sun 10-11 is 4 working days. On
	 * weekdays only, 10-09 looked like 8 working days. */
	memset(&d, 0, sizeof(d));
	d.doc_from = D(2026, 9, 29);
	d.doc_to = D(2026, 10, 12);
	assert_int_equal(tender_dates_check("open", &d, cal, &e), MS_OK);
	d.doc_to = D(2026, 10, 11);
	expect_fail(tender_dates_check("open", &d, cal, &e), &e, "statutory_interval", "doc_to");
	d.doc_to = D(2026, 10, 9);
	expect_fail(tender_dates_check("open", &d, cal, &e), &e, "statutory_interval", "doc_to");
	assert_int_equal(tender_dates_check("open", &d, NULL, &e), MS_OK);
	/* The make-up Sunday 09-20 counts: from Fri 09-18, Sun 09-20 (1), Mon
	 * 09-21 (2) .. Thu 09-24 (5); on weekdays only 09-24 is the 4th. */
	d.doc_from = D(2026, 9, 18);
	d.doc_to = D(2026, 9, 24);
	assert_int_equal(tender_dates_check("open", &d, cal, &e), MS_OK);
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval", "doc_to");
	/* Negotiation: 3 working days from documents on Wed 09-30: Thu 10-08,
	 * Fri 10-09, Sat 10-10 (worked) */
	memset(&d, 0, sizeof(d));
	d.doc_from = D(2026, 9, 30);
	d.bid_deadline = D(2026, 10, 10);
	assert_int_equal(tender_dates_check("negotiation", &d, cal, &e), MS_OK);
	d.bid_deadline = D(2026, 10, 9);
	expect_fail(tender_dates_check("negotiation", &d, cal, &e), &e, "statutory_interval",
		    "bid_deadline");
}

static void test_tender_intent_without_announcement(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct tender_dates d;
	(void)state;
	/* No announcement date: the procurement starts with the documents, and
	 * the intent notice must come 30 days before them (issue 11). Intent
	 * 2026-03-01, documents 03-30 (29 days) fails naming doc_from; 03-31
	 * (30 days) passes. */
	memset(&d, 0, sizeof(d));
	d.intent_notice = D(2026, 3, 1);
	d.doc_from = D(2026, 3, 30);
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval", "doc_from");
	d.doc_from = D(2026, 3, 31);
	assert_int_equal(tender_dates_check("open", &d, NULL, &e), MS_OK);
	/* with an announcement, the rule is checked on it as before */
	d.announcement = D(2026, 3, 30);
	expect_fail(tender_dates_check("open", &d, NULL, &e), &e, "statutory_interval",
		    "announcement");
}

static void test_tender_status_and_relevance(void **state)
{
	struct tender_dates d;
	struct tender_window w[TENDER_MAX_WINDOWS];
	int32_t when = 0, bid = D(2026, 11, 20);
	(void)state;
	memset(&d, 0, sizeof(d));
	d.announcement = bid - 25;
	d.doc_from = bid - 25;
	d.doc_to = bid - 15;
	d.bid_deadline = bid;
	d.opening = bid;
	/* in progress up to the day of the bids, then awaiting the result */
	assert_string_equal(tender_status(&d, "pending", bid), "in_progress");
	assert_string_equal(tender_status(&d, "pending", bid + 1), "awaiting_result");
	assert_string_equal(tender_status(&d, "lost", bid + 1), "lost");
	assert_string_equal(tender_status(&d, "won", bid + 1), "won");
	memset(&w, 0, sizeof(w));
	/* a lost tender's only milestone is its challenge deadline */
	d.award_notice = bid + 5;
	d.challenge_deadline = bid + 14;
	d.contract_deadline = bid + 35;
	assert_string_equal(tender_next_deadline(&d, "lost", bid + 6, &when), "challenge_deadline");
	assert_int_equal(when, bid + 14);
	assert_null(tender_next_deadline(&d, "lost", bid + 15, &when));
	assert_string_equal(tender_next_deadline(&d, "won", bid + 15, &when), "contract_deadline");
	assert_null(tender_next_deadline(&d, "cancelled", bid - 20, &when));
	assert_string_equal(tender_next_deadline(&d, "lost", bid - 20, &when),
			    "challenge_deadline");
	assert_true(tender_milestone_relevant("lost", "challenge_deadline"));
	assert_false(tender_milestone_relevant("lost", "contract_deadline"));
	assert_false(tender_milestone_relevant("failed", "challenge_deadline"));
	assert_true(tender_milestone_relevant("pending", "doc_to"));
	/* the windows counted in working days: documents and challenge for an
	 * open tender; the bid window too for negotiation */
	assert_int_equal(tender_working_windows("open", &d, w), 2);
	assert_string_equal(w[0].milestone, "doc_to");
	assert_int_equal(w[0].rule_days, 5);
	assert_string_equal(w[1].milestone, "challenge_deadline");
	assert_string_equal(w[1].from_milestone, "award_notice");
	assert_int_equal(w[1].rule_days, 7);
	assert_int_equal(tender_working_windows("negotiation", &d, w), 3);
	assert_string_equal(w[1].milestone, "bid_deadline");
	assert_int_equal(w[1].rule_days, 3);
}

/* ---- closed deals, amounts, reopen (issue 11) ---- */

static void test_frozen(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	assert_int_equal(opp_frozen_check(0, &e), MS_OK);
	expect_fail(opp_frozen_check(1, &e), &e, "closed", "stage_code");
}

static void test_amount_with_lines(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	/* without lines any amount; with lines exactly their sum */
	assert_int_equal(opp_amount_check(0, 0, 1, &e), MS_OK);
	assert_int_equal(opp_amount_check(2, 80000000, 80000000, &e), MS_OK);
	expect_fail(opp_amount_check(2, 80000000, 1, &e), &e, "lines_total", "amount_fen");
	ms_error_clear(&e);
	expect_fail(opp_amount_check(1, 80000000, 80000001, &e), &e, "lines_total", "amount_fen");
}

static void test_reopen(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	assert_int_equal(opp_reopen_check(&WON, &NEGOTIATION, "客户追加", &e), MS_OK);
	assert_int_equal(opp_reopen_check(&LOST, &SOLUTION, "重新招标", &e), MS_OK);
	expect_fail(opp_reopen_check(&NEGOTIATION, &SOLUTION, "x", &e), &e, "not_closed",
		    "stage_code");
	ms_error_clear(&e);
	expect_fail(opp_reopen_check(&WON, &NEGOTIATION, "", &e), &e, "required", "reason");
	ms_error_clear(&e);
	expect_fail(opp_reopen_check(&WON, &NEGOTIATION, NULL, &e), &e, "required", "reason");
	ms_error_clear(&e);
	expect_fail(opp_reopen_check(&LOST, &WON, "x", &e), &e, "invalid", "stage_code");
	ms_error_clear(&e);
	expect_fail(opp_reopen_check(&LOST, NULL, "x", &e), &e, "invalid", "stage_code");
}

/* ---- stage order and new stages ---- */

static void test_stage_order(void **state)
{
	const struct stage all[] = { LEAD, NEED, SOLUTION, TENDER, NEGOTIATION, WON, LOST };
	const char *swapped[] = {
		"LEAD_CONFIRMED", "SOLUTION", "NEED_CONFIRMED", "TENDER", "NEGOTIATION",
		"LOST",		  "WON"
	};
	const char *closed_early[] = { "LEAD_CONFIRMED", "NEED_CONFIRMED", "SOLUTION", "WON",
				       "TENDER",	 "NEGOTIATION",	   "LOST" };
	const char *twice[] = { "LEAD_CONFIRMED",
				"LEAD_CONFIRMED",
				"SOLUTION",
				"TENDER",
				"NEGOTIATION",
				"WON",
				"LOST" };
	const char *stranger[] = { "LEAD_CONFIRMED",
				   "NEED_CONFIRMED",
				   "SOLUTION",
				   "TENDER",
				   "NEGOTIATION",
				   "WON",
				   "NOPE" };
	const char *short_list[] = { "LEAD_CONFIRMED", "NEED_CONFIRMED", "SOLUTION",
				     "TENDER",	       "NEGOTIATION",	 "WON" };
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	assert_int_equal(stage_order_check(all, 7, swapped, 7, &e), MS_OK);
	expect_fail(stage_order_check(all, 7, closed_early, 7, &e), &e, "order", "codes");
	assert_non_null(strstr(e.message, "TENDER"));
	ms_error_clear(&e);
	expect_fail(stage_order_check(all, 7, twice, 7, &e), &e, "invalid", "codes");
	assert_non_null(strstr(e.message, "twice"));
	ms_error_clear(&e);
	expect_fail(stage_order_check(all, 7, stranger, 7, &e), &e, "invalid", "codes");
	assert_non_null(strstr(e.message, "NOPE"));
	ms_error_clear(&e);
	expect_fail(stage_order_check(all, 7, short_list, 6, &e), &e, "invalid", "codes");
	assert_non_null(strstr(e.message, "LOST"));
}

static void test_stage_code_and_insert(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	assert_int_equal(stage_code_check("TRIAL", &e), MS_OK);
	assert_int_equal(stage_code_check("S2_BUDGET", &e), MS_OK);
	assert_int_equal(stage_code_check("Trial_mx1", &e), MS_OK);
	expect_fail(stage_code_check("_TRIAL", &e), &e, "invalid", "code");
	ms_error_clear(&e);
	expect_fail(stage_code_check("TRIAL 2", &e), &e, "invalid", "code");
	ms_error_clear(&e);
	expect_fail(stage_code_check("T", &e), &e, "invalid", "code");
	ms_error_clear(&e);
	expect_fail(stage_code_check("2ND", &e), &e, "invalid", "code");
	ms_error_clear(&e);
	expect_fail(stage_code_check("A-B", &e), &e, "invalid", "code");
	ms_error_clear(&e);
	expect_fail(stage_code_check("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", &e), &e, "invalid",
		    "code"); /* 33 */
	ms_error_clear(&e);
	expect_fail(stage_code_check(NULL, &e), &e, "invalid", "code");
	ms_error_clear(&e);
	/* the default pipeline: WON is at 7 */
	assert_int_equal(stage_insert_check(1, 7, &e), MS_OK);
	assert_int_equal(stage_insert_check(7, 7, &e), MS_OK);
	assert_int_equal(stage_insert_check(8, 7, &e), MS_EINVAL);
	assert_string_equal(e.field, "position");
	ms_error_clear(&e);
	assert_int_equal(stage_insert_check(0, 7, &e), MS_EINVAL);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_closed),
		cmocka_unit_test(test_move_same_stage),
		cmocka_unit_test(test_move_forward_backward),
		cmocka_unit_test(test_move_each_requirement),
		cmocka_unit_test(test_stage_requires_check),
		cmocka_unit_test(test_close_date),
		cmocka_unit_test(test_checklist),
		cmocka_unit_test(test_working_days_between),
		cmocka_unit_test(test_add_working_days),
		cmocka_unit_test(test_tender_open_valid),
		cmocka_unit_test(test_tender_intent_notice),
		cmocka_unit_test(test_tender_doc_window),
		cmocka_unit_test(test_tender_clarification),
		cmocka_unit_test(test_tender_bid_deadline_by_method),
		cmocka_unit_test(test_tender_later_milestones),
		cmocka_unit_test(test_tender_derive),
		cmocka_unit_test(test_tender_next_deadline),
		cmocka_unit_test(test_tender_bond),
		cmocka_unit_test(test_working_days_spring_festival),
		cmocka_unit_test(test_working_days_national_day),
		cmocka_unit_test(test_tender_intent_without_announcement),
		cmocka_unit_test(test_tender_status_and_relevance),
		cmocka_unit_test(test_frozen),
		cmocka_unit_test(test_amount_with_lines),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_stage_order),
		cmocka_unit_test(test_stage_code_and_insert),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

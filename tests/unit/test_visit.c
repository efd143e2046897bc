/* test_visit.c: src/domain/visit.c: each effective-visit criterion passing
 * and failing with its reason, distance and check-in classification, each
 * warning sign, frequency due and overdue, proposal ranking, and iCalendar
 * escaping and folding. Distances were worked out with Python's math
 * module (haversine, R = 6371008.8 m), days and weekdays with datetime. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/parse.h"
#include "base/strbuf.h"
#include "domain/pipeline.h"
#include "domain/visit.h"

#define DAY_2026_11_23 20780 /* a Monday */
#define DAY_2026_11_27 20784 /* a Friday */
#define T0 1795742400LL	     /* 2026-11-27T09:20:00+08:00 */

/* A visit that meets the default definition. */
static void good_visit(struct visit_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->type = "in_person";
	f->status = "completed";
	f->check_in_at = T0;
	f->check_out_at = T0 + 30 * 60;
	f->logged_at = T0 + 2 * 3600;
	f->location_status = "verified";
	f->contact_roles = visit_role_bit("DECISION_MAKER");
	f->ncontacts = 1;
	f->steps_done = 6;
	f->has_objective = f->has_outcome = f->has_next_step = 1;
}

static unsigned eval(const struct visit_definition *d, const struct visit_facts *f, int *ok)
{
	unsigned r = 0;
	*ok = visit_evaluate(d, f, &r);
	return r;
}

#define BIT(x) (1u << (x))

static void test_effective_all_pass(void **state)
{
	struct visit_definition d;
	struct visit_facts f;
	int ok;
	(void)state;
	visit_definition_default(&d);
	good_visit(&f);
	assert_int_equal(eval(&d, &f, &ok), 0);
	assert_true(ok);
}

static void test_effective_each_criterion(void **state)
{
	struct visit_definition d;
	struct visit_facts f;
	int ok;
	(void)state;
	visit_definition_default(&d);

	good_visit(&f);
	f.status = "checked_out";
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_NOT_COMPLETED));
	assert_false(ok);

	good_visit(&f);
	f.check_in_at = 0;
	f.check_out_at = 0;
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_NO_CHECK_IN));

	good_visit(&f);
	f.location_status = "unverified";
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_LOCATION_UNVERIFIED));
	f.location_explained = 1; /* explained: counts */
	assert_int_equal(eval(&d, &f, &ok), 0);
	assert_true(ok);

	good_visit(&f);
	f.location_status = "suspicious";
	f.location_explained = 1; /* no explanation makes a far check-in count */
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_LOCATION_SUSPICIOUS));

	good_visit(&f);
	f.check_out_at = 0;
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_NO_CHECK_OUT));

	good_visit(&f);
	f.check_out_at = T0 + 9 * 60 + 59; /* under 10 minutes */
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_TOO_SHORT));
	f.check_out_at = T0 + 10 * 60; /* exactly 10: counts */
	assert_int_equal(eval(&d, &f, &ok), 0);

	good_visit(&f);
	f.ncontacts = 0;
	f.contact_roles = 0;
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_NO_CONTACT));

	good_visit(&f);
	f.contact_roles = visit_role_bit("USER");
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_NO_DECISION_CONTACT));
	f.contact_roles |= visit_role_bit("GATEKEEPER");
	assert_int_equal(eval(&d, &f, &ok), 0);

	good_visit(&f);
	f.steps_done = 4;
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_TOO_FEW_STEPS));
	f.steps_done = 5;
	assert_int_equal(eval(&d, &f, &ok), 0);

	good_visit(&f);
	f.has_objective = 0;
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_NO_OBJECTIVE));

	good_visit(&f);
	f.has_outcome = 0;
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_NO_OUTCOME));

	good_visit(&f);
	f.has_next_step = 0;
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_NO_NEXT_STEP));

	good_visit(&f);
	f.logged_at = f.check_out_at + 24 * 3600 + 1;
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_LOGGED_LATE));
	f.logged_at = f.check_out_at + 24 * 3600;
	assert_int_equal(eval(&d, &f, &ok), 0);

	/* Several at once. */
	good_visit(&f);
	f.has_outcome = 0;
	f.ncontacts = 0;
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_NO_OUTCOME) | BIT(VR_NO_CONTACT));
}

static void test_effective_configurable(void **state)
{
	struct visit_definition d;
	struct visit_facts f;
	int ok;
	(void)state;
	visit_definition_default(&d);
	d.require_location = 0;
	d.min_minutes = 0;
	d.require_contact = 0;
	d.min_steps = 0;
	d.require_objective = d.require_outcome = d.require_next_step = 0;
	d.log_within_hours = 0;
	memset(&f, 0, sizeof(f));
	f.type = "in_person";
	f.status = "completed";
	assert_int_equal(eval(&d, &f, &ok), 0); /* only "completed" is left */

	/* A phone call needs no location, but still a check-in for time. */
	visit_definition_default(&d);
	good_visit(&f);
	f.type = "phone";
	f.location_status = "none";
	assert_int_equal(eval(&d, &f, &ok), 0);
	f.check_in_at = 0;
	f.check_out_at = 0;
	assert_int_equal(eval(&d, &f, &ok), BIT(VR_NO_CHECK_IN));

	assert_string_equal(visit_reason_code(VR_LOGGED_LATE), "logged_late");
	assert_string_equal(visit_reason_code(VR_NO_DECISION_CONTACT), "no_decision_contact");
}

static void test_definition_and_rules_check(void **state)
{
	struct visit_definition d;
	struct visit_rules r;
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	visit_definition_default(&d);
	assert_int_equal(visit_definition_check(&d, &e), MS_OK);
	d.min_steps = 11;
	assert_int_equal(visit_definition_check(&d, &e), MS_EINVAL);
	assert_string_equal(e.field, "min_steps");
	visit_definition_default(&d);
	d.contact_roles = 0;
	assert_int_equal(visit_definition_check(&d, &e), MS_EINVAL);
	assert_string_equal(e.field, "contact_roles");

	visit_rules_default(&r);
	assert_int_equal(visit_rules_check(&r, &e), MS_OK);
	r.suspicious_m = r.verified_m - 1;
	assert_int_equal(visit_rules_check(&r, &e), MS_EINVAL);
	assert_string_equal(e.field, "suspicious_m");
}

static void test_distance(void **state)
{
	(void)state;
	/* Shanghai - Beijing: 1067311.645 m. */
	assert_float_equal(visit_distance_m(31.2304, 121.4737, 39.9042, 116.4074), 1067311.645,
			   0.01);
	assert_float_equal(visit_distance_m(31.0, 121.0, 31.001, 121.0), 111.195, 0.001);
	assert_float_equal(visit_distance_m(31.0, 121.0, 31.0, 121.01), 953.128, 0.001);
	assert_float_equal(visit_distance_m(31.0, 121.0, 31.0, 121.0), 0.0, 1e-9);
}

static void test_coords(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	assert_int_equal(visit_check_coords(31.2, 121.4, "latitude", "longitude", &e), MS_OK);
	assert_int_equal(visit_check_coords(90.5, 121.4, "latitude", "longitude", &e), MS_EINVAL);
	assert_string_equal(e.field, "latitude");
	assert_int_equal(visit_check_coords(31.2, -180.01, "latitude", "longitude", &e), MS_EINVAL);
	assert_string_equal(e.field, "longitude");
	assert_string_equal(e.code, "out_of_range");
}

static void test_classify(void **state)
{
	struct visit_rules r;
	double dist;
	const char *why;
	(void)state;
	visit_rules_default(&r); /* verified <= 500 m, suspicious > 3000 m */

	assert_int_equal(visit_classify(&r, 1, 31.001, 121.0, 20, 1, 31.0, 121.0, &dist, &why),
			 VL_VERIFIED);
	assert_string_equal(why, "within");
	assert_float_equal(dist, 111.195, 0.001);
	/* 953 m: outside the campus, not suspicious. */
	assert_int_equal(visit_classify(&r, 1, 31.0, 121.01, -1, 1, 31.0, 121.0, &dist, &why),
			 VL_UNVERIFIED);
	assert_string_equal(why, "outside");
	/* 33.4 km away. */
	assert_int_equal(visit_classify(&r, 1, 31.3, 121.0, 10, 1, 31.0, 121.0, &dist, &why),
			 VL_SUSPICIOUS);
	assert_string_equal(why, "far");
	assert_int_equal(visit_classify(&r, 0, 0, 0, -1, 1, 31.0, 121.0, &dist, &why),
			 VL_UNVERIFIED);
	assert_string_equal(why, "no_position");
	assert_true(dist < 0);
	assert_int_equal(visit_classify(&r, 1, 31.0, 121.0, -1, 0, 0, 0, &dist, &why),
			 VL_UNVERIFIED);
	assert_string_equal(why, "institution_no_location");
	assert_int_equal(visit_classify(&r, 1, 31.001, 121.0, 800, 1, 31.0, 121.0, &dist, &why),
			 VL_UNVERIFIED);
	assert_string_equal(why, "low_accuracy");
	assert_string_equal(visit_loc_name(VL_SUSPICIOUS), "suspicious");
}

static void test_warnings(void **state)
{
	struct visit_rules r;
	struct visit_day_item it[4];
	(void)state;
	visit_rules_default(&r);

	/* A plain day: 30-minute visits an hour apart, 953 m apart. */
	memset(it, 0, sizeof(it));
	for (int i = 0; i < 3; i++) {
		it[i].check_in_at = T0 + i * 3600;
		it[i].check_out_at = it[i].check_in_at + 1800;
		it[i].logged_at = it[i].check_out_at + 600;
		it[i].has_pos = 1;
		it[i].lat = 31.0;
		it[i].lon = 121.0 + 0.01 * i;
	}
	visit_day_warnings(&r, it, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(it[i].warnings, 0);

	/* 33.4 km in 10 minutes (200 km/h): the later one is too fast. Given
	 * out of order on purpose. */
	memset(it, 0, sizeof(it));
	it[0].check_in_at = T0 + 600;
	it[0].has_pos = 1;
	it[0].lat = 31.3;
	it[0].lon = 121.0;
	it[1].check_in_at = T0;
	it[1].has_pos = 1;
	it[1].lat = 31.0;
	it[1].lon = 121.0;
	visit_day_warnings(&r, it, 2);
	assert_int_equal(it[0].warnings, BIT(VW_TOO_FAST));
	assert_int_equal(it[1].warnings, 0);
	/* The same move in 20 minutes is 100 km/h: fine. */
	it[0].check_in_at = T0 + 1200;
	visit_day_warnings(&r, it, 2);
	assert_int_equal(it[0].warnings, 0);

	/* Identical coordinates three times. */
	memset(it, 0, sizeof(it));
	for (int i = 0; i < 3; i++) {
		it[i].check_in_at = T0 + i * 3600;
		it[i].has_pos = 1;
		it[i].lat = 31.123456;
		it[i].lon = 121.654321;
	}
	visit_day_warnings(&r, it, 2);
	assert_int_equal(it[0].warnings, 0); /* twice is not yet a sign */
	visit_day_warnings(&r, it, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(it[i].warnings, BIT(VW_REPEATED_COORDS));

	/* Short, and logged long after. */
	memset(it, 0, sizeof(it));
	it[0].check_in_at = T0;
	it[0].check_out_at = T0 + 4 * 60;
	it[1].check_in_at = T0 + 3600;
	it[1].check_out_at = T0 + 3600 + 5 * 60; /* exactly 5 minutes: fine */
	it[1].logged_at = it[1].check_out_at + 24 * 3600;
	visit_day_warnings(&r, it, 2);
	assert_int_equal(it[0].warnings, BIT(VW_SHORT));
	assert_int_equal(it[1].warnings, BIT(VW_LATE_LOG));
	assert_string_equal(visit_warning_code(VW_REPEATED_COORDS), "repeated_coords");
}

static void test_due(void **state)
{
	int32_t due;
	(void)state;
	/* Never visited. */
	assert_int_equal(visit_due_status(-1, 4, DAY_2026_11_27, &due), VD_NEVER);
	assert_int_equal(due, DAY_2026_11_27);
	/* 4 a month: every 8 days (30/4 rounded). Last 2026-11-17: due 11-25. */
	assert_int_equal(visit_due_status(DAY_2026_11_27 - 10, 4, DAY_2026_11_27, &due),
			 VD_OVERDUE);
	assert_int_equal(due, DAY_2026_11_27 - 2);
	/* Last 11-21: due 11-29, within two days: due. */
	assert_int_equal(visit_due_status(DAY_2026_11_27 - 6, 4, DAY_2026_11_27, &due), VD_DUE);
	assert_int_equal(due, DAY_2026_11_27 + 2);
	/* Last 11-24: due 12-02. */
	assert_int_equal(visit_due_status(DAY_2026_11_27 - 3, 4, DAY_2026_11_27, &due), VD_OK);
	/* 1 a month: every 30 days. */
	assert_int_equal(visit_due_status(DAY_2026_11_27 - 30, 1, DAY_2026_11_27, &due), VD_DUE);
	assert_int_equal(due, DAY_2026_11_27);
	/* 0 a month: never due. */
	assert_int_equal(visit_due_status(-1, 0, DAY_2026_11_27, &due), VD_OK);
	assert_string_equal(visit_due_name(VD_OVERDUE), "overdue");

	assert_int_equal(visit_required(4, 30), 4);
	assert_int_equal(visit_required(4, 31), 4);
	assert_int_equal(visit_required(4, 7), 1);
	assert_int_equal(visit_required(2, 92), 6);
	assert_int_equal(visit_required(1, 1), 1);
	assert_int_equal(visit_required(0, 30), 0);

	/* Due by the 8th of a 31-day month: A 4 a month -> 4 x 8 / 31 = 1.03
	 * -> 1; C 1 a month -> 0.26 -> 0 (not yet due); all on the last day. */
	assert_int_equal(visit_due_by(4, 8, 31), 1);
	assert_int_equal(visit_due_by(1, 8, 31), 0);
	assert_int_equal(visit_due_by(2, 16, 31), 1);
	assert_int_equal(visit_due_by(4, 31, 31), 4);
	assert_int_equal(visit_due_by(4, 40, 31), 4);
	assert_int_equal(visit_due_by(4, 0, 31), 0);
	assert_int_equal(visit_due_by(0, 8, 31), 0);
}

static void test_rank(void **state)
{
	struct visit_proposal p[5];
	size_t fit;
	(void)state;
	memset(p, 0, sizeof(p));
	/* From Friday 11-27 to Monday 11-30, one a day: Fri, Mon. */
	p[0].institution_id = 1, p[0].grade = 'C', p[0].status = VD_OVERDUE;
	p[0].due_day = DAY_2026_11_27 - 5;
	p[1].institution_id = 2, p[1].grade = 'A', p[1].status = VD_OVERDUE;
	p[1].due_day = DAY_2026_11_27 - 5;
	p[2].institution_id = 3, p[2].grade = 'B', p[2].status = VD_NEVER;
	p[2].due_day = DAY_2026_11_27;
	fit = visit_rank_proposals(p, 3, DAY_2026_11_27, DAY_2026_11_27 + 3, 1, NULL);
	assert_int_equal(fit, 2);
	/* Scores: grade weight x (1 + (days late + 30) / 30), never = 30 late:
	 * A 3 x 65/30 = 6.5, B 2 x 90/30 = 6, C 1 x 65/30 = 2.17. */
	assert_int_equal(p[0].institution_id, 2);
	assert_int_equal(p[0].propose_day, DAY_2026_11_27);
	assert_int_equal(p[1].institution_id, 3);
	assert_int_equal(p[1].propose_day, DAY_2026_11_27 + 3); /* Sat, Sun skipped */
	assert_int_equal(p[2].institution_id, 1);
	assert_int_equal(p[2].propose_day, -1);
	/* Not before the due day. */
	memset(p, 0, sizeof(p));
	p[0].institution_id = 9, p[0].grade = 'A', p[0].due_day = DAY_2026_11_23 + 8;
	fit = visit_rank_proposals(p, 1, DAY_2026_11_23, DAY_2026_11_23 + 13, 4, NULL);
	assert_int_equal(fit, 1);
	assert_int_equal(p[0].propose_day, DAY_2026_11_23 + 8); /* Tuesday */
}

/* The 2026 National Day week on the holiday calendar (国务院办公厅, hand
 * entered: 10-01 to 10-07 off, Sat 10-10 worked; Python's datetime gives
 * the day numbers): proposals due Wed 09-30, one a day, go on 09-30, Thu
 * 10-08, Fri 10-09, the make-up Saturday 10-10 and Mon 10-12, none in the
 * holiday. */
#define DAY_2026_09_30 20726
static void test_rank_holidays(void **state)
{
	struct holiday days[8];
	struct holiday_calendar cal = { days, 8 };
	struct visit_proposal p[5];
	size_t fit;
	(void)state;
	for (int i = 0; i < 7; i++) {
		days[i].day = DAY_2026_09_30 + 1 + i;
		days[i].kind = HOLIDAY_OFF;
		days[i].name = "国庆节";
	}
	days[7].day = DAY_2026_09_30 + 10, days[7].kind = HOLIDAY_WORK, days[7].name = "国庆节";
	memset(p, 0, sizeof(p));
	for (int i = 0; i < 5; i++) {
		p[i].institution_id = i + 1, p[i].grade = 'A' + (i > 2 ? 2 : i);
		p[i].status = VD_OVERDUE, p[i].due_day = DAY_2026_09_30;
	}
	fit = visit_rank_proposals(p, 5, DAY_2026_09_30, DAY_2026_09_30 + 12, 1, &cal);
	assert_int_equal(fit, 5);
	assert_int_equal(p[0].propose_day, DAY_2026_09_30);
	assert_int_equal(p[1].propose_day, DAY_2026_09_30 + 8);	 /* Thu 10-08 */
	assert_int_equal(p[2].propose_day, DAY_2026_09_30 + 9);	 /* Fri 10-09 */
	assert_int_equal(p[3].propose_day, DAY_2026_09_30 + 10); /* Sat 10-10, worked */
	assert_int_equal(p[4].propose_day, DAY_2026_09_30 + 12); /* Mon 10-12, not Sun 10-11 */
}

static void test_ical_escape(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	ical_escape(&sb, "a,b;c\\d\ne\r\x01");
	assert_string_equal(strbuf_str(&sb), "a\\,b\\;c\\\\d\\ne ");
	strbuf_release(&sb);
}

/* Every physical line is at most 75 octets and valid UTF-8 on its own. */
static void check_folded(const char *text)
{
	const char *p = text;
	while (*p) {
		const char *eol = strstr(p, "\r\n");
		assert_non_null(eol);
		assert_true(eol - p <= 75);
		assert_true(utf8_valid(p, (size_t)(eol - p)));
		p = eol + 2;
	}
}

static void test_ical_fold(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char ascii[201];
	(void)state;
	memset(ascii, 'x', 200);
	ascii[200] = '\0';
	ical_line(&sb, "DESCRIPTION", ascii);
	check_folded(strbuf_str(&sb));
	/* "DESCRIPTION:" is 12 octets, then 63 x: the first line is 75. */
	assert_int_equal(strstr(strbuf_str(&sb), "\r\n") - strbuf_str(&sb), 75);
	assert_memory_equal(strstr(strbuf_str(&sb), "\r\n"), "\r\n x", 4);
	strbuf_reset(&sb);
	ical_line(&sb, "SUMMARY",
		  "拜访上海市第一人民医院心血管内科主任讨论冠脉支架集采后的品规需求与试用安排");
	check_folded(strbuf_str(&sb));
	/* Unfolding gives back the value. */
	{
		struct strbuf un = STRBUF_INIT;
		const char *s = strbuf_str(&sb);
		for (size_t i = 0; s[i]; i++) {
			if (s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == ' ') {
				i += 2;
				continue;
			}
			strbuf_addch(&un, s[i]);
		}
		assert_string_equal(strbuf_str(&un), "SUMMARY:"
						     "拜访上海市第一人民医院心血管内科主任讨论冠脉"
						     "支架集采后的品规需求与试用安排\r\n");
		strbuf_release(&un);
	}
	strbuf_release(&sb);
}

static void test_ical_event(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ical_event ev;
	const char *s;
	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.uid = "visit-7@medsales";
	ev.start = T0;
	ev.end = T0 + 1800;
	ev.summary = "拜访 · 医院, 东院";
	ev.status = "CONFIRMED";
	ical_begin(&sb, "MedSales", T0);
	ical_event(&sb, &ev, T0);
	ev.all_day = 1;
	ev.uid = "visit-8@medsales";
	ical_event(&sb, &ev, T0);
	ical_end(&sb);
	s = strbuf_str(&sb);
	check_folded(s);
	assert_non_null(strstr(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
	/* 09:20 in Shanghai is 01:20 UTC. */
	assert_non_null(strstr(s, "DTSTART:20261127T012000Z\r\nDTEND:20261127T015000Z\r\n"));
	assert_non_null(strstr(s, "SUMMARY:拜访 · 医院\\, 东院\r\n"));
	assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20261127\r\nDTEND;VALUE=DATE:20261128\r\n"));
	assert_non_null(strstr(s, "DTSTAMP:20261127T012000Z\r\n"));
	assert_true(strlen(s) > 20 && !strcmp(s + strlen(s) - 15, "END:VCALENDAR\r\n"));
	strbuf_release(&sb);
}

/* reasons_json as the single evaluation, the batch re-evaluation and the
 * demo write it (issue 11: a plan lists its reasons, the same everywhere). */
static void test_reasons_json(void **state)
{
	struct visit_definition d;
	struct visit_facts f;
	char buf[VISIT_REASONS_JSON_MAX], tiny[20];
	unsigned bits = 0;
	(void)state;
	assert_int_equal(visit_reasons_json(0, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "[]");
	visit_definition_default(&d);
	memset(&f, 0, sizeof(f));
	f.type = "in_person";
	f.status = "planned";
	f.location_status = "none";
	f.has_objective = 1;
	assert_int_equal(visit_evaluate(&d, &f, &bits), 0);
	assert_int_equal(visit_reasons_json(bits, buf, sizeof(buf)), 88);
	assert_string_equal(buf, "[\"not_completed\",\"no_check_in\",\"no_contact\","
				 "\"too_few_steps\",\"no_outcome\",\"no_next_step\"]");
	/* every reason fits VISIT_REASONS_JSON_MAX; a short buffer is -1 */
	assert_true(visit_reasons_json((1u << VR_COUNT) - 1, buf, sizeof(buf)) > 0);
	assert_int_equal(visit_reasons_json(bits, tiny, sizeof(tiny)), -1);
	assert_int_equal(visit_reasons_json(0, tiny, 2), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_effective_all_pass),
		cmocka_unit_test(test_reasons_json),
		cmocka_unit_test(test_effective_each_criterion),
		cmocka_unit_test(test_effective_configurable),
		cmocka_unit_test(test_definition_and_rules_check),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_coords),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_rank_holidays),
		cmocka_unit_test(test_ical_escape),
		cmocka_unit_test(test_ical_fold),
		cmocka_unit_test(test_ical_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

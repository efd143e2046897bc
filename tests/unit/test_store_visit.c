/* test_store_visit.c: visits in the store (src/store/store_visit.c)
 * through its public functions, on a fresh database in a temporary file:
 * who may plan and see visits (own, subtree, all; coverage of the rep),
 * plan -> check-in -> check-out -> record -> complete, the rules that
 * refuse bad input without writing anything, the follow-up task, coaching,
 * the needs file, and the calendar and coverage summaries agreeing with
 * the visits. The tests share the database and run in order. */
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
#include "store/store_user.h"
#include "store/store_visit.h"

/* HQ <- P1 <- {D1, D2}. */
static int64_t hq, p1, d1, d2;
static int64_t mgr_p1, mgr_d1, rep_d1, rep_d2, dir;
static struct scope s_mgr_p1, s_mgr_d1, s_rep_d1, s_rep_d2, s_dir, s_comp;
static int64_t inst1, inst2, c_boss, c_user, visit1;
static char today[11];

static int64_t mk_inst(const struct scope *rep, const char *name, double lat, double lon)
{
	struct inst_fields f;
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	inst_fields_init(&f);
	f.name = name;
	f.province_code = "VP";
	f.city = "上海";
	f.latitude = lat;
	f.longitude = lon;
	f.has_location = 1;
	begin();
	if (store_inst_create(st, rep, &f, &id, &e))
		fail_msg("store_inst_create %s: %s", name, e.message);
	commit();
	return id;
}

static int64_t mk_contact(int64_t inst, const char *name, const char *role)
{
	struct contact_fields f;
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	contact_fields_init(&f);
	f.institution_id = inst;
	f.name = name;
	f.decision_role = role;
	begin();
	if (store_contact_create(st, &sys, &f, &id, &e))
		fail_msg("store_contact_create %s: %s", name, e.message);
	commit();
	return id;
}

/* Noon of the business day `today` in Asia/Shanghai, the "now" passed to the
 * check-in rules: instants a few minutes before it stay on that day, where
 * instants before the real clock would cross midnight between 00:00 and
 * 00:30 Shanghai time and move the visit to the day before. */
static int64_t noon_today(void)
{
	int32_t d;
	assert_int_equal(date_parse(today, &d), 0);
	return (int64_t)d * 86400 - DATE_TZ_OFFSET_SECONDS + 12 * 3600;
}

static int setup(void **state)
{
	(void)state;
	if (fixture_open("visit"))
		return -1;
	db_today(today);
	hq = mk_unit("V-HQ", "company", 0);
	p1 = mk_unit("V-P1", "province", hq);
	d1 = mk_unit("V-D1", "district", p1);
	d2 = mk_unit("V-D2", "district", p1);
	mgr_p1 = mk_user("mgr.p1", "manager", p1, &s_mgr_p1, ROLE_MANAGER);
	mgr_d1 = mk_user("mgr.d1", "manager", d1, &s_mgr_d1, ROLE_MANAGER);
	rep_d1 = mk_user("rep.d1", "rep", d1, &s_rep_d1, ROLE_REP);
	rep_d2 = mk_user("rep.d2", "rep", d2, &s_rep_d2, ROLE_REP);
	dir = mk_user("dir", "director", hq, &s_dir, ROLE_DIRECTOR);
	scope_for(&s_comp, ROLE_COMPLIANCE, dir, hq);
	mk_ref(REF_REGIONS, "VR", NULL);
	mk_ref(REF_PROVINCES, "VP", "VR");
	mk_ref(REF_PRODUCT_LINES, "IMAGING", NULL);
	inst1 = mk_inst(&s_rep_d1, "测试医院一", 31.0, 121.0);
	inst2 = mk_inst(&s_rep_d2, "测试医院二", 31.1, 121.1);
	c_boss = mk_contact(inst1, "王主任", "DECISION_MAKER");
	c_user = mk_contact(inst1, "李医生", "USER");
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

static enum ms_err plan(const struct scope *who, int64_t owner, int64_t inst, const char *date,
			const char *type, int64_t *id, struct ms_error *e)
{
	struct visit_fields f;
	enum ms_err err;
	visit_fields_init(&f);
	f.owner_id = owner;
	f.institution_id = inst;
	f.visit_date = date;
	f.type = type;
	f.objective = "了解预算";
	begin();
	err = store_visit_create(st, who, &f, id, e);
	if (err)
		store_rollback(st);
	else
		commit();
	return err;
}

static int64_t version_of(int64_t id)
{
	json_t *v = NULL;
	int64_t ver;
	assert_int_equal(store_visit_get(st, &sys, id, &v, NULL), MS_OK);
	ver = json_integer_value(json_object_get(v, "version"));
	json_decref(v);
	return ver;
}

static void test_plan_scope(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	json_t *v = NULL, *list = NULL;
	struct visit_filter f;
	struct page pg = { 50, 0, NULL };
	int64_t id = 0;
	(void)state;

	/* A rep plans for an institution they cover, not for another's. */
	assert_int_equal(plan(&s_rep_d1, VISIT_UNSET, inst1, today, "in_person", &visit1, &e),
			 MS_OK);
	assert_int_equal(plan(&s_rep_d1, VISIT_UNSET, inst2, today, "in_person", &id, &e),
			 MS_ENOTFOUND);
	/* A manager plans for a rep of their subtree only, and only where
	 * the rep covers. */
	assert_int_equal(plan(&s_mgr_d1, rep_d2, inst2, today, "in_person", &id, &e), MS_EINVAL);
	assert_string_equal(e.field, "owner_id");
	assert_int_equal(plan(&s_mgr_p1, rep_d1, inst2, today, "in_person", &id, &e), MS_EINVAL);
	assert_string_equal(e.code, "not_covered");
	/* A joint visit planned by the manager names them as co-visitor. */
	assert_int_equal(plan(&s_mgr_d1, rep_d1, inst1, today, "joint", &id, &e), MS_OK);
	assert_int_equal(store_visit_get(st, &s_mgr_d1, id, &v, &e), MS_OK);
	assert_int_equal(json_integer_value(json_object_get(v, "co_visitor_id")), mgr_d1);
	json_decref(v);
	/* A rep's non-joint visit has no co-visitor; a plan is not in the
	 * past. */
	{
		char past[11];
		date_format(date_of_instant(date_now()) - 1, past);
		assert_int_equal(plan(&s_rep_d1, VISIT_UNSET, inst1, past, "in_person", &id, &e),
				 MS_EINVAL);
		assert_string_equal(e.field, "visit_date");
	}

	/* Who sees it. */
	assert_int_equal(store_visit_get(st, &s_rep_d2, visit1, &v, &e), MS_ENOTFOUND);
	assert_int_equal(store_visit_get(st, &s_mgr_d1, visit1, &v, &e), MS_OK);
	json_decref(v);
	assert_int_equal(store_visit_get(st, &s_mgr_p1, visit1, &v, &e), MS_OK);
	json_decref(v);
	assert_int_equal(store_visit_get(st, &s_comp, visit1, &v, &e), MS_OK);
	json_decref(v);
	visit_filter_init(&f);
	assert_int_equal(store_visit_list(st, &s_rep_d2, &f, &pg, &list, &e), MS_OK);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 0);
	json_decref(list);
	assert_int_equal(store_visit_list(st, &s_rep_d1, &f, &pg, &list, &e), MS_OK);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 2);
	json_decref(list);
}

static void test_check_in_out_rules(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct visit_pos pos = { 1, 31.0005, 121.0, 20 }, bad = { 1, 95.0, 121.0, -1 };
	struct visit_pos none = { 0, 0, 0, -1 };
	int64_t now = noon_today(), ver = version_of(visit1);
	json_t *v = NULL;
	(void)state;

	begin();
	/* Check-out before check-in. */
	assert_int_equal(store_visit_check_out(st, &s_rep_d1, visit1, now, &none, now, &e),
			 MS_EINVAL);
	assert_string_equal(e.code, "invalid_state");
	/* In the future, beyond the skew. */
	assert_int_equal(store_visit_check_in(st, &s_rep_d1, visit1, now + 3600, &pos, now, &e),
			 MS_EINVAL);
	assert_string_equal(e.field, "at");
	/* Impossible coordinates. */
	assert_int_equal(store_visit_check_in(st, &s_rep_d1, visit1, now - 1800, &bad, now, &e),
			 MS_EINVAL);
	assert_string_equal(e.field, "latitude");
	/* Someone else: a manager may not check in for the rep. */
	assert_int_equal(store_visit_check_in(st, &s_mgr_d1, visit1, now - 1800, &pos, now, &e),
			 MS_EFORBIDDEN);
	commit();
	assert_int_equal(version_of(visit1), ver); /* nothing written */

	begin();
	assert_int_equal(store_visit_check_in(st, &s_rep_d1, visit1, now - 1800, &pos, now, &e),
			 MS_OK);
	assert_int_equal(store_visit_check_in(st, &s_rep_d1, visit1, now - 1700, &pos, now, &e),
			 MS_EINVAL);
	assert_string_equal(e.code, "invalid_state");
	assert_int_equal(store_visit_check_out(st, &s_rep_d1, visit1, now - 3600, &none, now, &e),
			 MS_EINVAL);
	assert_string_equal(e.field, "at");
	assert_int_equal(store_visit_check_out(st, &s_rep_d1, visit1, now - 300, &none, now, &e),
			 MS_OK);
	commit();
	assert_int_equal(store_visit_get(st, &s_rep_d1, visit1, &v, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(v, "status")), "checked_out");
	assert_string_equal(json_string_value(json_object_get(v, "location_status")), "verified");
	/* 0.0005 degrees of latitude: 55.6 m. */
	assert_int_equal((int64_t)json_real_value(json_object_get(v, "distance_m")), 56);
	json_decref(v);
}

static void test_record_and_complete(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct visit_fields f;
	json_t *v = NULL, *tasks = NULL;
	struct task_filter tf = { 0, "open", NULL };
	struct page pg = { 50, 0, NULL };
	char next[11];
	int64_t task_id;
	(void)state;

	date_format(date_of_instant(date_now()) + 7, next);
	visit_fields_init(&f);
	f.contact_ids = json_pack("[I]", (json_int_t)c_boss);
	f.steps = json_pack("{s:{s:b}, s:{s:b}, s:{s:b}, s:{s:b}, s:{s:b, s:s}}", "plan", "done", 1,
			    "open", "done", 1, "probe", "done", 1, "present", "done", 1, "close",
			    "done", 1, "note", "同意试用");
	f.needs = json_pack("{s:s, s:{s:s, s:i}}", "product_line_code", "IMAGING", "answers",
			    "need", "更新CT", "age", 11);
	f.outcome = "同意试用";
	f.next_step = "提交试用申请";
	f.next_step_date = next;
	begin();
	/* An unknown step and a contact of another institution are refused. */
	{
		struct visit_fields bad;
		visit_fields_init(&bad);
		bad.steps = json_pack("{s:{s:b}}", "dance", "done", 1);
		assert_int_equal(
			store_visit_update(st, &s_rep_d1, visit1, version_of(visit1), &bad, &e),
			MS_EINVAL);
		assert_string_equal(e.field, "steps");
		json_decref(bad.steps);
	}
	assert_int_equal(store_visit_update(st, &s_rep_d1, visit1, 1, &f, &e), MS_ECONFLICT);
	assert_int_equal(store_visit_update(st, &s_rep_d1, visit1, version_of(visit1), &f, &e),
			 MS_OK);
	assert_int_equal(store_visit_complete(st, &s_rep_d1, visit1, noon_today(), &e), MS_OK);
	commit();
	json_decref(f.contact_ids);
	json_decref(f.steps);
	json_decref(f.needs);

	assert_int_equal(store_visit_get(st, &s_rep_d1, visit1, &v, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(v, "status")), "completed");
	assert_true(json_is_true(json_object_get(v, "is_effective")));
	assert_int_equal(json_array_size(json_object_get(v, "reasons")), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "task"), "title")),
			    "提交试用申请");
	task_id = json_integer_value(json_object_get(json_object_get(v, "task"), "id"));
	json_decref(v);

	/* The follow-up task: the rep's own, completed by them only. */
	assert_int_equal(store_task_list(st, &s_rep_d1, &tf, &pg, &tasks, &e), MS_OK);
	assert_int_equal(json_integer_value(json_object_get(tasks, "total")), 1);
	json_decref(tasks);
	assert_int_equal(store_task_list(st, &s_rep_d2, &tf, &pg, &tasks, &e), MS_OK);
	assert_int_equal(json_integer_value(json_object_get(tasks, "total")), 0);
	json_decref(tasks);
	begin();
	assert_int_equal(store_task_complete(st, &s_rep_d2, task_id, 1, &e), MS_ENOTFOUND);
	assert_int_equal(store_task_complete(st, &s_mgr_d1, task_id, 1, &e), MS_EFORBIDDEN);
	assert_int_equal(store_task_complete(st, &s_rep_d1, task_id, 1, &e), MS_OK);
	commit();

	/* The needs answers went into the needs file. */
	{
		struct need_filter nf = { NULL, "IMAGING", NULL, inst1 };
		json_t *needs = NULL, *n0;
		assert_int_equal(store_need_list(st, &s_rep_d1, &nf, &pg, &needs, &e), MS_OK);
		n0 = json_array_get(json_object_get(needs, "items"), 0);
		assert_string_equal(json_string_value(json_object_get(n0, "need")), "更新CT");
		assert_int_equal(json_integer_value(json_object_get(n0, "current_age_years")), 11);
		json_decref(needs);
	}
	/* A completed visit is not changed any more. */
	begin();
	{
		struct visit_fields g;
		visit_fields_init(&g);
		g.outcome = "x";
		assert_int_equal(
			store_visit_update(st, &s_rep_d1, visit1, version_of(visit1), &g, &e),
			MS_EINVAL);
		assert_string_equal(e.code, "invalid_state");
	}
	commit();
}

static void test_coaching(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	json_t *scores = json_pack("{s:i}", "plan", 4), *out = NULL;
	int64_t cid = 0;
	(void)state;
	begin();
	assert_int_equal(store_visit_comment(st, &s_rep_d2, visit1, "x", NULL, &cid, &e),
			 MS_EFORBIDDEN);
	/* rep.d1 is not in D2's... but mgr_p1 and mgr_d1 are over them. */
	assert_int_equal(store_visit_comment(st, &s_mgr_d1, visit1, "好", scores, &cid, &e),
			 MS_EINVAL);
	assert_string_equal(e.field, "scores"); /* not a joint visit */
	assert_int_equal(store_visit_comment(st, &s_mgr_d1, visit1, "好", NULL, &cid, &e), MS_OK);
	commit();
	assert_int_equal(store_coaching(st, &s_rep_d1, rep_d1, "2000-01-01", today, &out, &e),
			 MS_OK);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 1);
	json_decref(out);
	assert_int_equal(store_coaching(st, &s_rep_d2, rep_d1, "2000-01-01", today, &out, &e),
			 MS_ENOTFOUND);
	json_decref(scores);
}

static void test_summaries(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	json_t *cal = NULL, *cov = NULL, *rep;
	size_t i;
	(void)state;

	assert_int_equal(store_visit_calendar(st, &s_rep_d1, 0, 0, today, today, today, &cal, &e),
			 MS_OK);
	assert_int_equal(json_array_size(json_object_get(cal, "items")), 2);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(cal, "summary"), "completed")),
		1);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(cal, "summary"), "effective")),
		1);
	json_decref(cal);
	/* A rep cannot read another's calendar. */
	assert_int_equal(
		store_visit_calendar(st, &s_rep_d2, rep_d1, 0, today, today, today, &cal, &e),
		MS_ENOTFOUND);
	/* The team view of the manager counts the same. */
	assert_int_equal(store_visit_calendar(st, &s_mgr_p1, 0, 0, today, today, today, &cal, &e),
			 MS_OK);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(cal, "summary"), "completed")),
		1);
	json_decref(cal);

	assert_int_equal(store_visit_coverage(st, &s_mgr_p1, 0, 0, today, today, &cov, &e), MS_OK);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(cov, "team"), "visits")), 1);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(cov, "team"), "effective")), 1);
	json_array_foreach(json_object_get(cov, "reps"), i, rep)
	{
		int64_t uid = json_integer_value(json_object_get(rep, "user_id"));
		assert_true(uid == rep_d1 || uid == rep_d2);
		if (uid == rep_d1) {
			assert_int_equal(json_integer_value(json_object_get(rep, "visits")), 1);
			assert_int_equal(
				json_integer_value(json_object_get(rep, "institutions_covered")),
				1);
		}
	}
	json_decref(cov);
	/* The district manager sees only rep.d1. */
	assert_int_equal(store_visit_coverage(st, &s_mgr_d1, 0, 0, today, today, &cov, &e), MS_OK);
	assert_int_equal(json_array_size(json_object_get(cov, "reps")), 1);
	json_decref(cov);
}

/* Missed = plans of a day before today not completed: left planned, or
 * checked in and never completed; a cancelled plan is not missed. */
static void test_coverage_missed(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	static const char *const states[] = { "planned", "checked_in", "cancelled" };
	char from[11], past[11];
	int32_t d;
	json_t *cov = NULL, *team;
	(void)state;
	assert_int_equal(date_parse(today, &d), 0);
	date_format(d - 3, past);
	date_format(d - 5, from);
	begin();
	for (size_t k = 0; k < 3; k++) {
		struct visit_row r;
		int64_t id;
		memset(&r, 0, sizeof(r));
		r.owner_id = rep_d2;
		r.institution_id = inst2;
		r.type = "in_person";
		r.status = states[k];
		r.visit_date = past;
		r.was_planned = 1;
		r.distance_m = -1;
		r.created_at = noon_today() - 7 * 86400;
		r.reasons_json = "[]";
		assert_int_equal(store_visit_insert_raw(st, &r, &id, &e), MS_OK);
	}
	commit();
	assert_int_equal(store_visit_coverage(st, &s_mgr_p1, 0, rep_d2, from, past, &cov, &e),
			 MS_OK);
	team = json_object_get(cov, "team");
	assert_int_equal(json_integer_value(json_object_get(team, "planned")), 3);
	assert_int_equal(json_integer_value(json_object_get(team, "missed")), 2);
	/* A period wholly past: everything it asked for is due. */
	assert_int_equal(json_integer_value(json_object_get(cov, "elapsed_days")), 3);
	json_decref(cov);
}

static void test_cancel_and_settings(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0, count = 0, version = 0;
	json_t *v = NULL, *def;
	(void)state;
	assert_int_equal(plan(&s_rep_d1, VISIT_UNSET, inst1, today, "in_person", &id, &e), MS_OK);
	begin();
	assert_int_equal(store_visit_cancel(st, &s_rep_d2, id, "x", &e), MS_ENOTFOUND);
	assert_int_equal(store_visit_cancel(st, &s_mgr_d1, id, "改期", &e), MS_OK);
	assert_int_equal(store_visit_cancel(st, &s_rep_d1, id, "x", &e), MS_EINVAL);
	commit();
	assert_int_equal(store_visit_get(st, &s_rep_d1, id, &v, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(v, "status")), "cancelled");
	json_decref(v);

	/* A stricter definition (all seven steps) makes visit1 ineffective. */
	def = store_visit_settings(st, "effective_visit", &version);
	assert_int_equal(version, 0);
	json_object_set_new(def, "min_steps", json_integer(7));
	begin();
	assert_int_equal(store_settings_put(st, &sys, "effective_visit", def, 1, &e), MS_ECONFLICT);
	assert_int_equal(store_settings_put(st, &sys, "effective_visit", def, 0, &e), MS_OK);
	assert_int_equal(store_visit_reeval_mark(st, &e), MS_OK);
	commit();
	assert_true(store_visit_reeval_pending(st));
	assert_int_equal(store_visit_reeval_run(st, &count, &e), MS_OK);
	assert_false(store_visit_reeval_pending(st));
	assert_true(count >= 2);
	{
		/* Batches of one: each step one visit in its own transaction;
		 * marking again (a newer change) restarts from the first visit,
		 * and a stop half-way leaves the rest pending for the next run. */
		int64_t total = count, n = 0;
		int more = 0;

		begin();
		assert_int_equal(store_visit_reeval_mark(st, &e), MS_OK);
		commit();
		assert_int_equal(store_visit_reeval_step(st, 1, &more, &n, &e), MS_OK);
		assert_true(more);
		assert_int_equal(n, 1);
		begin();
		assert_int_equal(store_visit_reeval_mark(st, &e), MS_OK);
		commit();
		assert_int_equal(store_visit_reeval_step(st, 1, &more, &n, &e), MS_OK);
		assert_true(store_visit_reeval_pending(st));
		assert_int_equal(store_visit_reeval_run(st, &count, &e), MS_OK);
		assert_int_equal(count, total - 1);
		assert_false(store_visit_reeval_pending(st));
		/* Nothing pending: a step does nothing. */
		n = 0;
		assert_int_equal(store_visit_reeval_step(st, 1, &more, &n, &e), MS_OK);
		assert_false(more);
		assert_int_equal(n, 0);
		/* Not inside another transaction. */
		begin();
		assert_int_not_equal(store_visit_reeval_step(st, 1, &more, &n, &e), MS_OK);
		commit();
	}
	json_decref(def);
	assert_int_equal(store_visit_get(st, &s_rep_d1, visit1, &v, &e), MS_OK);
	assert_false(json_is_true(json_object_get(v, "is_effective")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(v, "reasons"), 0)),
			    "too_few_steps");
	json_decref(v);
}

/* Proposals go on working days of the holiday calendar (migration 0013's
 * 2026: 国庆节 10-01 to 10-07 off, Sat 10-10 worked), not Mon-Fri alone: a
 * never-visited institution due on Thu 10-01 is proposed on Thu 10-08, one
 * due on the make-up Saturday 10-10 on that Saturday. */
static const char *proposed_on(int64_t inst, const char *day)
{
	static char out[11];
	struct ms_error e = MS_ERROR_INIT;
	json_t *p = NULL, *it;
	size_t i;
	out[0] = 0;
	assert_int_equal(
		store_visit_proposals(st, &s_rep_d2, rep_d2, day, "2026-10-14", day, &p, &e),
		MS_OK);
	json_array_foreach(json_object_get(p, "items"), i, it)
	{
		if (json_integer_value(json_object_get(it, "institution_id")) == inst)
			snprintf(out, sizeof(out), "%s",
				 json_string_value(json_object_get(it, "proposed_date")));
	}
	json_decref(p);
	return out;
}

static void test_proposals_holidays(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	int64_t inst = mk_inst(&s_rep_d2, "国庆医院", 31.2, 121.2);
	(void)state;
	begin();
	assert_int_equal(store_coverage_backdate(st, "2026-01-01", &e), MS_OK);
	commit();
	assert_string_equal(proposed_on(inst, "2026-10-01"), "2026-10-08");
	assert_string_equal(proposed_on(inst, "2026-10-10"), "2026-10-10");
	assert_string_equal(proposed_on(inst, "2026-09-30"), "2026-09-30");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_plan_scope, end_tx),
		cmocka_unit_test_teardown(test_check_in_out_rules, end_tx),
		cmocka_unit_test_teardown(test_record_and_complete, end_tx),
		cmocka_unit_test_teardown(test_coaching, end_tx),
		cmocka_unit_test_teardown(test_summaries, end_tx),
		cmocka_unit_test_teardown(test_coverage_missed, end_tx),
		cmocka_unit_test_teardown(test_cancel_and_settings, end_tx),
		cmocka_unit_test_teardown(test_proposals_holidays, end_tx),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_store_customer.c: the customer master in the store
 * (src/store/store_customer.c, store_contact.c) through its public
 * functions, on a fresh database in a temporary file: the visibility of
 * institutions for own / subtree / all scopes (uncovered ones visible to
 * managers), duplicate names, coverage (add, end, reassign) and the owner
 * they keep in step, the recomputation of grade and completeness when
 * contacts change, and the versioned settings documents. The tests share
 * the database and run in order; each creates what it needs under its own
 * names. Expected scores are worked out by hand from the rules in
 * docs/api.md and src/domain/customer.c (the default model: weights
 * 50/25/25, thresholds 70/40). */
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

/* HQ <- R1 <- P1 <- {D1, D2}; R1 <- P2. */
static int64_t hq, r1, p1, d1, d2, p2;
static int64_t mgr_p1, mgr_d1, mgr_p2, rep_d1, rep_d2, rep_d1b, rep_d1c, rep_p2, dir;
/* Scopes of those users. */
static struct scope s_mgr_p1, s_mgr_d1, s_mgr_p2, s_rep_d1, s_rep_d2, s_rep_d1b, s_rep_d1c,
	s_rep_p2, s_dir;

/* Replaces the unit's assigned provinces with the JSON array codes. */
static int set_provinces(int64_t unit, const char *codes)
{
	struct ms_error e = MS_ERROR_INIT;
	json_t *v = json_loads(codes, 0, NULL);
	enum ms_err err;
	begin();
	err = store_org_set_provinces(st, &sys, unit, v, &e);
	if (err)
		store_rollback(st);
	else
		commit();
	json_decref(v);
	return err;
}

static int setup(void **state)
{
	(void)state;
	if (fixture_open("cust"))
		return -1;
	hq = mk_unit("C-HQ", "company", 0);
	r1 = mk_unit("C-R1", "region", hq);
	p1 = mk_unit("C-P1", "province", r1);
	d1 = mk_unit("C-D1", "district", p1);
	d2 = mk_unit("C-D2", "district", p1);
	p2 = mk_unit("C-P2", "province", r1);
	mgr_p1 = mk_user("mgr.p1", "manager", p1, &s_mgr_p1, ROLE_MANAGER);
	mgr_d1 = mk_user("mgr.d1", "manager", d1, &s_mgr_d1, ROLE_MANAGER);
	mgr_p2 = mk_user("mgr.p2", "manager", p2, &s_mgr_p2, ROLE_MANAGER);
	rep_d1 = mk_user("rep.d1", "rep", d1, &s_rep_d1, ROLE_REP);
	rep_d1b = mk_user("rep.d1b", "rep", d1, &s_rep_d1b, ROLE_REP);
	rep_d1c = mk_user("rep.d1c", "rep", d1, &s_rep_d1c, ROLE_REP);
	rep_d2 = mk_user("rep.d2", "rep", d2, &s_rep_d2, ROLE_REP);
	rep_p2 = mk_user("rep.p2", "rep", p2, &s_rep_p2, ROLE_REP);
	dir = mk_user("dir", "director", hq, &s_dir, ROLE_DIRECTOR);
	mk_ref(REF_REGIONS, "CR", NULL);
	mk_ref(REF_PROVINCES, "CP", "CR");
	mk_ref(REF_PROVINCES, "CQ", "CR");
	mk_ref(REF_SEGMENTS, "CSEG", NULL);
	/* The territories: both province units work CP; the districts inherit
	 * P1's. */
	if (set_provinces(p1, "[\"CP\"]") || set_provinces(p2, "[\"CP\"]"))
		return -1;
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

/* Creates an institution named name in the province and city as who;
 * owner UNSET: the store's default (the rep, or nobody). */
static int64_t mk_inst_in(const struct scope *who, const char *name, const char *province,
			  const char *city, int64_t owner)
{
	struct inst_fields f;
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	inst_fields_init(&f);
	f.name = name;
	f.province_code = province;
	f.city = city;
	f.owner_id = owner;
	begin();
	if (store_inst_create(st, who, &f, &id, &e))
		fail_msg("store_inst_create %s: %s", name, e.message);
	commit();
	return id;
}

/* The same in province CP. */
static int64_t mk_inst(const struct scope *who, const char *name, const char *city, int64_t owner)
{
	return mk_inst_in(who, name, "CP", city, owner);
}

/* The institution as s sees it (MS_OK) or the error. */
static json_t *get_inst(const struct scope *s, int64_t id)
{
	struct ms_error e = MS_ERROR_INIT;
	json_t *out = NULL;
	if (store_inst_get(st, s, id, &out, &e))
		fail_msg("store_inst_get %lld: %s", (long long)id, e.message);
	return out;
}

static int64_t inst_int(int64_t id, const char *field)
{
	json_t *row = get_inst(&s_dir, id);
	json_t *v = json_object_get(row, field);
	int64_t n = json_is_null(v) ? -1 : json_integer_value(v);
	json_decref(row);
	return n;
}

static char inst_grade(int64_t id, const char *field)
{
	json_t *row = get_inst(&s_dir, id);
	const char *g = json_string_value(json_object_get(row, field));
	char c = g ? g[0] : '?';
	json_decref(row);
	return c;
}

/* The number of institutions named with prefix that s lists. */
static int64_t list_total(const struct scope *s, const char *q)
{
	struct inst_filter f;
	struct page pg = { 200, 0, "name" };
	struct ms_error e = MS_ERROR_INIT;
	json_t *res = NULL;
	int64_t total;
	inst_filter_init(&f);
	f.q = q;
	assert_int_equal(store_inst_list(st, s, &f, &pg, &res, &e), MS_OK);
	total = json_integer_value(json_object_get(res, "total"));
	assert_int_equal((int64_t)json_array_size(json_object_get(res, "items")), total);
	json_decref(res);
	return total;
}

static int visible(const struct scope *s, int64_t id)
{
	return store_inst_visible(st, s, id, NULL) == MS_OK;
}

/* Current coverages of an institution: how many, how many primaries. */
static void current_coverage(int64_t inst, int *n, int *primaries)
{
	struct ms_error e = MS_ERROR_INIT;
	json_t *items = NULL, *it;
	size_t i;
	*n = *primaries = 0;
	assert_int_equal(store_coverage_list(st, &s_dir, inst, &items, &e), MS_OK);
	json_array_foreach(items, i, it)
	{
		json_t *cur = json_object_get(it, "is_current");
		if (json_is_true(cur) || (json_is_integer(cur) && json_integer_value(cur))) {
			(*n)++;
			if (!strcmp(json_string_value(json_object_get(it, "role")), "primary"))
				(*primaries)++;
		}
	}
	json_decref(items);
}

/* The id of the latest coverage of user on inst. */
static int64_t coverage_id(int64_t inst, int64_t user)
{
	struct ms_error e = MS_ERROR_INIT;
	json_t *items = NULL, *it;
	int64_t id = 0;
	size_t i;
	assert_int_equal(store_coverage_list(st, &s_dir, inst, &items, &e), MS_OK);
	json_array_foreach(items, i, it)
	{
		if (json_integer_value(json_object_get(it, "user_id")) == user) {
			id = json_integer_value(json_object_get(it, "id"));
			break; /* newest first */
		}
	}
	json_decref(items);
	assert_true(id > 0);
	return id;
}

static void today_plus(int days, char *buf)
{
	date_format(date_of_instant(date_now()) + days, buf);
}

/* ---- scope ---- */

static void test_inst_scope(void **state)
{
	int64_t i_d1, i_d2, i_p2, i_free;
	json_t *row;
	(void)state;
	i_d1 = mk_inst(&s_rep_d1, "SC-甲医院", "C城", UNSET);
	i_d2 = mk_inst(&s_rep_d2, "SC-乙医院", "C城", UNSET);
	i_p2 = mk_inst(&s_rep_p2, "SC-丙医院", "C城", UNSET);
	i_free = mk_inst(&s_dir, "SC-丁医院", "C城", UNSET);

	/* A rep's new institution is theirs; a director's without owner is
	 * nobody's. */
	assert_int_equal(inst_int(i_d1, "owner_id"), rep_d1);
	assert_int_equal(inst_int(i_p2, "owner_id"), rep_p2);
	assert_int_equal(inst_int(i_free, "owner_id"), -1);

	/* own: only what they cover */
	assert_int_equal(list_total(&s_rep_d1, "sc-"), 1);
	assert_int_equal(list_total(&s_rep_d2, "sc-"), 1);
	assert_int_equal(list_total(&s_rep_d1b, "sc-"), 0);
	assert_true(visible(&s_rep_d1, i_d1));
	assert_false(visible(&s_rep_d1, i_d2));
	assert_false(visible(&s_rep_d1, i_free));
	assert_false(visible(&s_rep_d1b, i_d1));
	/* subtree: the subtree's reps plus the uncovered */
	assert_int_equal(list_total(&s_mgr_d1, "sc-"), 2);
	assert_true(visible(&s_mgr_d1, i_d1));
	assert_false(visible(&s_mgr_d1, i_d2));
	assert_true(visible(&s_mgr_d1, i_free));
	assert_int_equal(list_total(&s_mgr_p1, "sc-"), 3);
	assert_true(visible(&s_mgr_p1, i_d2));
	assert_false(visible(&s_mgr_p1, i_p2));
	assert_int_equal(list_total(&s_mgr_p2, "sc-"), 2);
	assert_true(visible(&s_mgr_p2, i_p2));
	assert_true(visible(&s_mgr_p2, i_free));
	assert_false(visible(&s_mgr_p2, i_d1));
	/* all */
	assert_int_equal(list_total(&s_dir, "sc-"), 4);
	assert_int_equal(list_total(&sys, "sc-"), 4);

	/* get answers not found outside the scope */
	{
		struct ms_error e = MS_ERROR_INIT;
		row = NULL;
		assert_int_equal(store_inst_get(st, &s_rep_d1, i_d2, &row, &e), MS_ENOTFOUND);
		assert_null(row);
		assert_int_equal(store_inst_get(st, &s_mgr_d1, i_p2, &row, &e), MS_ENOTFOUND);
	}
	/* and writes too */
	{
		struct inst_fields f;
		struct ms_error e = MS_ERROR_INIT;
		inst_fields_init(&f);
		f.district = "x";
		begin();
		assert_int_equal(store_inst_update(st, &s_rep_d1, i_d2, 1, &f, &e), MS_ENOTFOUND);
		store_rollback(st);
		begin();
		assert_int_equal(store_inst_update(st, &s_mgr_d1, i_free, 1, &f, &e), MS_OK);
		commit();
		/* stale version */
		begin();
		assert_int_equal(store_inst_update(st, &s_mgr_d1, i_free, 1, &f, &e), MS_ECONFLICT);
		assert_string_equal(e.field, "version");
		store_rollback(st);
	}
}

/* ---- duplicates ---- */

static void test_inst_find_duplicate(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct inst_fields f;
	int64_t a, b, dup = 0, id = 0;
	(void)state;
	a = mk_inst(&s_dir, "DUP协和医院(东院) XH", "D城", UNSET);
	b = mk_inst(&s_dir, "DUP协和医院(东院) XH", "E城", UNSET);
	assert_true(a != b);

	assert_int_equal(store_inst_find_duplicate(st, "DUP协和医院(东院) XH", "D城", 0, &dup, &e),
			 MS_OK);
	assert_int_equal(dup, a);
	/* full-width letters and brackets, no spaces, other case */
	dup = 0;
	assert_int_equal(
		store_inst_find_duplicate(st, "ＤＵＰ协和医院（东院）ｘｈ", "D城", 0, &dup, &e),
		MS_OK);
	assert_int_equal(dup, a);
	dup = 0;
	assert_int_equal(
		store_inst_find_duplicate(st, " dup 协和医院 【东院】 - x h ", "D城", 0, &dup, &e),
		MS_OK);
	assert_int_equal(dup, a);
	/* the other city's record is found in its city only */
	dup = 0;
	assert_int_equal(store_inst_find_duplicate(st, "dup协和医院东院xh", "E城", 0, &dup, &e),
			 MS_OK);
	assert_int_equal(dup, b);
	assert_int_equal(
		store_inst_find_duplicate(st, "DUP协和医院(东院) XH", "F城", 0, &dup, NULL),
		MS_ENOTFOUND);
	/* a different name */
	assert_int_equal(
		store_inst_find_duplicate(st, "DUP协和医院(西院) XH", "D城", 0, &dup, NULL),
		MS_ENOTFOUND);
	/* the record itself does not count (updates) */
	assert_int_equal(
		store_inst_find_duplicate(st, "DUP协和医院(东院) XH", "D城", a, &dup, NULL),
		MS_ENOTFOUND);

	/* create refuses it, naming the field; the other institution's id only
	 * to who sees it (issue 23) */
	inst_fields_init(&f);
	f.name = "ＤＵＰ 协和医院（东院）XH";
	f.province_code = "CP";
	f.city = "D城";
	begin();
	assert_int_equal(store_inst_create(st, &s_rep_d1, &f, &id, &e), MS_ECONFLICT);
	assert_string_equal(e.code, "duplicate_hidden");
	assert_string_equal(e.field, "name");
	assert_non_null(strstr(e.message, "outside your scope"));
	assert_null(strpbrk(e.message, "0123456789"));
	store_rollback(st);
	begin();
	assert_int_equal(store_inst_create(st, &s_dir, &f, &id, &e), MS_ECONFLICT);
	assert_string_equal(e.code, "duplicate");
	{
		char want[64];
		snprintf(want, sizeof(want), "institution %lld has", (long long)a);
		assert_non_null(strstr(e.message, want));
	}
	store_rollback(st);
	/* update refuses to move b into a's city */
	inst_fields_init(&f);
	f.city = "D城";
	begin();
	assert_int_equal(store_inst_update(st, &s_dir, b, 1, &f, &e), MS_ECONFLICT);
	assert_string_equal(e.field, "name");
	store_rollback(st);
}

/* ---- territory (issue 23) ---- */

static void test_inst_territory(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	int64_t clinic, free_cq, free_cp;
	(void)state;
	free_cq = mk_inst_in(&s_dir, "TER-无主CQ医院", "CQ", "Q城", UNSET);
	free_cp = mk_inst(&s_dir, "TER-无主CP医院", "C城", UNSET);
	/* A rep of D1 creates a clinic in CQ: theirs, and their managers see
	 * it by its coverage, but CQ's unassigned institutions stay hidden. */
	clinic = mk_inst_in(&s_rep_d1, "TER-小诊所", "CQ", "Q城", UNSET);
	assert_true(visible(&s_mgr_d1, clinic));
	assert_true(visible(&s_mgr_p1, clinic));
	assert_false(visible(&s_mgr_d1, free_cq));
	assert_false(visible(&s_mgr_p1, free_cq));
	assert_true(visible(&s_mgr_d1, free_cp));
	/* CQ assigned to D2: P1 (above it) and R1 see CQ's unassigned, D1
	 * (a sibling, inheriting P1's own CP) does not; D2's own list replaces
	 * what it inherited. */
	assert_int_equal(set_provinces(d2, "[\"CQ\"]"), MS_OK);
	assert_true(visible(&s_mgr_p1, free_cq));
	assert_true(visible(&s_mgr_p1, free_cp));
	assert_false(visible(&s_mgr_d1, free_cq));
	assert_true(visible(&s_mgr_d1, free_cp));
	/* The list is validated: an unknown province, or one twice. */
	{
		json_t *v = json_loads("[\"CQ\", \"CQ\"]", 0, NULL);
		begin();
		assert_int_equal(store_org_set_provinces(st, &sys, d2, v, &e), MS_EINVAL);
		assert_string_equal(e.code, "duplicate");
		assert_string_equal(e.field, "provinces");
		store_rollback(st);
		json_decref(v);
		v = json_loads("[\"NOPE\"]", 0, NULL);
		begin();
		assert_int_equal(store_org_set_provinces(st, &sys, d2, v, &e), MS_EINVAL);
		assert_string_equal(e.field, "provinces");
		store_rollback(st);
		json_decref(v);
	}
	/* The unit list shows both lists. */
	{
		json_t *u = NULL;
		char today[11];
		date_format(date_of_instant(date_now()), today);
		assert_int_equal(store_org_get(st, d1, today, &u, &e), MS_OK);
		assert_int_equal(json_array_size(json_object_get(u, "provinces")), 0);
		assert_string_equal(
			json_string_value(json_array_get(json_object_get(u, "territory"), 0)),
			"CP");
		json_decref(u);
		assert_int_equal(store_org_get(st, p1, today, &u, &e), MS_OK);
		assert_int_equal(json_array_size(json_object_get(u, "territory")), 2);
		json_decref(u);
	}
	assert_int_equal(set_provinces(d2, "[]"), MS_OK);
	assert_false(visible(&s_mgr_p1, free_cq));
}

/* ---- coverage ---- */

static void test_coverage_add_end_owner(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	char today[11], past[11];
	int64_t inst, c2;
	int n, prim;
	(void)state;
	today_plus(0, today);
	today_plus(-400, past);
	inst = mk_inst(&s_dir, "COV-一院", "C城", UNSET);
	current_coverage(inst, &n, &prim);
	assert_int_equal(n, 0);
	assert_true(visible(&s_mgr_d1, inst)); /* uncovered */

	begin();
	assert_int_equal(store_coverage_add(st, &s_mgr_p1, inst, rep_d1, "primary", today,
					    PLANS_HAND_OVER, NULL, &e),
			 MS_OK);
	commit();
	assert_int_equal(inst_int(inst, "owner_id"), rep_d1);
	assert_true(visible(&s_rep_d1, inst));
	assert_false(visible(&s_mgr_p2, inst)); /* covered now, not by P2 */

	/* a new primary ends the old */
	begin();
	assert_int_equal(store_coverage_add(st, &s_mgr_p1, inst, rep_d2, "primary", today,
					    PLANS_HAND_OVER, NULL, &e),
			 MS_OK);
	commit();
	assert_int_equal(inst_int(inst, "owner_id"), rep_d2);
	current_coverage(inst, &n, &prim);
	assert_int_equal(n, 1);
	assert_int_equal(prim, 1);
	assert_false(visible(&s_rep_d1, inst));
	assert_true(visible(&s_rep_d2, inst));
	assert_false(visible(&s_mgr_d1, inst)); /* covered by D2 only */

	/* a supporting rep sees it; the owner stays */
	begin();
	assert_int_equal(store_coverage_add(st, &s_mgr_p1, inst, rep_d1b, "supporting", today,
					    PLANS_HAND_OVER, NULL, &e),
			 MS_OK);
	commit();
	assert_int_equal(inst_int(inst, "owner_id"), rep_d2);
	assert_true(visible(&s_rep_d1b, inst));
	assert_true(visible(&s_mgr_d1, inst));
	current_coverage(inst, &n, &prim);
	assert_int_equal(n, 2);
	assert_int_equal(prim, 1);

	/* a manager cannot assign outside the subtree, nor a director */
	begin();
	assert_int_equal(store_coverage_add(st, &s_mgr_d1, inst, rep_p2, "supporting", today,
					    PLANS_HAND_OVER, NULL, &e),
			 MS_EINVAL);
	assert_string_equal(e.field, "user_id");
	store_rollback(st);
	begin();
	assert_int_equal(store_coverage_add(st, &s_mgr_p1, inst, dir, "primary", today,
					    PLANS_HAND_OVER, NULL, &e),
			 MS_EINVAL);
	assert_string_equal(e.field, "user_id");
	store_rollback(st);
	begin();
	assert_int_equal(store_coverage_add(st, &s_mgr_p2, inst, rep_p2, "primary", today,
					    PLANS_HAND_OVER, NULL, &e),
			 MS_ENOTFOUND);
	store_rollback(st);

	/* ending: not before it starts; the primary's end clears the owner */
	c2 = coverage_id(inst, rep_d2);
	begin();
	assert_int_equal(store_coverage_end(st, &s_mgr_p1, c2, past, PLANS_KEEP, NULL, &e),
			 MS_EINVAL);
	assert_string_equal(e.field, "valid_to");
	store_rollback(st);
	begin();
	assert_int_equal(store_coverage_end(st, &s_mgr_p1, c2, today, PLANS_KEEP, NULL, &e), MS_OK);
	commit();
	assert_int_equal(inst_int(inst, "owner_id"), -1);
	assert_false(visible(&s_rep_d2, inst));
	current_coverage(inst, &n, &prim);
	assert_int_equal(n, 1);
	assert_int_equal(prim, 0);
	begin();
	assert_int_equal(store_coverage_end(st, &s_mgr_p1, 99999999, today, PLANS_KEEP, NULL, &e),
			 MS_ENOTFOUND);
	store_rollback(st);
}

/* Ending an ended coverage again with a later date revives it: two current
 * primaries (store_coverage_end does not look at valid_to). */
static void test_coverage_end_twice(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	char today[11], later[11];
	int64_t inst, c1;
	int n, prim;
	(void)state;
	today_plus(0, today);
	today_plus(30, later);
	inst = mk_inst(&s_rep_d1, "COV-二院", "C城", UNSET);
	c1 = coverage_id(inst, rep_d1);
	begin();
	assert_int_equal(store_coverage_add(st, &s_mgr_p1, inst, rep_d2, "primary", today,
					    PLANS_HAND_OVER, NULL, &e),
			 MS_OK);
	commit();
	current_coverage(inst, &n, &prim);
	assert_int_equal(prim, 1);
	begin();
	assert_int_not_equal(store_coverage_end(st, &s_mgr_p1, c1, later, PLANS_KEEP, NULL, &e),
			     MS_OK);
	store_rollback(st);
	current_coverage(inst, &n, &prim);
	assert_int_equal(prim, 1);
	assert_false(visible(&s_rep_d1, inst));
}

static void test_coverage_reassign(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	char today[11];
	int64_t a, b, c, x, moved = -1, plans = 0, ids[2];
	(void)state;
	today_plus(0, today);
	a = mk_inst(&s_mgr_d1, "RA-一", "C城", rep_d1c);
	b = mk_inst(&s_mgr_d1, "RA-二", "C城", rep_d1c);
	c = mk_inst(&s_mgr_d1, "RA-三", "C城", rep_d1c);
	x = mk_inst(&s_rep_d2, "RA-四", "C城", UNSET);
	begin();
	assert_int_equal(store_coverage_add(st, &s_mgr_p1, x, rep_d1c, "service", today,
					    PLANS_HAND_OVER, NULL, &e),
			 MS_OK);
	commit();
	assert_int_equal(list_total(&s_rep_d1c, "ra-"), 4);

	/* outside the manager's subtree: refused, naming the side */
	begin();
	assert_int_equal(store_coverage_reassign(st, &s_mgr_d1, rep_d1c, rep_d2, today, NULL, 0,
						 PLANS_HAND_OVER, &moved, &plans, &e),
			 MS_EINVAL);
	assert_string_equal(e.field, "to_user_id");
	store_rollback(st);
	begin();
	assert_int_equal(store_coverage_reassign(st, &s_mgr_p2, rep_d1c, rep_p2, today, NULL, 0,
						 PLANS_HAND_OVER, &moved, &plans, &e),
			 MS_EINVAL);
	assert_string_equal(e.field, "from_user_id");
	store_rollback(st);
	begin();
	assert_int_equal(store_coverage_reassign(st, &s_mgr_d1, rep_d1c, rep_d1c, today, NULL, 0,
						 PLANS_HAND_OVER, &moved, &plans, &e),
			 MS_EINVAL);
	store_rollback(st);
	assert_int_equal(list_total(&s_rep_d1c, "ra-"), 4);

	/* everything */
	begin();
	assert_int_equal(store_coverage_reassign(st, &s_mgr_d1, rep_d1c, rep_d1, today, NULL, 0,
						 PLANS_HAND_OVER, &moved, &plans, &e),
			 MS_OK);
	commit();
	assert_int_equal(moved, 4);
	assert_int_equal(list_total(&s_rep_d1c, "ra-"), 0);
	assert_int_equal(list_total(&s_rep_d1, "ra-"), 4);
	assert_int_equal(inst_int(a, "owner_id"), rep_d1);
	assert_int_equal(inst_int(b, "owner_id"), rep_d1);
	assert_int_equal(inst_int(x, "owner_id"),
			 rep_d2); /* a service role moved, not the primary */

	/* a subset */
	ids[0] = c;
	ids[1] = 99999999;
	begin();
	assert_int_equal(store_coverage_reassign(st, &s_mgr_p1, rep_d1, rep_d2, today, ids, 2,
						 PLANS_HAND_OVER, &moved, &plans, &e),
			 MS_OK);
	commit();
	assert_int_equal(moved, 1);
	assert_int_equal(inst_int(c, "owner_id"), rep_d2);
	assert_int_equal(list_total(&s_rep_d1, "ra-"), 3);
	assert_false(visible(&s_mgr_d1, c));
	assert_true(visible(&s_mgr_p1, c));
}

/* Moving a rep's supporting coverage to the institution's primary rep ends
 * that rep's primary coverage: the institution is left without an owner. */
static void test_coverage_reassign_keeps_primary(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	char today[11];
	int64_t inst, moved = 0, plans = 0, ids[1];
	int n, prim;
	(void)state;
	today_plus(0, today);
	inst = mk_inst(&s_rep_d1, "RK-一", "C城", UNSET);
	begin();
	assert_int_equal(store_coverage_add(st, &s_mgr_d1, inst, rep_d1b, "supporting", today,
					    PLANS_HAND_OVER, NULL, &e),
			 MS_OK);
	commit();
	ids[0] = inst;
	begin();
	assert_int_equal(store_coverage_reassign(st, &s_mgr_d1, rep_d1b, rep_d1, today, ids, 1,
						 PLANS_HAND_OVER, &moved, &plans, &e),
			 MS_OK);
	commit();
	assert_int_equal(moved, 1);
	current_coverage(inst, &n, &prim);
	assert_int_equal(prim, 1);
	assert_int_equal(inst_int(inst, "owner_id"), rep_d1);
}

/* ---- recompute on contact changes ---- */

static int64_t mk_contact(const struct scope *who, int64_t inst, const char *name, const char *role,
			  const char *stance, const char *kol)
{
	struct contact_fields f;
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	contact_fields_init(&f);
	f.institution_id = inst;
	f.name = name;
	f.decision_role = role;
	f.stance = stance;
	f.kol_tier = kol;
	begin();
	if (store_contact_create(st, who, &f, &id, &e))
		fail_msg("store_contact_create %s: %s", name, e.message);
	commit();
	return id;
}

static void test_recompute_on_contacts(void **state)
{
	struct inst_fields f;
	struct contact_fields cf;
	struct ms_error e = MS_ERROR_INIT;
	int64_t inst = 0, c1, c2;
	json_t *row;
	(void)state;
	/* L3/A, 1000 beds, 5M yuan, 5 units: potential 40+15+18+10 = 83;
	 * active, relationship 4: willingness 25+24 = 49; teaching, network
	 * lead: influence 25+30+30 = 85; score (83*50+49*25+85*25+50)/100 =
	 * 75: A. */
	inst_fields_init(&f);
	f.name = "RC-市一医院";
	f.province_code = "CP";
	f.city = "C城";
	f.level = "L3";
	f.class_ = "A";
	f.beds = 1000;
	f.budget_fen = 500000000;
	f.installed_units = 5;
	f.status = "active";
	f.relationship = 4;
	f.is_teaching = 1;
	f.network_role = "LEAD";
	begin();
	assert_int_equal(store_inst_create(st, &s_rep_d1, &f, &inst, &e), MS_OK);
	commit();
	assert_int_equal(inst_int(inst, "potential_score"), 83);
	assert_int_equal(inst_int(inst, "grade_score"), 75);
	assert_int_equal(inst_grade(inst, "grade"), 'A');

	/* two opponents among the key contacts: willingness 49-30 = 19;
	 * score (4150+475+2125+50)/100 = 68: B. A plain user does not count. */
	c1 = mk_contact(&s_rep_d1, inst, "反对甲", "DECISION_MAKER", "opponent", NULL);
	mk_contact(&s_rep_d1, inst, "反对乙", "GATEKEEPER", "opponent", NULL);
	mk_contact(&s_rep_d1, inst, "用户", "USER", "supporter", NULL);
	assert_int_equal(inst_int(inst, "grade_score"), 68);
	assert_int_equal(inst_grade(inst, "grade"), 'B');
	assert_int_equal(inst_grade(inst, "grade_computed"), 'B');

	/* one turns supporter, with a provincial KOL: supporters 30,
	 * opponents -15: willingness 64; influence 85+15 = 100; score
	 * (4150+1600+2500+50)/100 = 83: A. */
	contact_fields_init(&cf);
	cf.stance = "supporter";
	cf.kol_tier = "provincial";
	begin();
	assert_int_equal(store_contact_update(st, &s_rep_d1, c1, 1, &cf, &e), MS_OK);
	commit();
	assert_int_equal(inst_int(inst, "grade_score"), 83);
	assert_int_equal(inst_grade(inst, "grade"), 'A');
	row = get_inst(&s_rep_d1, inst);
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(json_object_get(row, "grade_explanation"), "willingness"),
			"score")),
		64);
	json_decref(row);

	/* a contact is written only where the institution is visible */
	contact_fields_init(&cf);
	cf.institution_id = inst;
	cf.name = "越权";
	begin();
	assert_int_equal(store_contact_create(st, &s_rep_d2, &cf, &c2, &e), MS_ENOTFOUND);
	store_rollback(st);
	contact_fields_init(&cf);
	cf.stance = "opponent";
	begin();
	assert_int_equal(store_contact_update(st, &s_rep_d2, c1, 2, &cf, &e), MS_ENOTFOUND);
	store_rollback(st);
	/* stale version */
	begin();
	assert_int_equal(store_contact_update(st, &s_rep_d1, c1, 1, &cf, &e), MS_ECONFLICT);
	store_rollback(st);
	assert_int_equal(inst_int(inst, "grade_score"), 83);
}

/* A manager sees the contacts of an institution nobody covers, as the
 * institution itself (qb_scope_inst's NOT EXISTS subquery names coverage
 * "c", as the contact queries name contacts). */
static void test_contact_of_uncovered_visible_to_manager(void **state)
{
	struct contact_filter f = { .key_only = -1 };
	struct page pg = { 50, 0, NULL };
	struct ms_error e = MS_ERROR_INIT;
	int64_t inst, c;
	json_t *out = NULL;
	(void)state;
	inst = mk_inst(&s_dir, "UC-白区医院", "C城", UNSET);
	c = mk_contact(&s_dir, inst, "白区联系人", "USER", NULL, NULL);
	assert_true(visible(&s_mgr_d1, inst));
	assert_int_equal(store_contact_get(st, &s_mgr_d1, c, &out, &e), MS_OK);
	json_decref(out);
	out = NULL;
	f.institution_id = inst;
	assert_int_equal(store_contact_list(st, &s_mgr_d1, &f, &pg, &out, &e), MS_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 1);
	json_decref(out);
}

/* ---- settings ---- */

static void test_settings_versions(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct grading_model m;
	json_t *v = NULL, *doc;
	int64_t version = -1, inst, count = 0;
	(void)state;
	/* L2/A, 500 beds, active, relationship 3, teaching: potential 30,
	 * willingness 43, influence 40: score 36, C under the default. */
	{
		struct inst_fields f;
		inst_fields_init(&f);
		f.name = "ST-区医院";
		f.province_code = "CP";
		f.city = "C城";
		f.level = "L2";
		f.class_ = "A";
		f.beds = 500;
		f.status = "active";
		f.relationship = 3;
		f.is_teaching = 1;
		begin();
		assert_int_equal(store_inst_create(st, &s_rep_d1, &f, &inst, &e), MS_OK);
		commit();
	}
	assert_int_equal(inst_int(inst, "grade_score"), 36);
	assert_int_equal(inst_grade(inst, "grade"), 'C');

	assert_int_equal(store_settings_get(st, "grading", &v, &version, NULL), MS_ENOTFOUND);
	json_decref(v);
	v = NULL;
	doc = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "w_potential", 40,
			"w_willingness", 30, "w_influence", 30, "threshold_a", 30, "threshold_b",
			10, "visits_a", 4, "visits_b", 2, "visits_c", 1);
	/* the default is version 0: a first save must send 0 */
	begin();
	assert_int_equal(store_settings_put(st, &s_dir, "grading", doc, 1, &e), MS_ECONFLICT);
	assert_string_equal(e.field, "version");
	store_rollback(st);
	begin();
	assert_int_equal(store_settings_put(st, &s_dir, "grading", doc, 0, &e), MS_OK);
	assert_int_equal(store_inst_recompute_all(st, &count, &e), MS_OK);
	commit();
	assert_true(count >= 1);
	assert_int_equal(store_settings_get(st, "grading", &v, &version, &e), MS_OK);
	assert_int_equal(version, 1);
	assert_int_equal(json_integer_value(json_object_get(v, "threshold_a")), 30);
	json_decref(v);
	assert_int_equal(store_grading_model(st, &m, &e), MS_OK);
	assert_int_equal(m.w_potential, 40);
	assert_int_equal(m.threshold_b, 10);
	/* (30*40+43*30+40*30+50)/100 = 37: A under thresholds 30/10 */
	assert_int_equal(inst_int(inst, "grade_score"), 37);
	assert_int_equal(inst_grade(inst, "grade"), 'A');

	/* stale: 0 again, or 2 */
	begin();
	assert_int_equal(store_settings_put(st, &s_dir, "grading", doc, 0, &e), MS_ECONFLICT);
	store_rollback(st);
	begin();
	assert_int_equal(store_settings_put(st, &s_dir, "grading", doc, 2, &e), MS_ECONFLICT);
	store_rollback(st);
	/* back to the default values, version 1 -> 2 */
	json_object_set_new(doc, "w_potential", json_integer(50));
	json_object_set_new(doc, "w_willingness", json_integer(25));
	json_object_set_new(doc, "w_influence", json_integer(25));
	json_object_set_new(doc, "threshold_a", json_integer(70));
	json_object_set_new(doc, "threshold_b", json_integer(40));
	begin();
	assert_int_equal(store_settings_put(st, &s_dir, "grading", doc, 1, &e), MS_OK);
	assert_int_equal(store_inst_recompute_all(st, &count, &e), MS_OK);
	commit();
	json_decref(doc);
	assert_int_equal(store_settings_get(st, "grading", &v, &version, &e), MS_OK);
	assert_int_equal(version, 2);
	json_decref(v);
	assert_int_equal(inst_grade(inst, "grade"), 'C');

	/* completeness: only 'needs' counts: 0 without, 100 with */
	doc = json_pack("{s:{s:i}, s:{}}", "institution", "needs", 50, "contact");
	assert_int_equal(completeness_check_json(doc, &e), MS_OK);
	begin();
	assert_int_equal(store_settings_put(st, &sys, "completeness", doc, 0, &e), MS_OK);
	assert_int_equal(store_inst_recompute_all(st, &count, &e), MS_OK);
	commit();
	json_decref(doc);
	assert_int_equal(inst_int(inst, "completeness"), 0);
	{
		struct need_fields nf;
		int64_t nid;
		need_fields_init(&nf);
		nf.institution_id = inst;
		nf.need = "新院区设备";
		begin();
		assert_int_equal(store_need_create(st, &s_rep_d1, &nf, &nid, &e), MS_OK);
		commit();
	}
	assert_int_equal(inst_int(inst, "completeness"), 100);
	assert_int_equal(store_settings_get(st, "completeness", &v, &version, &e), MS_OK);
	assert_int_equal(version, 1);
	json_decref(v);
	/* a bad document is refused before it is stored */
	doc = json_pack("{s:{s:i}, s:{}}", "institution", "colour", 5, "contact");
	assert_int_equal(completeness_check_json(doc, &e), MS_EINVAL);
	assert_string_equal(e.field, "colour");
	json_decref(doc);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_inst_scope, end_tx),
		cmocka_unit_test_teardown(test_inst_find_duplicate, end_tx),
		cmocka_unit_test_teardown(test_inst_territory, end_tx),
		cmocka_unit_test_teardown(test_coverage_add_end_owner, end_tx),
		cmocka_unit_test_teardown(test_coverage_end_twice, end_tx),
		cmocka_unit_test_teardown(test_coverage_reassign, end_tx),
		cmocka_unit_test_teardown(test_coverage_reassign_keeps_primary, end_tx),
		cmocka_unit_test_teardown(test_recompute_on_contacts, end_tx),
		cmocka_unit_test_teardown(test_contact_of_uncovered_visible_to_manager, end_tx),
		cmocka_unit_test_teardown(test_settings_versions, end_tx),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

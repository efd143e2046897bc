/* test_store.c: the SQLite store through its public functions, on a fresh
 * database in a temporary file: users and scopes, optimistic versions,
 * the effective-dated organisation tree, reference data, sessions, the login
 * throttle and the audit chain. The tests of one run share the database and
 * run in order; each creates what it needs under its own codes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/hash.h"
#include "store/db.h"
#include "store/store.h"
#include "store/store_audit.h"
#include "store/store_org.h"
#include "store/store_user.h"

static char db_path[64];
static struct store *st;
static struct scope sys;

/* The tree built by setup: HQ <- R1 <- P1 <- {D1, D2}; R1 <- P2. */
static int64_t hq, r1, p1, d1, d2, p2;
/* Users: mgr_p1 (manager of P1), mgr_d1 (manager of D1), rep_d1, rep_d2,
 * rep_p2, dir (director at HQ). */
static int64_t mgr_p1, mgr_d1, rep_d1, rep_d2, rep_p2, dir;

static void begin(void)
{
	assert_int_equal(store_begin(st, 1), MS_OK);
}

static void commit(void)
{
	assert_int_equal(store_commit(st), MS_OK);
}

static int64_t mk_unit(const char *code, const char *type, int64_t parent, const char *from)
{
	struct unit_fields f = { code, type, code, code, parent, from };
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	begin();
	if (store_org_create(st, &sys, &f, &id, &e))
		fail_msg("store_org_create %s: %s", code, e.message);
	commit();
	return id;
}

static int64_t mk_user(const char *name, const char *role, int64_t unit)
{
	struct user_fields f = { name, name, role, "", "", NULL, "$argon2id$fake", unit, 1 };
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	begin();
	if (store_user_create(st, &sys, &f, &id, &e))
		fail_msg("store_user_create %s: %s", name, e.message);
	commit();
	assert_true(id > 0);
	return id;
}

static void scope_of(struct scope *s, enum role r, int64_t user, int64_t unit, const char *name)
{
	scope_for(s, r, user, unit);
	s->username = name;
}

static void today_plus(int days, char *buf)
{
	date_format(date_of_instant(date_now()) + days, buf);
}

static int setup(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	int applied = 0, fd;
	(void)state;
	if (hash_init())
		return -1;
	snprintf(db_path, sizeof(db_path), "/tmp/medsales-test-store-XXXXXX");
	fd = mkstemp(db_path);
	if (fd < 0)
		return -1;
	close(fd);
	if (store_open(db_path, &st, &e) || store_migrate(st, &applied, &e) || applied < 1)
		return -1;
	if (store_schema_version(st) != store_latest_version())
		return -1;
	scope_system(&sys);
	hq = mk_unit("T-HQ", "company", 0, "2024-01-01");
	r1 = mk_unit("T-R1", "region", hq, "2024-01-01");
	p1 = mk_unit("T-P1", "province", r1, "2024-01-01");
	d1 = mk_unit("T-D1", "district", p1, "2024-01-01");
	d2 = mk_unit("T-D2", "district", p1, "2024-01-01");
	p2 = mk_unit("T-P2", "province", r1, "2024-01-01");
	mgr_p1 = mk_user("mgr.p1", "manager", p1);
	mgr_d1 = mk_user("mgr.d1", "manager", d1);
	rep_d1 = mk_user("rep.d1", "rep", d1);
	rep_d2 = mk_user("rep.d2", "rep", d2);
	rep_p2 = mk_user("rep.p2", "rep", p2);
	dir = mk_user("dir", "director", hq);
	return 0;
}

static int teardown(void **state)
{
	char p[96];
	(void)state;
	store_close(st);
	unlink(db_path);
	snprintf(p, sizeof(p), "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db_path);
	unlink(p);
	return 0;
}

/* After each test: a failed assertion can leave a transaction open; end
 * it so that one failure does not cascade into the next tests. */
static int end_tx(void **state)
{
	(void)state;
	if (st->in_tx)
		store_rollback(st);
	return 0;
}

/* The usernames of a list result, sorted by username, joined by ','. */
static void list_names(const struct scope *s, char *out, size_t n, int64_t *total)
{
	struct user_filter f = { NULL, NULL, 0, -1 };
	struct page pg = { 200, 0, "username" };
	struct ms_error e = MS_ERROR_INIT;
	json_t *res = NULL, *it;
	size_t i;
	out[0] = '\0';
	assert_int_equal(store_user_list(st, s, &f, &pg, &res, &e), MS_OK);
	*total = json_integer_value(json_object_get(res, "total"));
	json_array_foreach(json_object_get(res, "items"), i, it)
	{
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%s", i ? "," : "",
			 json_string_value(json_object_get(it, "username")));
	}
	assert_int_equal(json_integer_value(json_object_get(res, "limit")), 200);
	assert_int_equal(json_integer_value(json_object_get(res, "offset")), 0);
	json_decref(res);
}

static void test_user_scope_list(void **state)
{
	struct scope s;
	char names[512];
	int64_t total;
	(void)state;
	scope_of(&s, ROLE_REP, rep_d1, d1, "rep.d1");
	list_names(&s, names, sizeof(names), &total);
	assert_string_equal(names, "rep.d1");
	assert_int_equal(total, 1);

	scope_of(&s, ROLE_MANAGER, mgr_p1, p1, "mgr.p1");
	list_names(&s, names, sizeof(names), &total);
	assert_string_equal(names, "mgr.d1,mgr.p1,rep.d1,rep.d2");
	assert_int_equal(total, 4);

	scope_of(&s, ROLE_MANAGER, mgr_d1, d1, "mgr.d1");
	list_names(&s, names, sizeof(names), &total);
	assert_string_equal(names, "mgr.d1,rep.d1");
	assert_int_equal(total, 2);

	scope_of(&s, ROLE_DIRECTOR, dir, hq, "dir");
	list_names(&s, names, sizeof(names), &total);
	assert_string_equal(names, "dir,mgr.d1,mgr.p1,rep.d1,rep.d2,rep.p2");
	assert_int_equal(total, 6);
}

static void test_user_list_filters_paging(void **state)
{
	struct scope s;
	struct user_filter f = { "rep", NULL, 0, -1 };
	struct page pg = { 2, 1, "-username" };
	struct ms_error e = MS_ERROR_INIT;
	json_t *res = NULL, *items;
	(void)state;
	scope_of(&s, ROLE_DIRECTOR, dir, hq, "dir");
	assert_int_equal(store_user_list(st, &s, &f, &pg, &res, &e), MS_OK);
	items = json_object_get(res, "items");
	/* reps descending: rep.p2, rep.d2, rep.d1; offset 1, limit 2. */
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 3);
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(items, 0), "username")), "rep.d2");
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(items, 1), "username")), "rep.d1");
	json_decref(res);

	/* q searches username and display name, with LIKE wildcards escaped. */
	f.role = NULL;
	f.q = "d1";
	pg.limit = 50;
	pg.offset = 0;
	pg.sort = NULL;
	res = NULL;
	assert_int_equal(store_user_list(st, &s, &f, &pg, &res, &e), MS_OK);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 2);
	/* The page holds the rows that total counts: mgr.d1 and rep.d1. */
	items = json_object_get(res, "items");
	if (json_array_size(items) != 2)
		fail_msg("q='d1': total 2 but %zu items", json_array_size(items));
	json_decref(res);
	f.q = "%";
	res = NULL;
	assert_int_equal(store_user_list(st, &s, &f, &pg, &res, &e), MS_OK);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 0);
	json_decref(res);

	f.q = NULL;
	f.unit_id = d1;
	res = NULL;
	assert_int_equal(store_user_list(st, &s, &f, &pg, &res, &e), MS_OK);
	assert_int_equal(json_integer_value(json_object_get(res, "total")), 2);
	json_decref(res);

	/* An unknown sort name is refused, naming 'sort'. */
	f.unit_id = 0;
	pg.sort = "password_hash";
	res = NULL;
	assert_int_equal(store_user_list(st, &s, &f, &pg, &res, &e), MS_EINVAL);
	assert_string_equal(e.field, "sort");
	assert_null(res);
}

static void test_user_get_scope(void **state)
{
	struct scope s;
	struct ms_error e = MS_ERROR_INIT;
	json_t *u = NULL;
	(void)state;
	scope_of(&s, ROLE_REP, rep_d1, d1, "rep.d1");
	assert_int_equal(store_user_get(st, &s, rep_d1, &u, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(u, "username")), "rep.d1");
	assert_string_equal(json_string_value(json_object_get(u, "role")), "rep");
	assert_int_equal(json_integer_value(json_object_get(u, "unit_id")), d1);
	assert_string_equal(json_string_value(json_object_get(u, "unit_name_en")), "T-D1");
	assert_true(json_is_true(json_object_get(u, "active")));
	assert_int_equal(json_integer_value(json_object_get(u, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(u, "locale")), "zh-CN");
	assert_null(json_object_get(u, "password_hash"));
	assert_int_equal(strlen(json_string_value(json_object_get(u, "created_at"))), 25);
	json_decref(u);
	u = NULL;
	assert_int_equal(store_user_get(st, &s, rep_d2, &u, &e), MS_ENOTFOUND);
	assert_int_equal(store_user_get(st, &s, mgr_d1, &u, &e), MS_ENOTFOUND);

	/* A manager sees own subtree only, and himself. */
	scope_of(&s, ROLE_MANAGER, mgr_d1, d1, "mgr.d1");
	assert_int_equal(store_user_get(st, &s, rep_d1, &u, &e), MS_OK);
	json_decref(u);
	assert_int_equal(store_user_get(st, &s, mgr_d1, &u, &e), MS_OK);
	json_decref(u);
	assert_int_equal(store_user_get(st, &s, rep_d2, &u, &e), MS_ENOTFOUND);
	assert_int_equal(store_user_get(st, &s, mgr_p1, &u, &e), MS_ENOTFOUND);
	scope_of(&s, ROLE_MANAGER, mgr_p1, p1, "mgr.p1");
	assert_int_equal(store_user_get(st, &s, rep_p2, &u, &e), MS_ENOTFOUND);
	assert_int_equal(store_user_get(st, &s, 999999, &u, &e), MS_ENOTFOUND);
}

static void test_user_version_conflict(void **state)
{
	struct user_fields f = { NULL, "Renamed", NULL, NULL, NULL, NULL, NULL, 0, -1 };
	struct ms_error e = MS_ERROR_INIT;
	json_t *u = NULL;
	int64_t id = mk_user("rep.version", "rep", d1);
	(void)state;
	begin();
	assert_int_equal(store_user_update(st, &sys, id, 1, &f, &e), MS_OK);
	commit();
	f.display_name = "Stale write";
	begin();
	assert_int_equal(store_user_update(st, &sys, id, 1, &f, &e), MS_ECONFLICT);
	assert_string_equal(e.code, "conflict");
	assert_string_equal(e.field, "version");
	store_rollback(st);
	assert_int_equal(store_user_get(st, &sys, id, &u, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(u, "display_name")), "Renamed");
	assert_int_equal(json_integer_value(json_object_get(u, "version")), 2);
	json_decref(u);
	/* A missing record is not a conflict. */
	begin();
	assert_int_equal(store_user_update(st, &sys, 987654, 1, &f, &e), MS_ENOTFOUND);
	store_rollback(st);
	/* Moving to a unit that does not exist. */
	f.display_name = NULL;
	f.unit_id = 424242;
	begin();
	assert_int_equal(store_user_update(st, &sys, id, 2, &f, &e), MS_EINVAL);
	assert_string_equal(e.field, "unit_id");
	store_rollback(st);
}

static void test_user_duplicate_and_bad_unit(void **state)
{
	struct user_fields f = { "rep.d1", "Twin", "rep", "", "", NULL, "h", d1, 1 };
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	(void)state;
	begin();
	assert_int_equal(store_user_create(st, &sys, &f, &id, &e), MS_ECONFLICT);
	assert_string_equal(e.code, "duplicate");
	assert_string_equal(e.field, "username");
	store_rollback(st);
	f.username = "rep.nounit";
	f.unit_id = 31337;
	ms_error_clear(&e);
	begin();
	assert_int_equal(store_user_create(st, &sys, &f, &id, &e), MS_EINVAL);
	assert_string_equal(e.field, "unit_id");
	store_rollback(st);
	assert_int_equal(store_user_id(st, "rep.nounit", &id, NULL), MS_ENOTFOUND);
	assert_int_equal(store_user_id(st, "rep.d1", &id, NULL), MS_OK);
	assert_int_equal(id, rep_d1);
}

static int64_t parent_on(int64_t unit, const char *as_of)
{
	json_t *u = NULL;
	int64_t p;
	assert_int_equal(store_org_get(st, unit, as_of, &u, NULL), MS_OK);
	p = json_integer_value(json_object_get(u, "parent_id"));
	json_decref(u);
	return p;
}

static void test_org_future_move(void **state)
{
	char today[11], day29[11], day30[11];
	int64_t unit = mk_unit("T-MOVE", "district", p1, "2024-01-01");
	struct unit_fields f = { NULL, NULL, NULL, NULL, p2, day30 };
	struct ms_error e = MS_ERROR_INIT;
	json_t *list = NULL, *it;
	size_t i;
	int seen = 0;
	(void)state;
	today_plus(0, today);
	today_plus(29, day29);
	today_plus(30, day30);
	begin();
	assert_int_equal(store_org_update(st, &sys, unit, 1, &f, &e), MS_OK);
	commit();
	assert_int_equal(parent_on(unit, today), p1);
	assert_int_equal(parent_on(unit, day29), p1);
	assert_int_equal(parent_on(unit, day30), p2);
	assert_int_equal(parent_on(unit, "2099-01-01"), p2);
	assert_int_equal(parent_on(unit, "2024-01-01"), p1);
	/* Before it existed. */
	assert_int_equal(store_org_get(st, unit, "2023-12-31", &it, NULL), MS_ENOTFOUND);
	/* The list as of today still has it under P1, root first. */
	assert_int_equal(store_org_list(st, today, &list, &e), MS_OK);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), hq);
	json_array_foreach(list, i, it)
	{
		if (json_integer_value(json_object_get(it, "id")) == unit) {
			seen++;
			assert_int_equal(json_integer_value(json_object_get(it, "parent_id")), p1);
		}
	}
	assert_int_equal(seen, 1);
	json_decref(list);
	/* The version went up: a write with the old one is refused. */
	f.valid_from = today;
	f.parent_id = p2;
	begin();
	assert_int_equal(store_org_update(st, &sys, unit, 1, &f, &e), MS_ECONFLICT);
	store_rollback(st);
}

static void test_org_rename_keeps_history(void **state)
{
	char today[11];
	int64_t unit = mk_unit("T-REN", "team", d1, "2024-01-01");
	struct unit_fields f = { NULL, NULL, "新名", "New name", 0, NULL };
	struct ms_error e = MS_ERROR_INIT;
	json_t *u = NULL;
	(void)state;
	today_plus(0, today);
	f.valid_from = today;
	begin();
	assert_int_equal(store_org_update(st, &sys, unit, 1, &f, &e), MS_OK);
	commit();
	assert_int_equal(store_org_get(st, unit, today, &u, NULL), MS_OK);
	assert_string_equal(json_string_value(json_object_get(u, "name_en")), "New name");
	assert_int_equal(json_integer_value(json_object_get(u, "parent_id")), d1);
	assert_int_equal(json_integer_value(json_object_get(u, "version")), 2);
	json_decref(u);
	assert_int_equal(store_org_get(st, unit, "2025-06-01", &u, NULL), MS_OK);
	assert_string_equal(json_string_value(json_object_get(u, "name_en")), "T-REN");
	json_decref(u);
}

static void test_org_refusals(void **state)
{
	char today[11];
	struct unit_fields f = { NULL, NULL, NULL, NULL, d1, NULL };
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	(void)state;
	today_plus(0, today);
	f.valid_from = today;
	/* A unit under its own descendant, or itself: refused (the level rule
	 * answers before the cycle walk), nothing written. */
	begin();
	assert_int_equal(store_org_update(st, &sys, p1, 1, &f, &e), MS_EINVAL);
	assert_string_equal(e.field, "parent_id");
	store_rollback(st);
	f.parent_id = p1;
	ms_error_clear(&e);
	begin();
	assert_int_equal(store_org_update(st, &sys, p1, 1, &f, &e), MS_EINVAL);
	assert_string_equal(e.field, "parent_id");
	store_rollback(st);
	assert_int_equal(parent_on(p1, today), r1);
	/* The root under a region. */
	f.parent_id = r1;
	begin();
	assert_int_equal(store_org_update(st, &sys, hq, 1, &f, &e), MS_EINVAL);
	store_rollback(st);
	/* Creating: duplicate code, a company with a parent, a region without,
	 * a parent that does not exist yet on the date. */
	{
		struct unit_fields c = { "T-P1", "province", "x", "x", r1, "2024-01-01" };
		begin();
		assert_int_equal(store_org_create(st, &sys, &c, &id, &e), MS_ECONFLICT);
		assert_string_equal(e.field, "code");
		store_rollback(st);
		c.code = "T-CO2";
		c.type = "company";
		begin();
		assert_int_equal(store_org_create(st, &sys, &c, &id, &e), MS_EINVAL);
		assert_string_equal(e.field, "parent_id");
		store_rollback(st);
		c.type = "region";
		c.parent_id = 0;
		ms_error_clear(&e);
		begin();
		assert_int_equal(store_org_create(st, &sys, &c, &id, &e), MS_EINVAL);
		assert_string_equal(e.code, "required");
		store_rollback(st);
		c.parent_id = hq;
		c.valid_from = "2023-06-01"; /* HQ starts 2024-01-01 */
		begin();
		assert_int_equal(store_org_create(st, &sys, &c, &id, &e), MS_EINVAL);
		assert_string_equal(e.field, "parent_id");
		store_rollback(st);
		assert_int_equal(store_org_id(st, "T-CO2", &id, NULL), MS_ENOTFOUND);
		assert_int_equal(store_org_id(st, "T-D2", &id, NULL), MS_OK);
		assert_int_equal(id, d2);
	}
}

static void test_ref_items(void **state)
{
	struct ref_fields reg = { "T_REG", "区", "Region T", 2, NULL, 1 };
	struct ref_fields prov = { "T_PROV", "省", "Province T", 0, "T_REG", 1 };
	struct ms_error e = MS_ERROR_INIT;
	int64_t rid = 0, pid = 0, id = 0;
	json_t *it = NULL, *list = NULL;
	(void)state;
	begin();
	assert_int_equal(store_ref_create(st, &sys, REF_REGIONS, &reg, &rid, &e), MS_OK);
	assert_int_equal(store_ref_create(st, &sys, REF_PROVINCES, &prov, &pid, &e), MS_OK);
	commit();
	assert_int_equal(store_ref_get(st, REF_PROVINCES, pid, &it, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(it, "parent_code")), "T_REG");
	assert_string_equal(json_string_value(json_object_get(it, "kind")), "provinces");
	assert_int_equal(json_integer_value(json_object_get(it, "priority")), 5); /* default */
	assert_int_equal(json_integer_value(json_object_get(it, "version")), 1);
	assert_true(json_is_true(json_object_get(it, "active")));
	json_decref(it);
	/* A region has no parent_code. */
	assert_int_equal(store_ref_get(st, REF_REGIONS, rid, &it, &e), MS_OK);
	assert_true(json_is_null(json_object_get(it, "parent_code")));
	json_decref(it);
	/* The id of one kind is not found under another. */
	assert_int_equal(store_ref_get(st, REF_SEGMENTS, rid, &it, &e), MS_ENOTFOUND);

	/* A province needs an existing region. */
	prov.code = "T_PROV2";
	prov.parent_code = "NO_SUCH_REGION";
	begin();
	assert_int_equal(store_ref_create(st, &sys, REF_PROVINCES, &prov, &id, &e), MS_EINVAL);
	assert_string_equal(e.field, "parent_code");
	store_rollback(st);
	prov.parent_code = "T_PROV"; /* a province, not a region */
	begin();
	assert_int_equal(store_ref_create(st, &sys, REF_PROVINCES, &prov, &id, &e), MS_EINVAL);
	assert_string_equal(e.field, "parent_code");
	store_rollback(st);
	prov.parent_code = NULL;
	ms_error_clear(&e);
	begin();
	assert_int_equal(store_ref_create(st, &sys, REF_PROVINCES, &prov, &id, &e), MS_EINVAL);
	assert_string_equal(e.code, "required");
	assert_string_equal(e.field, "parent_code");
	store_rollback(st);
	/* Other kinds take no parent. */
	{
		struct ref_fields seg = { "T_SEG", "段", "Seg", 3, "T_REG", 1 };
		begin();
		assert_int_equal(store_ref_create(st, &sys, REF_SEGMENTS, &seg, &id, &e),
				 MS_EINVAL);
		assert_string_equal(e.field, "parent_code");
		store_rollback(st);
	}
	/* Duplicate code within a kind; the same code in another kind is fine. */
	begin();
	assert_int_equal(store_ref_create(st, &sys, REF_REGIONS, &reg, &id, &e), MS_ECONFLICT);
	store_rollback(st);
	begin();
	assert_int_equal(store_ref_create(st, &sys, REF_SEGMENTS, &reg, &id, &e), MS_OK);
	commit();

	/* Update: version check, deactivate, list filter. */
	{
		struct ref_fields up = { NULL, NULL, "Region T2", 0, NULL, 0 };
		begin();
		assert_int_equal(store_ref_update(st, &sys, REF_REGIONS, rid, 1, &up, &e), MS_OK);
		commit();
		begin();
		assert_int_equal(store_ref_update(st, &sys, REF_REGIONS, rid, 1, &up, &e),
				 MS_ECONFLICT);
		store_rollback(st);
		begin();
		assert_int_equal(store_ref_update(st, &sys, REF_REGIONS, 777777, 1, &up, &e),
				 MS_ENOTFOUND);
		store_rollback(st);
		up.parent_code = "NO_SUCH";
		begin();
		assert_int_equal(store_ref_update(st, &sys, REF_PROVINCES, pid, 1, &up, &e),
				 MS_EINVAL);
		assert_string_equal(e.field, "parent_code");
		store_rollback(st);
	}
	assert_int_equal(store_ref_get(st, REF_REGIONS, rid, &it, &e), MS_OK);
	assert_string_equal(json_string_value(json_object_get(it, "name_en")), "Region T2");
	assert_string_equal(json_string_value(json_object_get(it, "name_zh")), "区");
	assert_int_equal(json_integer_value(json_object_get(it, "priority")), 2);
	assert_false(json_is_true(json_object_get(it, "active")));
	assert_int_equal(json_integer_value(json_object_get(it, "version")), 2);
	json_decref(it);
	assert_int_equal(store_ref_list(st, REF_REGIONS, 1, &list, &e), MS_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	assert_int_equal(store_ref_list(st, REF_REGIONS, -1, &list, &e), MS_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
}

/* The id of an item of one kind, patched under another kind, is not found
 * (404), whatever the version: answering 409 "changed by someone else"
 * tells the caller the id exists elsewhere. */
static void test_ref_update_wrong_kind(void **state)
{
	struct ref_fields reg = { "T_WK", "区", "Wrong kind", 2, NULL, 1 };
	struct ref_fields up = { NULL, NULL, "X", 0, NULL, -1 };
	struct ms_error e = MS_ERROR_INIT;
	int64_t rid = 0;
	(void)state;
	begin();
	assert_int_equal(store_ref_create(st, &sys, REF_REGIONS, &reg, &rid, &e), MS_OK);
	commit();
	begin();
	assert_int_equal(store_ref_update(st, &sys, REF_SEGMENTS, rid, 1, &up, &e), MS_ENOTFOUND);
	store_rollback(st);
}

static void test_sessions(void **state)
{
	struct scope s, other;
	struct session_info si;
	struct ms_error e = MS_ERROR_INIT;
	int64_t sid = 0, sid2 = 0;
	const int64_t now = 1795691670;
	(void)state;
	scope_of(&s, ROLE_REP, rep_d2, d2, "rep.d2");
	scope_of(&other, ROLE_REP, rep_d1, d1, "rep.d1");
	begin();
	assert_int_equal(store_session_create(st, &s, "th-1", "csrf-1", "127.0.0.1", now, &sid, &e),
			 MS_OK);
	assert_int_equal(store_session_create(st, &s, "th-2", "csrf-2", "::1", now, &sid2, &e),
			 MS_OK);
	commit();
	assert_true(sid > 0 && sid2 > sid);
	memset(&si, 0, sizeof(si));
	assert_int_equal(store_session_lookup(st, "th-1", &si, &e), MS_OK);
	assert_int_equal(si.id, sid);
	assert_int_equal(si.user_id, rep_d2);
	assert_int_equal(si.unit_id, d2);
	assert_int_equal(si.role, ROLE_REP);
	assert_string_equal(si.username, "rep.d2");
	assert_string_equal(si.csrf, "csrf-1");
	assert_true(si.created_at == now && si.last_seen_at == now);
	assert_int_equal(store_session_lookup(st, "th-none", &si, &e), MS_EUNAUTH);
	/* Touch moves last_seen only. */
	assert_int_equal(store_session_touch(st, sid, now + 100, &e), MS_OK);
	assert_int_equal(store_session_lookup(st, "th-1", &si, &e), MS_OK);
	assert_true(si.last_seen_at == now + 100 && si.created_at == now);
	/* Another user cannot end it. */
	begin();
	assert_int_equal(store_session_end(st, &other, sid, &e), MS_ENOTFOUND);
	store_rollback(st);
	begin();
	assert_int_equal(store_session_end(st, &s, sid, &e), MS_OK);
	commit();
	assert_int_equal(store_session_lookup(st, "th-1", &si, &e), MS_EUNAUTH);
	assert_int_equal(store_session_lookup(st, "th-2", &si, &e), MS_OK);
	/* Disabling the account logs it out everywhere. */
	{
		struct user_fields f = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0 };
		json_t *u = NULL;
		int64_t version;
		assert_int_equal(store_user_get(st, &sys, rep_d2, &u, &e), MS_OK);
		version = json_integer_value(json_object_get(u, "version"));
		json_decref(u);
		begin();
		assert_int_equal(store_user_update(st, &sys, rep_d2, version, &f, &e), MS_OK);
		commit();
		assert_int_equal(store_session_lookup(st, "th-2", &si, &e), MS_EUNAUTH);
		f.active = 1;
		begin();
		assert_int_equal(store_user_update(st, &sys, rep_d2, version + 1, &f, &e), MS_OK);
		commit();
	}
	/* A password change ends every session but the one kept. */
	begin();
	assert_int_equal(store_session_create(st, &s, "th-3", "c3", "", now, &sid, &e), MS_OK);
	assert_int_equal(store_session_create(st, &s, "th-4", "c4", "", now, &sid2, &e), MS_OK);
	assert_int_equal(store_user_set_password(st, &s, rep_d2, "newhash", sid, &e), MS_OK);
	commit();
	assert_int_equal(store_session_lookup(st, "th-3", &si, &e), MS_OK);
	assert_int_equal(store_session_lookup(st, "th-4", &si, &e), MS_EUNAUTH);
	{
		struct user_auth ua;
		assert_int_equal(store_user_auth(st, "rep.d2", &ua, &e), MS_OK);
		assert_string_equal(ua.password_hash, "newhash");
		assert_int_equal(ua.id, rep_d2);
		assert_int_equal(ua.role, ROLE_REP);
		assert_int_equal(ua.active, 1);
		assert_int_equal(store_user_auth(st, "nobody", &ua, &e), MS_ENOTFOUND);
	}
	/* Purge by idle and by age. */
	assert_int_equal(store_session_purge(st, now + 1, 0, &e), MS_OK);
	assert_int_equal(store_session_lookup(st, "th-3", &si, &e), MS_EUNAUTH);
}

static void test_throttle(void **state)
{
	struct throttle t = { 9, 9, 9 }, w = { 3, 1795691670, 1795692570 };
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	assert_int_equal(store_throttle_get(st, "u:nobody", &t, &e), MS_OK);
	assert_true(t.fails == 0 && t.window_start == 0 && t.locked_until == 0);
	assert_int_equal(store_throttle_put(st, "u:nobody", &w, &e), MS_OK);
	assert_int_equal(store_throttle_get(st, "u:nobody", &t, &e), MS_OK);
	assert_true(t.fails == 3 && t.window_start == 1795691670 && t.locked_until == 1795692570);
	w.fails = 4;
	assert_int_equal(store_throttle_put(st, "u:nobody", &w, &e), MS_OK);
	assert_int_equal(store_throttle_get(st, "u:nobody", &t, &e), MS_OK);
	assert_int_equal(t.fails, 4);
	/* Keys are separate. */
	assert_int_equal(store_throttle_get(st, "a:127.0.0.1", &t, &e), MS_OK);
	assert_int_equal(t.fails, 0);
	assert_int_equal(store_throttle_clear(st, "u:nobody", &e), MS_OK);
	assert_int_equal(store_throttle_get(st, "u:nobody", &t, &e), MS_OK);
	assert_true(t.fails == 0 && t.locked_until == 0);
	assert_int_equal(store_throttle_clear(st, "u:never", &e), MS_OK);
}

static void put_counter(const char *key, int64_t last)
{
	struct throttle t = { 1, last, 0 };
	struct ms_error e = MS_ERROR_INIT;
	assert_int_equal(store_throttle_put(st, key, &t, &e), MS_OK);
}

/* The keys that have a counter, sorted, joined by ',' ("" when none). */
static void assert_counters(const char *want)
{
	static char got[256];
	json_t *row = NULL;
	struct qb q;
	const char *keys;

	qb_init(&q, "SELECT coalesce(group_concat(key, ','), '') AS keys "
		    "FROM (SELECT key FROM login_throttle ORDER BY key)");
	assert_int_equal(db_row(st, &q, &row, NULL), MS_OK);
	qb_release(&q);
	keys = json_string_value(json_object_get(row, "keys"));
	snprintf(got, sizeof(got), "%s", keys ? keys : "?");
	json_decref(row);
	assert_string_equal(got, want);
}

/* Counters whose last check is at or before the cut are forgotten, at most
 * sweep of them a call (oldest first); past max_keys, the oldest go. Each
 * step puts its counters (key, last check), forgets, and checks the keys
 * left. */
static void test_throttle_forget(void **state)
{
	static const struct {
		struct {
			const char *key;
			int64_t last;
		} put[4];
		int64_t before, sweep, max_keys;
		const char *left;
	} steps[] = {
		{ { { "f-old1", 1000 }, { "f-old2", 1000 }, { "f-edge", 1100 }, { "f-new", 5000 } },
		  1000,
		  64,
		  100,
		  "f-edge,f-new" },
		/* The cut is inclusive: a counter exactly a window old goes. */
		{ { { NULL, 0 } }, 1100, 64, 100, "f-new" },
		/* Bounded work: of three old counters a sweep of two takes the
		 * two oldest. */
		{ { { "f-a", 10 }, { "f-b", 20 }, { "f-c", 30 } }, 4000, 2, 100, "f-c,f-new" },
		/* The cap: five counters, none old, the three newest kept. */
		{ { { "f-d", 4500 }, { "f-e", 4600 }, { "f-g", 4700 } },
		  0,
		  64,
		  3,
		  "f-e,f-g,f-new" },
		/* At the cap nothing more goes. */
		{ { { NULL, 0 } }, 0, 64, 3, "f-e,f-g,f-new" },
		{ { { NULL, 0 } }, INT64_MAX, 64, 0, "" },
	};
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		begin();
		for (int k = 0; k < 4 && steps[i].put[k].key; k++)
			put_counter(steps[i].put[k].key, steps[i].put[k].last);
		assert_int_equal(store_throttle_forget(st, steps[i].before, steps[i].sweep,
						       steps[i].max_keys, &e),
				 MS_OK);
		assert_counters(steps[i].left);
		commit();
	}
}

/* qb_and_*: the filter is added, with its value, only when the value is set. */
static void test_qb_and(void **state)
{
	struct qb q;
	int64_t n = -1;
	(void)state;
	qb_init(&q, "SELECT count(*) FROM users WHERE 1 = 1");
	qb_and_text(&q, " AND username = ?", NULL);
	qb_and_int(&q, " AND id = ?", 0);
	assert_int_equal(db_int(st, &q, &n, NULL), MS_OK);
	qb_release(&q);
	assert_true(n > 1);
	qb_init(&q, "SELECT count(*) FROM users WHERE 1 = 1");
	qb_and_text(&q, " AND username = ?", "rep.d2");
	qb_and_int(&q, " AND id > ?", 0); /* 0: left out */
	assert_int_equal(db_int(st, &q, &n, NULL), MS_OK);
	qb_release(&q);
	assert_int_equal(n, 1);
	qb_init(&q, "SELECT count(*) FROM users WHERE 1 = 1");
	qb_and_text(&q, " AND username = ?", "rep.d2");
	qb_and_int(&q, " AND id = ?", -5);
	assert_int_equal(db_int(st, &q, &n, NULL), MS_OK);
	qb_release(&q);
	assert_int_equal(n, 0);
}

static int64_t count_audit(void)
{
	struct qb q;
	int64_t n = -1;
	qb_init(&q, "SELECT count(*) FROM audit_log");
	assert_int_equal(db_int(st, &q, &n, NULL), MS_OK);
	qb_release(&q);
	return n;
}

static void test_audit_chain(void **state)
{
	struct scope s;
	struct page pg = { 5, 0, NULL };
	struct ms_error e = MS_ERROR_INIT;
	int64_t checked = -1, broken = -1, n = count_audit();
	json_t *res = NULL, *first;
	(void)state;
	assert_true(n > 20);
	assert_int_equal(store_audit_verify(st, &checked, &broken, &e), MS_OK);
	assert_int_equal(broken, 0);
	assert_int_equal(checked, n);
	/* The latest entry for a user update has before and after. */
	scope_of(&s, ROLE_ADMIN, 0, hq, "system");
	assert_int_equal(
		store_audit_list(st, &s,
				 &(struct audit_filter){ .entity = "users", .entity_id = rep_d2 },
				 &pg, &res, &e),
		MS_OK);
	first = json_array_get(json_object_get(res, "items"), 0);
	assert_non_null(first);
	assert_string_equal(json_string_value(json_object_get(first, "entity")), "users");
	assert_int_equal(json_integer_value(json_object_get(first, "entity_id")), rep_d2);
	assert_true(json_is_object(json_object_get(first, "after")));
	assert_string_equal(json_string_value(json_object_get(first, "action")), "password");
	/* Secrets stay out of the log. */
	assert_null(json_object_get(json_object_get(first, "after"), "password_hash"));
	assert_int_equal(strlen(json_string_value(json_object_get(first, "hash"))), 64);
	json_decref(res);
	/* The log refuses changes. */
	{
		struct qb q;
		qb_init(&q, "UPDATE audit_log SET username = 'x' WHERE id = 1");
		assert_int_not_equal(db_exec(st, &q, NULL), MS_OK);
		qb_release(&q);
		qb_init(&q, "DELETE FROM audit_log WHERE id = 1");
		assert_int_not_equal(db_exec(st, &q, NULL), MS_OK);
		qb_release(&q);
	}
}

/* Last: breaks the chain on purpose, past the triggers. */
static void test_audit_tamper_detected(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	int64_t checked = -1, broken = -1;
	struct qb q;
	(void)state;
	qb_init(&q, "DROP TRIGGER audit_log_no_update");
	assert_int_equal(db_exec(st, &q, &e), MS_OK);
	qb_release(&q);
	qb_init(&q, "UPDATE audit_log SET after_json = '{\"role\":\"admin\"}' WHERE id = 3");
	assert_int_equal(db_exec(st, &q, &e), MS_OK);
	qb_release(&q);
	assert_int_equal(store_audit_verify(st, &checked, &broken, &e), MS_OK);
	assert_int_equal(broken, 3);
	assert_int_equal(checked, 2);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
/* CHECK (col IN (...)) becomes an OR chain; nothing else moves. */
static void test_check_lists_rewrite(void **state)
{
	char *r;
	(void)state;
	r = db_check_lists_rewrite(
		"CREATE TABLE t (a TEXT CHECK (a IN ('x', 'y''s', 'z')), b INT)");
	assert_non_null(r);
	assert_string_equal(
		r, "CREATE TABLE t (a TEXT CHECK (a = 'x' OR a = 'y''s' OR a = 'z'), b INT)");
	assert_null(db_check_lists_rewrite(r)); /* idempotent */
	free(r);
	/* over lines, numbers, lower case, a comment with an apostrophe first */
	r = db_check_lists_rewrite("CREATE TABLE t (\n\td INT, -- the rep's\n\tk INT check "
				   "(\n\t\tk in (1,\n\t\t-2, 3) ) )");
	assert_non_null(r);
	assert_string_equal(r, "CREATE TABLE t (\n\td INT, -- the rep's\n\tk INT CHECK (k = 1 OR k "
			       "= -2 OR k = 3) )");
	free(r);
	/* left alone: NOT IN, a subquery, other checks, text in literals and
	 * comments, CHECK as part of a name */
	assert_null(db_check_lists_rewrite("CREATE TABLE t (a CHECK (a NOT IN ('x', 'y', 'z')))"));
	assert_null(db_check_lists_rewrite("CREATE TABLE t (a CHECK (a IN (SELECT x FROM u)))"));
	assert_null(db_check_lists_rewrite("CREATE TABLE t (a INT CHECK (a BETWEEN 1 AND 5))"));
	assert_null(
		db_check_lists_rewrite("CREATE TABLE t (a TEXT DEFAULT 'CHECK (a IN (''x''))')"));
	assert_null(db_check_lists_rewrite("CREATE TABLE t (a /* CHECK (a IN ('x')) */ INT)"));
	assert_null(db_check_lists_rewrite("CREATE TABLE t (xCHECK (a IN ('x')))"));
	assert_null(db_check_lists_rewrite("CREATE TABLE t (a CHECK (a IN ('x', y)))"));
}

/* After migration no table keeps an IN-list CHECK, the constraints still
 * hold, and an insert builds no temporary index. */
static void test_schema_checks_without_lists(void **state)
{
	sqlite3_stmt *s;
	int ephemeral = 0;
	(void)state;
	assert_int_equal(
		sqlite3_prepare_v2(st->db,
				   "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
				   "AND sql LIKE '%CHECK%' AND sql LIKE '% IN (''%'",
				   -1, &s, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	sqlite3_finalize(s);
	assert_int_equal(
		sqlite3_prepare_v2(st->db,
				   "EXPLAIN INSERT INTO institutions (name, province_code, "
				   "created_by, created_at, updated_at) VALUES ('x', 'SH', 1, "
				   "1, 1)",
				   -1, &s, NULL),
		SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		ephemeral += !strcmp((const char *)sqlite3_column_text(s, 1), "OpenEphemeral");
	sqlite3_finalize(s);
	assert_int_equal(ephemeral, 0);
	assert_int_not_equal(
		sqlite3_exec(st->db,
			     "INSERT INTO institutions (name, province_code, level, "
			     "created_by, created_at, updated_at) VALUES ('x', 'SH', 'L9', "
			     "1, 1, 1)",
			     NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(st->db,
			     "SAVEPOINT c; INSERT INTO institutions (name, province_code, "
			     "level, created_by, created_at, updated_at) VALUES ('x', 'SH', "
			     "'L3', 1, 1, 1); ROLLBACK TO c; RELEASE c",
			     NULL, NULL, NULL),
		SQLITE_OK);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qb_and),
		cmocka_unit_test_teardown(test_user_scope_list, end_tx),
		cmocka_unit_test_teardown(test_user_list_filters_paging, end_tx),
		cmocka_unit_test_teardown(test_user_get_scope, end_tx),
		cmocka_unit_test_teardown(test_user_version_conflict, end_tx),
		cmocka_unit_test_teardown(test_user_duplicate_and_bad_unit, end_tx),
		cmocka_unit_test_teardown(test_org_future_move, end_tx),
		cmocka_unit_test_teardown(test_org_rename_keeps_history, end_tx),
		cmocka_unit_test_teardown(test_org_refusals, end_tx),
		cmocka_unit_test_teardown(test_ref_items, end_tx),
		cmocka_unit_test_teardown(test_ref_update_wrong_kind, end_tx),
		cmocka_unit_test_teardown(test_sessions, end_tx),
		cmocka_unit_test_teardown(test_throttle, end_tx),
		cmocka_unit_test_teardown(test_throttle_forget, end_tx),
		cmocka_unit_test_teardown(test_audit_chain, end_tx),
		cmocka_unit_test_teardown(test_audit_tamper_detected, end_tx),
		cmocka_unit_test(test_check_lists_rewrite),
		cmocka_unit_test(test_schema_checks_without_lists),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

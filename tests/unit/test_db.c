/* test_db.c: src/store/db.c's checks (issue 12): every statement runs only
 * with exactly as many values as it has parameters, and a database error
 * reaches the caller instead of passing for "no rows". A database error is
 * provoked with an authorizer that refuses to read one column: statements
 * prepared before it are expired and fail when they next step. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "store/db.h"
#include "store/store_customer.h"
#include "store/store_visit.h"
#include "store_fixture.h"

static int setup(void **state)
{
	(void)state;
	return fixture_open("db");
}

static int teardown(void **state)
{
	(void)state;
	fixture_close();
	return 0;
}

/* After each test: no authorizer left, no transaction left open. */
static int clean(void **state)
{
	(void)state;
	sqlite3_set_authorizer(st->db, NULL, NULL);
	if (st->in_tx)
		store_rollback(st);
	return 0;
}

static const char *denied_table, *denied_column;

static int deny_column(void *cls, int op, const char *a, const char *b, const char *dbname,
		       const char *trigger)
{
	(void)cls;
	(void)dbname;
	(void)trigger;
	if (op == SQLITE_READ && a && b && !strcmp(a, denied_table) && !strcmp(b, denied_column))
		return SQLITE_DENY;
	return SQLITE_OK;
}

static void deny(const char *table, const char *column)
{
	denied_table = table;
	denied_column = column;
	sqlite3_set_authorizer(st->db, deny_column, NULL);
}

static int64_t count_of(const char *sql)
{
	struct qb q;
	int64_t n = -1;
	qb_init(&q, sql);
	assert_int_equal(db_int(st, &q, &n, NULL), MS_OK);
	qb_release(&q);
	return n;
}

/* Too few values (a forgotten bind used to run as NULL) and too many are
 * both refused, on every path, before the statement runs. */
static void test_bind_count(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	json_t *rows = NULL;
	int64_t n = -1, before = count_of("SELECT count(*) FROM ref_items");
	struct qb q;
	(void)state;

	qb_init(&q, "SELECT count(*) FROM users WHERE id > ? AND active = ?");
	qb_int(&q, 0);
	assert_int_equal(db_int(st, &q, &n, &e), MS_EDB);
	assert_string_equal(e.code, "internal");
	qb_int(&q, 1);
	assert_int_equal(db_int(st, &q, &n, &e), MS_OK);
	qb_int(&q, 7);
	assert_int_equal(db_int(st, &q, &n, &e), MS_EDB);
	assert_int_equal(db_rows(st, &q, &rows, &e), MS_EDB);
	assert_null(rows);
	assert_int_equal(db_row(st, &q, &rows, &e), MS_EDB);
	qb_release(&q);

	assert_int_equal(
		db_row_by_id(st, "SELECT id FROM users WHERE id = ? AND active = ?", 1, &rows, &e),
		MS_EDB);
	assert_null(rows);

	begin();
	qb_init(&q, "INSERT INTO ref_items (kind, code, name_zh, name_en, parent_code, "
		    "created_at, updated_at) VALUES ('segments', ?, ?, ?, ?, 0, 0)");
	qb_text(&q, "bind-count");
	qb_text(&q, "x");
	qb_text(&q, "x");
	assert_int_equal(db_exec(st, &q, &e), MS_EDB);
	qb_release(&q);
	commit();
	assert_int_equal(count_of("SELECT count(*) FROM ref_items"), before);
}

/* An audited write whose snapshot cannot be read fails, and writes
 * neither the row nor an audit entry with an empty snapshot. */
static void test_audit_snapshot_error_fails_write(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = -1, audits;
	struct qb q;
	(void)state;

	mk_ref(REF_SEGMENTS, "SNAP-ERR", NULL);
	qb_init(&q, "SELECT id FROM ref_items WHERE code = 'SNAP-ERR'");
	assert_int_equal(db_int(st, &q, &id, NULL), MS_OK);
	qb_release(&q);
	audits = count_of("SELECT count(*) FROM audit_log");

	begin();
	deny("ref_items", "name_zh");
	qb_init(&q, "UPDATE ref_items SET priority = 9 WHERE id = ?");
	qb_int(&q, id);
	assert_int_equal(db_exec_audited(st, &sys, "update", "ref_items", id, &q, &e), MS_EDB);
	qb_release(&q);
	sqlite3_set_authorizer(st->db, NULL, NULL);
	store_rollback(st);
	assert_int_equal(count_of("SELECT count(*) FROM audit_log"), audits);
	assert_int_equal(count_of("SELECT priority FROM ref_items WHERE code = 'SNAP-ERR'"), 1);
}

/* A report whose row loop ends in an error answers the error, not a
 * report with the rows it did not read. */
static void test_loop_error_returned(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct scope rep;
	json_t *cov = NULL;
	char today[11];
	int64_t unit = mk_unit("DB-HQ", "company", 0);
	(void)state;

	mk_user("db.rep", "rep", unit, &rep, ROLE_REP);
	db_today(today);
	begin();
	assert_int_equal(store_visit_coverage(st, &sys, 0, 0, today, today, &cov, &e), MS_OK);
	json_decref(cov);
	cov = NULL;
	deny("users", "display_name");
	assert_int_equal(store_visit_coverage(st, &sys, 0, 0, today, today, &cov, &e), MS_EDB);
	assert_null(cov);
}

/* A check that a referenced record exists answers 400 only when it is not
 * there; a database error behind it is the database error (500). */
static void test_exists_check_passes_db_error(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct scope mgr, rep;
	int64_t unit = mk_unit("DB-T1", "company", 0), owner = 0;
	int64_t rep_id;
	(void)state;

	mk_user("db.mgr", "manager", unit, &mgr, ROLE_MANAGER);
	rep_id = mk_user("db.rep2", "rep", unit, &rep, ROLE_REP);
	begin();
	assert_int_equal(db_resolve_owner(st, &mgr, rep_id, &owner, &e), MS_OK);
	assert_int_equal(owner, rep_id);
	assert_int_equal(db_resolve_owner(st, &mgr, rep_id + 1000, &owner, &e), MS_EINVAL);
	assert_string_equal(e.field, "owner_id");
	deny("users", "active");
	assert_int_equal(db_resolve_owner(st, &mgr, rep_id, &owner, &e), MS_EDB);
	assert_string_equal(e.code, "internal");
}

/* The settings loaders fall back to the default only when nothing is
 * stored, never on a database error. */
static void test_settings_error_not_default(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	struct grading_model m;
	struct visit_rules r;
	(void)state;

	assert_int_equal(store_grading_model(st, &m, &e), MS_OK);
	assert_int_equal(store_visit_rules(st, &r, &e), MS_OK);
	deny("settings", "value_json");
	assert_int_equal(store_grading_model(st, &m, &e), MS_EDB);
	assert_int_equal(store_visit_rules(st, &r, &e), MS_EDB);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_bind_count, clean),
		cmocka_unit_test_teardown(test_audit_snapshot_error_fails_write, clean),
		cmocka_unit_test_teardown(test_loop_error_returned, clean),
		cmocka_unit_test_teardown(test_exists_check_passes_db_error, clean),
		cmocka_unit_test_teardown(test_settings_error_not_default, clean),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

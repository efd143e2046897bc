/* test_db.c: src/store/db.c's checks (issue 12): every statement runs only
 * with exactly as many values as it has parameters, and a database error
 * reaches the caller instead of passing for "no rows". */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "store/db.h"
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

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_bind_count, clean),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

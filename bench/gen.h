/* gen.h: what the benchmark data generators share (each is one file built
 * by its bench script with cc): a deterministic xorshift64 generator, the
 * civil date of a day number, and, with GEN_SQLITE defined, small sqlite3
 * helpers that stop the program with GEN_NAME's message on any error.
 * Define GEN_NAME and GEN_SEED before including it. */
#ifndef MS_BENCH_GEN_H
#define MS_BENCH_GEN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t seed = GEN_SEED;

static uint64_t next(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static inline unsigned pick(unsigned n)
{
	return (unsigned)(next() % n);
}

/* Uniform in [0, 1). */
static inline double unif(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

/* Days since 1970-01-01 to "YYYY-MM-DD" (Howard Hinnant's civil_from_days). */
static inline void ymd(int64_t z, char out[11])
{
	int64_t era, doe, yoe, y, doy, mp, d, m;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(out, 11, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}

#ifdef GEN_SQLITE
#include <sqlite3.h>

static sqlite3 *db;

static void die(const char *what)
{
	fprintf(stderr, GEN_NAME ": %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static inline void exec(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, GEN_NAME ": %s: %s\n", sql, msg);
		exit(1);
	}
}

static inline sqlite3_stmt *prep(const char *sql)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die(sql);
	return s;
}

/* Runs a statement that returns no row, and readies it for the next. */
static inline void step(sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die("step");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* What a generator takes from the demo database it extends: the director's
 * password hash (every generated user logs in with the demo password) and
 * the company unit. */
static inline void demo_base(char *hash, size_t n, int64_t *company)
{
	sqlite3_stmt *s = prep("SELECT password_hash FROM users WHERE username = 'director'");
	if (sqlite3_step(s) != SQLITE_ROW)
		die("director (run ./medsales demo first)");
	snprintf(hash, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	s = prep("SELECT id FROM org_units WHERE type = 'company' ORDER BY id LIMIT 1");
	if (sqlite3_step(s) != SQLITE_ROW)
		die("company");
	*company = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
}

/* Opens the demo database at path for a bulk load (no sync, a large
 * cache), begins the one transaction and reads demo_base. */
static inline void demo_open(const char *path, char *hash, size_t n, int64_t *company)
{
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("open");
	exec("PRAGMA synchronous = OFF");
	exec("PRAGMA cache_size = -400000");
	exec("BEGIN IMMEDIATE");
	demo_base(hash, n, company);
}
#endif

#endif

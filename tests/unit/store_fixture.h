/* store_fixture.h: what the store tests share: a fresh, migrated database
 * in /tmp, the system scope, and makers of units, users and reference items
 * that fail the test on error. Include it once, after cmocka.h, in a test
 * file; fixture_open() in its setup, fixture_close() in its teardown. */
#ifndef MS_STORE_FIXTURE_H
#define MS_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/hash.h"
#include "store/store.h"
#include "store/store_org.h"
#include "store/store_user.h"

#define FIXTURE_UNUSED __attribute__((unused))

static char db_path[64];
static struct store *st;
static struct scope sys;

FIXTURE_UNUSED static void begin(void)
{
	assert_int_equal(store_begin(st, 1), MS_OK);
}

FIXTURE_UNUSED static void commit(void)
{
	assert_int_equal(store_commit(st), MS_OK);
}

/* A unit valid from 2024-01-01, named by its code. */
FIXTURE_UNUSED static int64_t mk_unit(const char *code, const char *type, int64_t parent)
{
	struct unit_fields f = { code, type, code, code, parent, "2024-01-01" };
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	begin();
	if (store_org_create(st, &sys, &f, &id, &e))
		fail_msg("store_org_create %s: %s", code, e.message);
	commit();
	return id;
}

/* A user, and their scope in *s. */
FIXTURE_UNUSED static int64_t mk_user(const char *name, const char *role, int64_t unit,
				      struct scope *s, enum role r)
{
	struct user_fields f = { name, name, role, "", "", NULL, "$argon2id$fake", unit, 1 };
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	begin();
	if (store_user_create(st, &sys, &f, &id, &e))
		fail_msg("store_user_create %s: %s", name, e.message);
	commit();
	assert_true(id > 0);
	scope_for(s, r, id, unit);
	s->username = name;
	return id;
}

FIXTURE_UNUSED static void mk_ref(enum ref_kind kind, const char *code, const char *parent)
{
	struct ref_fields f = { code, code, code, 1, parent, 1 };
	struct ms_error e = MS_ERROR_INIT;
	int64_t id = 0;
	begin();
	if (store_ref_create(st, &sys, kind, &f, &id, &e))
		fail_msg("store_ref_create %s: %s", code, e.message);
	commit();
}

/* 0, or -1 when the database cannot be made. */
FIXTURE_UNUSED static int fixture_open(const char *name)
{
	struct ms_error e = MS_ERROR_INIT;
	int applied = 0, fd;

	if (hash_init())
		return -1;
	snprintf(db_path, sizeof(db_path), "/tmp/medsales-test-%s-XXXXXX", name);
	fd = mkstemp(db_path);
	if (fd < 0)
		return -1;
	close(fd);
	if (store_open(db_path, &st, &e) || store_migrate(st, &applied, &e) || applied < 1)
		return -1;
	scope_system(&sys);
	return 0;
}

FIXTURE_UNUSED static void fixture_close(void)
{
	char p[96];
	store_close(st);
	unlink(db_path);
	snprintf(p, sizeof(p), "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db_path);
	unlink(p);
}

#endif

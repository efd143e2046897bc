/* cmd_db.c: medsales init, migrate, backup, restore, audit verify and version: the
 * commands that manage the database file itself. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/password.h"
#include "cli/cli.h"
#include "cli/demo.h"
#include "domain/user.h"
#include "store/store_audit.h"
#include "store/store_org.h"
#include "store/store_user.h"

/* Creates the database's directory when missing (one level, as for the
 * default data/medsales.db). */
static int ensure_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash)
		return 0;
	n = (size_t)(slash - path);
	if (n == 0 || n >= sizeof(dir))
		return 0;
	memcpy(dir, path, n);
	dir[n] = '\0';
	if (mkdir(dir, 0750) && errno != EEXIST) {
		fprintf(stderr, "medsales: cannot create directory '%s': %s\n", dir,
			strerror(errno));
		return -1;
	}
	return 0;
}

int cli_open_db(const char *path, int create, struct store **st)
{
	struct ms_error e = MS_ERROR_INIT;
	int applied;

	*st = NULL;
	if (!create && access(path, F_OK)) {
		fprintf(stderr, "medsales: no database at '%s'\n", path);
		return -1;
	}
	if (create && ensure_dir(path))
		return -1;
	if (store_open(path, st, &e) || store_migrate(*st, &applied, &e)) {
		fprintf(stderr, "medsales: %s\n", e.message);
		store_close(*st);
		*st = NULL;
		return -1;
	}
	return 0;
}

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("medsales %s (schema %d)\n", MEDSALES_VERSION, store_latest_version());
	return 0;
}

int cmd_migrate(int argc, char **argv)
{
	static const char *const with_value[] = { "--db", NULL };
	struct ms_error e = MS_ERROR_INIT;
	struct store *st = NULL;
	const char *db = cli_db_path(argc, argv);
	int applied = 0;

	if (cli_wants_help(argc, argv)) {
		printf("usage: medsales migrate [--db FILE]\n\nApplies pending schema "
		       "migrations.\n");
		return 0;
	}
	if (cli_check_args(argc, argv, with_value, NULL, 0))
		return 2;
	if (access(db, F_OK)) {
		fprintf(stderr, "medsales migrate: no database at '%s'\n", db);
		return 1;
	}
	if (store_open(db, &st, &e) || store_migrate(st, &applied, &e)) {
		fprintf(stderr, "medsales migrate: %s\n", e.message);
		store_close(st);
		return 1;
	}
	printf("schema %d (%d migration%s applied)\n", store_schema_version(st), applied,
	       applied == 1 ? "" : "s");
	store_close(st);
	return 0;
}

static const char init_usage[] =
	"usage: medsales init [--db FILE] [--admin NAME] [--company-zh NAME] [--company-en "
	"NAME]\n\n"
	"Creates the database, applies the migrations, and creates the company's\n"
	"root unit and the first administrator. The password is read from\n"
	"$MEDSALES_ADMIN_PASSWORD or asked for; there is no default.\n";

int cmd_init(int argc, char **argv)
{
	static const char *const with_value[] = { "--db", "--admin", "--company-zh", "--company-en",
						  NULL };
	struct ms_error e = MS_ERROR_INIT;
	struct store *st = NULL;
	struct scope sys;
	struct unit_fields uf = { 0 };
	struct user_fields f = { 0 };
	char hash[PASSWORD_HASH_MAX], today[11];
	const char *db = cli_db_path(argc, argv);
	char *pw = NULL;
	int64_t unit_id, user_id;
	int rc = 1;

	if (cli_wants_help(argc, argv)) {
		fputs(init_usage, stdout);
		return 0;
	}
	if (cli_check_args(argc, argv, with_value, NULL, 0)) {
		fputs(init_usage, stderr);
		return 2;
	}
	f.username = cli_opt(argc, argv, "--admin");
	if (!f.username)
		f.username = "admin";
	if (user_check_username(f.username, &e)) {
		fprintf(stderr, "medsales init: %s\n", e.message);
		return 2;
	}
	if (cli_open_db(db, 1, &st))
		return 1;
	if (store_user_id(st, f.username, &user_id, NULL) == MS_OK) {
		fprintf(stderr, "medsales init: '%s' already has user '%s'; nothing to do\n", db,
			f.username);
		rc = 0;
		goto out;
	}
	pw = cli_password("MEDSALES_ADMIN_PASSWORD", "password for the administrator: ");
	if (!pw || user_check_password(pw, f.username, "password", &e)) {
		fprintf(stderr, "medsales init: %s\n", pw ? e.message : "no password given");
		rc = 2;
		goto out;
	}
	if (password_hash(pw, hash)) {
		fprintf(stderr, "medsales init: cannot hash the password\n");
		goto out;
	}
	scope_system(&sys);
	demo_today(today);
	if (store_begin(st, 1))
		goto out;
	if (store_org_id(st, "HQ", &unit_id, NULL) != MS_OK) {
		uf.code = "HQ";
		uf.type = "company";
		uf.name_zh = cli_opt(argc, argv, "--company-zh");
		uf.name_en = cli_opt(argc, argv, "--company-en");
		if (!uf.name_zh)
			uf.name_zh = "公司总部";
		if (!uf.name_en)
			uf.name_en = "Head Office";
		uf.valid_from = "2000-01-01";
		if (store_org_create(st, &sys, &uf, &unit_id, &e))
			goto fail;
	}
	f.display_name = "系统管理员";
	f.role = "admin";
	f.unit_id = unit_id;
	f.password_hash = hash;
	if (store_user_create(st, &sys, &f, &user_id, &e) || store_commit(st))
		goto fail;
	printf("created %s with administrator '%s'\n", db, f.username);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "medsales init: %s\n", e.message[0] ? e.message : "storage error");
	store_rollback(st);
out:
	if (pw) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	store_close(st);
	return rc;
}

int cmd_backup(int argc, char **argv)
{
	static const char *const with_value[] = { "--db", NULL };
	struct ms_error e = MS_ERROR_INIT;
	struct store *st = NULL;
	const char *db = cli_db_path(argc, argv);
	const char *dest = cli_positional(argc, argv, with_value, 0);
	int rc = 1;

	if (cli_wants_help(argc, argv)) {
		printf("usage: medsales backup [--db FILE] DEST\n\n"
		       "Copies the database to DEST with SQLite's online backup; safe while\n"
		       "the server runs.\n");
		return 0;
	}
	if (cli_check_args(argc, argv, with_value, NULL, 1) || !dest) {
		fprintf(stderr, "usage: medsales backup [--db FILE] DEST\n");
		return 2;
	}
	if (!access(dest, F_OK)) {
		fprintf(stderr, "medsales backup: '%s' exists; not overwriting it\n", dest);
		return 1;
	}
	if (cli_open_db(db, 0, &st))
		return 1;
	if (store_backup(st, dest, &e))
		fprintf(stderr, "medsales backup: %s\n", e.message);
	else {
		printf("backed up %s to %s\n", db, dest);
		rc = 0;
	}
	store_close(st);
	return rc;
}

static const char restore_usage[] =
	"usage: medsales restore [--db FILE] SOURCE\n\n"
	"Replaces the database with SOURCE, a copy made by 'medsales backup'. SOURCE\n"
	"must pass SQLite's check, be a MedSales database no newer than this\n"
	"program, and hold an intact audit chain. The database as it was is kept\n"
	"next to it as FILE.before-restore-YYYYMMDD-HHMMSS. Stop the server first:\n"
	"its sessions and caches belong to the database it started with.\n";

/* Checks a backup before it replaces the database: readable, a MedSales
 * schema this program knows, an intact audit chain. */
static int restore_check(const char *src, int *version, int64_t *entries)
{
	struct ms_error e = MS_ERROR_INIT;
	struct store *st = NULL;
	int64_t broken = 0;
	int rc = -1;

	char wal[4096];
	struct stat sb;

	if (access(src, R_OK)) {
		fprintf(stderr, "medsales restore: cannot read '%s'\n", src);
		return -1;
	}
	/* A copy is read as one closed file; pending changes in a -wal beside
	 * it would be missed. */
	snprintf(wal, sizeof(wal), "%s-wal", src);
	if (!stat(wal, &sb) && sb.st_size > 0) {
		fprintf(stderr,
			"medsales restore: '%s' is in use or was not closed (it has a -wal file); "
			"restore a copy made by 'medsales backup'\n",
			src);
		return -1;
	}
	if (store_open_readonly(src, &st, &e) || store_quick_check(st, &e)) {
		fprintf(stderr, "medsales restore: %s\n", e.message);
		goto out;
	}
	*version = store_schema_version(st);
	if (*version <= 0) {
		fprintf(stderr, "medsales restore: '%s' is not a MedSales database\n", src);
		goto out;
	}
	if (*version > store_latest_version()) {
		fprintf(stderr,
			"medsales restore: '%s' has schema %d, newer than this program's %d\n", src,
			*version, store_latest_version());
		goto out;
	}
	if (store_audit_verify(st, entries, &broken, &e)) {
		fprintf(stderr, "medsales restore: %s\n", e.message);
		goto out;
	}
	if (broken) {
		fprintf(stderr,
			"medsales restore: the audit log of '%s' is broken at entry %lld; not "
			"restoring it\n",
			src, (long long)broken);
		goto out;
	}
	rc = 0;
out:
	store_close(st);
	return rc;
}

int cmd_restore(int argc, char **argv)
{
	static const char *const with_value[] = { "--db", NULL };
	struct ms_error e = MS_ERROR_INIT;
	struct store *st = NULL;
	const char *db = cli_db_path(argc, argv);
	const char *src = cli_positional(argc, argv, with_value, 0);
	char keep[4096] = "", stamp[32];
	time_t now = time(NULL);
	int version = 0, applied = 0, existed;
	int64_t entries = 0;

	if (cli_wants_help(argc, argv)) {
		fputs(restore_usage, stdout);
		return 0;
	}
	if (cli_check_args(argc, argv, with_value, NULL, 1) || !src) {
		fprintf(stderr, "usage: medsales restore [--db FILE] SOURCE\n");
		return 2;
	}
	{
		char a[PATH_MAX], b[PATH_MAX];
		if (realpath(src, a) && realpath(db, b) && !strcmp(a, b)) {
			fprintf(stderr, "medsales restore: '%s' is the database itself\n", src);
			return 1;
		}
	}
	if (restore_check(src, &version, &entries))
		return 1;
	existed = !access(db, F_OK);
	if (cli_open_db(db, 1, &st))
		return 1;
	if (existed) {
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", gmtime(&now));
		snprintf(keep, sizeof(keep), "%s.before-restore-%s", db, stamp);
		if (!access(keep, F_OK) || store_backup(st, keep, &e)) {
			fprintf(stderr, "medsales restore: cannot keep the database as '%s'%s%s\n",
				keep, e.message[0] ? ": " : "", e.message);
			store_close(st);
			return 1;
		}
	}
	if (store_restore(st, src, &e) || store_migrate(st, &applied, &e)) {
		fprintf(stderr, "medsales restore: %s\n", e.message);
		store_close(st);
		return 1;
	}
	store_close(st);
	printf("restored %s from %s (schema %d, %d migrations applied, %lld audit entries "
	       "intact)\n",
	       db, src, version, applied, (long long)entries);
	if (existed)
		printf("the database before the restore is in %s\n", keep);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	static const char *const with_value[] = { "--db", NULL };
	struct ms_error e = MS_ERROR_INIT;
	struct store *st = NULL;
	const char *what = cli_positional(argc, argv, with_value, 0);
	int64_t checked, broken;
	int rc = 1;

	if (cli_wants_help(argc, argv)) {
		printf("usage: medsales audit verify [--db FILE]\n\n"
		       "Recomputes the audit log's hash chain and reports the first broken\n"
		       "link. Exit status 0 when the chain holds, 1 when it is broken.\n");
		return 0;
	}
	if (cli_check_args(argc, argv, with_value, NULL, 1) || !what || strcmp(what, "verify")) {
		fprintf(stderr, "usage: medsales audit verify [--db FILE]\n");
		return 2;
	}
	if (cli_open_db(cli_db_path(argc, argv), 0, &st))
		return 1;
	if (store_audit_verify(st, &checked, &broken, &e)) {
		fprintf(stderr, "medsales audit: %s\n", e.message);
	} else if (broken) {
		printf("audit log broken at entry %lld (%lld entries before it are intact)\n",
		       (long long)broken, (long long)checked);
	} else {
		printf("audit log intact: %lld entries\n", (long long)checked);
		rc = 0;
	}
	store_close(st);
	return rc;
}

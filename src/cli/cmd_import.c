/* cmd_import.c: medsales import (CSV of institutions, departments or
 * contacts) and medsales export (institutions or contacts as CSV or XLSX).
 * Wiring only: the work is src/api/import.c and src/api/export.c, the same
 * code as the API's. Without --as, the system actor imports with a scope
 * that sees everything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/export.h"
#include "api/import.h"
#include "base/limits.h"
#include "cli/cli.h"
#include "cli/demo.h"
#include "store/store_customer.h"
#include "store/store_user.h"

#define CHUNK (1024 * 1024)

static const char import_usage[] =
	"usage: medsales import institutions|departments|contacts|products FILE [--dry-run]\n"
	"                       [--strict] [--as USERNAME] [--db FILE]\n\n"
	"Checks every row of a CSV file (UTF-8, header row first) and writes the valid\n"
	"ones in one transaction. --dry-run writes nothing; --strict writes nothing if\n"
	"any row is bad. --as imports as that user (their scope, and created_by);\n"
	"products need an administrator.\n"
	"Exit status: 0 all rows imported, 1 bad rows or refused, 2 usage or header errors.\n"
	"Columns: docs/import.md.\n";

static const char export_usage[] =
	"usage: medsales export institutions [--format csv|xlsx] [--out FILE] [--as USERNAME]\n"
	"                       [--q TEXT] [--province CODE] [--city CITY] [--level L3]\n"
	"                       [--type GENERAL] [--grade A] [--status active] [--segment CODE]\n"
	"                       [--sort FIELD] [--db FILE]\n"
	"       medsales export contacts [--format csv|xlsx] [--out FILE] [--as USERNAME]\n"
	"                       [--q TEXT] [--institution-id N] [--decision-role ROLE]\n"
	"                       [--stance STANCE] [--kol-tier TIER] [--key] [--db FILE]\n\n"
	"Writes CSV to standard output without --out; XLSX needs --out.\n";

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The scope of --as USERNAME, or the system's. */
static int actor(struct store *st, const char *as, struct scope *s, const char *cmd)
{
	json_t *u = NULL;
	int64_t id;

	if (!as) {
		scope_system(s);
		return 0;
	}
	scope_system(s);
	if (store_user_id(st, as, &id, NULL) || store_user_get(st, s, id, &u, NULL)) {
		fprintf(stderr, "medsales %s: no user '%s'\n", cmd, as);
		json_decref(u);
		return -1;
	}
	if (!json_is_true(json_object_get(u, "active"))) {
		fprintf(stderr, "medsales %s: user '%s' is disabled\n", cmd, as);
		json_decref(u);
		return -1;
	}
	scope_for(s, role_parse(json_string_value(json_object_get(u, "role"))), id,
		  json_integer_value(json_object_get(u, "unit_id")));
	s->username = as;
	json_decref(u);
	return 0;
}

static void progress(size_t done, size_t total, int64_t rows)
{
	char bar[41];
	int fill = total ? (int)(40.0 * (double)done / (double)total) : 40;

	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r[%s] %3d%% %lld rows", bar,
		total ? (int)(100.0 * (double)done / (double)total) : 100, (long long)rows);
	fflush(stderr);
}

static void print_report(json_t *r)
{
	json_t *errors = json_object_get(r, "errors"), *x;
	size_t i;

	printf("%s: %lld rows, %lld valid, %lld invalid, %lld duplicates, %lld imported%s%s\n",
	       json_string_value(json_object_get(r, "kind")),
	       (long long)json_integer_value(json_object_get(r, "rows")),
	       (long long)json_integer_value(json_object_get(r, "valid")),
	       (long long)json_integer_value(json_object_get(r, "invalid")),
	       (long long)json_integer_value(json_object_get(r, "duplicates")),
	       (long long)json_integer_value(json_object_get(r, "imported")),
	       json_is_true(json_object_get(r, "dry_run")) ? " (dry run)" : "",
	       json_is_true(json_object_get(r, "strict")) ? " (strict)" : "");
	if (json_object_get(r, "converted_from"))
		printf("the file was %s text, converted to UTF-8\n",
		       json_string_value(json_object_get(r, "converted_from")));
	json_array_foreach(errors, i, x)
	{
		const char *col = json_string_value(json_object_get(x, "column"));
		printf("row %lld, ", (long long)json_integer_value(json_object_get(x, "row")));
		if (col && *col)
			printf("column '%s': ", col);
		printf("%s\n", json_string_value(json_object_get(x, "message")));
	}
	if (json_is_true(json_object_get(r, "errors_truncated")))
		printf("(only the first %d problems are listed)\n", IMPORT_MAX_ERRORS);
}

static int run_import(struct store *st, const struct scope *who, const struct import_opts *o,
		      const char *path)
{
	struct ms_error e = MS_ERROR_INIT;
	struct import *im = NULL;
	json_t *report = NULL;
	struct stat sb;
	size_t total = 0, done = 0, n;
	int tty = isatty(STDERR_FILENO), rc = 1;
	double t0 = now_seconds(), last = 0;
	char *buf = NULL;
	FILE *f = fopen(path, "rb");
	enum ms_err err;

	if (!f) {
		fprintf(stderr, "medsales import: cannot open '%s'\n", path);
		return 2;
	}
	if (!fstat(fileno(f), &sb))
		total = (size_t)sb.st_size;
	if (total == 0) {
		fprintf(stderr, "medsales import: '%s' is empty; a header row is required\n", path);
		fclose(f);
		return 2;
	}
	if (!(buf = malloc(CHUNK)))
		goto out;
	if ((err = import_new(st, who, o, &im, &e)))
		goto fail;
	while ((n = fread(buf, 1, CHUNK, f)) > 0) {
		if ((err = import_feed(im, buf, n, &e)))
			goto fail;
		done += n;
		if (tty && now_seconds() - last > 0.1) {
			last = now_seconds();
			progress(done, total, import_rows(im));
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "medsales import: cannot read '%s'\n", path);
		goto out;
	}
	if ((err = import_finish(im, &report, &e)))
		goto fail;
	if (tty)
		progress(total, total, import_rows(im));
	{
		double secs = now_seconds() - t0;
		int64_t rows = json_integer_value(json_object_get(report, "rows"));
		fprintf(stderr, "%sread %lld rows in %.2f s (%.0f rows/s)\n", tty ? "\n" : "",
			(long long)rows, secs, secs > 0 ? (double)rows / secs : 0.0);
	}
	print_report(report);
	rc = json_integer_value(json_object_get(report, "invalid")) ||
			     json_integer_value(json_object_get(report, "duplicates"))
		     ? 1
		     : 0;
	goto out;
fail:
	if (tty)
		fputc('\n', stderr);
	fprintf(stderr, "medsales import: %s\n", e.message);
	rc = err == MS_EINVAL ? 2 : 1;
out:
	import_free(im);
	json_decref(report);
	free(buf);
	fclose(f);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	static const char *const with_value[] = { "--db", "--as", NULL };
	static const char *const flags[] = { "--dry-run", "--strict", NULL };
	const char *what = cli_positional(argc, argv, with_value, 0);
	const char *path = cli_positional(argc, argv, with_value, 1);
	struct import_opts o;
	struct store *st = NULL;
	struct scope who;
	int kind, rc;

	if (cli_wants_help(argc, argv)) {
		fputs(import_usage, stdout);
		return 0;
	}
	if (!what || !path || cli_check_args(argc, argv, with_value, flags, 2)) {
		fputs(import_usage, stderr);
		return 2;
	}
	if ((kind = import_kind_parse(what)) < 0) {
		fprintf(stderr, "medsales import: cannot import '%s'\n", what);
		return 2;
	}
	o.kind = (enum import_kind)kind;
	o.dry_run = cli_flag(argc, argv, "--dry-run");
	o.strict = cli_flag(argc, argv, "--strict");
	if (cli_open_db(cli_db_path(argc, argv), 0, &st))
		return 1;
	if (actor(st, cli_opt(argc, argv, "--as"), &who, "import")) {
		store_close(st);
		return 2;
	}
	rc = run_import(st, &who, &o, path);
	store_close(st);
	return rc;
}

/* A filter value that must be one of codes; NULL when absent. */
static int opt_code(int argc, char **argv, const char *name, const char *const *codes,
		    const char **out)
{
	*out = cli_opt(argc, argv, name);
	if (*out && codes && !code_in(codes, *out)) {
		fprintf(stderr, "medsales export: unknown value '%s' for %s\n", *out, name);
		return -1;
	}
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const char *const with_value[] = { "--db",
						  "--as",
						  "--format",
						  "--out",
						  "--q",
						  "--province",
						  "--city",
						  "--level",
						  "--type",
						  "--grade",
						  "--status",
						  "--segment",
						  "--sort",
						  "--institution-id",
						  "--decision-role",
						  "--stance",
						  "--kol-tier",
						  NULL };
	static const char *const flags[] = { "--key", NULL };
	const char *what = cli_positional(argc, argv, with_value, 0);
	const char *out = cli_opt(argc, argv, "--out"), *inst_id;
	struct ms_error e = MS_ERROR_INIT;
	struct inst_filter fi;
	struct contact_filter fc = { .key_only = -1 };
	struct export_query q = { 0 };
	struct store *st = NULL;
	struct scope who;
	int64_t rows = 0;
	int fmt, rc = 1;
	FILE *f = NULL;

	if (cli_wants_help(argc, argv)) {
		fputs(export_usage, stdout);
		return 0;
	}
	if (!what || cli_check_args(argc, argv, with_value, flags, 1) ||
	    (strcmp(what, "institutions") && strcmp(what, "contacts"))) {
		fputs(export_usage, stderr);
		return 2;
	}
	if ((fmt = export_format_parse(cli_opt(argc, argv, "--format"))) < 0) {
		fprintf(stderr, "medsales export: --format is csv or xlsx\n");
		return 2;
	}
	if (fmt == EXPORT_XLSX && !out) {
		fprintf(stderr, "medsales export: XLSX needs --out FILE\n");
		return 2;
	}
	inst_filter_init(&fi);
	fi.q = cli_opt(argc, argv, "--q");
	fi.province_code = cli_opt(argc, argv, "--province");
	fi.city = cli_opt(argc, argv, "--city");
	fi.segment_code = cli_opt(argc, argv, "--segment");
	q.sort = cli_opt(argc, argv, "--sort");
	fc.q = fi.q;
	if (opt_code(argc, argv, "--level", inst_levels, &fi.level) ||
	    opt_code(argc, argv, "--type", inst_types, &fi.type) ||
	    opt_code(argc, argv, "--grade", grades, &fi.grade) ||
	    opt_code(argc, argv, "--status", inst_statuses, &fi.status) ||
	    opt_code(argc, argv, "--decision-role", contact_roles, &fc.decision_role) ||
	    opt_code(argc, argv, "--stance", contact_stances, &fc.stance) ||
	    opt_code(argc, argv, "--kol-tier", kol_tiers, &fc.kol_tier))
		return 2;
	if ((inst_id = cli_opt(argc, argv, "--institution-id"))) {
		char *end;
		long long v = strtoll(inst_id, &end, 10);
		if (*end || v < 1) {
			fprintf(stderr,
				"medsales export: --institution-id must be a positive id\n");
			return 2;
		}
		fc.institution_id = v;
	}
	if (cli_flag(argc, argv, "--key"))
		fc.key_only = 1;
	q.contacts = !strcmp(what, "contacts");
	q.inst = &fi;
	q.contact = &fc;
	if (cli_open_db(cli_db_path(argc, argv), 0, &st))
		return 1;
	if (actor(st, cli_opt(argc, argv, "--as"), &who, "export")) {
		store_close(st);
		return 2;
	}
	if (fmt == EXPORT_CSV) {
		f = out ? fopen(out, "wb") : stdout;
		if (!f) {
			fprintf(stderr, "medsales export: cannot write '%s'\n", out);
			goto out;
		}
	}
	if (store_begin(st, 0))
		goto out;
	if (export_write(st, &who, &q, (enum export_format)fmt, f, out, &rows, &e)) {
		store_rollback(st);
		fprintf(stderr, "medsales export: %s\n", e.message);
		goto out;
	}
	store_commit(st);
	if (f && f != stdout && fclose(f)) {
		f = NULL;
		fprintf(stderr, "medsales export: cannot write '%s'\n", out);
		goto out;
	}
	if (f != stdout)
		f = NULL;
	if (out)
		fprintf(stderr, "exported %lld %s to %s\n", (long long)rows, what, out);
	rc = 0;
out:
	if (f && f != stdout)
		fclose(f);
	store_close(st);
	return rc;
}

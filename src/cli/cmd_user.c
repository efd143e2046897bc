/* cmd_user.c: medsales user add|list|passwd|disable|enable, for
 * administrators at the console (and for scripts). Writes are audited as
 * the "system" actor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/password.h"
#include "cli/cli.h"
#include "cli/demo.h"
#include "domain/user.h"
#include "store/store_org.h"
#include "store/store_user.h"

static const char usage[] =
	"usage: medsales user add --username NAME --name DISPLAY --role ROLE --unit CODE [--db "
	"FILE]\n"
	"       medsales user list [--db FILE]\n"
	"       medsales user passwd USERNAME [--db FILE]\n"
	"       medsales user disable|enable USERNAME [--db FILE]\n\n"
	"Roles: rep, manager, director, compliance, admin. Passwords are read from\n"
	"$MEDSALES_PASSWORD or asked for.\n";

static int user_add(struct store *st, const struct scope *sys, int argc, char **argv)
{
	struct ms_error e = MS_ERROR_INIT;
	struct user_fields f = { 0 };
	char hash[PASSWORD_HASH_MAX];
	const char *unit = cli_opt(argc, argv, "--unit");
	char *pw = NULL;
	int64_t id;
	int rc = 1;

	f.username = cli_opt(argc, argv, "--username");
	f.display_name = cli_opt(argc, argv, "--name");
	f.role = cli_opt(argc, argv, "--role");
	if (!f.username || !f.display_name || !f.role || !unit) {
		fputs(usage, stderr);
		return 2;
	}
	if (user_check_username(f.username, &e) || text_check(f.display_name, "name", 200, 1, &e)) {
		fprintf(stderr, "medsales user: %s\n", e.message);
		return 2;
	}
	if (role_parse(f.role) == ROLE_NONE) {
		fprintf(stderr, "medsales user: no role '%s'\n", f.role);
		return 2;
	}
	if (store_org_id(st, unit, &f.unit_id, NULL)) {
		fprintf(stderr, "medsales user: no unit with code '%s'\n", unit);
		return 2;
	}
	pw = cli_password("MEDSALES_PASSWORD", "password: ");
	if (!pw || user_check_password(pw, f.username, "password", &e)) {
		fprintf(stderr, "medsales user: %s\n", pw ? e.message : "no password given");
		free(pw);
		return 2;
	}
	if (password_hash(pw, hash))
		goto out;
	f.password_hash = hash;
	if (store_begin(st, 1))
		goto out;
	if (store_user_create(st, sys, &f, &id, &e) || store_commit(st)) {
		store_rollback(st);
		fprintf(stderr, "medsales user: %s\n", e.message);
		goto out;
	}
	printf("added user '%s' (id %lld)\n", f.username, (long long)id);
	rc = 0;
out:
	free(pw);
	return rc;
}

static int user_list(struct store *st, const struct scope *sys)
{
	struct ms_error e = MS_ERROR_INIT;
	struct user_filter f = { .active = -1 };
	struct page pg = { 200, 0, "username" };
	json_t *out = NULL, *u;
	size_t i;

	for (;;) {
		json_t *items;
		if (store_user_list(st, sys, &f, &pg, &out, &e)) {
			fprintf(stderr, "medsales user: %s\n", e.message);
			return 1;
		}
		items = json_object_get(out, "items");
		json_array_foreach(items, i, u)
		{
			printf("%-20s %-10s %-8s %s / %s\n",
			       json_string_value(json_object_get(u, "username")),
			       json_string_value(json_object_get(u, "role")),
			       json_is_true(json_object_get(u, "active")) ? "active" : "disabled",
			       json_string_value(json_object_get(u, "display_name")),
			       json_string_value(json_object_get(u, "unit_name_zh")));
		}
		if (json_array_size(items) < (size_t)pg.limit) {
			json_decref(out);
			return 0;
		}
		json_decref(out);
		pg.offset += pg.limit;
	}
}

static int user_change(struct store *st, const struct scope *sys, const char *what,
		       const char *username)
{
	struct ms_error e = MS_ERROR_INIT;
	int64_t id;
	int rc = 1;

	if (!username) {
		fputs(usage, stderr);
		return 2;
	}
	if (store_user_id(st, username, &id, NULL)) {
		fprintf(stderr, "medsales user: no user '%s'\n", username);
		return 1;
	}
	if (!strcmp(what, "passwd")) {
		char hash[PASSWORD_HASH_MAX];
		char *pw = cli_password("MEDSALES_PASSWORD", "new password: ");
		if (!pw || user_check_password(pw, username, "password", &e)) {
			fprintf(stderr, "medsales user: %s\n",
				pw ? e.message : "no password given");
			free(pw);
			return 2;
		}
		if (password_hash(pw, hash) || store_begin(st, 1)) {
			free(pw);
			return 1;
		}
		free(pw);
		if (store_user_set_password(st, sys, id, hash, 0, &e) || store_commit(st))
			goto fail;
		printf("password of '%s' set; their sessions are ended\n", username);
		return 0;
	} else {
		struct user_fields f = { .active = !strcmp(what, "enable") };
		json_t *u = NULL;
		if (store_user_get(st, sys, id, &u, &e) || store_begin(st, 1)) {
			json_decref(u);
			return 1;
		}
		if (store_user_update(st, sys, id,
				      json_integer_value(json_object_get(u, "version")), &f, &e) ||
		    store_commit(st)) {
			json_decref(u);
			goto fail;
		}
		json_decref(u);
		printf("user '%s' %sd\n", username, what);
		return 0;
	}
fail:
	store_rollback(st);
	fprintf(stderr, "medsales user: %s\n", e.message);
	return rc;
}

int cmd_user(int argc, char **argv)
{
	static const char *const with_value[] = { "--db",   "--username", "--name",
						  "--role", "--unit",	  NULL };
	const char *sub = cli_positional(argc, argv, with_value, 0);
	struct store *st = NULL;
	struct scope sys;
	int rc;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if (!sub || cli_check_args(argc, argv, with_value, NULL, 2)) {
		fputs(usage, stderr);
		return 2;
	}
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "passwd") &&
	    strcmp(sub, "disable") && strcmp(sub, "enable")) {
		fprintf(stderr, "medsales user: no subcommand '%s'\n", sub);
		return 2;
	}
	if (cli_open_db(cli_db_path(argc, argv), 0, &st))
		return 1;
	scope_system(&sys);
	if (!strcmp(sub, "add"))
		rc = user_add(st, &sys, argc, argv);
	else if (!strcmp(sub, "list"))
		rc = user_list(st, &sys);
	else
		rc = user_change(st, &sys, sub, cli_positional(argc, argv, with_value, 1));
	store_close(st);
	return rc;
}

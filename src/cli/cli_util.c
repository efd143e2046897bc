/* cli_util.c: option parsing and prompts the subcommands share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"

#define DEFAULT_DB "data/medsales.db"

const char *cli_opt(int argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], name) && i + 1 < argc)
			return argv[i + 1];
		if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
			return argv[i] + n + 1;
	}
	return NULL;
}

int cli_flag(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

const char *cli_db_path(int argc, char **argv)
{
	const char *db = cli_opt(argc, argv, "--db");
	if (!db)
		db = getenv("MEDSALES_DB");
	return db ? db : DEFAULT_DB;
}

int cli_wants_help(int argc, char **argv)
{
	return cli_flag(argc, argv, "--help") || cli_flag(argc, argv, "-h");
}

int cli_check_args(int argc, char **argv, const char *const *with_value, const char *const *flags,
		   int positional)
{
	int npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int ok = 0;
		if (a[0] != '-') {
			if (++npos > positional) {
				fprintf(stderr, "medsales %s: unexpected argument '%s'\n", argv[0],
					a);
				return -1;
			}
			continue;
		}
		for (const char *const *o = with_value; o && *o && !ok; o++) {
			size_t n = strlen(*o);
			if (!strcmp(a, *o)) {
				if (i + 1 >= argc) {
					fprintf(stderr, "medsales %s: '%s' needs a value\n",
						argv[0], a);
					return -1;
				}
				i++;
				ok = 1;
			} else if (!strncmp(a, *o, n) && a[n] == '=') {
				ok = 1;
			}
		}
		for (const char *const *f = flags; f && *f && !ok; f++)
			if (!strcmp(a, *f))
				ok = 1;
		if (!ok && (!strcmp(a, "--help") || !strcmp(a, "-h")))
			ok = 1;
		if (!ok) {
			fprintf(stderr, "medsales %s: unknown option '%s'\n", argv[0], a);
			return -1;
		}
	}
	return 0;
}

const char *cli_positional(int argc, char **argv, const char *const *with_value, int index)
{
	int npos = 0;
	for (int i = 1; i < argc; i++) {
		int takes = 0;
		for (const char *const *o = with_value; o && *o; o++)
			if (!strcmp(argv[i], *o))
				takes = 1;
		if (takes) {
			i++;
			continue;
		}
		if (argv[i][0] != '-' && npos++ == index)
			return argv[i];
	}
	return NULL;
}

char *cli_password(const char *env, const char *prompt)
{
	const char *v = env ? getenv(env) : NULL;
	char buf[512];
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t n;

	if (v && *v)
		return strdup(v);
	if (!tty) {
		if (!fgets(buf, sizeof(buf), stdin))
			return NULL;
	} else {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
		if (!fgets(buf, sizeof(buf), stdin))
			buf[0] = '\0';
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fprintf(stderr, "\n");
	}
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return strdup(buf);
}

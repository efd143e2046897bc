/* main.c: the medsales command. It finds the subcommand and runs it; every
 * subcommand lives in src/cli/cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "base/hash.h"
#include "cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "serve", cmd_serve, "serve the API and the web UI" },
	{ "init", cmd_init, "create the database and the first administrator" },
	{ "migrate", cmd_migrate, "apply pending schema migrations" },
	{ "demo", cmd_demo, "create the demo company Huakang Medical with its data" },
	{ "user", cmd_user, "add, list, disable users or set a password" },
	{ "backup", cmd_backup, "copy the live database to a file" },
	{ "restore", cmd_restore, "replace the database with a backup" },
	{ "audit", cmd_audit, "verify the audit log's hash chain" },
	{ "forecast", cmd_forecast, "forecast time series from a CSV file" },
	{ "import", cmd_import, "import institutions, departments or contacts from CSV" },
	{ "export", cmd_export, "export institutions or contacts as CSV or XLSX" },
	{ "version", cmd_version, "print the version" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: medsales <command> [options]\n\n"
		     "MedSales - sales-team management for medical-device companies.\n\n"
		     "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\n'medsales <command> --help' describes a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	if (hash_init()) {
		fprintf(stderr, "medsales: cannot initialise libsodium\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "medsales: '%s' is not a command\n\n", argv[1]);
	usage(stderr);
	return 2;
}

/* cli.h: the medsales subcommands. Each cmd_* takes the arguments after its
 * own name (argv[0] is the subcommand name) and returns the process exit
 * status: 0 success, 1 failure, 2 usage or bad input. Wiring only: the work
 * is done by src/domain, src/store and src/api. */
#ifndef MS_CLI_H
#define MS_CLI_H

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_forecast(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_version(int argc, char **argv);

/* Shared option helpers of cli_util.c. */
/* The value of "--name VALUE" or "--name=VALUE", or NULL. */
const char *cli_opt(int argc, char **argv, const char *name);
int cli_flag(int argc, char **argv, const char *name);
/* --db, else $MEDSALES_DB, else data/medsales.db. */
const char *cli_db_path(int argc, char **argv);
int cli_wants_help(int argc, char **argv);
/* Rejects options not listed (with_value take a value) and more than
 * positional bare arguments, with a message; -1 on error. */
int cli_check_args(int argc, char **argv, const char *const *with_value, const char *const *flags,
		   int positional);
/* The index-th bare argument, skipping options and their values. */
const char *cli_positional(int argc, char **argv, const char *const *with_value, int index);
/* A password from the environment variable env, else read from the
 * terminal without echo (or a line of standard input). malloc'd. */
char *cli_password(const char *env, const char *prompt);

#define MEDSALES_VERSION "0.1.0"

#endif

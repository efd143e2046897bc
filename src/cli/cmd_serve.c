/* cmd_serve.c: medsales serve. Opens the database (migrating it), starts the
 * HTTP server and waits for SIGINT or SIGTERM, then stops cleanly so that
 * every connection and allocation is released. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "base/log.h"
#include "base/parse.h"
#include "cli/cli.h"
#include "http/http.h"
#include "store/store_visit.h"

static const char usage[] =
	"usage: medsales serve [--listen ADDR:PORT] [--db FILE] [--web-dir DIR] [--threads N]\n"
	"                      [--secure-cookie] [--trusted-proxy ADDR[,ADDR]]\n"
	"                      [--allowed-hosts NAME[,NAME]]\n\n"
	"Serves the API under /api/v1 and the web UI.\n"
	"  --listen         address and port (default 127.0.0.1:8080)\n"
	"  --db             the database (default data/medsales.db, or $MEDSALES_DB)\n"
	"  --web-dir        the built web UI (default web/dist)\n"
	"  --threads        worker threads (default: 2 per core, at least 4)\n"
	"  --secure-cookie  mark the session cookie Secure (behind a TLS proxy)\n"
	"  --trusted-proxy  proxies (IP addresses) whose X-Forwarded-For names the client\n"
	"                   and whose X-Forwarded-Proto: https makes https the scheme\n"
	"  --allowed-hosts  host names the server answers to, besides the listen address,\n"
	"                   localhost, 127.0.0.1 and [::1] (others get 421)\n";

int cmd_serve(int argc, char **argv)
{
	static const char *const with_value[] = {
		"--listen",	   "--db", "--web-dir", "--threads", "--trusted-proxy",
		"--allowed-hosts", NULL
	};
	static const char *const flags[] = { "--secure-cookie", NULL };
	struct ms_error e = MS_ERROR_INIT;
	struct http_config cfg = { 0 };
	struct http_server *srv = NULL;
	struct store *st = NULL;
	struct app app = { 0 };
	const char *threads_s, *db;
	int64_t threads = 0;
	int applied, sig, rc = 1;
	sigset_t set;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if (cli_check_args(argc, argv, with_value, flags, 0)) {
		fputs(usage, stderr);
		return 2;
	}
	threads_s = cli_opt(argc, argv, "--threads");
	if (threads_s && parse_int64(threads_s, 1, 256, &threads)) {
		fprintf(stderr, "medsales serve: --threads must be 1 to 256\n");
		return 2;
	}
	if (!threads) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cores > 0 ? 2 * cores : 4;
		if (threads < 4)
			threads = 4;
	}
	cfg.trusted_proxies = cli_opt(argc, argv, "--trusted-proxy");
	cfg.allowed_hosts = cli_opt(argc, argv, "--allowed-hosts");
	if (http_check_proxies(cfg.trusted_proxies, "--trusted-proxy", &e) ||
	    http_check_hosts(cfg.allowed_hosts, "--allowed-hosts", &e)) {
		fprintf(stderr, "medsales serve: %s\n", e.message);
		return 2;
	}
	db = cli_db_path(argc, argv);
	if (access(db, F_OK)) {
		fprintf(stderr,
			"medsales serve: no database at '%s'; run 'medsales init' or "
			"'medsales demo' first\n",
			db);
		return 1;
	}
	if (store_open(db, &st, &e) || store_migrate(st, &applied, &e)) {
		fprintf(stderr, "medsales serve: %s\n", e.message);
		store_close(st);
		return 1;
	}
	/* A visit re-evaluation that a stop left half-done (store_visit.h). */
	if (store_visit_reeval_pending(st)) {
		int64_t n;

		if (store_visit_reeval_run(st, &n, &e)) {
			fprintf(stderr, "medsales serve: %s\n", e.message);
			store_close(st);
			return 1;
		}
		log_info("serve: finished the re-evaluation of %lld visits", (long long)n);
	}
	store_close(st);

	/* Signals are taken by sigwait below; threads started from here on
	 * inherit the blocked mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (store_pool_open(db, (int)threads, &app.pool, &e)) {
		fprintf(stderr, "medsales serve: %s\n", e.message);
		return 1;
	}
	app.secure_cookie = cli_flag(argc, argv, "--secure-cookie");
	cfg.listen = cli_opt(argc, argv, "--listen");
	if (!cfg.listen)
		cfg.listen = "127.0.0.1:8080";
	cfg.web_dir = cli_opt(argc, argv, "--web-dir");
	if (!cfg.web_dir)
		cfg.web_dir = "web/dist";
	if (access(cfg.web_dir, R_OK))
		log_warn("serve: no web UI at '%s' (run 'make web'); serving the API only",
			 cfg.web_dir);
	cfg.threads = (int)threads;
	cfg.api_prefix = "/api/";
	cfg.api = api_handle;
	cfg.admit = api_admit;
	cfg.api_ctx = &app;
	if (http_start(&cfg, &srv, &e)) {
		fprintf(stderr, "medsales serve: %s\n", e.message);
		goto out;
	}
	log_info("serve: listening on http://%s (database %s, %d threads)", cfg.listen, db,
		 (int)threads);
	if (!cfg.allowed_hosts && (cfg.listen[0] == ':' || !strncmp(cfg.listen, "0.0.0.0:", 8) ||
				   !strncmp(cfg.listen, "[::]:", 5)))
		log_warn("serve: listening on every address, but answering only to localhost and "
			 "the listen address; give the names clients use with --allowed-hosts");
	sigwait(&set, &sig);
	log_info("serve: signal %d, stopping", sig);
	http_stop(srv);
	rc = 0;
out:
	store_pool_close(app.pool);
	return rc;
}

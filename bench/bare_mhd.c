/* bare_mhd.c: the baseline for bench/http.sh: libmicrohttpd answering a
 * constant with the same threading mode as medsales serve, and nothing else.
 * Usage: bare_mhd PORT THREADS */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char body[] = "{\"status\":\"ok\"}";

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	(void)cls, (void)url, (void)method, (void)version, (void)upload, (void)upload_size;
	if (!*con_cls) {
		*con_cls = c;
		return MHD_YES;
	}
	r = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	sigset_t set;
	int sig;

	if (argc != 3)
		return 2;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO,
			     (uint16_t)strtol(argv[1], NULL, 10), NULL, NULL, on_request, NULL,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)strtol(argv[2], NULL, 10),
			     MHD_OPTION_END);
	if (!d)
		return 1;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}

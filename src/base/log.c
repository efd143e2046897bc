/* log.c: the log records of log.h. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/date.h"

static enum log_level current = LOG_INFO;

void log_set_level(enum log_level level)
{
	current = level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	char when[32], line[1024];
	va_list ap;

	if (level > current)
		return;
	date_format_instant(date_now(), when);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s %s: %s\n", when, names[level], line);
}

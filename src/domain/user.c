/* user.c: account rules and the login throttle. Pure: no I/O. */
#include "domain/user.h"

#include <string.h>

#include "base/limits.h"
#include "base/parse.h"

enum ms_err user_check_username(const char *u, struct ms_error *e)
{
	size_t n;

	if (!u || !*u)
		return ms_fail(e, MS_EINVAL, "required", "username", "'username' is required");
	n = strlen(u);
	if (n < 3 || n > MS_MAX_USERNAME)
		return ms_fail(e, MS_EINVAL, "invalid", "username",
			       "'username' must be 3 to %d characters", MS_MAX_USERNAME);
	for (size_t i = 0; i < n; i++) {
		char c = u[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			 (i > 0 && (c == '.' || c == '_' || c == '-'));
		if (!ok)
			return ms_fail(e, MS_EINVAL, "invalid", "username",
				       "'username' may hold only a-z, 0-9, '.', '_' and '-'");
	}
	return MS_OK;
}

enum ms_err user_check_password(const char *p, const char *username, const char *field,
				struct ms_error *e)
{
	int letters = 0, digits = 0, others = 0;
	size_t n;

	if (!p || !*p)
		return ms_fail(e, MS_EINVAL, "required", field, "'%s' is required", field);
	n = strlen(p);
	if (n > MS_MAX_PASSWORD || !utf8_valid(p, n))
		return ms_fail(e, MS_EINVAL, "invalid", field, "'%s' is too long or not UTF-8",
			       field);
	if (utf8_length(p) < MS_MIN_PASSWORD)
		return ms_fail(e, MS_EINVAL, "weak_password", field,
			       "'%s' must have at least %d characters", field, MS_MIN_PASSWORD);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letters = 1;
		else if (c >= '0' && c <= '9')
			digits = 1;
		else
			others = 1;
	}
	if (letters + digits + others < 2 || (username && !strcmp(p, username)))
		return ms_fail(e, MS_EINVAL, "weak_password", field,
			       "'%s' must mix letters, digits or symbols and differ from the "
			       "username",
			       field);
	return MS_OK;
}

enum ms_err text_check(const char *s, const char *field, size_t max, int required,
		       struct ms_error *e)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0)
		return required
			       ? ms_fail(e, MS_EINVAL, "required", field, "'%s' is required", field)
			       : MS_OK;
	if (n > max) {
		ms_fail(e, MS_EINVAL, "too_long", field, "'%s' is longer than %zu bytes", field,
			max);
		if (e)
			e->max = (int64_t)max;
		return MS_EINVAL;
	}
	if (!utf8_valid(s, n))
		return ms_fail(e, MS_EINVAL, "bad_utf8", field, "'%s' is not valid UTF-8", field);
	/* Tab and LF (a multi-line note) are text; CR is not: lines end with
	 * LF alone, as a browser sends them. */
	switch (utf8_text_fault(s, n)) {
	case UTF8_OK: break;
	case UTF8_MALFORMED:
		return ms_fail(e, MS_EINVAL, "bad_utf8", field, "'%s' is not valid UTF-8", field);
	case UTF8_CONTROL:
		return ms_fail(e, MS_EINVAL, "invalid", field, "'%s' has a control character",
			       field);
	case UTF8_NONCHARACTER:
		return ms_fail(e, MS_EINVAL, "invalid", field,
			       "'%s' has a Unicode noncharacter (U+FFFE, U+FFFF...)", field);
	}
	if (memchr(s, '\r', n))
		return ms_fail(e, MS_EINVAL, "invalid", field, "'%s' has a control character",
			       field);
	return MS_OK;
}

enum ms_err user_check_email(const char *s, struct ms_error *e)
{
	const char *at;

	if (!s || !*s)
		return MS_OK;
	at = strchr(s, '@');
	if (strlen(s) > 254 || !at || at == s || !strchr(at, '.') || strchr(at + 1, '@') ||
	    strpbrk(s, " \t\r\n<>\"'") || at[strlen(at) - 1] == '.')
		return ms_fail(e, MS_EINVAL, "invalid", "email",
			       "'email' is not an e-mail address");
	return MS_OK;
}

enum ms_err user_check_phone(const char *s, struct ms_error *e)
{
	size_t digits = 0;

	if (!s || !*s)
		return MS_OK;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr("+- ()", *p))
			return ms_fail(e, MS_EINVAL, "invalid", "phone",
				       "'phone' may hold only digits, spaces and + - ( )");
	}
	if (digits < 5 || digits > 20)
		return ms_fail(e, MS_EINVAL, "invalid", "phone",
			       "'phone' must have 5 to 20 digits");
	return MS_OK;
}

int user_locale_valid(const char *l)
{
	return l && (!strcmp(l, "zh-CN") || !strcmp(l, "en"));
}

const struct throttle_rule throttle_pair_rule = { MS_THROTTLE_PAIR_FAILS,
						  MS_THROTTLE_PAIR_DELAY_SECONDS,
						  MS_THROTTLE_PAIR_MAX_DELAY_SECONDS };
const struct throttle_rule throttle_account_rule = { MS_THROTTLE_ACCOUNT_FAILS,
						     MS_THROTTLE_ACCOUNT_DELAY_SECONDS,
						     MS_THROTTLE_ACCOUNT_DELAY_SECONDS };

int64_t throttle_take(struct throttle *t, int64_t now, const struct throttle_rule *r)
{
	struct throttle n = *t;
	int64_t delay;

	/* Forgotten after a quiet window; a clock that went back starts over. */
	if (n.window_start > now || now - n.window_start >= MS_THROTTLE_WINDOW_SECONDS) {
		n.fails = 0;
		n.locked_until = 0;
	}
	if (n.locked_until > now)
		return n.locked_until - now;
	n.fails++;
	n.window_start = now;
	if (n.fails >= r->free_fails) {
		delay = r->delay;
		for (int64_t k = n.fails - r->free_fails; k > 0 && delay < r->max_delay; k--)
			delay *= 2;
		if (delay > r->max_delay)
			delay = r->max_delay;
		n.locked_until = now + delay;
	}
	*t = n;
	return 0;
}

int session_expired(int64_t created, int64_t last_seen, int64_t now)
{
	return now - last_seen > MS_SESSION_IDLE_SECONDS || now - created > MS_SESSION_MAX_SECONDS;
}

/* user.h: the rules of user accounts: names, passwords, contact fields and
 * the failed-login throttle. Pure: no I/O. Each check returns MS_OK or fills
 * e with the field at fault. */
#ifndef MS_USER_H
#define MS_USER_H

#include <stdint.h>

#include "base/err.h"

/* 3 to 64 of [a-z0-9._-], starting with a letter or digit. */
enum ms_err user_check_username(const char *username, struct ms_error *e);
/* At least MS_MIN_PASSWORD characters, at most MS_MAX_PASSWORD bytes, with
 * at least two of: letters, digits, other characters; not the username. */
enum ms_err user_check_password(const char *password, const char *username, const char *field,
				struct ms_error *e);
/* Text of at most max bytes (non-empty when required): valid UTF-8 with no
 * control character but tab and LF, and no Unicode noncharacter
 * (utf8_text_fault), so that it fits into XML (XLSX) as it is. */
enum ms_err text_check(const char *s, const char *field, size_t max, int required,
		       struct ms_error *e);
enum ms_err user_check_email(const char *email, struct ms_error *e);
enum ms_err user_check_phone(const char *phone, struct ms_error *e);
/* "zh-CN" or "en". */
int user_locale_valid(const char *locale);

/* The failed-login throttle for one key (an account or a client address).
 * fails counts failures since window_start; while locked_until is in the
 * future, every attempt is refused. */
struct throttle {
	int64_t fails;
	int64_t window_start;
	int64_t locked_until;
};

/* 1 when an attempt may be made at time now. */
int throttle_allows(const struct throttle *t, int64_t now);
/* Counts a failure at now; locks once limit failures fall in one window. */
void throttle_fail(struct throttle *t, int64_t now, int64_t limit);

/* 1 when a session created at created and last used at last_seen has run
 * out at now: idle past MS_SESSION_IDLE_SECONDS or older than
 * MS_SESSION_MAX_SECONDS. */
int session_expired(int64_t created, int64_t last_seen, int64_t now);

#endif

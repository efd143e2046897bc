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

/* The failed-login throttle for one key: an account ("u:NAME") or a client
 * address with a username ("p:ADDR NAME"). fails counts the password checks
 * since the key was last cleared, last_at is the latest of them, and no
 * check may run before locked_until. A key whose last check is a window
 * (MS_THROTTLE_WINDOW_SECONDS) old starts afresh. */
struct throttle {
	int64_t fails;
	int64_t window_start; /* the last counted check (the column's old name) */
	int64_t locked_until;
};

/* How a kind of key slows down: free_fails checks run at once, then one
 * check per delay seconds, doubling with each further check up to
 * max_delay. */
struct throttle_rule {
	int64_t free_fails;
	int64_t delay;
	int64_t max_delay;
};
extern const struct throttle_rule throttle_pair_rule;	 /* 5, then 30 s doubling to 300 s */
extern const struct throttle_rule throttle_account_rule; /* 20, then 5 s */

/* Takes one password check on t at now. The check is counted as a failure
 * in advance (a correct password clears the key afterwards), so that
 * parallel attempts cannot slip past the count. Returns 0 when the check
 * may run (t updated), else the seconds to wait (t unchanged). */
int64_t throttle_take(struct throttle *t, int64_t now, const struct throttle_rule *r);

/* 1 when a session created at created and last used at last_seen has run
 * out at now: idle past MS_SESSION_IDLE_SECONDS or older than
 * MS_SESSION_MAX_SECONDS. */
int session_expired(int64_t created, int64_t last_seen, int64_t now);

#endif

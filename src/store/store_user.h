/* store_user.h: user accounts, sessions and the login throttle. */
#ifndef MS_STORE_USER_H
#define MS_STORE_USER_H

#include "domain/user.h"
#include "store/store.h"

/* Fields of a user to create or change. For a change, NULL strings, a zero
 * unit_id and active < 0 mean "leave as is". */
struct user_fields {
	const char *username;
	const char *display_name;
	const char *role;
	const char *email;
	const char *phone;
	const char *locale;
	const char *password_hash;
	int64_t unit_id;
	int active;
};

struct user_filter {
	const char *role;
	const char *q;
	int64_t unit_id;
	int active; /* -1 any */
};

enum ms_err store_user_create(struct store *st, const struct scope *who,
			      const struct user_fields *f, int64_t *id, struct ms_error *e);
enum ms_err store_user_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			   struct ms_error *e);
enum ms_err store_user_list(struct store *st, const struct scope *s, const struct user_filter *f,
			    const struct page *pg, json_t **out, struct ms_error *e);
/* Optimistic: MS_ECONFLICT when version is not the stored one. */
enum ms_err store_user_update(struct store *st, const struct scope *who, int64_t id,
			      int64_t version, const struct user_fields *f, struct ms_error *e);
/* Sets the hash and ends the user's sessions but keep_session (0: all),
 * and revokes their calendar feed address. Disabling a user (active 0 in
 * store_user_update) ends every session and the feed address too. */
enum ms_err store_user_set_password(struct store *st, const struct scope *who, int64_t id,
				    const char *hash, int64_t keep_session, struct ms_error *e);
/* Id of the user with that name; MS_ENOTFOUND if none. */
enum ms_err store_user_id(struct store *st, const char *username, int64_t *id, struct ms_error *e);

/* What login needs to know of an account. */
struct user_auth {
	int64_t id;
	int64_t unit_id;
	enum role role;
	int active;
	char username[72];
	char password_hash[160];
};
enum ms_err store_user_auth(struct store *st, const char *username, struct user_auth *out,
			    struct ms_error *e);

/* A live session and its user. */
struct session_info {
	int64_t id;
	int64_t user_id;
	int64_t unit_id;
	int64_t created_at;
	int64_t last_seen_at;
	enum role role;
	char username[72];
	char csrf[72];
};
enum ms_err store_session_create(struct store *st, const struct scope *who, const char *token_hash,
				 const char *csrf, const char *addr, int64_t now, int64_t *id,
				 struct ms_error *e);
/* The session whose token hashes to token_hash, if its user is active;
 * expiry is the caller's rule (domain), not checked here. */
enum ms_err store_session_lookup(struct store *st, const char *token_hash, struct session_info *out,
				 struct ms_error *e);
enum ms_err store_session_touch(struct store *st, int64_t id, int64_t now, struct ms_error *e);
enum ms_err store_session_end(struct store *st, const struct scope *who, int64_t id,
			      struct ms_error *e);
/* Removes sessions idle since before idle_before or created before
 * created_before. */
enum ms_err store_session_purge(struct store *st, int64_t idle_before, int64_t created_before,
				struct ms_error *e);

enum ms_err store_throttle_get(struct store *st, const char *key, struct throttle *t,
			       struct ms_error *e);
enum ms_err store_throttle_put(struct store *st, const char *key, const struct throttle *t,
			       struct ms_error *e);
enum ms_err store_throttle_clear(struct store *st, const char *key, struct ms_error *e);
/* Forgets counters whose last check (window_start) is at or before
 * before, at most sweep of them (bounded work per call), and then, while
 * more than max_keys counters remain, the oldest ones (the earliest last
 * check first). Meant for the transaction of each take, so that made-up
 * usernames cannot grow the table without bound. */
enum ms_err store_throttle_forget(struct store *st, int64_t before, int64_t sweep, int64_t max_keys,
				  struct ms_error *e);

#endif

/* api_auth.c: health, login, logout, the caller's own account. */
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "base/hash.h"
#include "base/limits.h"
#include "base/password.h"
#include "domain/user.h"

enum ms_err api_health(struct api_ctx *c)
{
	/* A constant: built and sent by the HTTP layer without allocation. */
	static const char ok[] = "{\"status\":\"ok\"}";
	c->static_json = ok;
	return api_ok(c, 200, NULL);
}

static enum ms_err me_json(struct api_ctx *c, int64_t user_id, const char *csrf)
{
	json_t *user = NULL;
	enum ms_err err = store_user_get(c->st, &c->scope, user_id, &user, &c->err);
	if (err)
		return err;
	return api_ok(c, 200, json_pack("{s:o, s:s}", "user", user, "csrf_token", csrf));
}

/* The throttle keys of a login: the account, and the client address with
 * the username (docs/api.md, "Failed logins"). */
static void throttle_keys(struct api_ctx *c, const char *username, const char **ukey,
			  const char **pkey)
{
	*ukey = arena_printf(c->arena, "u:%s", username);
	*pkey = arena_printf(c->arena, "p:%s %s", c->req->client_addr, username);
}

/* Takes one password check on both keys, before the hash, in one write
 * transaction: parallel attempts queue on the database's write lock, so
 * each sees the count of the one before; old counters are forgotten in
 * it. MS_ETHROTTLED, with the seconds to wait in c->retry_after, when
 * either key refuses; nothing is counted then. */
static enum ms_err throttle_take_both(struct api_ctx *c, const char *ukey, const char *pkey,
				      int64_t now)
{
	struct throttle tu, tp;
	int64_t wu, wp;
	enum ms_err err;

	if ((err = api_begin(c)))
		return err;
	if ((err = store_throttle_get(c->st, ukey, &tu, &c->err)) ||
	    (err = store_throttle_get(c->st, pkey, &tp, &c->err)))
		return api_end(c, err);
	wp = throttle_take(&tp, now, &throttle_pair_rule);
	wu = throttle_take(&tu, now, &throttle_account_rule);
	if (wp || wu) {
		c->retry_after = wp > wu ? wp : wu;
		return api_end(c, ms_fail(&c->err, MS_ETHROTTLED, "throttled", "",
					  "too many failed logins; try again in %lld seconds",
					  (long long)c->retry_after));
	}
	/* Counters a window old are forgotten here, in bounded steps, and the
	 * table is capped, so that made-up usernames cannot grow it. */
	if ((err = store_throttle_put(c->st, ukey, &tu, &c->err)) ||
	    (err = store_throttle_put(c->st, pkey, &tp, &c->err)) ||
	    (err = store_throttle_forget(c->st, now - MS_THROTTLE_WINDOW_SECONDS,
					 MS_THROTTLE_SWEEP_KEYS, MS_THROTTLE_MAX_KEYS, &c->err)))
		return api_end(c, err);
	return api_end(c, MS_OK);
}

enum ms_err api_auth_login(struct api_ctx *c)
{
	const char *username = NULL, *password = NULL;
	const struct jfield fields[] = {
		{ "username", J_STR, J_REQUIRED, 0, MS_MAX_USERNAME, NULL, &username },
		{ "password", J_STR, J_REQUIRED, 0, MS_MAX_PASSWORD, NULL, &password },
		{ NULL, 0, 0, 0, 0, NULL, NULL }
	};
	struct user_auth ua;
	char token[TOKEN_HEX_LEN + 1], th[HASH_HEX_LEN + 1], csrf[TOKEN_HEX_LEN + 1];
	const char *ukey, *pkey;
	int64_t now = date_now(), sid;
	enum ms_err err;
	int found;

	if ((err = api_decode(c, fields)))
		return err;
	throttle_keys(c, username, &ukey, &pkey);
	if ((err = throttle_take_both(c, ukey, pkey, now)))
		return err;
	err = store_user_auth(c->st, username, &ua, &c->err);
	if (err && err != MS_ENOTFOUND)
		return err;
	found = err == MS_OK;
	/* The slow hash runs outside any transaction, and runs for unknown
	 * users too, so that timing does not tell which names exist. */
	if (!found)
		password_burn(password);
	if (!found || !password_verify(ua.password_hash, password))
		return ms_fail(&c->err, MS_EUNAUTH, "bad_credentials", "password",
			       "wrong username or password");
	if (!ua.active)
		return ms_fail(&c->err, MS_EUNAUTH, "account_disabled", "username",
			       "the account is disabled");

	hash_random_token(token);
	hash_random_token(csrf);
	hash_sha256_hex(token, TOKEN_HEX_LEN, th);
	scope_for(&c->scope, ua.role, ua.id, ua.unit_id);
	c->scope.username = ua.username;
	if ((err = store_begin(c->st, 1)))
		return ms_fail(&c->err, err, "internal", "", "cannot begin transaction");
	/* The check was counted as a failure in advance; it was not one. */
	if ((err = store_throttle_clear(c->st, ukey, &c->err)) ||
	    (err = store_throttle_clear(c->st, pkey, &c->err)) ||
	    (err = store_session_create(c->st, &c->scope, th, csrf, c->req->client_addr, now, &sid,
					&c->err)) ||
	    (err = me_json(c, ua.id, csrf)) || (err = store_commit(c->st))) {
		store_rollback(c->st);
		return err;
	}
	http_response_header(
		c->resp, "Set-Cookie",
		arena_printf(
			c->arena, "ms_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
			token, MS_SESSION_MAX_SECONDS, c->app->secure_cookie ? "; Secure" : ""));
	return MS_OK;
}

enum ms_err api_auth_logout(struct api_ctx *c)
{
	enum ms_err err = store_session_end(c->st, &c->scope, c->session.id, &c->err);
	if (err)
		return err;
	http_response_header(c->resp, "Set-Cookie",
			     "ms_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	return api_ok(c, 204, NULL);
}

enum ms_err api_me_get(struct api_ctx *c)
{
	return me_json(c, c->scope.user_id, c->session.csrf);
}

enum ms_err api_me_patch(struct api_ctx *c)
{
	static const char *const locales[] = { "zh-CN", "en", NULL };
	struct user_fields f = { .active = -1 };
	json_t *user = NULL;
	int64_t version;
	const struct jfield fields[] = { { "locale", J_ENUM, 0, 0, 0, locales, &f.locale },
					 { "display_name", J_STR, 0, 0, MS_MAX_NAME, NULL,
					   &f.display_name },
					 { NULL, 0, 0, 0, 0, NULL, NULL } };
	enum ms_err err;

	if ((err = api_decode(c, fields)))
		return err;
	if (f.display_name && !*f.display_name)
		return ms_fail(&c->err, MS_EINVAL, "required", "display_name",
			       "'display_name' is required");
	/* One's own preferences are not a shared record: no version needed. */
	if ((err = store_user_get(c->st, &c->scope, c->scope.user_id, &user, &c->err)))
		return err;
	version = json_integer_value(json_object_get(user, "version"));
	json_decref(user);
	{
		/* A user may change their own record whatever their scope. */
		struct scope self = c->scope;
		self.kind = SCOPE_OWN;
		if ((err = store_user_update(c->st, &self, c->scope.user_id, version, &f, &c->err)))
			return err;
	}
	return me_json(c, c->scope.user_id, c->session.csrf);
}

enum ms_err api_me_password(struct api_ctx *c)
{
	const char *old_pw = NULL, *new_pw = NULL;
	const struct jfield fields[] = {
		{ "old_password", J_STR, J_REQUIRED, 0, MS_MAX_PASSWORD, NULL, &old_pw },
		{ "new_password", J_STR, J_REQUIRED, 0, MS_MAX_PASSWORD, NULL, &new_pw },
		{ NULL, 0, 0, 0, 0, NULL, NULL }
	};
	char hash[PASSWORD_HASH_MAX];
	struct user_auth ua;
	struct scope self = c->scope;
	const char *ukey, *pkey;
	int64_t now = date_now();
	enum ms_err err;

	if ((err = api_decode(c, fields)))
		return err;
	if ((err = store_user_auth(c->st, c->scope.username, &ua, &c->err)))
		return err;
	/* Guessing the current password through a stolen session counts
	 * against the account like failed logins. */
	throttle_keys(c, ua.username, &ukey, &pkey);
	if ((err = throttle_take_both(c, ukey, pkey, now)))
		return err;
	if (!password_verify(ua.password_hash, old_pw))
		return ms_fail(&c->err, MS_EINVAL, "bad_credentials", "old_password",
			       "the current password is wrong");
	/* The check was counted as a failure in advance; it was not one. */
	if ((err = api_begin(c)))
		return err;
	if (!(err = store_throttle_clear(c->st, ukey, &c->err)))
		err = store_throttle_clear(c->st, pkey, &c->err);
	if ((err = api_end(c, err)))
		return err;
	if ((err = user_check_password(new_pw, ua.username, "new_password", &c->err)))
		return err;
	if (!strcmp(old_pw, new_pw))
		return ms_fail(&c->err, MS_EINVAL, "weak_password", "new_password",
			       "the new password must differ from the current one");
	if (password_hash(new_pw, hash))
		return ms_fail(&c->err, MS_EIO, "internal", "", "cannot hash password");
	self.kind = SCOPE_OWN;
	if ((err = api_begin(c)) ||
	    (err = api_end(c, store_user_set_password(c->st, &self, ua.id, hash, c->session.id,
						      &c->err))))
		return err;
	return api_ok(c, 204, NULL);
}

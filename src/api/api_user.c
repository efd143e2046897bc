/* api_user.c: user accounts (admin manages; managers read their subtree). */
#include <string.h>

#include "api/api.h"
#include "base/limits.h"
#include "base/password.h"
#include "domain/user.h"
#include "store/store_visit.h"

static const char *const roles[] = { "rep", "manager", "director", "compliance", "admin", NULL };

enum ms_err api_user_list(struct api_ctx *c)
{
	struct user_filter f = { .active = -1 };
	struct page pg;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_page(c, &pg)) || (err = api_query_text(c, "role", 16, &f.role)) ||
	    (err = api_query_int(c, "unit_id", 1, INT64_MAX, 0, &f.unit_id)) ||
	    (err = api_query_bool(c, "active", &f.active)) ||
	    (err = api_query_text(c, "q", MS_MAX_NAME, &f.q)))
		return err;
	if (f.role && role_parse(f.role) == ROLE_NONE)
		return ms_fail(&c->err, MS_EINVAL, "invalid", "role", "no role '%s'", f.role);
	if ((err = store_user_list(c->st, &c->scope, &f, &pg, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_user_create(struct api_ctx *c)
{
	struct user_fields f = { .active = 1 };
	const char *password = NULL;
	char hash[PASSWORD_HASH_MAX];
	json_t *out = NULL;
	int64_t id;
	const struct jfield fields[] = {
		{ "username", J_STR, J_REQUIRED, 0, MS_MAX_USERNAME, NULL, &f.username },
		{ "display_name", J_STR, J_REQUIRED, 0, MS_MAX_NAME, NULL, &f.display_name },
		{ "role", J_ENUM, J_REQUIRED, 0, 0, roles, &f.role },
		{ "unit_id", J_INT, J_REQUIRED, 1, INT64_MAX, NULL, &f.unit_id },
		{ "password", J_STR, J_REQUIRED, 0, MS_MAX_PASSWORD, NULL, &password },
		{ "email", J_STR, J_NULLABLE, 0, MS_MAX_EMAIL_BYTES, NULL, &f.email },
		{ "phone", J_STR, J_NULLABLE, 0, MS_MAX_PHONE_BYTES, NULL, &f.phone },
		{ NULL, 0, 0, 0, 0, NULL, NULL }
	};
	enum ms_err err;

	if ((err = api_decode(c, fields)) || (err = user_check_username(f.username, &c->err)) ||
	    (err = user_check_password(password, f.username, "password", &c->err)) ||
	    (err = user_check_email(f.email, &c->err)) ||
	    (err = user_check_phone(f.phone, &c->err)))
		return err;
	if (password_hash(password, hash))
		return ms_fail(&c->err, MS_EIO, "internal", "", "cannot hash password");
	f.password_hash = hash;
	if ((err = api_begin(c)))
		return err;
	if (!(err = store_user_create(c->st, &c->scope, &f, &id, &c->err)))
		err = store_user_get(c->st, &c->scope, id, &out, &c->err);
	if ((err = api_end(c, err))) {
		json_decref(out);
		return err;
	}
	return api_ok(c, 201, out);
}

enum ms_err api_user_get(struct api_ctx *c)
{
	json_t *out = NULL;
	enum ms_err err = store_user_get(c->st, &c->scope, c->id, &out, &c->err);
	if (err)
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_user_patch(struct api_ctx *c)
{
	struct user_fields f = { .active = -1 };
	int64_t version = 0;
	json_t *out = NULL;
	const struct jfield fields[] = {
		{ "version", J_INT, J_REQUIRED, 1, INT64_MAX, NULL, &version },
		{ "display_name", J_STR, 0, 0, MS_MAX_NAME, NULL, &f.display_name },
		{ "role", J_ENUM, 0, 0, 0, roles, &f.role },
		{ "unit_id", J_INT, 0, 1, INT64_MAX, NULL, &f.unit_id },
		{ "active", J_BOOL, 0, 0, 0, NULL, &f.active },
		{ "email", J_STR, J_NULLABLE, 0, MS_MAX_EMAIL_BYTES, NULL, &f.email },
		{ "phone", J_STR, J_NULLABLE, 0, MS_MAX_PHONE_BYTES, NULL, &f.phone },
		{ NULL, 0, 0, 0, 0, NULL, NULL }
	};
	enum ms_err err;

	if ((err = api_decode(c, fields)) || (err = user_check_email(f.email, &c->err)) ||
	    (err = user_check_phone(f.phone, &c->err)))
		return err;
	if (f.display_name && !*f.display_name)
		return ms_fail(&c->err, MS_EINVAL, "required", "display_name",
			       "'display_name' is required");
	if (c->id == c->scope.user_id && (f.active == 0 || (f.role && strcmp(f.role, "admin"))))
		return ms_fail(&c->err, MS_EINVAL, "invalid", f.active == 0 ? "active" : "role",
			       "an administrator cannot disable or demote their own account");
	if ((err = store_user_update(c->st, &c->scope, c->id, version, &f, &c->err)) ||
	    (err = store_user_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_user_password(struct api_ctx *c)
{
	const char *password = NULL;
	const struct jfield fields[] = { { "password", J_STR, J_REQUIRED, 0, MS_MAX_PASSWORD, NULL,
					   &password },
					 { NULL, 0, 0, 0, 0, NULL, NULL } };
	char hash[PASSWORD_HASH_MAX];
	json_t *user = NULL;
	const char *username;
	enum ms_err err;

	if ((err = api_decode(c, fields)) ||
	    (err = store_user_get(c->st, &c->scope, c->id, &user, &c->err)))
		return err;
	username = arena_strdup(c->arena, json_string_value(json_object_get(user, "username")));
	json_decref(user);
	if ((err = user_check_password(password, username, "password", &c->err)))
		return err;
	if (password_hash(password, hash))
		return ms_fail(&c->err, MS_EIO, "internal", "", "cannot hash password");
	if ((err = api_begin(c)) ||
	    (err = api_end(c, store_user_set_password(c->st, &c->scope, c->id, hash, 0, &c->err))))
		return err;
	return api_ok(c, 204, NULL);
}

/* An administrator retires a user's calendar feed address (a lost phone,
 * a leaked link); the user can make a new one. */
enum ms_err api_user_calendar_token_revoke(struct api_ctx *c)
{
	json_t *user = NULL;
	int revoked = 0;
	enum ms_err err;

	if ((err = store_user_get(c->st, &c->scope, c->id, &user, &c->err)))
		return err;
	json_decref(user);
	if ((err = store_calendar_token_revoke(c->st, &c->scope, c->id, &revoked, &c->err)))
		return err;
	return api_ok(c, 200, json_pack("{s:b}", "revoked", revoked));
}

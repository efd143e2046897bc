/* api_org.c: the organisation tree and the reference data of strategy
 * (product lines, segments, regions, provinces). */
#include "api/api.h"
#include "base/limits.h"
#include "domain/org.h"
#include "store/store_org.h"

static const char *const unit_types[] = {
	"company", "region", "province", "district", "team", NULL
};

enum ms_err api_org_list(struct api_ctx *c)
{
	const char *as_of = NULL;
	json_t *items = NULL;
	enum ms_err err;

	if ((err = api_query_date(c, "as_of", &as_of)))
		return err;
	if (!as_of)
		as_of = api_today(c);
	if ((err = store_org_list(c->st, as_of, &items, &c->err)))
		return err;
	return api_ok(c, 200, json_pack("{s:o, s:s}", "items", items, "as_of", as_of));
}

enum ms_err api_org_create(struct api_ctx *c)
{
	struct unit_fields f = { 0 };
	json_t *out = NULL;
	int64_t id;
	const struct jfield fields[] = {
		{ "code", J_STR, J_REQUIRED, 0, MS_MAX_CODE, NULL, &f.code },
		{ "type", J_ENUM, J_REQUIRED, 0, 0, unit_types, &f.type },
		{ "name_zh", J_STR, J_REQUIRED, 0, MS_MAX_NAME, NULL, &f.name_zh },
		{ "name_en", J_STR, J_REQUIRED, 0, MS_MAX_NAME, NULL, &f.name_en },
		{ "parent_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f.parent_id },
		{ "valid_from", J_DATE, 0, 0, 0, NULL, &f.valid_from },
		{ NULL, 0, 0, 0, 0, NULL, NULL }
	};
	enum ms_err err;

	if ((err = api_decode(c, fields)) || (err = org_check_code(f.code, &c->err)))
		return err;
	if (!f.valid_from)
		f.valid_from = api_today(c);
	if ((err = store_org_create(c->st, &c->scope, &f, &id, &c->err)) ||
	    (err = store_org_get(c->st, id, f.valid_from, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_org_patch(struct api_ctx *c)
{
	struct unit_fields f = { 0 };
	int64_t version = 0;
	json_t *out = NULL;
	const struct jfield fields[] = {
		{ "version", J_INT, J_REQUIRED, 1, INT64_MAX, NULL, &version },
		{ "name_zh", J_STR, 0, 0, MS_MAX_NAME, NULL, &f.name_zh },
		{ "name_en", J_STR, 0, 0, MS_MAX_NAME, NULL, &f.name_en },
		{ "parent_id", J_INT, 0, 1, INT64_MAX, NULL, &f.parent_id },
		{ "valid_from", J_DATE, 0, 0, 0, NULL, &f.valid_from },
		{ NULL, 0, 0, 0, 0, NULL, NULL }
	};
	enum ms_err err;

	if ((err = api_decode(c, fields)))
		return err;
	if ((f.name_zh && !*f.name_zh) || (f.name_en && !*f.name_en))
		return ms_fail(&c->err, MS_EINVAL, "required",
			       f.name_zh && !*f.name_zh ? "name_zh" : "name_en",
			       "a unit's name cannot be empty");
	if (!f.valid_from)
		f.valid_from = api_today(c);
	if ((err = store_org_update(c->st, &c->scope, c->id, version, &f, &c->err)) ||
	    (err = store_org_get(c->st, c->id, f.valid_from, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

/* PUT {"provinces": ["SH", ...]}: the unit's territory, replaced whole. */
enum ms_err api_org_provinces(struct api_ctx *c)
{
	json_t *codes = c->body ? json_object_get(c->body, "provinces") : NULL, *out = NULL;
	enum ms_err err;

	if (!c->body || json_object_size(c->body) != 1 || !json_is_array(codes))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "provinces",
			       "want {\"provinces\": [...]}");
	if ((err = store_org_set_provinces(c->st, &c->scope, c->id, codes, &c->err)) ||
	    (err = store_org_get(c->st, c->id, api_today(c), &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

static enum ms_err ref_kind(struct api_ctx *c, enum ref_kind *k)
{
	*k = ref_kind_parse(c->param);
	if (*k == REF_NONE)
		return ms_fail(&c->err, MS_ENOTFOUND, "not_found", "kind",
			       "no reference data kind '%s'", c->param);
	return MS_OK;
}

enum ms_err api_ref_list(struct api_ctx *c)
{
	enum ref_kind k;
	int active;
	json_t *items = NULL;
	enum ms_err err;

	if ((err = ref_kind(c, &k)) || (err = api_query_bool(c, "active", &active)) ||
	    (err = store_ref_list(c->st, k, active, &items, &c->err)))
		return err;
	return api_ok(c, 200, json_pack("{s:o}", "items", items));
}

enum ms_err api_ref_create(struct api_ctx *c)
{
	struct ref_fields f = { .active = 1 };
	enum ref_kind k;
	json_t *out = NULL;
	int64_t id;
	const struct jfield fields[] = {
		{ "code", J_STR, J_REQUIRED, 0, MS_MAX_CODE, NULL, &f.code },
		{ "name_zh", J_STR, J_REQUIRED, 0, MS_MAX_NAME, NULL, &f.name_zh },
		{ "name_en", J_STR, J_REQUIRED, 0, MS_MAX_NAME, NULL, &f.name_en },
		{ "priority", J_INT, 0, 1, 9, NULL, &f.priority },
		{ "parent_code", J_STR, J_NULLABLE, 0, MS_MAX_CODE, NULL, &f.parent_code },
		{ NULL, 0, 0, 0, 0, NULL, NULL }
	};
	enum ms_err err;

	if ((err = ref_kind(c, &k)) || (err = api_decode(c, fields)) ||
	    (err = org_check_code(f.code, &c->err)) ||
	    (err = store_ref_create(c->st, &c->scope, k, &f, &id, &c->err)) ||
	    (err = store_ref_get(c->st, k, id, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_ref_patch(struct api_ctx *c)
{
	struct ref_fields f = { .active = -1 };
	enum ref_kind k;
	int64_t version = 0;
	json_t *out = NULL;
	const struct jfield fields[] = {
		{ "version", J_INT, J_REQUIRED, 1, INT64_MAX, NULL, &version },
		{ "name_zh", J_STR, 0, 0, MS_MAX_NAME, NULL, &f.name_zh },
		{ "name_en", J_STR, 0, 0, MS_MAX_NAME, NULL, &f.name_en },
		{ "priority", J_INT, 0, 1, 9, NULL, &f.priority },
		{ "parent_code", J_STR, 0, 0, MS_MAX_CODE, NULL, &f.parent_code },
		{ "active", J_BOOL, 0, 0, 0, NULL, &f.active },
		{ NULL, 0, 0, 0, 0, NULL, NULL }
	};
	enum ms_err err;

	if ((err = ref_kind(c, &k)) || (err = api_decode(c, fields)))
		return err;
	if ((f.name_zh && !*f.name_zh) || (f.name_en && !*f.name_en))
		return ms_fail(&c->err, MS_EINVAL, "required",
			       f.name_zh && !*f.name_zh ? "name_zh" : "name_en",
			       "a name cannot be empty");
	if ((err = store_ref_update(c->st, &c->scope, k, c->id, version, &f, &c->err)) ||
	    (err = store_ref_get(c->st, k, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

/* api_contact.c: departments, contacts (with KOL profile and consent) and
 * the needs file of an institution (R4). */
#include <string.h>

#include "api/api.h"
#include "base/limits.h"
#include "domain/customer.h"
#include "store/store_customer.h"

static enum ms_err decode_dept(struct api_ctx *c, struct dept_fields *f, int create)
{
	const struct jfield fields[] = {
		{ "name", J_STR, create ? J_REQUIRED : 0, 0, MS_MAX_NAME, NULL, &f->name },
		{ "category", J_ENUM, 0, 0, 0, dept_categories, &f->category },
		{ "function", J_ENUM, 0, 0, 0, dept_functions, &f->function },
		{ "beds", J_INT, J_NULLABLE, 0, 5000, NULL, &f->beds },
		{ "notes", J_STR, 0, 0, MS_MAX_TEXT, NULL, &f->notes },
		JF_END
	};
	enum ms_err err;

	memset(f, 0, sizeof(*f));
	f->beds = UNSET;
	if ((err = api_decode(c, fields)))
		return err;
	if (f->name && !*f->name)
		return ms_fail(&c->err, MS_EINVAL, "required", "name", "'name' is required");
	return MS_OK;
}

enum ms_err api_dept_list(struct api_ctx *c)
{
	json_t *items = NULL;
	enum ms_err err = store_dept_list(c->st, &c->scope, c->id, &items, &c->err);
	return err ? err : api_ok(c, 200, json_pack("{s:o}", "items", items));
}

enum ms_err api_dept_create(struct api_ctx *c)
{
	struct dept_fields f;
	json_t *out = NULL;
	int64_t id;
	enum ms_err err;

	if ((err = decode_dept(c, &f, 1)) ||
	    (err = store_dept_create(c->st, &c->scope, c->id, &f, &id, &c->err)) ||
	    (err = store_dept_get(c->st, &c->scope, id, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_dept_patch(struct api_ctx *c)
{
	struct dept_fields f;
	int64_t version;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = decode_dept(c, &f, 0)) ||
	    (err = store_dept_update(c->st, &c->scope, c->id, version, &f, &c->err)) ||
	    (err = store_dept_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

static enum ms_err decode_contact(struct api_ctx *c, struct contact_fields *f, int create)
{
	/* Types here; the value rules are customer_check_contact's, the ones
	 * an import row meets too. */
	struct contact_values v;
	const unsigned req = create ? J_REQUIRED : 0;
	const struct jfield fields[] = {
		{ "institution_id", J_INT, req, 1, INT64_MAX, NULL, &f->institution_id },
		{ "department_id", J_INT, 0, 0, INT64_MAX, NULL, &f->department_id },
		{ "name", J_STR, req, 0, CONTACT_MAX_NAME, NULL, &v.name },
		{ "gender", J_STR, 0, 0, 0, NULL, &v.gender },
		{ "title", J_STR, 0, 0, 0, NULL, &v.title },
		{ "position", J_STR, 0, 0, 0, NULL, &v.position },
		{ "decision_role", J_STR, 0, 0, 0, NULL, &v.decision_role },
		{ "influence", J_INT, 0, INT64_MIN + 1, INT64_MAX, NULL, &v.influence },
		{ "stance", J_STR, 0, 0, 0, NULL, &v.stance },
		{ "kol_tier", J_STR, 0, 0, 0, NULL, &v.kol_tier },
		{ "kol_speciality", J_STR, 0, 0, 0, NULL, &v.kol_speciality },
		{ "kol_posts", J_STR, 0, 0, 0, NULL, &v.kol_posts },
		{ "kol_engagements", J_STR, 0, 0, 0, NULL, &v.kol_engagements },
		{ "mobile", J_STR, 0, 0, 0, NULL, &v.mobile },
		{ "email", J_STR, 0, 0, 0, NULL, &v.email },
		{ "wechat", J_STR, 0, 0, 0, NULL, &v.wechat },
		{ "consent_date", J_STR, J_NULLABLE, 0, 0, NULL, &v.consent_date },
		{ "is_public_official", J_BOOL, 0, 0, 0, NULL, &f->is_public_official },
		JF_END
	};
	enum ms_err err;

	contact_fields_init(f);
	contact_values_init(&v);
	if ((err = api_decode(c, fields)))
		return err;
	if (!create && f->institution_id != UNSET)
		return ms_fail(&c->err, MS_EINVAL, "invalid", "institution_id",
			       "a contact cannot move to another institution; create a new one");
	if (customer_check_contact(&v, api_today(c), &c->err, 1))
		return c->err.err;
	contact_fields_set_values(f, &v);
	return MS_OK;
}

enum ms_err api_contact_filter(struct api_ctx *c, struct contact_filter *f)
{
	const char *role, *stance, *tier;
	enum ms_err err;

	memset(f, 0, sizeof(*f));
	f->key_only = -1;
	if ((err = api_query_text(c, "q", MS_MAX_NAME, &f->q)) ||
	    (err = api_query_int(c, "institution_id", 1, INT64_MAX, 0, &f->institution_id)) ||
	    (err = api_query_int(c, "department_id", 1, INT64_MAX, 0, &f->department_id)) ||
	    (err = api_query_text(c, "decision_role", 32, &role)) ||
	    (err = api_query_text(c, "stance", 16, &stance)) ||
	    (err = api_query_text(c, "kol_tier", 16, &tier)) ||
	    (err = api_query_bool(c, "key", &f->key_only)))
		return err;
	if (role && !code_in(contact_roles, role))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "decision_role", "unknown role");
	if (stance && !code_in(contact_stances, stance))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "stance", "unknown stance");
	if (tier && !code_in(kol_tiers, tier))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "kol_tier", "unknown KOL tier");
	f->decision_role = role;
	f->stance = stance;
	f->kol_tier = tier;
	return MS_OK;
}

enum ms_err api_contact_list(struct api_ctx *c)
{
	struct contact_filter f;
	struct page pg;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_page(c, &pg)) || (err = api_contact_filter(c, &f)) ||
	    (err = store_contact_list(c->st, &c->scope, &f, &pg, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_contact_create(struct api_ctx *c)
{
	struct contact_fields f;
	json_t *out = NULL;
	int64_t id;
	enum ms_err err;

	if ((err = decode_contact(c, &f, 1)) ||
	    (err = store_contact_create(c->st, &c->scope, &f, &id, &c->err)) ||
	    (err = store_contact_get(c->st, &c->scope, id, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_contact_get(struct api_ctx *c)
{
	json_t *out = NULL;
	enum ms_err err = store_contact_get(c->st, &c->scope, c->id, &out, &c->err);
	return err ? err : api_ok(c, 200, out);
}

enum ms_err api_contact_patch(struct api_ctx *c)
{
	struct contact_fields f;
	int64_t version;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = decode_contact(c, &f, 0)) ||
	    (err = store_contact_update(c->st, &c->scope, c->id, version, &f, &c->err)) ||
	    (err = store_contact_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

static enum ms_err decode_need(struct api_ctx *c, struct need_fields *f, int create)
{
	const unsigned req = create ? J_REQUIRED : 0;
	const struct jfield fields[] = {
		{ "institution_id", J_INT, req, 1, INT64_MAX, NULL, &f->institution_id },
		{ "department_id", J_INT, 0, 0, INT64_MAX, NULL, &f->department_id },
		{ "product_line_code", J_STR, J_NULLABLE, 0, MS_MAX_CODE, NULL,
		  &f->product_line_code },
		{ "need", J_STR, req, 0, MS_MAX_TEXT, NULL, &f->need },
		{ "pain_points", J_STR, 0, 0, MS_MAX_TEXT, NULL, &f->pain_points },
		{ "current_solution", J_STR, 0, 0, MS_MAX_TEXT, NULL, &f->current_solution },
		{ "current_age_years", J_INT, J_NULLABLE, 0, 100, NULL, &f->current_age_years },
		{ "volume", J_STR, 0, 0, MS_MAX_VOLUME_BYTES, NULL, &f->volume },
		{ "budget_fen", J_INT, J_NULLABLE, 0, MS_MAX_MONEY_FEN, NULL, &f->budget_fen },
		{ "budget_cycle", J_STR, 0, 0, MS_MAX_BUDGET_CYCLE_BYTES, NULL, &f->budget_cycle },
		{ "decision_by", J_DATE, J_NULLABLE, 0, 0, NULL, &f->decision_by },
		{ "status", J_ENUM, 0, 0, 0, need_statuses, &f->status },
		JF_END
	};
	enum ms_err err;

	need_fields_init(f);
	if ((err = api_decode(c, fields)))
		return err;
	if (!create && f->institution_id != UNSET)
		return ms_fail(&c->err, MS_EINVAL, "invalid", "institution_id",
			       "a need cannot move to another institution");
	if (f->need && !*f->need)
		return ms_fail(&c->err, MS_EINVAL, "required", "need", "'need' is required");
	return MS_OK;
}

enum ms_err api_need_filter(struct api_ctx *c, struct need_filter *f)
{
	enum ms_err err;

	memset(f, 0, sizeof(*f));
	if ((err = api_query_text(c, "q", MS_MAX_NAME, &f->q)) ||
	    (err = api_query_int(c, "institution_id", 1, INT64_MAX, 0, &f->institution_id)) ||
	    (err = api_query_text(c, "product_line_code", MS_MAX_CODE, &f->product_line_code)) ||
	    (err = api_query_text(c, "status", 16, &f->status)))
		return err;
	if (f->status && !code_in(need_statuses, f->status))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "status", "unknown status");
	return MS_OK;
}

enum ms_err api_need_list(struct api_ctx *c)
{
	struct need_filter f;
	struct page pg;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_page(c, &pg)) || (err = api_need_filter(c, &f)) ||
	    (err = store_need_list(c->st, &c->scope, &f, &pg, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_need_create(struct api_ctx *c)
{
	struct need_fields f;
	json_t *out = NULL;
	int64_t id;
	enum ms_err err;

	if ((err = decode_need(c, &f, 1)) ||
	    (err = store_need_create(c->st, &c->scope, &f, &id, &c->err)) ||
	    (err = store_need_get(c->st, &c->scope, id, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_need_get(struct api_ctx *c)
{
	json_t *out = NULL;
	enum ms_err err = store_need_get(c->st, &c->scope, c->id, &out, &c->err);
	return err ? err : api_ok(c, 200, out);
}

enum ms_err api_need_patch(struct api_ctx *c)
{
	struct need_fields f;
	int64_t version;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = decode_need(c, &f, 0)) ||
	    (err = store_need_update(c->st, &c->scope, c->id, version, &f, &c->err)) ||
	    (err = store_need_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

/* api_customer.c: institutions, their coverage and grade, and the grading
 * and completeness settings (R1, R4, R10, R11). */
#include <math.h>
#include <string.h>

#include "api/api.h"
#include "base/limits.h"
#include "domain/customer.h"
#include "store/store_customer.h"

/* The fields of an institution; required only when creating. */
static void inst_jfields(struct jfield *out, struct inst_fields *f, double *lat, double *lon,
			 int create)
{
	const unsigned req = create ? J_REQUIRED : 0;
	const struct jfield list[] = {
		{ "name", J_STR, req, 0, MS_MAX_NAME, NULL, &f->name },
		{ "aliases", J_STR, 0, 0, MS_MAX_ALIASES_BYTES, NULL, &f->aliases },
		{ "province_code", J_STR, req, 0, MS_MAX_CODE, NULL, &f->province_code },
		{ "city", J_STR, req, 0, MS_MAX_PLACE_BYTES, NULL, &f->city },
		{ "district", J_STR, 0, 0, MS_MAX_PLACE_BYTES, NULL, &f->district },
		{ "address", J_STR, 0, 0, MS_MAX_ADDRESS_BYTES, NULL, &f->address },
		{ "latitude", J_NUM, J_NULLABLE, 0, 0, NULL, lat },
		{ "longitude", J_NUM, J_NULLABLE, 0, 0, NULL, lon },
		{ "level", J_ENUM, 0, 0, 0, inst_levels, &f->level },
		{ "class", J_ENUM, 0, 0, 0, inst_classes, &f->class_ },
		{ "ownership", J_ENUM, 0, 0, 0, inst_ownerships, &f->ownership },
		{ "type", J_ENUM, 0, 0, 0, inst_types, &f->type },
		{ "beds", J_INT, J_NULLABLE, 0, 20000, NULL, &f->beds },
		{ "annual_outpatients", J_INT, J_NULLABLE, 0, 100000000, NULL,
		  &f->annual_outpatients },
		{ "is_teaching", J_BOOL, 0, 0, 0, NULL, &f->is_teaching },
		{ "network", J_STR, 0, 0, MS_MAX_NAME, NULL, &f->network },
		{ "network_role", J_ENUM, 0, 0, 0, inst_network_roles, &f->network_role },
		{ "segment_code", J_STR, J_NULLABLE, 0, MS_MAX_CODE, NULL, &f->segment_code },
		{ "status", J_ENUM, 0, 0, 0, inst_statuses, &f->status },
		{ "budget_fen", J_INT, J_NULLABLE, 0, MS_MAX_MONEY_FEN, NULL, &f->budget_fen },
		{ "installed_units", J_INT, J_NULLABLE, 0, 100000, NULL, &f->installed_units },
		{ "relationship", J_INT, J_NULLABLE, 1, 5, NULL, &f->relationship },
		{ "owner_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f->owner_id },
		JF_END
	};
	memcpy(out, list, sizeof(list));
	if (!create) /* owner changes go through coverage */
		out[sizeof(list) / sizeof(list[0]) - 2] = (struct jfield)JF_END;
}

#define INST_NFIELDS 24

static enum ms_err decode_inst(struct api_ctx *c, struct inst_fields *f, int create)
{
	struct jfield fields[INST_NFIELDS + 1];
	double lat = NAN, lon = NAN;
	enum ms_err err;

	inst_fields_init(f);
	inst_jfields(fields, f, &lat, &lon, create);
	if ((err = api_decode(c, fields)))
		return err;
	if (isnan(lat) != isnan(lon))
		return ms_fail(&c->err, MS_EINVAL, "required",
			       isnan(lat) ? "latitude" : "longitude",
			       "give both 'latitude' and 'longitude', or neither");
	if (!isnan(lat)) {
		if ((err = customer_check_location(lat, lon, &c->err)))
			return err;
		f->latitude = lat;
		f->longitude = lon;
		f->has_location = 1;
	}
	if (f->name && !*f->name)
		return ms_fail(&c->err, MS_EINVAL, "required", "name", "'name' is required");
	if (!create && f->province_code && !*f->province_code)
		return ms_fail(&c->err, MS_EINVAL, "required", "province_code",
			       "'province_code' is required");
	return MS_OK;
}

enum ms_err api_inst_filter(struct api_ctx *c, struct inst_filter *f)
{
	enum ms_err err;
	const char *level, *type, *grade, *status;

	inst_filter_init(f);
	if ((err = api_query_text(c, "q", MS_MAX_NAME, &f->q)) ||
	    (err = api_query_text(c, "province_code", MS_MAX_CODE, &f->province_code)) ||
	    (err = api_query_text(c, "city", 100, &f->city)) ||
	    (err = api_query_text(c, "level", 16, &level)) ||
	    (err = api_query_text(c, "type", 16, &type)) ||
	    (err = api_query_text(c, "segment_code", MS_MAX_CODE, &f->segment_code)) ||
	    (err = api_query_text(c, "grade", 2, &grade)) ||
	    (err = api_query_text(c, "status", 16, &status)) ||
	    (err = api_query_int(c, "owner_id", 1, INT64_MAX, 0, &f->owner_id)) ||
	    (err = api_query_int(c, "unit_id", 1, INT64_MAX, 0, &f->unit_id)) ||
	    (err = api_query_int(c, "completeness_min", 0, 100, -1, &f->completeness_min)) ||
	    (err = api_query_int(c, "completeness_max", 0, 100, -1, &f->completeness_max)))
		return err;
	if ((level && !code_in(inst_levels, level)) || (type && !code_in(inst_types, type)) ||
	    (grade && !code_in(grades, grade)) || (status && !code_in(inst_statuses, status)))
		return ms_fail(&c->err, MS_EINVAL, "invalid",
			       level && !code_in(inst_levels, level) ? "level"
			       : type && !code_in(inst_types, type)  ? "type"
			       : grade && !code_in(grades, grade)    ? "grade"
								     : "status",
			       "unknown filter value");
	f->level = level;
	f->type = type;
	f->grade = grade;
	f->status = status;
	return MS_OK;
}

enum ms_err api_inst_list(struct api_ctx *c)
{
	struct inst_filter f;
	struct page pg;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_page(c, &pg)) || (err = api_inst_filter(c, &f)) ||
	    (err = store_inst_list(c->st, &c->scope, &f, &pg, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_inst_create(struct api_ctx *c)
{
	struct inst_fields f;
	json_t *out = NULL;
	int64_t id;
	enum ms_err err;

	if ((err = decode_inst(c, &f, 1)) ||
	    (err = store_inst_create(c->st, &c->scope, &f, &id, &c->err)) ||
	    (err = store_inst_get(c->st, &c->scope, id, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_inst_get(struct api_ctx *c)
{
	json_t *out = NULL;
	enum ms_err err = store_inst_get(c->st, &c->scope, c->id, &out, &c->err);
	return err ? err : api_ok(c, 200, out);
}

enum ms_err api_inst_patch(struct api_ctx *c)
{
	struct inst_fields f;
	json_t *out = NULL;
	int64_t version = 0;
	enum ms_err err;

	if ((err = api_take_version(c, &version)))
		return err;
	if ((err = decode_inst(c, &f, 0)) ||
	    (err = store_inst_update(c->st, &c->scope, c->id, version, &f, &c->err)) ||
	    (err = store_inst_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_inst_grade_override(struct api_ctx *c)
{
	const char *grade = NULL, *reason = NULL;
	const struct jfield fields[] = { { "grade", J_ENUM, J_NULLABLE, 0, 0, grades, &grade },
					 { "reason", J_STR, 0, 0, MS_MAX_REASON_BYTES, NULL,
					   &reason },
					 JF_END };
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_decode(c, fields)))
		return err;
	if (grade && (!reason || !*reason))
		return ms_fail(&c->err, MS_EINVAL, "required", "reason",
			       "an override needs a 'reason'");
	if ((err = store_inst_override_grade(c->st, &c->scope, c->id, grade, reason, &c->err)) ||
	    (err = store_inst_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_inst_grades(struct api_ctx *c)
{
	json_t *items = NULL;
	enum ms_err err = store_grade_history(c->st, &c->scope, c->id, &items, &c->err);
	return err ? err : api_ok(c, 200, json_pack("{s:o}", "items", items));
}

enum ms_err api_coverage_list(struct api_ctx *c)
{
	json_t *items = NULL;
	enum ms_err err = store_coverage_list(c->st, &c->scope, c->id, &items, &c->err);
	return err ? err : api_ok(c, 200, json_pack("{s:o}", "items", items));
}

/* Coverage dates follow customer_check_coverage_date (domain/customer.c). */
static enum ms_err check_effective(struct api_ctx *c, const char *field, const char *date)
{
	return customer_check_coverage_date(date, api_today(c), field, &c->err);
}

/* What becomes of the planned visits of a rep who stops covering. */
static const char *const hand_over_fates[] = { "hand_over", "cancel", NULL };

enum ms_err api_coverage_add(struct api_ctx *c)
{
	int64_t user_id = 0, plans = 0;
	const char *role = NULL, *from = NULL, *fate = NULL;
	const struct jfield fields[] = {
		{ "user_id", J_INT, J_REQUIRED, 1, INT64_MAX, NULL, &user_id },
		{ "role", J_ENUM, J_REQUIRED, 0, 0, coverage_roles, &role },
		{ "valid_from", J_DATE, 0, 0, 0, NULL, &from },
		{ "planned_visits", J_ENUM, 0, 0, 0, hand_over_fates, &fate },
		JF_END
	};
	json_t *items = NULL;
	enum ms_err err;

	if ((err = api_decode(c, fields)))
		return err;
	if (!from)
		from = api_today(c);
	if ((err = check_effective(c, "valid_from", from)))
		return err;
	if ((err = store_coverage_add(c->st, &c->scope, c->id, user_id, role, from,
				      fate && !strcmp(fate, "cancel") ? PLANS_CANCEL
								      : PLANS_HAND_OVER,
				      &plans, &c->err)) ||
	    (err = store_coverage_list(c->st, &c->scope, c->id, &items, &c->err)))
		return err;
	return api_ok(c, 201,
		      json_pack("{s:o, s:I, s:s}", "items", items, "planned_visits",
				(json_int_t)plans, "planned_visits_fate",
				fate ? fate : "hand_over"));
}

enum ms_err api_coverage_end(struct api_ctx *c)
{
	static const char *const fates[] = { "cancel", "keep", NULL };
	const char *to = NULL, *fate = NULL;
	const struct jfield fields[] = { { "valid_to", J_DATE, 0, 0, 0, NULL, &to },
					 { "planned_visits", J_ENUM, 0, 0, 0, fates, &fate },
					 JF_END };
	enum ms_err err;

	if (c->body && (err = api_decode(c, fields)))
		return err;
	if (!to)
		to = api_today(c);
	if ((err = check_effective(c, "valid_to", to)) ||
	    (err = store_coverage_end(c->st, &c->scope, c->id, to,
				      fate && !strcmp(fate, "keep") ? PLANS_KEEP : PLANS_CANCEL,
				      NULL, &c->err)))
		return err;
	return api_ok(c, 204, NULL);
}

enum ms_err api_coverage_reassign(struct api_ctx *c)
{
	int64_t from_user = 0, to_user = 0, moved = 0, plans = 0;
	const char *from = NULL, *fate = NULL;
	const struct jfield fields[] = {
		{ "from_user_id", J_INT, J_REQUIRED, 1, INT64_MAX, NULL, &from_user },
		{ "to_user_id", J_INT, J_REQUIRED, 1, INT64_MAX, NULL, &to_user },
		{ "valid_from", J_DATE, 0, 0, 0, NULL, &from },
		{ "planned_visits", J_ENUM, 0, 0, 0, hand_over_fates, &fate },
		JF_END
	};
	json_t *ids = c->body ? json_object_get(c->body, "institution_ids") : NULL;
	int64_t *list = NULL;
	size_t n = 0, i;
	json_t *x;
	enum ms_err err;

	if (ids) {
		if (!json_is_array(ids) || json_array_size(ids) > 10000)
			return ms_fail(&c->err, MS_EINVAL, "invalid", "institution_ids",
				       "'institution_ids' must be an array of at most 10000 ids");
		n = json_array_size(ids);
		list = arena_array(c->arena, n ? n : 1, sizeof(*list));
		json_array_foreach(ids, i, x)
		{
			if (!json_is_integer(x) || json_integer_value(x) < 1)
				return ms_fail(&c->err, MS_EINVAL, "invalid", "institution_ids",
					       "'institution_ids' must hold positive integers");
			list[i] = json_integer_value(x);
		}
		json_object_del(c->body, "institution_ids");
		if (n == 0)
			return ms_fail(&c->err, MS_EINVAL, "invalid", "institution_ids",
				       "'institution_ids' is empty; omit it to move all");
	}
	if ((err = api_decode(c, fields)))
		return err;
	if (!from)
		from = api_today(c);
	if ((err = check_effective(c, "valid_from", from)))
		return err;
	if ((err = store_coverage_reassign(c->st, &c->scope, from_user, to_user, from, list, n,
					   fate && !strcmp(fate, "cancel") ? PLANS_CANCEL
									   : PLANS_HAND_OVER,
					   &moved, &plans, &c->err)))
		return err;
	return api_ok(c, 200,
		      json_pack("{s:I, s:I, s:s}", "moved", (json_int_t)moved, "planned_visits",
				(json_int_t)plans, "planned_visits_fate",
				fate ? fate : "hand_over"));
}

enum ms_err api_report_completeness(struct api_ctx *c)
{
	const char *group = NULL;
	json_t *items = NULL;
	enum ms_err err;

	if ((err = api_query_text(c, "group", 8, &group)))
		return err;
	if (!group)
		group = "rep";
	if (strcmp(group, "rep") && strcmp(group, "unit"))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "group",
			       "'group' must be 'rep' or 'unit'");
	if ((err = store_report_completeness(c->st, &c->scope, group, &items, &c->err)))
		return err;
	return api_ok(c, 200, json_pack("{s:o, s:s}", "items", items, "group", group));
}

enum ms_err api_report_white_space(struct api_ctx *c)
{
	const char *province = NULL, *segment = NULL;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_query_text(c, "province_code", MS_MAX_CODE, &province)) ||
	    (err = api_query_text(c, "segment_code", MS_MAX_CODE, &segment)) ||
	    (err = store_report_white_space(c->st, &c->scope, province, segment, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

/* org.c: organisation tree and reference-data rules. Pure: no I/O. */
#include "domain/org.h"

#include <string.h>

#include "base/limits.h"

static const char *const type_names[] = { "", "company", "region", "province", "district", "team" };

enum unit_type unit_type_parse(const char *s)
{
	if (!s)
		return UNIT_NONE;
	for (int t = UNIT_COMPANY; t <= UNIT_TEAM; t++)
		if (!strcmp(s, type_names[t]))
			return (enum unit_type)t;
	return UNIT_NONE;
}

const char *unit_type_name(enum unit_type t)
{
	return t >= UNIT_COMPANY && t <= UNIT_TEAM ? type_names[t] : "";
}

enum ms_err org_check_code(const char *code, struct ms_error *e)
{
	size_t n = code ? strlen(code) : 0;

	if (n == 0)
		return ms_fail(e, MS_EINVAL, "required", "code", "'code' is required");
	if (n > MS_MAX_CODE)
		return ms_fail(e, MS_EINVAL, "too_long", "code", "'code' is longer than %d",
			       MS_MAX_CODE);
	for (size_t i = 0; i < n; i++) {
		char c = code[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return ms_fail(e, MS_EINVAL, "invalid", "code",
				       "'code' may hold only letters, digits, '_' and '-'");
	}
	return MS_OK;
}

enum ms_err org_check_parent(enum unit_type child, int has_parent, enum unit_type parent,
			     struct ms_error *e)
{
	if (child == UNIT_COMPANY) {
		if (has_parent)
			return ms_fail(e, MS_EINVAL, "invalid", "parent_id",
				       "a 'company' unit has no parent");
		return MS_OK;
	}
	if (!has_parent)
		return ms_fail(e, MS_EINVAL, "required", "parent_id", "'parent_id' is required");
	if (parent >= child)
		return ms_fail(e, MS_EINVAL, "invalid", "parent_id",
			       "a '%s' cannot be placed under a '%s'", unit_type_name(child),
			       unit_type_name(parent));
	return MS_OK;
}

int org_would_cycle(const struct org_edge *edges, size_t n, int64_t unit, int64_t new_parent)
{
	int64_t cur = new_parent;

	/* Walk up from the new parent; meeting unit means a cycle. At most n
	 * steps, so a corrupt tree cannot loop forever. */
	for (size_t steps = 0; cur && steps <= n; steps++) {
		size_t i;
		if (cur == unit)
			return 1;
		for (i = 0; i < n && edges[i].unit_id != cur; i++)
			;
		if (i == n)
			return 0;
		cur = edges[i].parent_id;
	}
	return cur != 0;
}

static const char *const kind_names[] = { "", "product_lines", "segments", "regions", "provinces" };

enum ref_kind ref_kind_parse(const char *s)
{
	if (!s)
		return REF_NONE;
	for (int k = REF_PRODUCT_LINES; k <= REF_PROVINCES; k++)
		if (!strcmp(s, kind_names[k]))
			return (enum ref_kind)k;
	return REF_NONE;
}

const char *ref_kind_name(enum ref_kind k)
{
	return k >= REF_PRODUCT_LINES && k <= REF_PROVINCES ? kind_names[k] : "";
}

enum ms_err ref_check_priority(int64_t p, struct ms_error *e)
{
	if (p < 1 || p > 9)
		return ms_fail(e, MS_EINVAL, "out_of_range", "priority",
			       "'priority' must be 1 to 9");
	return MS_OK;
}

/* org.h: rules of the organisation tree and of the reference data that
 * strategy is cut by (product lines, segments, regions, provinces). Pure. */
#ifndef MS_ORG_H
#define MS_ORG_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum unit_type {
	UNIT_NONE = 0,
	UNIT_COMPANY,
	UNIT_REGION,
	UNIT_PROVINCE,
	UNIT_DISTRICT,
	UNIT_TEAM
};

enum unit_type unit_type_parse(const char *s);
const char *unit_type_name(enum unit_type t);

/* Codes of units and reference items: 1 to MS_MAX_CODE of [A-Za-z0-9_-]. */
enum ms_err org_check_code(const char *code, struct ms_error *e);

/* A child must be of a lower level than its parent (a team under a district,
 * not a region under a team); only a company has no parent. */
enum ms_err org_check_parent(enum unit_type child, int has_parent, enum unit_type parent,
			     struct ms_error *e);

/* One edge of the tree as it stands on some date. */
struct org_edge {
	int64_t unit_id;
	int64_t parent_id; /* 0 for the root */
};

/* 1 when making new_parent the parent of unit would close a cycle in the
 * tree given by edges[0..n). */
int org_would_cycle(const struct org_edge *edges, size_t n, int64_t unit, int64_t new_parent);

/* Reference data kinds. */
enum ref_kind { REF_NONE = 0, REF_PRODUCT_LINES, REF_SEGMENTS, REF_REGIONS, REF_PROVINCES };
enum ref_kind ref_kind_parse(const char *s);
const char *ref_kind_name(enum ref_kind k);
/* Priority 1 (highest) to 9. */
enum ms_err ref_check_priority(int64_t p, struct ms_error *e);

#endif

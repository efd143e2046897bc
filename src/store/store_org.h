/* store_org.h: the effective-dated organisation tree and the reference data
 * that strategy is cut by. */
#ifndef MS_STORE_ORG_H
#define MS_STORE_ORG_H

#include "domain/org.h"
#include "store/store.h"

struct unit_fields {
	const char *code;	/* create only */
	const char *type;	/* create only */
	const char *name_zh;	/* NULL: unchanged */
	const char *name_en;	/* NULL: unchanged */
	int64_t parent_id;	/* 0: unchanged (on create: none, for a company) */
	const char *valid_from; /* the change's effective date, "YYYY-MM-DD" */
};

/* The tree as of the date, a flat list ordered from the root down. Each
 * unit has "provinces" (assigned to it) and "territory" (what its managers'
 * unassigned institutions come from, on today's tree), arrays of codes. */
enum ms_err store_org_list(struct store *st, const char *as_of, json_t **out, struct ms_error *e);
enum ms_err store_org_get(struct store *st, int64_t id, const char *as_of, json_t **out,
			  struct ms_error *e);
enum ms_err store_org_create(struct store *st, const struct scope *who, const struct unit_fields *f,
			     int64_t *id, struct ms_error *e);
/* Renames or moves a unit from f->valid_from on, keeping what it was before. */
enum ms_err store_org_update(struct store *st, const struct scope *who, int64_t id, int64_t version,
			     const struct unit_fields *f, struct ms_error *e);
/* Replaces the unit's assigned provinces (its territory, qb_territory in
 * db.h) with codes, a JSON array of active province codes, each once; admin
 * only (the route). Audited as "provinces" with the lists before and after. */
enum ms_err store_org_set_provinces(struct store *st, const struct scope *who, int64_t id,
				    json_t *codes, struct ms_error *e);
/* The id of the unit with that code, or MS_ENOTFOUND. */
enum ms_err store_org_id(struct store *st, const char *code, int64_t *id, struct ms_error *e);

struct ref_fields {
	const char *code;	 /* create only */
	const char *name_zh;	 /* NULL: unchanged */
	const char *name_en;	 /* NULL: unchanged */
	int64_t priority;	 /* 0: unchanged */
	const char *parent_code; /* provinces: the region; NULL unchanged */
	int active;		 /* -1: unchanged */
};

/* active: -1 all, 0 or 1. */
enum ms_err store_ref_list(struct store *st, enum ref_kind kind, int active, json_t **out,
			   struct ms_error *e);
enum ms_err store_ref_create(struct store *st, const struct scope *who, enum ref_kind kind,
			     const struct ref_fields *f, int64_t *id, struct ms_error *e);
enum ms_err store_ref_update(struct store *st, const struct scope *who, enum ref_kind kind,
			     int64_t id, int64_t version, const struct ref_fields *f,
			     struct ms_error *e);
enum ms_err store_ref_get(struct store *st, enum ref_kind kind, int64_t id, json_t **out,
			  struct ms_error *e);

#endif

/* store_import.h: the store side of CSV imports and exports of the customer
 * master (src/api/import.c, src/api/export.c): look-ups by natural key
 * (users by username, institutions by name and city, departments by name),
 * and write paths for many rows in one transaction. Each write records its
 * audit entry like every other write; grading and completeness of a new
 * institution are computed by the caller (it has no contacts yet) and
 * stored with the row, and for departments and contacts the caller
 * recomputes each touched institution once at the end
 * (store_inst_recompute). */
#ifndef MS_STORE_IMPORT_H
#define MS_STORE_IMPORT_H

#include "base/hash.h"
#include "domain/customer.h"
#include "store/store.h"
#include "store/store_customer.h"

/* The grading model and completeness weights in force, in the order of
 * completeness_institution_fields then completeness_contact_fields. */
struct import_models {
	struct grading_model grading;
	struct completeness_field fields[COMPLETENESS_MAX_FIELDS];
	size_t nfields;
};
enum ms_err store_import_models(struct store *st, struct import_models *m, struct ms_error *e);

/* A large page cache for the connection during an import (big = 1), and
 * back to the default (big = 0): a bulk load touches more index pages
 * than the default cache holds. */
void store_import_cache(struct store *st, int big);

/* 1 when code is an active reference item of kind ("provinces",
 * "segments"), 0 when not, -1 on a storage error. */
int store_import_ref_exists(struct store *st, const char *kind, const char *code);
/* The active codes of a reference kind, ", "-separated in their order, into
 * buf (cut at size; "(none)" when there are none or on a storage error). */
void store_import_ref_codes(struct store *st, const char *kind, char *buf, size_t size);

/* The id of the user called username (active or not), or MS_ENOTFOUND.
 * *assignable is 1 when that user is an active rep or manager within the
 * scope who (so that who may make them an institution's primary rep). */
enum ms_err store_import_user(struct store *st, const struct scope *who, const char *username,
			      int64_t *id, int *assignable, struct ms_error *e);
/* The username of a user id, into buf ("" when none). */
void store_import_username(struct store *st, int64_t id, char *buf, size_t n);
/* The city of an institution, into buf ("" when none). */
void store_import_inst_city(struct store *st, int64_t id, char *buf, size_t n);
/* The department of an institution with that name, or MS_ENOTFOUND. */
enum ms_err store_import_dept_id(struct store *st, int64_t inst_id, const char *name, int64_t *id,
				 struct ms_error *e);

/* The end of the audit chain during an import. The write paths below
 * append their entries through it, with ids and hashes kept here rather
 * than re-read for each row: the import's write transaction keeps every
 * other writer out, and nothing else may append while it is in use.
 * Zero it before the first write. */
struct import_audit {
	int64_t next_id;
	char prev[HASH_HEX_LEN + 1];
	int loaded;
};

/* Inserts an institution with its computed grade (g) and completeness,
 * the primary coverage of owner_id from today (UNSET: none), a first grade
 * history entry, and the audit entries. The caller has checked
 * everything: references, duplicates, the owner's scope. */
enum ms_err store_import_inst(struct store *st, struct import_audit *a, const struct scope *who,
			      const struct inst_fields *f, int64_t owner_id,
			      const struct grade_result *g, int completeness, int64_t *id,
			      struct ms_error *e);
/* Inserts a department of a visible institution, audited, without
 * recomputing the institution. */
enum ms_err store_import_dept(struct store *st, struct import_audit *a, const struct scope *who,
			      int64_t inst_id, const struct dept_fields *f, int64_t *id,
			      struct ms_error *e);
/* Inserts a contact (f->institution_id visible, department checked),
 * audited, without recomputing the institution. */
enum ms_err store_import_contact(struct store *st, struct import_audit *a, const struct scope *who,
				 const struct contact_fields *f, int64_t *id, struct ms_error *e);

#endif

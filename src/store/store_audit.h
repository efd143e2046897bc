/* store_audit.h: reading and verifying the audit log (writing it is internal
 * to the store: see db_exec_audited in db.h). */
#ifndef MS_STORE_AUDIT_H
#define MS_STORE_AUDIT_H

#include "store/store.h"

/* What the list is cut by: NULL texts and 0 numbers mean no filter; from
 * and to are instants, from inclusive, to exclusive. */
struct audit_filter {
	const char *entity, *action;
	int64_t entity_id, user_id, from, to;
	int hide_sessions; /* leave out logins and logouts */
};

/* Newest first. */
enum ms_err store_audit_list(struct store *st, const struct scope *s, const struct audit_filter *f,
			     const struct page *pg, json_t **out, struct ms_error *e);

/* Recomputes the chain from the first entry. *checked gets the number of
 * good entries before the first broken one; *broken_id the id of that entry
 * (0 when the whole chain holds). */
enum ms_err store_audit_verify(struct store *st, int64_t *checked, int64_t *broken_id,
			       struct ms_error *e);

#endif

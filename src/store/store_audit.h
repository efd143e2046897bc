/* store_audit.h: reading and verifying the audit log (writing it is internal
 * to the store: see db_exec_audited in db.h). */
#ifndef MS_STORE_AUDIT_H
#define MS_STORE_AUDIT_H

#include "store/store.h"

/* Newest first; entity NULL and ids 0 mean no filter. */
enum ms_err store_audit_list(struct store *st, const struct scope *s, const char *entity,
			     int64_t entity_id, int64_t user_id, const struct page *pg,
			     json_t **out, struct ms_error *e);

/* Recomputes the chain from the first entry. *checked gets the number of
 * good entries before the first broken one; *broken_id the id of that entry
 * (0 when the whole chain holds). */
enum ms_err store_audit_verify(struct store *st, int64_t *checked, int64_t *broken_id,
			       struct ms_error *e);

#endif

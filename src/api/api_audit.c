/* api_audit.c: reading the audit log (administrators and compliance). */
#include "api/api.h"
#include "store/store_audit.h"

enum ms_err api_audit_list(struct api_ctx *c)
{
	const char *entity = NULL;
	int64_t entity_id, user_id;
	struct page pg;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_page(c, &pg)) || (err = api_query_text(c, "entity", 64, &entity)) ||
	    (err = api_query_int(c, "entity_id", 1, INT64_MAX, 0, &entity_id)) ||
	    (err = api_query_int(c, "user_id", 1, INT64_MAX, 0, &user_id)) ||
	    (err = store_audit_list(c->st, &c->scope, entity, entity_id, user_id, &pg, &out,
				    &c->err)))
		return err;
	return api_ok(c, 200, out);
}

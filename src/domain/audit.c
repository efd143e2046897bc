/* audit.c: the audit log's hash chain. Pure: computes, never stores. */
#include "domain/audit.h"

#include <inttypes.h>
#include <string.h>

#include "base/strbuf.h"

static void field(struct strbuf *sb, const char *s)
{
	strbuf_addf(sb, "%zu:", strlen(s));
	strbuf_addstr(sb, s);
	strbuf_addch(sb, '\n');
}

void audit_hash(const char *prev, const struct audit_entry *en, char *out)
{
	struct strbuf sb = STRBUF_INIT;

	field(&sb, prev);
	strbuf_addf(&sb, "%" PRId64 "\n%" PRId64 "\n%" PRId64 "\n%" PRId64 "\n", en->id, en->at,
		    en->user_id, en->entity_id);
	field(&sb, en->username ? en->username : "");
	field(&sb, en->action ? en->action : "");
	field(&sb, en->entity ? en->entity : "");
	field(&sb, en->before ? en->before : "");
	field(&sb, en->after ? en->after : "");
	hash_sha256_hex(strbuf_str(&sb), sb.len, out);
	strbuf_release(&sb);
}

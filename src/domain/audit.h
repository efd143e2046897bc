/* audit.h: the hash chain of the audit log. Each entry's hash covers the
 * previous entry's hash and every field of its own, so that changing or
 * removing any entry breaks every link after it. Pure. */
#ifndef MS_AUDIT_H
#define MS_AUDIT_H

#include <stdint.h>

#include "base/hash.h"

#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

struct audit_entry {
	int64_t id;
	int64_t at;
	int64_t user_id;
	const char *username;
	const char *action;
	const char *entity;
	int64_t entity_id;
	const char *before; /* JSON text or "" */
	const char *after;  /* JSON text or "" */
};

/* out gets HASH_HEX_LEN + 1 bytes: SHA-256 of prev and the entry, each field
 * prefixed by its length so that no two entries share an input. */
void audit_hash(const char *prev, const struct audit_entry *en, char *out);

#endif

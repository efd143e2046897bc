/* role.c: roles and the scope each one gives. Pure: no I/O. */
#include "domain/role.h"

#include <string.h>

static const char *const names[] = { "", "rep", "manager", "director", "compliance", "admin" };

enum role role_parse(const char *s)
{
	if (!s)
		return ROLE_NONE;
	for (int r = ROLE_REP; r <= ROLE_ADMIN; r++)
		if (!strcmp(s, names[r]))
			return (enum role)r;
	return ROLE_NONE;
}

const char *role_name(enum role r)
{
	return r >= ROLE_REP && r <= ROLE_ADMIN ? names[r] : "";
}

void scope_for(struct scope *s, enum role r, int64_t user_id, int64_t unit_id)
{
	s->role = r;
	s->user_id = user_id;
	s->username = "";
	s->unit_id = unit_id;
	s->read_only = r == ROLE_COMPLIANCE;
	switch (r) {
	case ROLE_MANAGER: s->kind = SCOPE_SUBTREE; break;
	case ROLE_DIRECTOR:
	case ROLE_COMPLIANCE:
	case ROLE_ADMIN: s->kind = SCOPE_ALL; break;
	default: s->kind = SCOPE_OWN; break;
	}
}

void scope_system(struct scope *s)
{
	scope_for(s, ROLE_ADMIN, 0, 0);
	s->username = "system";
}

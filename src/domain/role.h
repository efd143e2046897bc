/* role.h: the five roles and the visibility scope each one gives. Pure. */
#ifndef MS_ROLE_H
#define MS_ROLE_H

#include <stdint.h>

enum role { ROLE_NONE = 0, ROLE_REP, ROLE_MANAGER, ROLE_DIRECTOR, ROLE_COMPLIANCE, ROLE_ADMIN };

/* Bit masks for route tables: ROLE_BIT(ROLE_ADMIN) | ... */
#define ROLE_BIT(r) (1u << (r))
#define ROLES_ALL                                                                                  \
	(ROLE_BIT(ROLE_REP) | ROLE_BIT(ROLE_MANAGER) | ROLE_BIT(ROLE_DIRECTOR) |                   \
	 ROLE_BIT(ROLE_COMPLIANCE) | ROLE_BIT(ROLE_ADMIN))

enum scope_kind { SCOPE_OWN, SCOPE_SUBTREE, SCOPE_ALL };

/* Who is asking, and what they may see. Every store query takes one. */
struct scope {
	enum scope_kind kind;
	enum role role;
	int64_t user_id;
	const char *username; /* for the audit log; "system" for the CLI */
	int64_t unit_id;      /* the caller's unit; the root of a SUBTREE scope */
	int read_only;	      /* compliance: may read sales data, not change it */
};

/* "rep" -> ROLE_REP; ROLE_NONE for anything else. */
enum role role_parse(const char *s);
const char *role_name(enum role r);
void scope_for(struct scope *s, enum role r, int64_t user_id, int64_t unit_id);
/* A scope that sees everything, for the CLI and demo generation. */
void scope_system(struct scope *s);

#endif

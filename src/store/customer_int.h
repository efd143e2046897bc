/* customer_int.h: store-internal, shared by store_customer.c and
 * store_import.c: the columns every new institution row sets. */
#ifndef MS_CUSTOMER_INT_H
#define MS_CUSTOMER_INT_H

#include "store/db.h"
#include "store/store_customer.h"

/* 24 columns, in the order inst_bind_insert binds them. */
#define INST_INSERT_COLUMNS                                                                        \
	"name, aliases, search_text, name_key, province_code, city, district, address, "           \
	"latitude, longitude, level, class, ownership, type, beds, annual_outpatients, "           \
	"is_teaching, network, network_role, segment_code, status, budget_fen, "                   \
	"installed_units, relationship"
#define INST_INSERT_VALUES "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"

/* Binds those columns from f, with the defaults of a new institution. */
void inst_bind_insert(struct qb *q, const struct inst_fields *f, const char *search,
		      const char *key);

#endif

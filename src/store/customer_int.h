/* customer_int.h: store-internal, shared by store_customer.c and
 * store_import.c (and store_contact.c): the columns every new institution
 * and contact row sets. */
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

/* The 21 columns of a new contact, in the order contact_bind_insert binds
 * them; role and influence are the ones already checked. */
#define CONTACT_INSERT_COLUMNS                                                                     \
	"institution_id, department_id, name, gender, title, position, decision_role, "            \
	"influence, stance, kol_tier, kol_speciality, kol_posts, kol_engagements, mobile, "        \
	"mobile_key, email, wechat, consent_date, is_public_official, is_key, search_text"
#define CONTACT_INSERT_VALUES "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"

/* The completeness weights document: the stored one, or the default when
 * none (or an invalid one) is stored; a database error is MS_EDB. */
enum ms_err completeness_doc(struct store *st, json_t **doc, struct ms_error *e);

void contact_bind_insert(struct qb *q, const struct contact_fields *f, const char *role,
			 int64_t influence, const char *mobile_key, const char *search);

#endif

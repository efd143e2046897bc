/* customer_import.h: the rules of importing the customer master from CSV
 * (R4): the columns of each kind, which are required, and the parsing of
 * one row's text into checked values: numbers with ranges, money in yuan,
 * booleans, dates and instants, and enumerations given by code or by their
 * common Chinese label (三级, 甲, 综合医院...). Every problem of a row is
 * reported with its column, a stable code and a message; a row is either
 * wholly valid or not written. Pure: no I/O. */
#ifndef MS_CUSTOMER_IMPORT_H
#define MS_CUSTOMER_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/customer.h"

enum import_kind { IMPORT_INSTITUTIONS, IMPORT_DEPARTMENTS, IMPORT_CONTACTS, IMPORT_PRODUCTS };

/* "institutions", "departments", "contacts", "products" -> the kind; -1
 * otherwise. */
int import_kind_parse(const char *s);
const char *import_kind_name(enum import_kind k);

#define IMPORT_REQUIRED 1u
struct import_column {
	const char *name;
	unsigned flags;
};

/* The columns of each kind, in the order of the enums below (the order of
 * an export); a CSV may give them in any order and leave optional ones out. */
const struct import_column *import_columns(enum import_kind k, int *n);
/* The index of a column of kind k, or -1. */
int import_column_find(enum import_kind k, const char *name);

enum inst_col {
	IC_NAME,
	IC_ALIASES,
	IC_PROVINCE,
	IC_CITY,
	IC_DISTRICT,
	IC_ADDRESS,
	IC_LATITUDE,
	IC_LONGITUDE,
	IC_LEVEL,
	IC_CLASS,
	IC_OWNERSHIP,
	IC_TYPE,
	IC_BEDS,
	IC_OUTPATIENTS,
	IC_TEACHING,
	IC_NETWORK,
	IC_NETWORK_ROLE,
	IC_SEGMENT,
	IC_STATUS,
	IC_BUDGET,
	IC_INSTALLED,
	IC_RELATIONSHIP,
	IC_OWNER,
	IC_CREATED_BY,
	IC_CREATED_AT,
	IC_NCOLS
};
enum dept_col {
	DC_INST_NAME,
	DC_INST_CITY,
	DC_NAME,
	DC_CATEGORY,
	DC_FUNCTION,
	DC_BEDS,
	DC_NOTES,
	DC_NCOLS
};
enum contact_col {
	CC_INST_NAME,
	CC_INST_CITY,
	CC_DEPT_NAME,
	CC_NAME,
	CC_GENDER,
	CC_TITLE,
	CC_POSITION,
	CC_ROLE,
	CC_INFLUENCE,
	CC_STANCE,
	CC_KOL_TIER,
	CC_KOL_SPECIALITY,
	CC_MOBILE,
	CC_EMAIL,
	CC_WECHAT,
	CC_CONSENT,
	CC_OFFICIAL,
	CC_CREATED_BY,
	CC_CREATED_AT,
	CC_NCOLS
};

enum product_col {
	PC_LINE,
	PC_NAME,
	PC_SPEC,
	PC_REG_NO,
	PC_REG_EXPIRY,
	PC_CLASS,
	PC_PRICE,
	PC_ACTIVE,
	PC_NCOLS
};

/* The problems of one row. Each names a column (an index of the kind's
 * columns), a code ("required", "invalid", "out_of_range", "too_long",
 * "duplicate", "not_found") and a message in git's style. */
#define IMPORT_MAX_ISSUES 32
struct import_issue {
	int column;
	const char *code; /* a constant */
	char message[200];
};
struct import_issues {
	int n;
	struct import_issue v[IMPORT_MAX_ISSUES];
};
/* The constant of an error code ("too_long", "duplicate"...), "invalid" for
 * codes an issue does not use; for codes copied from a struct ms_error. */
const char *import_code(const char *code);
/* Adds an issue (dropped past IMPORT_MAX_ISSUES). */
void import_issue_add(struct import_issues *is, int column, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A value quoted for a message: at most about 40 bytes, cut on a character
 * boundary, "…" when it is not valid UTF-8. */
void import_quote(const char *s, char *out, size_t n);

/* CSV formula injection (OWASP's rule): a spreadsheet runs a cell that
 * begins with = + - @ tab or CR as a formula, so an export writes such a
 * text cell with a single quote before it. import_formula_guarded says
 * whether s needs it: when it begins with one of those characters, also
 * after leading single quotes (so that "'=x" gets one more and comes back
 * unchanged). import_formula_unguard undoes it on import: s without its
 * first character when s is one or more single quotes and then one of
 * those characters, else s. Unguard(guard(s)) is s for every s. */
int import_formula_guarded(const char *s);
const char *import_formula_unguard(const char *s);

#define IMPORT_UNSET INT64_MIN

/* The parsed rows. Strings point into the values given (or are constant
 * codes); absent values are NULL / IMPORT_UNSET / -1. */
struct inst_row {
	const char *name, *aliases, *province_code, *city, *district, *address;
	const char *level, *class_, *ownership, *type, *network, *network_role, *segment_code;
	const char *status, *owner_username, *created_by_username;
	double latitude, longitude;
	int has_location;
	int64_t beds, annual_outpatients, budget_fen, installed_units, relationship, created_at;
	int is_teaching;
};
struct dept_row {
	const char *institution_name, *institution_city, *name, *category, *function, *notes;
	int64_t beds;
};
struct contact_row {
	const char *institution_name, *institution_city, *department_name;
	struct contact_values v; /* influence CONTACT_UNSET (= IMPORT_UNSET) if absent */
	const char *created_by_username;
	int64_t created_at;
	int is_public_official;
};

/* A product of the catalogue (device_class by code or 一类/二类/三类, the
 * list price in yuan). */
struct product_row {
	const char *product_line_code, *name, *spec, *registration_no, *registration_expiry;
	const char *device_class;
	int64_t list_price_fen;
	int active;
};

/* v[i] is the text of column i of the kind (NULL or "" when not given).
 * Each returns the number of issues added. */
int inst_row_parse(const char *const *v, struct inst_row *out, struct import_issues *is);
int dept_row_parse(const char *const *v, struct dept_row *out, struct import_issues *is);
/* A contact row meets customer_check_contact as of today (YYYY-MM-DD), the
 * rules of the API. */
int contact_row_parse(const char *const *v, const char *today, struct contact_row *out,
		      struct import_issues *is);
int product_row_parse(const char *const *v, struct product_row *out, struct import_issues *is);

/* Field parsers shared with the export's inverse. Each returns 0 or -1. */
/* true/false, 1/0, yes/no, 是/否 (ASCII case-insensitive). */
int import_parse_bool(const char *s, int *out);
/* An ISO instant ("2024-03-01T09:00:00+08:00", "...Z", no zone = Beijing
 * time) or a date (midnight Beijing time) -> Unix seconds. */
int import_parse_instant(const char *s, int64_t *out);
/* The code of list that s names: the code itself (ASCII case-insensitive)
 * or a Chinese label of labels (NULL-terminated pairs {label, code}). */
const char *import_enum(const char *const *codes, const char *const (*labels)[2], const char *s);
/* The label tables (pairs {label, code}, ending with {NULL, NULL}). */
extern const char *const import_level_labels[][2];
extern const char *const import_class_labels[][2];
extern const char *const import_type_labels[][2];
extern const char *const import_ownership_labels[][2];

/* What grading and completeness read of a new institution, which has no
 * departments, contacts or needs yet: the grade input, and filled[] in the
 * order of completeness_institution_fields then completeness_contact_fields
 * (all 0 for contacts). */
void inst_row_grade_input(const struct inst_row *r, struct grade_input *in);
void inst_row_filled(const struct inst_row *r, double *filled, size_t n);

#endif

/* import.c: the CSV import of import.h. A csvread stream delivers rows; the
 * header maps CSV columns to the kind's columns; each data row is parsed by
 * the domain (customer_import.c), its references resolved and duplicates
 * looked for (in the database and among the earlier rows of the file), and
 * a valid row written through store_import.h, all in one transaction. */
#include "api/import.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/csvread.h"
#include "base/date.h"
#include "base/parse.h"
#include "base/strbuf.h"
#include "store/store_customer.h"
#include "store/store_import.h"
#include "store/store_pipeline.h"

/* ---- a small string map (keys copied) ---- */

struct kv {
	char *key;
	int64_t val;
};
struct map {
	struct kv *v;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static struct kv *map_slot(const struct map *m, const char *key)
{
	size_t i = (size_t)hash_str(key) & (m->cap - 1);
	while (m->v[i].key && strcmp(m->v[i].key, key))
		i = (i + 1) & (m->cap - 1);
	return &m->v[i];
}

static struct kv *map_find(const struct map *m, const char *key)
{
	struct kv *x;
	if (!m->cap)
		return NULL;
	x = map_slot(m, key);
	return x->key ? x : NULL;
}

static int map_put(struct map *m, const char *key, int64_t val)
{
	struct kv *x;

	if ((m->n + 1) * 2 > m->cap) {
		struct map bigger = { NULL, m->cap ? m->cap * 2 : 64, 0 };
		bigger.v = calloc(bigger.cap, sizeof(*bigger.v));
		if (!bigger.v)
			return -1;
		for (size_t i = 0; i < m->cap; i++)
			if (m->v[i].key)
				*map_slot(&bigger, m->v[i].key) = m->v[i];
		bigger.n = m->n;
		free(m->v);
		*m = bigger;
	}
	x = map_slot(m, key);
	if (!x->key) {
		if (!(x->key = strdup(key)))
			return -1;
		m->n++;
	}
	x->val = val;
	return 0;
}

static void map_free(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* ---- the importer ---- */

#define NOT_VISIBLE (-1) /* cached institution look-up: none the importer sees */

/* The file's encoding, decided at its first byte above 0x7F: UTF-8 when
 * what has come is valid UTF-8, else GB18030 (GBK, what Excel saves a
 * "CSV" in on a Chinese Windows) when it is valid GB18030, converted to
 * UTF-8 before the CSV reader sees it. */
enum import_enc { ENC_ASCII, ENC_UTF8, ENC_GB18030 };

struct import {
	struct store *st;
	enum import_enc enc;
	iconv_t cd;    /* GB18030 -> UTF-8, when enc is ENC_GB18030 */
	char carry[4]; /* an incomplete GB18030 sequence ending the last chunk */
	size_t ncarry;
	const struct scope *who;
	struct import_opts o;
	struct csvread *csv;
	int in_tx;
	int big_cache;
	int header_done;
	const struct import_column *cols;
	int ncols;
	int hcount;		      /* fields of the header */
	int map[CSVREAD_MAX_COLUMNS]; /* header position -> column, -1 ignored */
	int writing;		      /* 0 for a dry run, or strict after a bad row */
	struct ms_error fatal;
	int failed;
	int64_t rows, valid, invalid, duplicates, imported;
	json_t *errors;
	int truncated;
	struct import_models models;
	struct import_audit audit;
	struct map seen;    /* in-file keys of valid rows -> row */
	struct map refs;    /* "kind\x1f" code -> 1 / 0 */
	struct map users;   /* username -> id, negative: -(id) not assignable; 0 none */
	struct map insts;   /* name key \x1f city -> id or NOT_VISIBLE */
	struct map touched; /* institution ids to recompute at the end */
	char today[11];	    /* the business date the rules are checked against */
};

/* Read-only columns of an export, accepted and ignored so that an export
 * re-imports. */
static const char *const ignored_columns[][6] = {
	{ "id", "grade", "grade_score", "completeness", "owner_name", NULL },
	{ "id", "contacts", NULL },
	{ "id", "is_key", "institution_id", NULL },
	{ "id", "registration_status", "product_line_name_zh", "product_line_name_en", NULL },
};

static int is_ignored(enum import_kind k, const char *name)
{
	for (int i = 0; ignored_columns[k][i]; i++)
		if (!strcmp(ignored_columns[k][i], name))
			return 1;
	return 0;
}

static enum ms_err fatal(struct import *im, enum ms_err err, const char *code, const char *field,
			 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static enum ms_err fatal(struct import *im, enum ms_err err, const char *code, const char *field,
			 const char *fmt, ...)
{
	va_list ap;
	if (im->failed)
		return im->fatal.err;
	im->failed = 1;
	im->fatal.err = err;
	snprintf(im->fatal.code, sizeof(im->fatal.code), "%s", code);
	snprintf(im->fatal.field, sizeof(im->fatal.field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(im->fatal.message, sizeof(im->fatal.message), fmt, ap);
	va_end(ap);
	return err;
}

static int header(struct import *im, const struct csvread_row *row)
{
	char q[64];

	im->hcount = row->nfields;
	for (int i = 0; i < row->nfields; i++) {
		const char *name = row->fields[i];
		int col;
		while (*name == ' ')
			name++;
		import_quote(name, q, sizeof(q));
		/* Trailing spaces of a header are not part of its name. */
		for (size_t n = strlen(q); n && q[n - 1] == ' ';)
			q[--n] = '\0';
		col = import_column_find(im->o.kind, q);
		if (col < 0) {
			if (is_ignored(im->o.kind, q)) {
				im->map[i] = -1;
				continue;
			}
			fatal(im, MS_EINVAL, "unknown_field", q, "unknown column '%s'", q);
			return 1;
		}
		for (int k = 0; k < i; k++)
			if (im->map[k] == col) {
				fatal(im, MS_EINVAL, "invalid", q, "column '%s' appears twice", q);
				return 1;
			}
		im->map[i] = col;
	}
	for (int c = 0; c < im->ncols; c++) {
		int found = 0;
		if (!(im->cols[c].flags & IMPORT_REQUIRED))
			continue;
		for (int i = 0; i < im->hcount && !found; i++)
			found = im->map[i] == c;
		if (!found) {
			fatal(im, MS_EINVAL, "required", im->cols[c].name,
			      "the required column '%s' is missing", im->cols[c].name);
			return 1;
		}
	}
	im->header_done = 1;
	return 0;
}

/* Records a row's issues in the report. */
static void report_issues(struct import *im, int64_t rowno, const struct import_issues *is)
{
	for (int i = 0; i < is->n; i++) {
		const struct import_issue *x = &is->v[i];
		if (json_array_size(im->errors) >= IMPORT_MAX_ERRORS) {
			im->truncated = 1;
			return;
		}
		json_array_append_new(im->errors,
				      json_pack("{s:I, s:s, s:s, s:s}", "row", (json_int_t)rowno,
						"column",
						x->column >= 0 ? im->cols[x->column].name : "",
						"code", x->code, "message", x->message));
	}
}

static int ref_ok(struct import *im, const char *kind, const char *code)
{
	char key[160];
	struct kv *x;
	int ok;

	snprintf(key, sizeof(key), "%s\x1f%s", kind, code);
	if ((x = map_find(&im->refs, key)))
		return (int)x->val;
	ok = store_import_ref_exists(im->st, kind, code);
	if (ok < 0) {
		fatal(im, MS_EDB, "internal", "", "storage error");
		return 0;
	}
	if (map_put(&im->refs, key, ok))
		fatal(im, MS_EDB, "internal", "", "out of memory");
	return ok;
}

/* A user by username: 0 when none; *assignable as store_import_user. */
static int64_t user_id(struct import *im, const char *username, int *assignable)
{
	struct kv *x = map_find(&im->users, username);
	int64_t id = 0;

	if (!x) {
		enum ms_err err =
			store_import_user(im->st, im->who, username, &id, assignable, NULL);
		if (err == MS_ENOTFOUND)
			id = 0;
		else if (err) {
			fatal(im, MS_EDB, "internal", "", "storage error");
			return 0;
		} else if (!*assignable) {
			id = -id;
		}
		if (map_put(&im->users, username, id))
			fatal(im, MS_EDB, "internal", "", "out of memory");
	} else {
		id = x->val;
	}
	*assignable = id > 0;
	return id < 0 ? -id : id;
}

static void check_created_by(struct import *im, const char *username, int col, int64_t *out,
			     struct import_issues *is)
{
	int assignable;
	char q[64];

	*out = UNSET;
	if (!username)
		return;
	if (!(*out = user_id(im, username, &assignable))) {
		*out = UNSET;
		import_quote(username, q, sizeof(q));
		import_issue_add(is, col, "not_found", "no user '%s'", q);
	}
}

/* The institution named so in that city that the importer sees, or 0. */
static int64_t find_inst(struct import *im, const char *name, const char *city)
{
	char nkey[512];
	struct strbuf key = STRBUF_INIT;
	struct kv *x;
	int64_t id = 0;
	enum ms_err err;

	customer_name_key(name, nkey, sizeof(nkey));
	strbuf_addf(&key, "%s\x1f%s", nkey, city);
	if ((x = map_find(&im->insts, strbuf_str(&key)))) {
		id = x->val;
	} else {
		err = store_inst_find_duplicate(im->st, name, city, 0, &id, NULL);
		if (err == MS_ENOTFOUND || (!err && store_inst_visible(im->st, im->who, id, NULL)))
			id = NOT_VISIBLE;
		else if (err)
			fatal(im, MS_EDB, "internal", "", "storage error");
		if (map_put(&im->insts, strbuf_str(&key), id))
			fatal(im, MS_EDB, "internal", "", "out of memory");
	}
	strbuf_release(&key);
	return id > 0 ? id : 0;
}

static void touch(struct import *im, int64_t inst_id)
{
	char key[32];
	snprintf(key, sizeof(key), "%lld", (long long)inst_id);
	if (map_put(&im->touched, key, inst_id))
		fatal(im, MS_EDB, "internal", "", "out of memory");
}

/* A write that failed on this row: a rule of the data is the row's issue,
 * anything else ends the import. */
static void write_failed(struct import *im, enum ms_err err, const struct ms_error *e, int col,
			 struct import_issues *is)
{
	if (err == MS_EINVAL || err == MS_ECONFLICT || err == MS_ENOTFOUND)
		import_issue_add(is, col, import_code(e->code), "%s", e->message);
	else
		fatal(im, err, "internal", "", "storage error");
}

static int dup_seen(struct import *im, const char *key, int col, int64_t rowno, const char *what,
		    struct import_issues *is)
{
	struct kv *x = map_find(&im->seen, key);
	(void)rowno;
	if (!x)
		return 0;
	import_issue_add(is, col, "duplicate", "%s as row %lld", what, (long long)x->val);
	return 1;
}

/* A row without issues: its in-file key (if any) is remembered; whether it
 * is to be written. */
static int row_keep(struct import *im, const char *key, int64_t rowno,
		    const struct import_issues *is)
{
	if (is->n || im->failed)
		return 0;
	if (key[0] && map_put(&im->seen, key, rowno)) {
		fatal(im, MS_EDB, "internal", "", "out of memory");
		return 0;
	}
	return im->writing;
}

static void row_inst(struct import *im, const char *const *v, int64_t rowno,
		     struct import_issues *is, int *dup)
{
	struct inst_row r;
	struct inst_fields f;
	struct strbuf key = STRBUF_INIT;
	char nkey[512], q[64];
	int64_t owner = UNSET, dup_id, id;
	int assignable;

	inst_row_parse(v, &r, is);
	if (r.province_code && !ref_ok(im, "provinces", r.province_code)) {
		import_quote(r.province_code, q, sizeof(q));
		char codes[160];
		store_import_ref_codes(im->st, "provinces", codes, sizeof(codes));
		import_issue_add(is, IC_PROVINCE, "invalid", "no province '%s'; the codes are %s",
				 q, codes);
	}
	if (r.segment_code && !ref_ok(im, "segments", r.segment_code)) {
		char codes[160];
		import_quote(r.segment_code, q, sizeof(q));
		store_import_ref_codes(im->st, "segments", codes, sizeof(codes));
		import_issue_add(is, IC_SEGMENT, "invalid", "no segment '%s'; the codes are %s", q,
				 codes);
	}
	if (im->who->kind == SCOPE_OWN)
		owner = im->who->user_id; /* a rep's institutions are theirs */
	else if (r.owner_username) {
		int64_t uid = user_id(im, r.owner_username, &assignable);
		import_quote(r.owner_username, q, sizeof(q));
		if (!uid)
			import_issue_add(is, IC_OWNER, "not_found", "no user '%s'", q);
		else if (!assignable)
			import_issue_add(is, IC_OWNER, "invalid",
					 "'%s' is not an active rep or manager you manage", q);
		else
			owner = uid;
	}
	inst_fields_init(&f);
	check_created_by(im, r.created_by_username, IC_CREATED_BY, &f.created_by, is);
	if (r.name && r.city) {
		customer_name_key(r.name, nkey, sizeof(nkey));
		strbuf_addf(&key, "i\x1f%s\x1f%s", nkey, r.city);
		if (dup_seen(im, strbuf_str(&key), IC_NAME, rowno, "the same name in the same city",
			     is)) {
			*dup = 1;
		} else if (store_inst_find_duplicate(im->st, r.name, r.city, 0, &dup_id, NULL) ==
			   MS_OK) {
			char qc[64];
			import_quote(r.city, qc, sizeof(qc));
			/* Named only when the importer may see it (issue 23). */
			if (store_inst_visible(im->st, im->who, dup_id, NULL) == MS_OK)
				import_issue_add(is, IC_NAME, "duplicate",
						 "institution %lld has this name in '%s'",
						 (long long)dup_id, qc);
			else
				import_issue_add(is, IC_NAME, "duplicate",
						 "an institution of this name is already "
						 "registered in '%s' outside your scope; ask your "
						 "manager or the administrator",
						 qc);
			*dup = 1;
		}
	}
	if (is->n || im->failed)
		goto out;
	if (map_put(&im->seen, strbuf_str(&key), rowno)) {
		fatal(im, MS_EDB, "internal", "", "out of memory");
		goto out;
	}
	if (im->writing) {
		struct grade_input gin;
		struct grade_result g;
		double filled[COMPLETENESS_MAX_FIELDS];
		struct ms_error e = MS_ERROR_INIT;
		enum ms_err err;
		int completeness;

		f.name = r.name;
		f.aliases = r.aliases;
		f.province_code = r.province_code;
		f.city = r.city;
		f.district = r.district;
		f.address = r.address;
		f.level = r.level;
		f.class_ = r.class_;
		f.ownership = r.ownership;
		f.type = r.type;
		f.network = r.network;
		f.network_role = r.network_role;
		f.segment_code = r.segment_code;
		f.status = r.status;
		f.latitude = r.latitude;
		f.longitude = r.longitude;
		f.has_location = r.has_location;
		f.beds = r.beds;
		f.annual_outpatients = r.annual_outpatients;
		f.budget_fen = r.budget_fen;
		f.installed_units = r.installed_units;
		f.relationship = r.relationship;
		f.is_teaching = r.is_teaching;
		f.created_at = r.created_at;
		inst_row_grade_input(&r, &gin);
		grade_compute(&im->models.grading, &gin, &g);
		inst_row_filled(&r, filled, im->models.nfields);
		size_t missing[COMPLETENESS_MAX_FIELDS], nmissing;
		completeness = completeness_score(im->models.fields, im->models.nfields, filled,
						  missing, &nmissing);
		err = store_import_inst(im->st, &im->audit, im->who, &f, owner, &g, completeness,
					&id, &e);
		if (err)
			write_failed(im, err, &e, IC_NAME, is);
		else
			im->imported++;
	}
out:
	strbuf_release(&key);
}

static void row_dept(struct import *im, const char *const *v, int64_t rowno,
		     struct import_issues *is, int *dup)
{
	struct dept_row r;
	struct dept_fields f;
	char key[300], q[64];
	int64_t inst = 0, id;

	key[0] = '\0';
	dept_row_parse(v, &r, is);
	if (r.institution_name && r.institution_city &&
	    !(inst = find_inst(im, r.institution_name, r.institution_city))) {
		import_quote(r.institution_name, q, sizeof(q));
		import_issue_add(is, DC_INST_NAME, "not_found",
				 "no institution '%s' in that city that you can see", q);
	}
	if (inst && r.name) {
		snprintf(key, sizeof(key), "d\x1f%lld\x1f%s", (long long)inst, r.name);
		if (dup_seen(im, key, DC_NAME, rowno, "the same department", is)) {
			*dup = 1;
		} else if (store_import_dept_id(im->st, inst, r.name, &id, NULL) == MS_OK) {
			import_quote(r.name, q, sizeof(q));
			import_issue_add(is, DC_NAME, "duplicate",
					 "the institution already has a department '%s'", q);
			*dup = 1;
		}
	}
	if (row_keep(im, key, rowno, is)) {
		struct ms_error e = MS_ERROR_INIT;
		enum ms_err err;
		f.name = r.name;
		f.category = r.category;
		f.function = r.function;
		f.notes = r.notes;
		f.beds = r.beds == IMPORT_UNSET ? UNSET : r.beds;
		if ((err = store_import_dept(im->st, &im->audit, im->who, inst, &f, &id, &e))) {
			write_failed(im, err, &e, DC_NAME, is);
		} else {
			im->imported++;
			touch(im, inst);
		}
	}
}

static void row_contact(struct import *im, const char *const *v, int64_t rowno,
			struct import_issues *is, int *dup)
{
	struct contact_row r;
	struct contact_fields f;
	char key[64], q[64];
	int64_t inst = 0, dept = UNSET, id;

	key[0] = '\0';
	contact_row_parse(v, im->today, &r, is);
	contact_fields_init(&f);
	if (r.institution_name && r.institution_city &&
	    !(inst = find_inst(im, r.institution_name, r.institution_city))) {
		import_quote(r.institution_name, q, sizeof(q));
		import_issue_add(is, CC_INST_NAME, "not_found",
				 "no institution '%s' in that city that you can see", q);
	}
	if (inst && r.department_name &&
	    store_import_dept_id(im->st, inst, r.department_name, &dept, NULL)) {
		import_quote(r.department_name, q, sizeof(q));
		import_issue_add(is, CC_DEPT_NAME, "not_found",
				 "the institution has no department '%s'", q);
	}
	check_created_by(im, r.created_by_username, CC_CREATED_BY, &f.created_by, is);
	if (r.v.mobile) {
		char mkey[32];
		customer_mobile_key(r.v.mobile, mkey, sizeof(mkey));
		snprintf(key, sizeof(key), "m\x1f%s", mkey);
		if (dup_seen(im, key, CC_MOBILE, rowno, "the same mobile number", is)) {
			*dup = 1;
		} else if (store_contact_find_mobile(im->st, r.v.mobile, 0, &id, NULL) == MS_OK) {
			json_t *other = NULL;
			/* Named only when the importer may see it (issue 23). */
			if (store_contact_get(im->st, im->who, id, &other, NULL) == MS_OK)
				import_issue_add(is, CC_MOBILE, "duplicate",
						 "contact %lld already has this mobile number",
						 (long long)id);
			else
				import_issue_add(is, CC_MOBILE, "duplicate",
						 "this mobile number is already registered to a "
						 "contact outside your scope; ask your manager or "
						 "the administrator");
			json_decref(other);
			*dup = 1;
		}
	}
	if (row_keep(im, key, rowno, is)) {
		struct ms_error e = MS_ERROR_INIT;
		enum ms_err err;
		f.institution_id = inst;
		f.department_id = dept;
		contact_fields_set_values(&f, &r.v);
		f.is_public_official = r.is_public_official;
		f.created_at = r.created_at == IMPORT_UNSET ? UNSET : r.created_at;
		if ((err = store_import_contact(im->st, &im->audit, im->who, &f, &id, &e))) {
			write_failed(im, err, &e, CC_NAME, is);
		} else {
			im->imported++;
			touch(im, inst);
		}
	}
}

static void row_product(struct import *im, const char *const *v, int64_t rowno,
			struct import_issues *is, int *dup)
{
	struct product_row r;
	struct product_fields f;
	char key[600], q[64];
	int64_t id;

	key[0] = '\0';
	product_row_parse(v, &r, is);
	if (r.product_line_code && !ref_ok(im, "product_lines", r.product_line_code)) {
		import_quote(r.product_line_code, q, sizeof(q));
		import_issue_add(is, PC_LINE, "not_found", "no product line '%s'", q);
	}
	if (r.name) {
		snprintf(key, sizeof(key), "p\x1f%s\x1f%s", r.name, r.spec ? r.spec : "");
		if (dup_seen(im, key, PC_NAME, rowno, "the same product and specification", is)) {
			*dup = 1;
		} else if (store_product_find(im->st, r.name, r.spec ? r.spec : "", &id) == MS_OK) {
			import_issue_add(is, PC_NAME, "duplicate",
					 "a product with this name and specification exists");
			*dup = 1;
		}
	}
	if (row_keep(im, key, rowno, is)) {
		struct ms_error e = MS_ERROR_INIT;
		enum ms_err err;
		f.product_line_code = r.product_line_code;
		f.name = r.name;
		f.spec = r.spec;
		f.registration_no = r.registration_no;
		f.registration_expiry = r.registration_expiry;
		f.device_class = r.device_class;
		f.list_price_fen = r.list_price_fen == IMPORT_UNSET ? UNSET : r.list_price_fen;
		f.active = r.active;
		if ((err = store_product_create(im->st, im->who, &f, &id, &e)))
			write_failed(im, err, &e, PC_NAME, is);
		else
			im->imported++;
	}
}

static int on_row(void *cls, const struct csvread_row *row)
{
	struct import *im = cls;
	const char *v[CSVREAD_MAX_COLUMNS] = { 0 };
	struct import_issues is;
	int64_t rowno;
	int dup = 0;

	if (im->failed)
		return 1;
	if (row->index == 0)
		return header(im, row);
	rowno = ++im->rows;
	is.n = 0;
	if (row->nfields != im->hcount) {
		import_issue_add(&is, -1, "invalid", "the row has %d fields; the header has %d",
				 row->nfields, im->hcount);
	} else {
		for (int i = 0; i < row->nfields; i++) {
			if (im->map[i] < 0)
				continue;
			if (strlen(row->fields[i]) != row->lens[i])
				import_issue_add(&is, im->map[i], "invalid",
						 "the value holds a NUL byte");
			else /* without the quote an export put before a formula */
				v[im->map[i]] = import_formula_unguard(row->fields[i]);
		}
	}
	if (!is.n) {
		switch (im->o.kind) {
		case IMPORT_INSTITUTIONS: row_inst(im, v, rowno, &is, &dup); break;
		case IMPORT_DEPARTMENTS: row_dept(im, v, rowno, &is, &dup); break;
		case IMPORT_CONTACTS: row_contact(im, v, rowno, &is, &dup); break;
		case IMPORT_PRODUCTS: row_product(im, v, rowno, &is, &dup); break;
		}
	}
	if (im->failed)
		return 1;
	if (is.n) {
		/* A row whose only problems are duplicates counts as a duplicate. */
		int only_dup = 1;
		for (int i = 0; i < is.n; i++)
			only_dup &= !strcmp(is.v[i].code, "duplicate");
		if (dup && only_dup)
			im->duplicates++;
		else
			im->invalid++;
		report_issues(im, rowno, &is);
		if (im->o.strict)
			im->writing = 0;
	} else {
		im->valid++;
	}
	return 0;
}

enum ms_err import_new(struct store *st, const struct scope *who, const struct import_opts *o,
		       struct import **out, struct ms_error *e)
{
	struct import *im = calloc(1, sizeof(*im));
	enum ms_err err;

	*out = NULL;
	if (o->kind == IMPORT_PRODUCTS && who->role != ROLE_ADMIN) {
		free(im);
		return ms_fail(e, MS_EFORBIDDEN, "forbidden", "",
			       "only an administrator imports products");
	}
	if (!im)
		return ms_fail(e, MS_EDB, "internal", "", "out of memory");
	im->st = st;
	im->who = who;
	im->o = *o;
	im->writing = !o->dry_run;
	date_format(date_of_instant(date_now()), im->today);
	im->cols = import_columns(o->kind, &im->ncols);
	im->errors = json_array();
	im->csv = csvread_new(on_row, im);
	if (!im->errors || !im->csv) {
		import_free(im);
		return ms_fail(e, MS_EDB, "internal", "", "out of memory");
	}
	store_import_cache(st, 1);
	im->big_cache = 1;
	if ((err = store_begin(st, !o->dry_run))) {
		import_free(im);
		return ms_fail(e, MS_EDB, "internal", "", "cannot begin transaction");
	}
	im->in_tx = 1;
	if ((err = store_import_models(st, &im->models, e))) {
		import_free(im);
		return err;
	}
	*out = im;
	return MS_OK;
}

static enum ms_err failure(struct import *im, struct ms_error *e)
{
	if (e)
		*e = im->fatal;
	return im->fatal.err;
}

static void feed_csv(struct import *im, const char *buf, size_t len)
{
	int line = 0;
	const char *msg;

	if (!im->failed && csvread_feed(im->csv, buf, len) && !im->failed) {
		msg = csvread_error(im->csv, &line);
		fatal(im, MS_EINVAL, "invalid", "file", "line %d: %s", line, msg ? msg : "bad CSV");
	}
}

/* Valid UTF-8, but for a sequence cut short at the end (the next chunk
 * completes it). */
static int utf8_valid_prefix(const char *s, size_t n)
{
	size_t cut = n;
	for (size_t i = 1; i <= 3 && i <= n; i++) {
		unsigned char b = (unsigned char)s[n - i];
		if ((b & 0xC0) == 0x80)
			continue;
		if (b >= 0xC0 && (size_t)(b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2) > i)
			cut = n - i;
		break;
	}
	return utf8_valid(s, cut);
}

static void not_text(struct import *im)
{
	fatal(im, MS_EINVAL, "bad_encoding", "file",
	      "the file is neither UTF-8 nor GB18030 (GBK) text; save it as \"CSV UTF-8\"");
}

/* Converts buf (after the carried bytes) from GB18030 and feeds the CSV
 * reader; an incomplete sequence at the end waits for the next chunk, or is
 * an error when final. */
static void feed_gb(struct import *im, const char *buf, size_t len, int final)
{
	char out[16384];
	size_t n = im->ncarry + len;
	char *in = malloc(n ? n : 1), *p = in;

	if (!in) {
		fatal(im, MS_EDB, "internal", "", "out of memory");
		return;
	}
	memcpy(in, im->carry, im->ncarry);
	if (len)
		memcpy(in + im->ncarry, buf, len);
	im->ncarry = 0;
	while (n && !im->failed) {
		char *o = out;
		size_t room = sizeof(out);
		size_t r = iconv(im->cd, &p, &n, &o, &room);
		int bad = r == (size_t)-1 ? errno : 0;
		if (o > out)
			feed_csv(im, out, (size_t)(o - out));
		if (!bad || bad == E2BIG)
			continue;
		if (bad == EINVAL && !final && n < sizeof(im->carry)) {
			memcpy(im->carry, p, n);
			im->ncarry = n;
		} else {
			not_text(im);
		}
		break;
	}
	free(in);
}

enum ms_err import_feed(struct import *im, const char *buf, size_t len, struct ms_error *e)
{
	if (im->failed)
		return failure(im, e);
	if (im->enc == ENC_ASCII) {
		size_t i = 0;
		while (i < len && !((unsigned char)buf[i] & 0x80))
			i++;
		if (i < len) {
			if (utf8_valid_prefix(buf, len)) {
				im->enc = ENC_UTF8;
			} else {
				im->cd = iconv_open("UTF-8", "GB18030");
				if (im->cd == (iconv_t)-1)
					not_text(im);
				else
					im->enc = ENC_GB18030;
			}
		}
	}
	if (im->enc == ENC_GB18030)
		feed_gb(im, buf, len, 0);
	else
		feed_csv(im, buf, len);
	return im->failed ? failure(im, e) : MS_OK;
}

static enum ms_err recompute_touched(struct import *im, struct ms_error *e)
{
	enum ms_err err;
	for (size_t i = 0; i < im->touched.cap; i++) {
		if (!im->touched.v[i].key)
			continue;
		if ((err = store_inst_recompute(im->st, im->touched.v[i].val, e)))
			return err;
	}
	return MS_OK;
}

enum ms_err import_finish(struct import *im, json_t **report, struct ms_error *e)
{
	int line = 0;
	const char *msg;
	int keep;
	enum ms_err err;

	*report = NULL;
	if (im->enc == ENC_GB18030 && im->ncarry)
		feed_gb(im, "", 0, 1);
	if (im->failed)
		return failure(im, e);
	if (csvread_finish(im->csv) && !im->failed) {
		msg = csvread_error(im->csv, &line);
		fatal(im, MS_EINVAL, "invalid", "file", "line %d: %s", line, msg ? msg : "bad CSV");
	}
	if (!im->failed && !im->header_done)
		fatal(im, MS_EINVAL, "required", "file",
		      "the file is empty; a header row is required");
	if (im->failed)
		return failure(im, e);
	keep = !im->o.dry_run && !(im->o.strict && (im->invalid || im->duplicates));
	if (keep) {
		if ((err = recompute_touched(im, e)))
			return err;
		if (store_commit(im->st))
			return ms_fail(e, MS_EDB, "internal", "", "commit failed");
	} else {
		store_rollback(im->st);
		im->imported = 0;
	}
	im->in_tx = 0;
	*report = json_pack("{s:s, s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:O}", "kind",
			    import_kind_name(im->o.kind), "dry_run", im->o.dry_run, "strict",
			    im->o.strict, "rows", (json_int_t)im->rows, "valid",
			    (json_int_t)im->valid, "invalid", (json_int_t)im->invalid, "duplicates",
			    (json_int_t)im->duplicates, "imported", (json_int_t)im->imported,
			    "errors", im->errors);
	if (!*report)
		return ms_fail(e, MS_EDB, "internal", "", "out of memory");
	if (im->truncated)
		json_object_set_new(*report, "errors_truncated", json_true());
	if (im->enc == ENC_GB18030)
		json_object_set_new(*report, "converted_from", json_string("GB18030"));
	return MS_OK;
}

int64_t import_rows(const struct import *im)
{
	return im->rows;
}

void import_free(struct import *im)
{
	if (!im)
		return;
	if (im->in_tx)
		store_rollback(im->st);
	if (im->big_cache)
		store_import_cache(im->st, 0);
	if (im->enc == ENC_GB18030)
		iconv_close(im->cd);
	csvread_free(im->csv);
	json_decref(im->errors);
	map_free(&im->seen);
	map_free(&im->refs);
	map_free(&im->users);
	map_free(&im->insts);
	map_free(&im->touched);
	free(im);
}

enum ms_err import_run(struct store *st, const struct scope *who, const struct import_opts *o,
		       const char *buf, size_t len, json_t **report, struct ms_error *e)
{
	struct import *im = NULL;
	enum ms_err err;

	*report = NULL;
	if ((err = import_new(st, who, o, &im, e)))
		return err;
	if (!(err = import_feed(im, buf, len, e)))
		err = import_finish(im, report, e);
	import_free(im);
	return err;
}

enum ms_err import_run_fd(struct store *st, const struct scope *who, const struct import_opts *o,
			  int fd, json_t **report, struct ms_error *e)
{
	struct import *im = NULL;
	char *buf = malloc(IMPORT_CHUNK);
	ssize_t n;
	enum ms_err err;

	*report = NULL;
	if (!buf)
		return ms_fail(e, MS_EIO, "internal", "", "out of memory");
	if ((err = import_new(st, who, o, &im, e)))
		goto out;
	while ((n = read(fd, buf, IMPORT_CHUNK)) > 0)
		if ((err = import_feed(im, buf, (size_t)n, e)))
			goto out;
	if (n < 0) {
		err = ms_fail(e, MS_EIO, "internal", "", "cannot read the upload");
		goto out;
	}
	err = import_finish(im, report, e);
out:
	import_free(im);
	free(buf);
	return err;
}

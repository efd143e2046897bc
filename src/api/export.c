/* export.c: CSV and XLSX exports of the customer lists (export.h). Rows
 * come from store_inst_each / store_contact_each with the caller's scope;
 * XLSX is written by libxlsxwriter in constant-memory mode. */
#include "api/export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/parse.h"
#include "domain/customer_import.h"
#include "store/store_import.h"

#define MAX_COLS 32

int export_format_parse(const char *s)
{
	if (!s || !strcmp(s, "csv"))
		return EXPORT_CSV;
	if (!strcmp(s, "xlsx"))
		return EXPORT_XLSX;
	return -1;
}

const char *export_content_type(enum export_format fmt)
{
	return fmt == EXPORT_XLSX
		       ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		       : "text/csv; charset=utf-8";
}

/* One cell: text, or a number (XLSX writes it as a number). */
struct cell {
	char buf[48];
	const char *s;
	int is_num;
	double num;
};

struct sink {
	enum export_format fmt;
	FILE *f;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	lxw_row_t row;
	int failed, capped;
	int64_t rows;
	struct store *st;
	json_t *usernames; /* id -> username */
	json_t *cities;	   /* institution id -> city */
	int contacts, needs;
	char *scrub; /* XLSX: a cell's text made fit for XML */
	size_t scrub_cap;
};

/* One CSV field, quoted when needed. A text that a spreadsheet would run
 * as a formula (=, +, -, @, tab, CR first) gets a single quote before it,
 * inside the quotes (OWASP); the import takes it off again. Numbers the
 * export writes itself ("-3.50") are left as they are. */
static void csv_field(FILE *f, const char *s, int is_num)
{
	int guard = !is_num && import_formula_guarded(s);

	if (guard || strpbrk(s, ",\"\r\n") || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '))) {
		fputc('"', f);
		if (guard)
			fputc('\'', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
}

/* Text as the sheet's XML may hold it. Input refuses what XML forbids
 * (text_check), but rows written before that rule, or by other means,
 * must not make the whole file unreadable: each such character becomes
 * U+FFFD. NULL when out of memory. */
static const char *xlsx_text(struct sink *k, const char *s)
{
	size_t n = strlen(s);

	if (utf8_text_fault(s, n) == UTF8_OK)
		return s;
	if (3 * n + 1 > k->scrub_cap) {
		char *p = realloc(k->scrub, 3 * n + 1);
		if (!p)
			return NULL;
		k->scrub = p;
		k->scrub_cap = 3 * n + 1;
	}
	utf8_scrub(s, n, k->scrub);
	return k->scrub;
}

static void sink_row(struct sink *k, struct cell *cells, int n, int header)
{
	if (k->fmt == EXPORT_CSV) {
		for (int i = 0; i < n; i++) {
			if (i)
				fputc(',', k->f);
			csv_field(k->f, cells[i].s, cells[i].is_num);
		}
		fputs("\r\n", k->f);
		if (ferror(k->f))
			k->failed = 1;
		return;
	}
	for (int i = 0; i < n; i++) {
		lxw_error rc = LXW_NO_ERROR;
		if (cells[i].is_num)
			rc = worksheet_write_number(k->ws, k->row, (lxw_col_t)i, cells[i].num,
						    NULL);
		else if (*cells[i].s) {
			const char *text = xlsx_text(k, cells[i].s);
			rc = text ? worksheet_write_string(k->ws, k->row, (lxw_col_t)i, text,
							   header ? k->bold : NULL)
				  : LXW_ERROR_MEMORY_MALLOC_FAILED;
		}
		if (rc != LXW_NO_ERROR)
			k->failed = 1;
	}
	k->row++;
}

static void set_text(struct cell *c, const char *s)
{
	c->s = s ? s : "";
	c->is_num = 0;
}

static void set_json(struct cell *c, json_t *v)
{
	c->is_num = 0;
	c->s = c->buf;
	c->buf[0] = '\0';
	if (json_is_string(v)) {
		c->s = json_string_value(v);
	} else if (json_is_integer(v)) {
		snprintf(c->buf, sizeof(c->buf), "%lld", (long long)json_integer_value(v));
		c->is_num = 1;
		c->num = (double)json_integer_value(v);
	} else if (json_is_real(v)) {
		snprintf(c->buf, sizeof(c->buf), "%.6f", json_real_value(v));
		c->is_num = 1;
		c->num = json_real_value(v);
	} else if (json_is_boolean(v)) {
		c->s = json_is_true(v) ? "true" : "false";
	}
}

static void set_yuan(struct cell *c, json_t *v)
{
	c->s = c->buf;
	c->buf[0] = '\0';
	c->is_num = 0;
	if (json_is_integer(v)) {
		long long fen = (long long)json_integer_value(v);
		snprintf(c->buf, sizeof(c->buf), "%s%lld.%02lld", fen < 0 ? "-" : "",
			 llabs(fen) / 100, llabs(fen) % 100);
		c->is_num = 1;
		c->num = (double)fen / 100.0;
	}
}

static const char *cached(struct sink *k, json_t *cache, json_t *idv, int city)
{
	char key[32], buf[256];
	json_t *hit;

	if (!json_is_integer(idv) || json_integer_value(idv) <= 0)
		return "";
	snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(idv));
	if (!(hit = json_object_get(cache, key))) {
		if (city)
			store_import_inst_city(k->st, json_integer_value(idv), buf, sizeof(buf));
		else
			store_import_username(k->st, json_integer_value(idv), buf, sizeof(buf));
		hit = json_string(buf);
		if (!hit)
			hit = json_string("");
		json_object_set_new(cache, key, hit);
	}
	return json_string_value(hit);
}

static const char *const inst_computed[] = { "id",	     "grade",	   "grade_score",
					     "completeness", "owner_name", NULL };
static const char *const contact_computed[] = { "id", "institution_id", "is_key", NULL };
/* The needs file: its list's columns (budget in yuan). */
static const char *const need_columns[] = { "id",
					    "institution_id",
					    "institution_name",
					    "province_code",
					    "city",
					    "department_name",
					    "product_line_code",
					    "need",
					    "pain_points",
					    "current_solution",
					    "current_age_years",
					    "volume",
					    "budget_yuan",
					    "budget_cycle",
					    "decision_by",
					    "status",
					    "updated_at",
					    NULL };

/* The JSON key of each import column of institutions, where it differs. */
static const char *inst_key(int col)
{
	switch (col) {
	case IC_OWNER: return "owner_username";
	default: return NULL;
	}
}

static int inst_row(void *cls, json_t *row)
{
	struct sink *k = cls;
	struct cell cells[MAX_COLS];
	int ncols, n = 0;
	const struct import_column *cols = import_columns(IMPORT_INSTITUTIONS, &ncols);

	if (k->rows >= MS_EXPORT_MAX_ROWS) {
		k->capped = 1;
		return 1;
	}
	for (int i = 0; i < ncols; i++, n++) {
		const char *key = inst_key(i) ? inst_key(i) : cols[i].name;
		if (i == IC_BUDGET)
			set_yuan(&cells[n], json_object_get(row, "budget_fen"));
		else if (i == IC_CREATED_BY)
			set_text(&cells[n],
				 cached(k, k->usernames, json_object_get(row, "created_by"), 0));
		else
			set_json(&cells[n], json_object_get(row, key));
	}
	for (int i = 0; inst_computed[i]; i++, n++)
		set_json(&cells[n], json_object_get(row, inst_computed[i]));
	sink_row(k, cells, n, 0);
	k->rows++;
	return k->failed;
}

static int contact_row(void *cls, json_t *row)
{
	struct sink *k = cls;
	struct cell cells[MAX_COLS];
	int ncols, n = 0;
	const struct import_column *cols = import_columns(IMPORT_CONTACTS, &ncols);

	if (k->rows >= MS_EXPORT_MAX_ROWS) {
		k->capped = 1;
		return 1;
	}
	for (int i = 0; i < ncols; i++, n++) {
		if (i == CC_INST_CITY)
			set_text(&cells[n],
				 cached(k, k->cities, json_object_get(row, "institution_id"), 1));
		else if (i == CC_CREATED_BY)
			set_text(&cells[n],
				 cached(k, k->usernames, json_object_get(row, "created_by"), 0));
		else
			set_json(&cells[n], json_object_get(row, cols[i].name));
	}
	for (int i = 0; contact_computed[i]; i++, n++)
		set_json(&cells[n], json_object_get(row, contact_computed[i]));
	sink_row(k, cells, n, 0);
	k->rows++;
	return k->failed;
}

static int need_row(void *cls, json_t *row)
{
	struct sink *k = cls;
	struct cell cells[MAX_COLS];
	int n = 0;

	if (k->rows >= MS_EXPORT_MAX_ROWS) {
		k->capped = 1;
		return 1;
	}
	for (; need_columns[n]; n++) {
		if (!strcmp(need_columns[n], "budget_yuan"))
			set_yuan(&cells[n], json_object_get(row, "budget_fen"));
		else
			set_json(&cells[n], json_object_get(row, need_columns[n]));
	}
	sink_row(k, cells, n, 0);
	k->rows++;
	return k->failed;
}

static void header_row(struct sink *k)
{
	struct cell cells[MAX_COLS];
	int ncols, n = 0;
	const struct import_column *cols =
		import_columns(k->contacts ? IMPORT_CONTACTS : IMPORT_INSTITUTIONS, &ncols);
	const char *const *computed = k->contacts ? contact_computed : inst_computed;

	if (k->needs) {
		for (int i = 0; need_columns[i]; i++)
			set_text(&cells[n++], need_columns[i]);
	} else {
		for (int i = 0; i < ncols; i++)
			set_text(&cells[n++], cols[i].name);
		for (int i = 0; computed[i]; i++)
			set_text(&cells[n++], computed[i]);
	}
	if (k->fmt == EXPORT_XLSX) {
		/* Names and addresses wide, codes and numbers narrow. */
		for (int i = 0; i < n; i++) {
			const char *h = cells[i].s;
			double w =
				strstr(h, "name") || !strcmp(h, "address") || !strcmp(h, "aliases")
					? 28
				: strstr(h, "_at") || strstr(h, "username") ? 22
									    : 12;
			worksheet_set_column(k->ws, (lxw_col_t)i, (lxw_col_t)i, w, NULL);
		}
		worksheet_freeze_panes(k->ws, 1, 0);
	} else {
		fputs("\xEF\xBB\xBF", k->f);
	}
	sink_row(k, cells, n, 1);
}

enum ms_err export_write(struct store *st, const struct scope *s, const struct export_query *q,
			 enum export_format fmt, FILE *csv, const char *xlsx_path, int64_t *rows,
			 struct ms_error *e)
{
	struct sink k;
	enum ms_err err = MS_OK;

	memset(&k, 0, sizeof(k));
	k.fmt = fmt;
	k.f = csv;
	k.st = st;
	k.contacts = q->contacts;
	k.needs = q->needs;
	k.usernames = json_object();
	k.cities = json_object();
	*rows = 0;
	if (fmt == EXPORT_XLSX) {
		lxw_workbook_options opts = { .constant_memory = LXW_TRUE, .tmpdir = "/tmp" };
		k.wb = workbook_new_opt(xlsx_path, &opts);
		k.ws = k.wb ? workbook_add_worksheet(k.wb, q->needs	 ? "needs"
							   : q->contacts ? "contacts"
									 : "institutions")
			    : NULL;
		if (!k.ws) {
			err = ms_fail(e, MS_EIO, "internal", "", "cannot create the workbook");
			goto out;
		}
		k.bold = workbook_add_format(k.wb);
		format_set_bold(k.bold);
	}
	header_row(&k);
	if (q->needs)
		err = store_need_each(st, s, q->need, need_row, &k, e);
	else if (q->contacts)
		err = store_contact_each(st, s, q->contact, contact_row, &k, e);
	else
		err = store_inst_each(st, s, q->inst, q->sort, inst_row, &k, e);
	if (err && k.capped && !k.failed) {
		log_warn("export: cut at %d rows", MS_EXPORT_MAX_ROWS);
		err = MS_OK;
	}
	if (!err && k.failed)
		err = ms_fail(e, MS_EIO, "internal", "", "cannot write the export");
	*rows = k.rows;
out:
	if (k.wb && workbook_close(k.wb) != LXW_NO_ERROR && !err)
		err = ms_fail(e, MS_EIO, "internal", "", "cannot write the workbook");
	json_decref(k.usernames);
	json_decref(k.cities);
	free(k.scrub);
	return err;
}

/* Reads a whole file into a malloc'd buffer. */
static int slurp(const char *path, char **body, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	char *buf;

	if (!f)
		return -1;
	if (fstat(fileno(f), &sb) || sb.st_size < 0 || !(buf = malloc((size_t)sb.st_size + 1))) {
		fclose(f);
		return -1;
	}
	if (fread(buf, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	*body = buf;
	*len = (size_t)sb.st_size;
	return 0;
}

enum ms_err export_memory(struct store *st, const struct scope *s, const struct export_query *q,
			  enum export_format fmt, char **body, size_t *len, int64_t *rows,
			  struct ms_error *e)
{
	enum ms_err err;

	*body = NULL;
	*len = 0;
	if (fmt == EXPORT_CSV) {
		FILE *f = open_memstream(body, len);
		if (!f)
			return ms_fail(e, MS_EIO, "internal", "", "out of memory");
		err = export_write(st, s, q, fmt, f, NULL, rows, e);
		if (fclose(f) && !err)
			err = ms_fail(e, MS_EIO, "internal", "", "out of memory");
	} else {
		char path[] = "/tmp/medsales-export-XXXXXX";
		int fd = mkstemp(path);
		if (fd < 0)
			return ms_fail(e, MS_EIO, "internal", "", "cannot create a temporary file");
		close(fd);
		err = export_write(st, s, q, fmt, NULL, path, rows, e);
		if (!err && slurp(path, body, len))
			err = ms_fail(e, MS_EIO, "internal", "", "cannot read the workbook back");
		unlink(path);
	}
	if (err) {
		free(*body);
		*body = NULL;
		*len = 0;
	}
	return err;
}

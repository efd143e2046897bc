/* fuzz_import_row.c: libFuzzer target for the rows of a customer import
 * (src/domain/customer_import.c) as the import reads them: the first byte
 * chooses the kind (institutions, departments, contacts, products), the rest is the
 * CSV, read by src/base/csvread.c; its header row maps names to the kind's
 * columns (import_column_find), and every later row goes through the
 * kind's row check. Every issue must name a column of the kind and carry a
 * code and a message; IMPORT_MAX_ISSUES bounds them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/csvread.h"
#include "domain/customer_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
	enum import_kind kind;
	int ncols;
	int map[CSVREAD_MAX_COLUMNS]; /* CSV field -> column of the kind, or -1 */
};

static void check(const struct state *s, const struct import_issues *is, int added)
{
	if (added < 0 || is->n > IMPORT_MAX_ISSUES)
		abort();
	for (int i = 0; i < is->n; i++)
		if (is->v[i].column < -1 || is->v[i].column >= s->ncols || !is->v[i].code ||
		    !is->v[i].code[0] || !is->v[i].message[0])
			abort();
}

static int row(void *cls, const struct csvread_row *r)
{
	struct state *s = cls;
	const char *v[64] = { 0 };
	struct import_issues is;
	struct inst_row ir;
	struct dept_row dr;
	struct contact_row cr;
	struct product_row pr;

	if (r->index == 0) {
		for (int i = 0; i < r->nfields && i < CSVREAD_MAX_COLUMNS; i++)
			s->map[i] = import_column_find(s->kind, r->fields[i]);
		return 0;
	}
	for (int i = 0; i < r->nfields && i < CSVREAD_MAX_COLUMNS; i++)
		if (s->map[i] >= 0 && s->map[i] < 64 && strlen(r->fields[i]) == r->lens[i])
			v[s->map[i]] = r->fields[i];
	memset(&is, 0, sizeof(is));
	switch (s->kind) {
	case IMPORT_INSTITUTIONS: check(s, &is, inst_row_parse(v, &ir, &is)); break;
	case IMPORT_DEPARTMENTS: check(s, &is, dept_row_parse(v, &dr, &is)); break;
	case IMPORT_CONTACTS: check(s, &is, contact_row_parse(v, "2026-12-07", &cr, &is)); break;
	case IMPORT_PRODUCTS: check(s, &is, product_row_parse(v, &pr, &is)); break;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state s;
	struct csvread *r;

	if (size < 1)
		return 0;
	memset(&s, 0, sizeof(s));
	memset(s.map, 0xff, sizeof(s.map));
	s.kind = (enum import_kind)(data[0] % 4);
	(void)import_columns(s.kind, &s.ncols);
	if (s.ncols > 64)
		abort();
	r = csvread_new(row, &s);
	if (!r)
		return 0;
	if (csvread_feed(r, (const char *)data + 1, size - 1) == 0)
		(void)csvread_finish(r);
	csvread_free(r);
	return 0;
}

/* api_import.c: CSV import of the customer master and CSV/XLSX exports of
 * the institution and contact lists (R4). The work is in import.c and
 * export.c, shared with `medsales import` and `medsales export`. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/import.h"
#include "base/date.h"
#include "base/limits.h"
#include "store/store_customer.h"

/* POST /api/v1/import/{kind}?dry_run=&strict=, the body a CSV file. The
 * route is R_SELFTX: the importer opens its own transaction, so that a
 * strict import with bad rows can answer 200 with its report and keep
 * nothing. The body was admitted by api_admit (session and role checked
 * before it was read) and is in a temporary file. */
enum ms_err api_import(struct api_ctx *c)
{
	struct import_opts o;
	int kind, dry_run, strict;
	json_t *report = NULL;
	enum ms_err err;

	kind = import_kind_parse(c->param);
	if (kind < 0)
		return ms_fail(&c->err, MS_ENOTFOUND, "not_found", "kind",
			       "no import of '%s'; try institutions, departments, contacts or "
			       "products",
			       c->param);
	if ((err = api_query_bool(c, "dry_run", &dry_run)) ||
	    (err = api_query_bool(c, "strict", &strict)))
		return err;
	if (c->req->body_len == 0)
		return ms_fail(&c->err, MS_EINVAL, "required", "file",
			       "the body must be a CSV file with a header row");
	o.kind = (enum import_kind)kind;
	o.dry_run = dry_run > 0;
	o.strict = strict > 0;
	err = c->req->body_fd >= 0
		      ? import_run_fd(c->st, &c->scope, &o, c->req->body_fd, &report, &c->err)
		      : import_run(c->st, &c->scope, &o, c->req->body, c->req->body_len, &report,
				   &c->err);
	if (err)
		return err;
	return api_ok(c, 200, report);
}

static const char *filename(struct api_ctx *c, const char *what, enum export_format fmt)
{
	char day[11], *out = arena_alloc(c->arena, 64);
	date_format(date_of_instant(date_now()), day);
	snprintf(out, 64, "%s-%.4s%.2s%.2s.%s", what, day, day + 5, day + 8,
		 fmt == EXPORT_XLSX ? "xlsx" : "csv");
	return out;
}

static enum ms_err send_export(struct api_ctx *c, const struct export_query *q,
			       enum export_format fmt)
{
	char *body = NULL;
	size_t len = 0;
	int64_t rows = 0;
	enum ms_err err;

	if ((err = export_memory(c->st, &c->scope, q, fmt, &body, &len, &rows, &c->err)))
		return err;
	return api_file(c, export_content_type(fmt), body, len,
			filename(c,
				 q->needs      ? "needs"
				 : q->contacts ? "contacts"
					       : "institutions",
				 fmt));
}

static enum ms_err query_format(struct api_ctx *c, enum export_format *fmt)
{
	const char *s = NULL;
	int f;
	enum ms_err err;

	if ((err = api_query_text(c, "format", 8, &s)))
		return err;
	if ((f = export_format_parse(s)) < 0)
		return ms_fail(&c->err, MS_EINVAL, "invalid", "format",
			       "'format' must be csv or xlsx");
	*fmt = (enum export_format)f;
	return MS_OK;
}

enum ms_err api_inst_export(struct api_ctx *c)
{
	struct inst_filter f;
	struct export_query q = { 0 };
	enum export_format fmt;
	enum ms_err err;

	if ((err = query_format(c, &fmt)) || (err = api_inst_filter(c, &f)) ||
	    (err = api_query_text(c, "sort", 64, &q.sort)))
		return err;
	q.inst = &f;
	return send_export(c, &q, fmt);
}

enum ms_err api_contact_export(struct api_ctx *c)
{
	struct contact_filter f;
	struct export_query q = { 0 };
	enum export_format fmt;
	enum ms_err err;

	if ((err = query_format(c, &fmt)) || (err = api_contact_filter(c, &f)))
		return err;
	q.contacts = 1;
	q.contact = &f;
	return send_export(c, &q, fmt);
}

enum ms_err api_need_export(struct api_ctx *c)
{
	struct need_filter f;
	struct export_query q = { 0 };
	enum export_format fmt;
	enum ms_err err;

	if ((err = query_format(c, &fmt)) || (err = api_need_filter(c, &f)))
		return err;
	q.needs = 1;
	q.need = &f;
	return send_export(c, &q, fmt);
}

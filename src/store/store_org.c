/* store_org.c: the organisation tree (effective-dated versions of each unit)
 * and reference data, in SQL. Tree rules come from src/domain/org.c. */
#include "store/store_org.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "store/db.h"

/* A unit as it stood on a date (bound twice). */
#define UNIT_AS_OF                                                                                 \
	"SELECT u.id, u.code, u.type, v.parent_id, v.name_zh, v.name_en, v.valid_from, "           \
	"v.valid_to, u.version FROM org_units u JOIN org_unit_versions v ON v.unit_id = u.id "     \
	"AND v.valid_from <= ? AND (v.valid_to IS NULL OR v.valid_to > ?)"

/* The unit's assigned provinces and its territory (qb_territory: the
 * provinces that decide a manager's unassigned institutions), as arrays of
 * codes in code order, set on row. */
static enum ms_err add_provinces(struct store *st, json_t *row, struct ms_error *e)
{
	int64_t id = json_integer_value(json_object_get(row, "id"));
	json_t *rows = NULL, *codes, *r;
	size_t i;
	struct qb q;
	enum ms_err err;

	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0) {
			qb_init(&q, "SELECT province_code FROM unit_provinces WHERE unit_id = ? "
				    "ORDER BY province_code");
			qb_int(&q, id);
		} else {
			qb_init(&q, "SELECT code AS province_code FROM ref_items WHERE kind = "
				    "'provinces' AND code IN ");
			qb_territory(&q, id);
			qb_sql(&q, " ORDER BY code");
		}
		err = db_rows(st, &q, &rows, e);
		qb_release(&q);
		if (err)
			return err;
		codes = json_array();
		json_array_foreach(rows, i, r)
			json_array_append(codes, json_object_get(r, "province_code"));
		json_decref(rows);
		rows = NULL;
		json_object_set_new(row, pass == 0 ? "provinces" : "territory", codes);
	}
	return MS_OK;
}

enum ms_err store_org_list(struct store *st, const char *as_of, json_t **out, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	/* Ordered from the root down: depth first by the tree's own recursion,
	 * so the client can build the tree in one pass. */
	qb_init(&q, "WITH RECURSIVE cur AS (" UNIT_AS_OF "), tree(id, depth, path) AS ("
		    "SELECT id, 0, printf('%08d', id) FROM cur WHERE parent_id IS NULL "
		    "UNION ALL SELECT c.id, t.depth + 1, t.path || '/' || printf('%08d', c.id) "
		    "FROM cur c JOIN tree t ON c.parent_id = t.id WHERE t.depth < 32) "
		    "SELECT cur.*, tree.depth FROM cur JOIN tree ON tree.id = cur.id "
		    "ORDER BY tree.path");
	qb_text(&q, as_of);
	qb_text(&q, as_of);
	err = db_rows(st, &q, out, e);
	qb_release(&q);
	if (!err) {
		json_t *row;
		size_t i;
		json_array_foreach(*out, i, row) if ((err = add_provinces(st, row, e))) break;
		if (err) {
			json_decref(*out);
			*out = NULL;
		}
	}
	return err;
}

enum ms_err store_org_get(struct store *st, int64_t id, const char *as_of, json_t **out,
			  struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, UNIT_AS_OF " WHERE u.id = ?");
	qb_text(&q, as_of);
	qb_text(&q, as_of);
	qb_int(&q, id);
	err = db_row(st, &q, out, e);
	qb_release(&q);
	if (!err && (err = add_provinces(st, *out, e))) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}

/* The unit's assigned provinces as {"provinces": [...]}, for the audit. */
static json_t *provinces_snapshot(struct store *st, int64_t id)
{
	json_t *rows = NULL, *codes = json_array(), *r;
	size_t i;
	struct qb q;

	qb_init(&q, "SELECT province_code FROM unit_provinces WHERE unit_id = ? ORDER BY "
		    "province_code");
	qb_int(&q, id);
	if (db_rows(st, &q, &rows, NULL) == MS_OK)
		json_array_foreach(rows, i, r)
			json_array_append(codes, json_object_get(r, "province_code"));
	qb_release(&q);
	json_decref(rows);
	return json_pack("{s:o}", "provinces", codes);
}

enum ms_err store_org_set_provinces(struct store *st, const struct scope *who, int64_t id,
				    json_t *codes, struct ms_error *e)
{
	json_t *before = NULL, *after = NULL, *c;
	int64_t one;
	size_t i;
	struct qb q;
	enum ms_err err;

	if (!json_is_array(codes) || json_array_size(codes) > MS_MAX_UNIT_PROVINCES)
		return ms_fail(e, MS_EINVAL, "invalid", "provinces",
			       "'provinces' must be an array of at most %d province codes",
			       MS_MAX_UNIT_PROVINCES);
	qb_init(&q, "SELECT 1 FROM org_units WHERE id = ?");
	qb_int(&q, id);
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such unit");
	if (err)
		return err;
	before = provinces_snapshot(st, id);
	qb_init(&q, "DELETE FROM unit_provinces WHERE unit_id = ?");
	qb_int(&q, id);
	err = db_exec(st, &q, e);
	qb_release(&q);
	json_array_foreach(codes, i, c)
	{
		const char *code = json_string_value(c);
		if (err)
			break;
		if (!code) {
			err = ms_fail(e, MS_EINVAL, "invalid", "provinces",
				      "item %zu: want a province code", i + 1);
			break;
		}
		qb_init(&q, "SELECT 1 FROM ref_items WHERE kind = 'provinces' AND code = ? AND "
			    "active = 1");
		qb_text(&q, code);
		err = db_int(st, &q, &one, e);
		qb_release(&q);
		if (err == MS_ENOTFOUND)
			err = ms_fail(e, MS_EINVAL, "invalid", "provinces",
				      "item %zu: no active province", i + 1);
		if (err)
			break;
		qb_init(&q, "INSERT INTO unit_provinces (unit_id, province_code) VALUES (?, ?)");
		qb_int(&q, id);
		qb_text(&q, code);
		err = db_exec(st, &q, e);
		qb_release(&q);
		if (err == MS_ECONFLICT)
			err = ms_fail(e, MS_EINVAL, "duplicate", "provinces",
				      "item %zu: a province listed twice", i + 1);
	}
	if (!err) {
		after = provinces_snapshot(st, id);
		err = store_audit_append(st, who, "provinces", "org_units", id, before, after, e);
	}
	json_decref(before);
	json_decref(after);
	return err;
}

enum ms_err store_org_id(struct store *st, const char *code, int64_t *id, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "SELECT id FROM org_units WHERE code = ?");
	qb_text(&q, code);
	err = db_int(st, &q, id, e);
	qb_release(&q);
	return err;
}

/* The parent's type as of the date, checked against the child's. */
static enum ms_err check_parent(struct store *st, enum unit_type type, int64_t parent_id,
				const char *as_of, struct ms_error *e)
{
	json_t *parent = NULL;
	enum unit_type ptype = UNIT_NONE;
	enum ms_err err;

	if (parent_id) {
		if ((err = store_org_get(st, parent_id, as_of, &parent, e)))
			return err != MS_ENOTFOUND ? err
						   : ms_fail(e, MS_EINVAL, "invalid", "parent_id",
							     "no unit %lld exists on %s",
							     (long long)parent_id, as_of);
		ptype = unit_type_parse(json_string_value(json_object_get(parent, "type")));
		json_decref(parent);
	}
	err = org_check_parent(type, parent_id != 0, ptype, e);
	return err;
}

enum ms_err store_org_create(struct store *st, const struct scope *who, const struct unit_fields *f,
			     int64_t *id, struct ms_error *e)
{
	enum unit_type type = unit_type_parse(f->type);
	struct qb q;
	enum ms_err err;

	if ((err = check_parent(st, type, f->parent_id, f->valid_from, e)))
		return err;
	qb_init(&q, "INSERT INTO org_units (code, type, created_at) VALUES (?, ?, ?)");
	qb_text(&q, f->code);
	qb_text(&q, f->type);
	qb_int(&q, date_now());
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (err == MS_ECONFLICT)
		return ms_fail(e, MS_ECONFLICT, "duplicate", "code", "unit code '%s' is taken",
			       f->code);
	if (err)
		return err;
	*id = db_last_id(st);
	qb_init(&q, "INSERT INTO org_unit_versions (unit_id, parent_id, name_zh, name_en, "
		    "valid_from) VALUES (?, ?, ?, ?, ?)");
	qb_int(&q, *id);
	if (f->parent_id)
		qb_int(&q, f->parent_id);
	else
		qb_null(&q);
	qb_text(&q, f->name_zh);
	qb_text(&q, f->name_en);
	qb_text(&q, f->valid_from);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (err)
		return err;
	{
		json_t *after = NULL;
		if (!(err = store_audit_snapshot(st, "org_units", *id, &after, e)))
			err = store_audit_append(st, who, "create", "org_units", *id, NULL, after,
						 e);
		json_decref(after);
	}
	return err;
}

/* The edges of the tree as of a date, for the cycle check. */
static enum ms_err load_edges(struct store *st, const char *as_of, struct org_edge **edges,
			      size_t *n, struct ms_error *e)
{
	json_t *rows = NULL, *row;
	size_t i;
	enum ms_err err;
	struct qb q;

	qb_init(&q, "SELECT unit_id, parent_id FROM org_unit_versions WHERE valid_from <= ? AND "
		    "(valid_to IS NULL OR valid_to > ?)");
	qb_text(&q, as_of);
	qb_text(&q, as_of);
	err = db_rows(st, &q, &rows, e);
	qb_release(&q);
	if (err)
		return err;
	*n = json_array_size(rows);
	*edges = calloc(*n ? *n : 1, sizeof(**edges));
	if (!*edges) {
		json_decref(rows);
		return ms_fail(e, MS_EIO, "internal", "", "out of memory");
	}
	json_array_foreach(rows, i, row)
	{
		(*edges)[i].unit_id = json_integer_value(json_object_get(row, "unit_id"));
		(*edges)[i].parent_id = json_integer_value(json_object_get(row, "parent_id"));
	}
	json_decref(rows);
	return MS_OK;
}

enum ms_err store_org_update(struct store *st, const struct scope *who, int64_t id, int64_t version,
			     const struct unit_fields *f, struct ms_error *e)
{
	json_t *cur = NULL, *before = NULL, *after = NULL;
	struct org_edge *edges = NULL;
	size_t n = 0;
	int64_t parent_id, row_version;
	const char *from;
	struct qb q;
	enum ms_err err;

	err = store_org_get(st, id, f->valid_from, &cur, e);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such unit on %s",
			       f->valid_from);
	if (err)
		return err;
	row_version = json_integer_value(json_object_get(cur, "version"));
	if (row_version != version) {
		err = ms_fail(e, MS_ECONFLICT, "conflict", "version",
			      "the record was changed by someone else; reload it");
		goto out;
	}
	parent_id = json_integer_value(json_object_get(cur, "parent_id"));
	if (f->parent_id && f->parent_id != parent_id) {
		enum unit_type type =
			unit_type_parse(json_string_value(json_object_get(cur, "type")));
		if ((err = check_parent(st, type, f->parent_id, f->valid_from, e)))
			goto out;
		if ((err = load_edges(st, f->valid_from, &edges, &n, e)))
			goto out;
		if (org_would_cycle(edges, n, id, f->parent_id)) {
			err = ms_fail(e, MS_EINVAL, "cycle", "parent_id",
				      "a unit cannot be placed under itself or its descendants");
			goto out;
		}
		parent_id = f->parent_id;
	}
	if ((err = store_audit_snapshot(st, "org_units", id, &before, e)))
		goto out;
	from = json_string_value(json_object_get(cur, "valid_from"));
	if (!strcmp(from, f->valid_from)) {
		qb_init(&q, "UPDATE org_unit_versions SET parent_id = ?, name_zh = COALESCE(?, "
			    "name_zh), name_en = COALESCE(?, name_en) WHERE unit_id = ? AND "
			    "valid_from = ?");
		if (parent_id)
			qb_int(&q, parent_id);
		else
			qb_null(&q);
		qb_text(&q, f->name_zh);
		qb_text(&q, f->name_en);
		qb_int(&q, id);
		qb_text(&q, f->valid_from);
		err = db_exec(st, &q, e);
		qb_release(&q);
	} else {
		/* Close the version in force and start a new one on the date,
		 * ending where the closed one ended. */
		json_t *to = json_object_get(cur, "valid_to");
		qb_init(&q, "UPDATE org_unit_versions SET valid_to = ? WHERE unit_id = ? AND "
			    "valid_from = ?");
		qb_text(&q, f->valid_from);
		qb_int(&q, id);
		qb_text(&q, from);
		err = db_exec(st, &q, e);
		qb_release(&q);
		if (err)
			goto out;
		qb_init(&q, "INSERT INTO org_unit_versions (unit_id, parent_id, name_zh, name_en, "
			    "valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?)");
		qb_int(&q, id);
		if (parent_id)
			qb_int(&q, parent_id);
		else
			qb_null(&q);
		qb_text(&q, f->name_zh ? f->name_zh
				       : json_string_value(json_object_get(cur, "name_zh")));
		qb_text(&q, f->name_en ? f->name_en
				       : json_string_value(json_object_get(cur, "name_en")));
		qb_text(&q, f->valid_from);
		qb_text(&q, json_string_value(to)); /* NULL binds NULL */
		err = db_exec(st, &q, e);
		qb_release(&q);
	}
	if (err)
		goto out;
	qb_init(&q, "UPDATE org_units SET version = version + 1 WHERE id = ?");
	qb_int(&q, id);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (err)
		goto out;
	if ((err = store_audit_snapshot(st, "org_units", id, &after, e)))
		goto out;
	err = store_audit_append(st, who, "update", "org_units", id, before, after, e);
out:
	free(edges);
	json_decref(cur);
	json_decref(before);
	json_decref(after);
	return err;
}

#define REF_COLUMNS                                                                                \
	"SELECT id, kind, code, name_zh, name_en, priority, parent_code, active, version FROM "    \
	"ref_items WHERE kind = ?"

enum ms_err store_ref_list(struct store *st, enum ref_kind kind, int active, json_t **out,
			   struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, REF_COLUMNS);
	qb_text(&q, ref_kind_name(kind));
	if (active >= 0) {
		qb_sql(&q, " AND active = ?");
		qb_int(&q, active);
	}
	qb_sql(&q, " ORDER BY priority, code");
	err = db_rows(st, &q, out, e);
	qb_release(&q);
	return err;
}

enum ms_err store_ref_get(struct store *st, enum ref_kind kind, int64_t id, json_t **out,
			  struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, REF_COLUMNS " AND id = ?");
	qb_text(&q, ref_kind_name(kind));
	qb_int(&q, id);
	err = db_row(st, &q, out, e);
	qb_release(&q);
	return err;
}

/* A province hangs under an existing region; other kinds have no parent. */
static enum ms_err check_ref_parent(struct store *st, enum ref_kind kind, const char *parent,
				    struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	if (kind != REF_PROVINCES) {
		if (parent && *parent)
			return ms_fail(e, MS_EINVAL, "invalid", "parent_code",
				       "only provinces have a 'parent_code'");
		return MS_OK;
	}
	if (!parent || !*parent)
		return ms_fail(e, MS_EINVAL, "required", "parent_code",
			       "a province needs its region's 'parent_code'");
	qb_init(&q, "SELECT 1 FROM ref_items WHERE kind = 'regions' AND code = ?");
	qb_text(&q, parent);
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_EINVAL, "invalid", "parent_code", "no region '%s'", parent);
	if (err)
		return err;
	return MS_OK;
}

enum ms_err store_ref_create(struct store *st, const struct scope *who, enum ref_kind kind,
			     const struct ref_fields *f, int64_t *id, struct ms_error *e)
{
	int64_t now = date_now();
	struct qb q;
	enum ms_err err;

	if ((err = check_ref_parent(st, kind, f->parent_code, e)))
		return err;
	qb_init(&q, "INSERT INTO ref_items (kind, code, name_zh, name_en, priority, parent_code, "
		    "active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)");
	qb_text(&q, ref_kind_name(kind));
	qb_text(&q, f->code);
	qb_text(&q, f->name_zh);
	qb_text(&q, f->name_en);
	qb_int(&q, f->priority ? f->priority : 5);
	qb_text(&q, kind == REF_PROVINCES ? f->parent_code : NULL);
	qb_int(&q, now);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "ref_items", &q, id, e);
	qb_release(&q);
	if (err == MS_ECONFLICT)
		return ms_fail(e, MS_ECONFLICT, "duplicate", "code", "code '%s' is taken", f->code);
	return err;
}

enum ms_err store_ref_update(struct store *st, const struct scope *who, enum ref_kind kind,
			     int64_t id, int64_t version, const struct ref_fields *f,
			     struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	if (f->parent_code && (err = check_ref_parent(st, kind, f->parent_code, e)))
		return err;
	qb_init(&q,
		"UPDATE ref_items SET name_zh = COALESCE(?, name_zh), "
		"name_en = COALESCE(?, name_en), "
		"priority = CASE WHEN ? = 0 THEN priority ELSE ? END, "
		"parent_code = COALESCE(?, parent_code), "
		"active = CASE WHEN ? < 0 THEN active ELSE ? END, "
		"updated_at = ?, version = version + 1 WHERE id = ? AND kind = ? AND version = ?");
	qb_text(&q, f->name_zh);
	qb_text(&q, f->name_en);
	qb_int(&q, f->priority);
	qb_int(&q, f->priority);
	qb_text(&q, f->parent_code);
	qb_int(&q, f->active);
	qb_int(&q, f->active);
	qb_int(&q, date_now());
	qb_int(&q, id);
	qb_text(&q, ref_kind_name(kind));
	qb_int(&q, version);
	err = db_exec_audited(st, who, "update", "ref_items", id, &q, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND) {
		/* Stale only if it exists under this kind; otherwise, not found. */
		json_t *row = NULL;
		if (store_ref_get(st, kind, id, &row, NULL) == MS_OK) {
			json_decref(row);
			return ms_fail(e, MS_ECONFLICT, "conflict", "version",
				       "the record was changed by someone else; reload it");
		}
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such record");
	}
	return err;
}

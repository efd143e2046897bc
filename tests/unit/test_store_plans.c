/* test_store_plans.c: the query plans of the lists (issue 21). For every
 * filter x sort (both directions) x scope (all, a rep's own, a manager's
 * subtree) that the institution and contact list endpoints offer, the
 * test calls the list function itself (store_inst_list, store_contact_list)
 * on a fresh migrated database, catches the SQL it runs with
 * sqlite3_trace_v2 (so the test cannot drift from the builders), and asks
 * SQLite for the plan of each statement (EXPLAIN QUERY PLAN). It fails on:
 *   - "SCAN <t>" of a big table (institutions, contacts, coverage, ...)
 *     without an index: a full table scan;
 *   - "USE TEMP B-TREE FOR ORDER BY": the page sorted after reading every
 *     matching row, unless the list is filtered to one parent (contacts of
 *     one institution or department: hundreds at most; bounded_filter).
 * Production never runs ANALYZE, so there is no sqlite_stat1 and the
 * planner's estimates do not depend on the data: the plans on this empty
 * database are the plans at 100,000 institutions.
 * Known gaps (the plans still to fix, listed in known_gaps below with the
 * reason) are counted and printed with their reason, not failed; a pattern
 * that no longer matches any bad plan fails the test (remove it), so the
 * list stays true.
 * Lists still to cover (issue 21): needs, visits, leads, opportunities,
 * tenders, audit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "store_fixture.h"

#include <string.h>

#include "store/db.h"
#include "store/store.h"
#include "store/store_customer.h"

static struct scope s_rep, s_mgr;

#define MAX_SQL 8

struct capture {
	char *sql[MAX_SQL];
	int n;
};

static int on_trace(unsigned type, void *ctx, void *p, void *x)
{
	struct capture *c = ctx;
	char *s;

	(void)x;
	if (type != SQLITE_TRACE_STMT || c->n >= MAX_SQL)
		return 0;
	s = sqlite3_expanded_sql(p);
	if (s && strncmp(s, "--", 2)) {
		size_t n = strlen(s) + 1;
		c->sql[c->n] = malloc(n);
		memcpy(c->sql[c->n++], s, n);
	}
	sqlite3_free(s);
	return 0;
}

static void capture_release(struct capture *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->sql[i]);
	c->n = 0;
}

/* Tables the lists read that stay small (the organisation, users,
 * reference items) and the recursive CTEs of the scope: scanning them is
 * fine. Any other table is big. */
static int small_table(const char *name)
{
	static const char *const small[] = {
		"users",	  "u", "o",  "p",  "ref_items", "org_units", "org_unit_versions",
		"unit_provinces", "v", "tp", "ty", "sub",	"tsub",	     "tup",
		"CONSTANT",	  NULL
	};
	size_t n = strcspn(name, " ");
	for (int i = 0; small[i]; i++)
		if (strlen(small[i]) == n && !strncmp(small[i], name, n))
			return 1;
	return 0;
}

/* A list filtered to one parent's children (the contacts of one
 * institution or department: hundreds at most): sorting them is cheap. */
static int bounded_filter(const char *sql)
{
	return strstr(sql, "AND c.institution_id = ") || strstr(sql, "AND c.department_id = ");
}

/* Appends to out what is wrong with the plan of sql ("" when nothing). */
static void check_plan(const char *sql, struct strbuf *out)
{
	struct strbuf q = STRBUF_INIT, plan = STRBUF_INIT;
	sqlite3_stmt *s = NULL;
	int bounded = bounded_filter(sql), temp_sort = 0, bad = 0;

	strbuf_addf(&q, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(st->db, strbuf_str(&q), -1, &s, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(st->db));
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(s, 3);
		strbuf_addf(&plan, "    %s\n", d);
		if (!strncmp(d, "SCAN ", 5) && !strstr(d, " USING ") && !small_table(d + 5))
			bad = 1;
		if (strstr(d, "USE TEMP B-TREE FOR ORDER BY"))
			temp_sort = 1;
	}
	sqlite3_finalize(s);
	if (bad || (temp_sort && !bounded))
		strbuf_addf(out, "  %s\n%s", sql, strbuf_str(&plan));
	strbuf_release(&q);
	strbuf_release(&plan);
}

/* The combinations still known to need a better plan (issue 21, the next
 * increments): list, filter, sort and scope, "*" for any; sort "~name" is
 * any sort but name and -name. Each pattern must still match a bad plan
 * (else the test fails: remove it). */
static struct {
	const char *list, *filter, *sort, *scope, *why;
} known_gaps[] = {
	{ "institutions", "*", "*", "own",
	  "a rep's scope: the institutions they cover are read "
	  "by id from coverage and sorted (about 2,000 a rep); resolve the scope once instead" },
	{ "institutions", "*", "*", "subtree",
	  "a manager's scope: an OR of two id lists (the team's "
	  "coverage, the territory's unassigned), read and sorted" },
	{ "contacts", "*", "*", "own", "the same for the contacts of a rep's institutions" },
	{ "contacts", "*", "*", "subtree", "the same for a manager's" },
	{ "institutions", "city", "~name", "all",
	  "one city's institutions read and sorted: an "
	  "index per filter x sort pair (7 sorts) is not worth it yet" },
	{ "institutions", "city+q", "~name", "all", "the same" },
	{ "institutions", "segment_code", "~name", "all", "the same for a segment" },
	{ "institutions", "province_code", "~name", "all", "the same for a province" },
	{ "institutions", "owner_id", "~name", "all", "the same for one owner" },
	{ "institutions", "completeness", "-city", "all", "the completeness range, then sorted" },
	{ "institutions", "type", "*", "all",
	  "no index on the type (ten values): the count scans "
	  "the table" },
	{ "institutions", "status", "*", "all", "the same for the status (three values)" },
	{ "institutions", "unit_id", "*", "all",
	  "the owners of a unit's subtree: their ranges "
	  "merged and sorted" },
	{ "contacts", "q", "*", "all",
	  "a substring search: the count scans 1,000,000 contacts "
	  "(FTS5 trigram, a later increment)" },
	{ "contacts", "decision_role", "*", "all",
	  "no index on the role: the count scans the table" },
	{ "contacts", "stance", "*", "all", "the same for the stance" },
	{ "contacts", "kol_tier", "*", "all", "the same for the KOL tier" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* How many bad plans each pattern matched. */
static int gap_hits[sizeof(known_gaps) / sizeof(known_gaps[0])];

static int sort_matches(const char *pattern, const char *sort)
{
	if (!strcmp(pattern, "*"))
		return 1;
	if (!strcmp(pattern, "~name"))
		return strcmp(sort, "name") && strcmp(sort, "-name");
	return !strcmp(pattern, sort);
}

/* The index of the pattern that lists the combination, or -1. */
static int known_gap(const char *list, const char *filter, const char *sort, const char *scope)
{
	for (int i = 0; known_gaps[i].list; i++)
		if (!strcmp(known_gaps[i].list, list) &&
		    (!strcmp(known_gaps[i].filter, "*") || !strcmp(known_gaps[i].filter, filter)) &&
		    sort_matches(known_gaps[i].sort, sort) &&
		    (!strcmp(known_gaps[i].scope, "*") || !strcmp(known_gaps[i].scope, scope)))
			return i;
	return -1;
}

struct tally {
	int combos, failed, gaps, gaps_fixed;
	struct strbuf report;
};

static void judge(struct tally *t, struct capture *c, const char *list, const char *filter,
		  const char *sort, const char *scope)
{
	struct strbuf why = STRBUF_INIT;
	int gap = known_gap(list, filter, sort, scope);

	assert_true(c->n >= 2); /* the count and the page */
	for (int i = 0; i < c->n; i++)
		check_plan(c->sql[i], &why);
	t->combos++;
	if (why.len && gap >= 0) {
		t->gaps++;
		gap_hits[gap]++;
	} else if (why.len) {
		t->failed++;
		strbuf_addf(&t->report, "%s filter=%s sort=%s scope=%s:\n%s", list, filter, sort,
			    scope, strbuf_str(&why));
	}
	strbuf_release(&why);
	capture_release(c);
}

static const struct scope *scope_named(const char *name)
{
	return !strcmp(name, "all") ? &sys : !strcmp(name, "own") ? &s_rep : &s_mgr;
}

static const char *const scopes[] = { "all", "own", "subtree", NULL };

static void finish(struct tally *t, const char *list)
{
	for (int i = 0; known_gaps[i].list; i++)
		if (!strcmp(known_gaps[i].list, list) && gap_hits[i])
			print_message("  known gap: filter=%s sort=%s scope=%s, %d: %s\n",
				      known_gaps[i].filter, known_gaps[i].sort, known_gaps[i].scope,
				      gap_hits[i], known_gaps[i].why);
	for (int i = 0; known_gaps[i].list; i++)
		if (!strcmp(known_gaps[i].list, list) && !gap_hits[i]) {
			t->gaps_fixed++;
			strbuf_addf(&t->report,
				    "%s filter=%s sort=%s scope=%s: listed as a known gap but "
				    "every plan it matches is good: remove it from known_gaps\n",
				    list, known_gaps[i].filter, known_gaps[i].sort,
				    known_gaps[i].scope);
		}
	print_message("%s: %d combinations, %d known gaps, %d failed\n", list, t->combos, t->gaps,
		      t->failed + t->gaps_fixed);
	fputs(strbuf_str(&t->report), stderr);
	strbuf_release(&t->report);
	if (t->failed || t->gaps_fixed)
		fail_msg("%s: %d combinations with a bad plan (above)", list,
			 t->failed + t->gaps_fixed);
}

/* Runs every filter x sort x scope of a list through run and judges the
 * statements it ran. */
static void run_matrix(const char *list, const char *const *filters, const char *const *sorts,
		       void (*run)(const char *filter, const struct page *pg,
				   const struct scope *s))
{
	struct tally t = { 0, 0, 0, 0, STRBUF_INIT };
	struct capture c = { { NULL }, 0 };

	sqlite3_trace_v2(st->db, SQLITE_TRACE_STMT, on_trace, &c);
	for (int fi = 0; filters[fi]; fi++)
		for (int si = 0; sorts[si]; si++)
			for (int sc = 0; scopes[sc]; sc++) {
				struct page pg = { 50, 0, sorts[si] };
				run(filters[fi], &pg, scope_named(scopes[sc]));
				judge(&t, &c, list, filters[fi], sorts[si], scopes[sc]);
			}
	sqlite3_trace_v2(st->db, 0, NULL, NULL);
	finish(&t, list);
}

static void run_inst(const char *fl, const struct page *pg, const struct scope *s)
{
	struct inst_filter f;
	struct ms_error e = MS_ERROR_INIT;
	json_t *out = NULL;

	inst_filter_init(&f);
	if (strstr(fl, "q"))
		f.q = "协和";
	if (!strcmp(fl, "province_code"))
		f.province_code = "ZJ";
	if (!strncmp(fl, "city", 4))
		f.city = "杭州市";
	if (!strcmp(fl, "level"))
		f.level = "L3";
	if (!strcmp(fl, "type"))
		f.type = "GENERAL";
	if (!strcmp(fl, "segment_code"))
		f.segment_code = "S1";
	if (!strcmp(fl, "grade"))
		f.grade = "A";
	if (!strcmp(fl, "status"))
		f.status = "active";
	if (!strcmp(fl, "owner_id"))
		f.owner_id = s_rep.user_id;
	if (!strcmp(fl, "completeness"))
		f.completeness_min = 50;
	if (!strcmp(fl, "unit_id"))
		f.unit_id = s_mgr.unit_id;
	if (store_inst_list(st, s, &f, pg, &out, &e))
		fail_msg("store_inst_list: %s", e.message);
	json_decref(out);
}

static void test_institution_plans(void **state)
{
	static const char *const filters[] = { "none",	 "q",	     "province_code", "city",
					       "level",	 "type",     "segment_code",  "grade",
					       "status", "owner_id", "completeness",  "unit_id",
					       "city+q", NULL };
	static const char *const sorts[] = { "name",	     "-name",	     "grade_score",
					     "-grade_score", "completeness", "-completeness",
					     "beds",	     "-beds",	     "city",
					     "-city",	     "created_at",   "-created_at",
					     "updated_at",   "-updated_at",  NULL };
	(void)state;
	run_matrix("institutions", filters, sorts, run_inst);
}

static void run_contact(const char *fl, const struct page *pg, const struct scope *s)
{
	struct contact_filter f = { NULL, NULL, NULL, NULL, 0, 0, -1 };
	struct ms_error e = MS_ERROR_INIT;
	json_t *out = NULL;

	if (!strcmp(fl, "q"))
		f.q = "王";
	if (!strcmp(fl, "institution_id"))
		f.institution_id = 1;
	if (!strcmp(fl, "department_id"))
		f.department_id = 1;
	if (!strcmp(fl, "decision_role"))
		f.decision_role = "DECISION_MAKER";
	if (!strcmp(fl, "stance"))
		f.stance = "supporter";
	if (!strcmp(fl, "kol_tier"))
		f.kol_tier = "national";
	if (!strcmp(fl, "key"))
		f.key_only = 1;
	if (store_contact_list(st, s, &f, pg, &out, &e))
		fail_msg("store_contact_list: %s", e.message);
	json_decref(out);
}

static void test_contact_plans(void **state)
{
	static const char *const filters[] = { "none",
					       "q",
					       "institution_id",
					       "department_id",
					       "decision_role",
					       "stance",
					       "kol_tier",
					       "key",
					       NULL };
	static const char *const sorts[] = { "name",	   "-name",	  "influence",
					     "-influence", "institution", "-institution",
					     "created_at", "-created_at", NULL };
	(void)state;
	run_matrix("contacts", filters, sorts, run_contact);
}

static int setup(void **state)
{
	int64_t hq, team;
	(void)state;
	if (fixture_open("plans"))
		return -1;
	hq = mk_unit("PL-HQ", "company", 0);
	team = mk_unit("PL-T1", "team", hq);
	mk_user("pl.mgr", "manager", team, &s_mgr, ROLE_MANAGER);
	mk_user("pl.rep", "rep", team, &s_rep, ROLE_REP);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_close();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_institution_plans),
		cmocka_unit_test(test_contact_plans),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

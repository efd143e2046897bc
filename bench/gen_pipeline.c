/* gen_pipeline.c: fills a demo database (./medsales demo) with a large
 * pipeline for bench/pipeline.sh, straight through the sqlite3 C API in one
 * transaction: one region BENCH under the company with TEAMS teams
 * (BENCH-T01...) of REPS reps and one manager each (bench.t01.mgr,
 * bench.t01.r01...; the director's password hash, so Demo@2026), then OPPS
 * opportunities owned by those reps with HIST stage_history rows in all,
 * spread over the last two years before NOW. Each opportunity walks the open
 * stages (forward more often than back) and may end in WON or LOST; its
 * rows carry entered_on (Asia/Shanghai date), left_at and next_position of
 * the row that follows, the owner, amount and product line, as
 * store_opportunity.c's record_stage writes them. Deterministic (xorshift64).
 *   gen_pipeline DB TEAMS REPS OPPS HIST NOW
 * Prints the team unit ids, one line "team <code> <unit_id> <manager>". */
#include <string.h>

#define GEN_NAME "gen_pipeline"
#define GEN_SEED 0x2545F4914F6CDD1Dull
#define GEN_SQLITE
#include "gen.h"

static void date_of(int64_t instant, char out[11])
{
	int64_t s = instant + 8 * 3600;
	ymd(s >= 0 ? s / 86400 : (s - 86399) / 86400, out);
}

static const char *const codes[] = { "",	 "LEAD_CONFIRMED", "NEED_CONFIRMED", "SOLUTION",
				     "APPROVAL", "TENDER",	   "NEGOTIATION",    "WON",
				     "LOST" };
static const int probs[] = { 0, 10, 20, 35, 50, 65, 80, 100, 0 };
static const char *const lines[] = { "IMAGING",	       "HVC",	      "LVC",
				     "IVD_INSTRUMENT", "IVD_REAGENT", "SERVICE" };

/* A walk of n entries (positions 1..8): open stages, forward 65 %, the last
 * one WON or LOST for about 70 % of the deals. */
static void walk(int *pos, int n)
{
	int p = 1;
	double end = unif();
	pos[0] = 1;
	for (int i = 1; i < n; i++) {
		if (i == n - 1 && end < 0.35) {
			pos[i] = 7;
			return;
		}
		if (i == n - 1 && end < 0.70) {
			pos[i] = 8;
			return;
		}
		if (p == 1 || (p < 6 && unif() < 0.65))
			p++;
		else if (p == 6 && unif() < 0.5)
			p--;
		else if (p > 1)
			p--;
		pos[i] = p;
	}
}

int main(int argc, char **argv)
{
	int teams, reps, opps;
	long long hist, now;
	int64_t company, region, *rep_ids, *inst_ids, ninst = 0, cap = 1024;
	char hash[512] = "", buf[256], day[11];
	sqlite3_stmt *s;

	if (argc != 7) {
		fprintf(stderr, "usage: gen_pipeline DB TEAMS REPS OPPS HIST NOW\n");
		return 2;
	}
	teams = atoi(argv[2]);
	reps = atoi(argv[3]);
	opps = atoi(argv[4]);
	hist = atoll(argv[5]);
	now = atoll(argv[6]);
	if (teams < 1 || reps < 1 || opps < 1 || hist < opps) {
		fprintf(stderr, "gen_pipeline: bad sizes\n");
		return 2;
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		die("open");
	exec("PRAGMA synchronous = OFF");
	exec("BEGIN IMMEDIATE");

	demo_base(hash, sizeof(hash), &company);
	inst_ids = malloc(sizeof(*inst_ids) * (size_t)cap);
	s = prep("SELECT id FROM institutions ORDER BY id");
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (ninst == cap)
			inst_ids = realloc(inst_ids, sizeof(*inst_ids) * (size_t)(cap *= 2));
		inst_ids[ninst++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (!ninst) {
		fprintf(stderr, "gen_pipeline: no institutions (run ./medsales demo first)\n");
		return 1;
	}

	/* The organisation. */
	{
		sqlite3_stmt *unit = prep("INSERT INTO org_units (code, type, created_at) VALUES "
					  "(?, ?, ?)");
		sqlite3_stmt *ver = prep("INSERT INTO org_unit_versions (unit_id, parent_id, "
					 "name_zh, name_en, valid_from) VALUES (?, ?, ?, ?, "
					 "'2024-01-01')");
		sqlite3_stmt *user = prep("INSERT INTO users (username, display_name, role, "
					  "unit_id, password_hash, created_at, updated_at) VALUES "
					  "(?, ?, ?, ?, ?, ?, ?)");
		sqlite3_stmt *uh = prep("INSERT INTO user_unit_history (user_id, unit_id, "
					"valid_from) VALUES (?, ?, '2024-01-01')");
		rep_ids = malloc(sizeof(*rep_ids) * (size_t)teams * (size_t)reps);
		sqlite3_bind_text(unit, 1, "BENCH", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(unit, 2, "region", -1, SQLITE_STATIC);
		sqlite3_bind_int64(unit, 3, now);
		step(unit);
		region = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(ver, 1, region);
		sqlite3_bind_int64(ver, 2, company);
		sqlite3_bind_text(ver, 3, "基准大区", -1, SQLITE_STATIC);
		sqlite3_bind_text(ver, 4, "Bench region", -1, SQLITE_STATIC);
		step(ver);
		for (int t = 0; t < teams; t++) {
			int64_t team, uid;
			snprintf(buf, sizeof(buf), "BENCH-T%02d", t + 1);
			sqlite3_bind_text(unit, 1, buf, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(unit, 2, "team", -1, SQLITE_STATIC);
			sqlite3_bind_int64(unit, 3, now);
			step(unit);
			team = sqlite3_last_insert_rowid(db);
			sqlite3_bind_int64(ver, 1, team);
			sqlite3_bind_int64(ver, 2, region);
			sqlite3_bind_text(ver, 3, buf, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ver, 4, buf, -1, SQLITE_TRANSIENT);
			step(ver);
			for (int r = 0; r <= reps; r++) {
				if (r == 0)
					snprintf(buf, sizeof(buf), "bench.t%02d.mgr", t + 1);
				else
					snprintf(buf, sizeof(buf), "bench.t%02d.r%02d", t + 1, r);
				sqlite3_bind_text(user, 1, buf, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(user, 2, buf, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(user, 3, r ? "rep" : "manager", -1,
						  SQLITE_STATIC);
				sqlite3_bind_int64(user, 4, team);
				sqlite3_bind_text(user, 5, hash, -1, SQLITE_TRANSIENT);
				sqlite3_bind_int64(user, 6, now);
				sqlite3_bind_int64(user, 7, now);
				step(user);
				uid = sqlite3_last_insert_rowid(db);
				sqlite3_bind_int64(uh, 1, uid);
				sqlite3_bind_int64(uh, 2, team);
				step(uh);
				if (r)
					rep_ids[t * reps + r - 1] = uid;
			}
			printf("team BENCH-T%02d %lld bench.t%02d.mgr\n", t + 1, (long long)team,
			       t + 1);
		}
		sqlite3_finalize(unit);
		sqlite3_finalize(ver);
		sqlite3_finalize(user);
		sqlite3_finalize(uh);
	}

	/* The deals and their histories. */
	{
		sqlite3_stmt *opp = prep(
			"INSERT INTO opportunities (name, institution_id, owner_id, "
			"product_line_code, amount_fen, expected_close_date, stage_code, "
			"stage_entered_at, probability, source, closed_on, last_activity_at, "
			"created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"'bench', ?, ?, ?, ?, ?)");
		sqlite3_stmt *h = prep(
			"INSERT INTO stage_history (opportunity_id, stage_code, position, "
			"entered_at, entered_on, left_at, next_position, amount_fen, owner_id, "
			"product_line_code, user_id, prev_entered_on, advanced) VALUES (?, ?, ?, "
			"?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
		long long left = hist, written = 0;
		const int64_t span = 730LL * 86400;
		int pos[64];
		int64_t at[64];

		for (int i = 0; i < opps; i++) {
			/* Entries of this deal: the rest spread evenly, +-5 at random. */
			long long avg = left / (opps - i);
			int n = (int)avg + (i + 1 < opps ? (int)pick(11) - 5 : 0);
			int64_t owner = rep_ids[pick((unsigned)(teams * reps))];
			int64_t amount = (int64_t)(pick(2000) + 1) * 100000;
			const char *line = lines[pick(6)];
			int64_t start, id;
			if (i + 1 == opps)
				n = (int)left;
			if (n < 1)
				n = 1;
			if (n > 64)
				n = 64;
			if (left - n < (long long)(opps - i - 1))
				n = (int)(left - (opps - i - 1));
			left -= n;
			walk(pos, n);
			/* Entered over a stretch of the last two years. */
			start = now - span + (int64_t)(unif() * (double)span * 0.95);
			at[0] = start;
			for (int k = 1; k < n; k++)
				at[k] = at[k - 1] + 3600 +
					(int64_t)(unif() * 2.0 * (double)(now - start) / n);
			for (int k = 1; k < n; k++)
				if (at[k] > now - (n - k))
					at[k] = now - (n - k);
			for (int k = 1; k < n; k++)
				if (at[k] <= at[k - 1])
					at[k] = at[k - 1] + 1;
			snprintf(buf, sizeof(buf), "基准商机 %d", i + 1);
			sqlite3_bind_text(opp, 1, buf, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(opp, 2, inst_ids[pick((unsigned)ninst)]);
			sqlite3_bind_int64(opp, 3, owner);
			sqlite3_bind_text(opp, 4, line, -1, SQLITE_STATIC);
			sqlite3_bind_int64(opp, 5, amount);
			if (pos[n - 1] >= 7)
				date_of(at[n - 1], day);
			else
				date_of(now + (int64_t)(pick(180) + 1) * 86400, day);
			sqlite3_bind_text(opp, 6, day, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(opp, 7, codes[pos[n - 1]], -1, SQLITE_STATIC);
			sqlite3_bind_int64(opp, 8, at[n - 1]);
			sqlite3_bind_int(opp, 9, probs[pos[n - 1]]);
			if (pos[n - 1] >= 7) {
				date_of(at[n - 1], day);
				sqlite3_bind_text(opp, 10, day, -1, SQLITE_TRANSIENT);
			} else {
				sqlite3_bind_null(opp, 10);
			}
			sqlite3_bind_int64(opp, 11, at[n - 1]);
			sqlite3_bind_int64(opp, 12, owner);
			sqlite3_bind_int64(opp, 13, at[0]);
			sqlite3_bind_int64(opp, 14, at[n - 1]);
			step(opp);
			id = sqlite3_last_insert_rowid(db);
			for (int k = 0; k < n; k++) {
				char prev[11];
				int had = 0;
				/* the deal's previous entry into this stage (migration
				 * 0014), and whether it went on, not to lost (8) */
				for (int j = k - 1; j >= 0 && !had; j--)
					if (pos[j] == pos[k]) {
						date_of(at[j], prev);
						had = 1;
					}
				if (had)
					sqlite3_bind_text(h, 12, prev, -1, SQLITE_TRANSIENT);
				else
					sqlite3_bind_null(h, 12);
				if (k + 1 < n)
					sqlite3_bind_int(h, 13,
							 pos[k + 1] > pos[k] && pos[k + 1] != 8);
				else
					sqlite3_bind_null(h, 13);
				date_of(at[k], day);
				sqlite3_bind_int64(h, 1, id);
				sqlite3_bind_text(h, 2, codes[pos[k]], -1, SQLITE_STATIC);
				sqlite3_bind_int(h, 3, pos[k]);
				sqlite3_bind_int64(h, 4, at[k]);
				sqlite3_bind_text(h, 5, day, -1, SQLITE_TRANSIENT);
				if (k + 1 < n) {
					sqlite3_bind_int64(h, 6, at[k + 1]);
					sqlite3_bind_int(h, 7, pos[k + 1]);
				} else {
					sqlite3_bind_null(h, 6);
					sqlite3_bind_null(h, 7);
				}
				sqlite3_bind_int64(h, 8, amount);
				sqlite3_bind_int64(h, 9, owner);
				sqlite3_bind_text(h, 10, line, -1, SQLITE_STATIC);
				sqlite3_bind_int64(h, 11, owner);
				step(h);
				written++;
			}
		}
		sqlite3_finalize(opp);
		sqlite3_finalize(h);
		fprintf(stderr,
			"gen_pipeline: %d teams x %d reps, %d opportunities, %lld stage "
			"changes\n",
			teams, reps, opps, written);
	}
	exec("COMMIT");
	free(rep_ids);
	free(inst_ids);
	return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}

/* gen_visits.c: fills a demo database (./medsales demo) with a large visit
 * history for bench/visits.sh, straight through the sqlite3 C API in one
 * transaction: a region BENCHV under the company with two provinces
 * (BENCHV-P1, BENCHV-P2) of TEAMS teams of REPS reps each (managers
 * benchv.p1.mgr, benchv.p2.mgr; reps benchv.p1.t01.r01...; the director's
 * password hash, so Demo@2026); INST institutions a rep (A 20 %, B 35 %,
 * C 45 %) with five contacts each (three key) and the rep's primary
 * coverage; then VISITS visits in all, spread evenly over the reps and the
 * DAYS days before NOW (grade-weighted institutions, one contact met, 85 %
 * effective, 80 % planned), and two weeks of plans after NOW, as
 * store_visit.c's batch path writes them. Deterministic (xorshift64).
 *   gen_visits DB TEAMS REPS INST VISITS DAYS NOW
 * Prints "manager <username> <unit_id> <reps>" per province and one
 * "rep <username>" line. */
#include <string.h>

#define GEN_NAME "gen_visits"
#define GEN_SEED 0x9E3779B97F4A7C15ull
#define GEN_SQLITE
#include "gen.h"

static int64_t add_unit(sqlite3_stmt *unit, sqlite3_stmt *ver, const char *code, const char *type,
			int64_t parent, long long now)
{
	int64_t id;
	sqlite3_bind_text(unit, 1, code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(unit, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(unit, 3, now);
	step(unit);
	id = sqlite3_last_insert_rowid(db);
	sqlite3_bind_int64(ver, 1, id);
	sqlite3_bind_int64(ver, 2, parent);
	sqlite3_bind_text(ver, 3, code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ver, 4, code, -1, SQLITE_TRANSIENT);
	step(ver);
	return id;
}

static int64_t add_user(sqlite3_stmt *user, sqlite3_stmt *uh, const char *name, const char *role,
			int64_t unit, const char *hash, long long now)
{
	int64_t id;
	sqlite3_bind_text(user, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(user, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(user, 3, role, -1, SQLITE_STATIC);
	sqlite3_bind_int64(user, 4, unit);
	sqlite3_bind_text(user, 5, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(user, 6, now);
	sqlite3_bind_int64(user, 7, now);
	step(user);
	id = sqlite3_last_insert_rowid(db);
	sqlite3_bind_int64(uh, 1, id);
	sqlite3_bind_int64(uh, 2, unit);
	step(uh);
	return id;
}

struct inst {
	int64_t id, contact[5];
	char grade;
	double lat, lon;
};

int main(int argc, char **argv)
{
	static const char *const steps7 =
		"{\"close\":{\"done\":true,\"note\":\"\"},\"follow\":{\"done\":true,\"note\":\"\"},"
		"\"objection\":{\"done\":false,\"note\":\"\"},\"open\":{\"done\":true,\"note\":"
		"\"\"},"
		"\"plan\":{\"done\":true,\"note\":\"\"},\"present\":{\"done\":true,\"note\":\"\"},"
		"\"probe\":{\"done\":true,\"note\":\"\"}}";
	int teams, reps, ninst;
	long long visits, days, now, today, total = 0;
	int64_t company, region;
	char hash[512] = "", buf[128], day[11], next_day[11];
	struct inst *inst;
	sqlite3_stmt *unit, *ver, *user, *uh, *ins, *con, *cov, *vis, *vc;

	if (argc != 8) {
		fprintf(stderr, "usage: gen_visits DB TEAMS REPS INST VISITS DAYS NOW\n");
		return 2;
	}
	teams = atoi(argv[2]);
	reps = atoi(argv[3]);
	ninst = atoi(argv[4]);
	visits = atoll(argv[5]);
	days = atoll(argv[6]);
	now = atoll(argv[7]);
	if (teams < 1 || reps < 1 || ninst < 1 || visits < 1 || days < 30) {
		fprintf(stderr, "gen_visits: bad sizes\n");
		return 2;
	}
	today = (now + 8 * 3600) / 86400;
	inst = calloc((size_t)ninst, sizeof(*inst));
	demo_open(argv[1], hash, sizeof(hash), &company);

	unit = prep("INSERT INTO org_units (code, type, created_at) VALUES (?, ?, ?)");
	ver = prep("INSERT INTO org_unit_versions (unit_id, parent_id, name_zh, name_en, "
		   "valid_from) VALUES (?, ?, ?, ?, '2020-01-01')");
	user = prep("INSERT INTO users (username, display_name, role, unit_id, password_hash, "
		    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	uh = prep("INSERT INTO user_unit_history (user_id, unit_id, valid_from) VALUES (?, ?, "
		  "'2020-01-01')");
	ins = prep("INSERT INTO institutions (name, search_text, name_key, province_code, city, "
		   "latitude, longitude, level, class, grade, grade_computed, grade_score, "
		   "owner_id, status, created_by, created_at, updated_at) VALUES (?, ?, ?, 'SH', "
		   "'基准市', ?, ?, 'L2', 'A', ?, ?, ?, ?, 'active', 1, ?, ?)");
	con = prep("INSERT INTO contacts (institution_id, name, decision_role, influence, is_key, "
		   "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)");
	cov = prep("INSERT INTO coverage (institution_id, user_id, role, valid_from, created_at) "
		   "VALUES (?, ?, 'primary', '2020-01-01', ?)");
	vis = prep("INSERT INTO visits (owner_id, institution_id, type, status, visit_date, "
		   "planned_start_at, was_planned, objective, check_in_at, check_in_lat, "
		   "check_in_lon, check_out_at, check_out_lat, check_out_lon, distance_m, "
		   "location_status, location_reason, steps_json, products_json, outcome, "
		   "next_step, next_step_date, logged_at, is_effective, reasons_json, "
		   "warnings_json, created_by, created_at, updated_at) VALUES (?, ?, 'in_person', "
		   "?, ?, ?, ?, '了解设备更新计划', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[\"HVC\"]', ?, "
		   "?, ?, "
		   "?, ?, ?, '[]', ?, ?, ?)");
	vc = prep("INSERT INTO visit_contacts (visit_id, contact_id, owner_id, visit_date) VALUES "
		  "(?, ?, ?, ?)");

	region = add_unit(unit, ver, "BENCHV", "region", company, now);
	for (int p = 0; p < 2; p++) {
		int64_t prov, mgr_unit;
		long long per_rep = visits / (2LL * teams * reps);
		snprintf(buf, sizeof(buf), "BENCHV-P%d", p + 1);
		prov = add_unit(unit, ver, buf, "province", region, now);
		mgr_unit = prov;
		snprintf(buf, sizeof(buf), "benchv.p%d.mgr", p + 1);
		add_user(user, uh, buf, "manager", prov, hash, now);
		printf("manager %s %lld %d\n", buf, (long long)mgr_unit, teams * reps);
		for (int t = 0; t < teams; t++) {
			int64_t team;
			snprintf(buf, sizeof(buf), "BENCHV-P%d-T%02d", p + 1, t + 1);
			team = add_unit(unit, ver, buf, "team", prov, now);
			for (int r = 0; r < reps; r++) {
				int64_t rep;
				double w[3] = { 6, 3, 1.5 }, wsum = 0, cum[256];
				snprintf(buf, sizeof(buf), "benchv.p%d.t%02d.r%02d", p + 1, t + 1,
					 r + 1);
				rep = add_user(user, uh, buf, "rep", team, hash, now);
				if (p == 0 && t == 0 && r == 0)
					printf("rep %s\n", buf);
				/* The rep's institutions and contacts. */
				for (int i = 0; i < ninst; i++) {
					struct inst *x = &inst[i];
					unsigned g = pick(100);
					char name[192];
					x->grade = g < 20 ? 'A' : g < 55 ? 'B' : 'C';
					x->lat = 31.0 + (double)pick(10000) / 20000.0;
					x->lon = 121.0 + (double)pick(10000) / 20000.0;
					snprintf(name, sizeof(name), "基准医院 %s-%03d", buf,
						 i + 1);
					sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT);
					sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
					sqlite3_bind_text(ins, 3, name, -1, SQLITE_TRANSIENT);
					sqlite3_bind_double(ins, 4, x->lat);
					sqlite3_bind_double(ins, 5, x->lon);
					sqlite3_bind_text(ins, 6, &x->grade, 1, SQLITE_TRANSIENT);
					sqlite3_bind_text(ins, 7, &x->grade, 1, SQLITE_TRANSIENT);
					sqlite3_bind_int(ins, 8,
							 x->grade == 'A'   ? 80
							 : x->grade == 'B' ? 60
									   : 30);
					sqlite3_bind_int64(ins, 9, rep);
					sqlite3_bind_int64(ins, 10, now);
					sqlite3_bind_int64(ins, 11, now);
					step(ins);
					x->id = sqlite3_last_insert_rowid(db);
					for (int c = 0; c < 5; c++) {
						snprintf(name, sizeof(name), "联系人%d", c + 1);
						sqlite3_bind_int64(con, 1, x->id);
						sqlite3_bind_text(con, 2, name, -1,
								  SQLITE_TRANSIENT);
						sqlite3_bind_text(con, 3,
								  c == 0   ? "DECISION_MAKER"
								  : c == 1 ? "GATEKEEPER"
								  : c == 2 ? "INFLUENCER"
									   : "USER",
								  -1, SQLITE_STATIC);
						sqlite3_bind_int(con, 4, c < 3 ? 4 : 2);
						sqlite3_bind_int(con, 5, c < 3);
						sqlite3_bind_int64(con, 6, now);
						sqlite3_bind_int64(con, 7, now);
						step(con);
						x->contact[c] = sqlite3_last_insert_rowid(db);
					}
					sqlite3_bind_int64(cov, 1, x->id);
					sqlite3_bind_int64(cov, 2, rep);
					sqlite3_bind_int64(cov, 3, now);
					step(cov);
					wsum += w[x->grade - 'A'];
					cum[i < 256 ? i : 255] = wsum;
				}
				/* Visits, evenly over the days, then two weeks of plans. */
				for (long long k = 0; k < per_rep + 28; k++) {
					int planned = k >= per_rep;
					long long d = planned ? today + 1 + (k - per_rep) / 2
							      : today - days + k * days / per_rep;
					double u = (double)pick(1000000) / 1000000.0 * wsum;
					int i = 0, eff = pick(100) < 85;
					struct inst *x;
					long long t_in = d * 86400 - 8 * 3600 +
							 (8 * 60 + (long long)pick(540)) * 60;
					while (i < ninst - 1 && i < 255 && cum[i] < u)
						i++;
					x = &inst[i];
					ymd(d, day);
					ymd(d + 7, next_day);
					sqlite3_bind_int64(vis, 1, rep);
					sqlite3_bind_int64(vis, 2, x->id);
					sqlite3_bind_text(vis, 3, planned ? "planned" : "completed",
							  -1, SQLITE_STATIC);
					sqlite3_bind_text(vis, 4, day, -1, SQLITE_TRANSIENT);
					if (planned) {
						sqlite3_bind_int64(vis, 5, t_in);
						sqlite3_bind_int(vis, 6, 1);
						sqlite3_bind_text(vis, 14, "none", -1,
								  SQLITE_STATIC);
						sqlite3_bind_text(vis, 15, "", -1, SQLITE_STATIC);
						sqlite3_bind_text(vis, 16, "{}", -1, SQLITE_STATIC);
						sqlite3_bind_text(vis, 17, "", -1, SQLITE_STATIC);
						sqlite3_bind_text(vis, 18, "", -1, SQLITE_STATIC);
						sqlite3_bind_int(vis, 21, 0);
						sqlite3_bind_text(vis, 22, "[\"not_completed\"]",
								  -1, SQLITE_STATIC);
					} else {
						double lat = x->lat + (double)pick(100) / 100000.0;
						double lon = x->lon + (double)pick(100) / 100000.0;
						long long t_out = t_in + (15 + pick(45)) * 60;
						sqlite3_bind_int(vis, 6, pick(100) < 80);
						sqlite3_bind_int64(vis, 7, t_in);
						sqlite3_bind_double(vis, 8, lat);
						sqlite3_bind_double(vis, 9, lon);
						sqlite3_bind_int64(vis, 10, t_out);
						sqlite3_bind_double(vis, 11, lat);
						sqlite3_bind_double(vis, 12, lon);
						sqlite3_bind_double(vis, 13, 80);
						sqlite3_bind_text(vis, 14, "verified", -1,
								  SQLITE_STATIC);
						sqlite3_bind_text(vis, 15, "within", -1,
								  SQLITE_STATIC);
						sqlite3_bind_text(vis, 16, steps7, -1,
								  SQLITE_STATIC);
						sqlite3_bind_text(vis, 17, "主任同意安排试用", -1,
								  SQLITE_STATIC);
						sqlite3_bind_text(vis, 18, "提交试用申请", -1,
								  SQLITE_STATIC);
						sqlite3_bind_text(vis, 19, next_day, -1,
								  SQLITE_TRANSIENT);
						sqlite3_bind_int64(vis, 20, t_out + 3600);
						sqlite3_bind_int(vis, 21, eff);
						sqlite3_bind_text(vis, 22,
								  eff ? "[]"
								      : "[\"no_decision_contact\"]",
								  -1, SQLITE_STATIC);
					}
					sqlite3_bind_int64(vis, 23, rep);
					sqlite3_bind_int64(vis, 24, t_in - 86400);
					sqlite3_bind_int64(vis, 25, t_in);
					step(vis);
					total++;
					if (!planned) {
						sqlite3_bind_int64(vc, 1,
								   sqlite3_last_insert_rowid(db));
						sqlite3_bind_int64(
							vc, 2,
							x->contact[eff ? pick(3) : 3 + pick(2)]);
						sqlite3_bind_int64(vc, 3, rep);
						sqlite3_bind_text(vc, 4, day, -1, SQLITE_TRANSIENT);
						step(vc);
					}
				}
			}
		}
	}
	sqlite3_finalize(unit);
	sqlite3_finalize(ver);
	sqlite3_finalize(user);
	sqlite3_finalize(uh);
	sqlite3_finalize(ins);
	sqlite3_finalize(con);
	sqlite3_finalize(cov);
	sqlite3_finalize(vis);
	sqlite3_finalize(vc);
	exec("COMMIT");
	exec("ANALYZE");
	fprintf(stderr, "gen_visits: %lld visits\n", total);
	sqlite3_close(db);
	free(inst);
	return 0;
}

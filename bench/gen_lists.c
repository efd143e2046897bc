/* gen_lists.c: fills a demo database (./medsales demo) with the customer
 * master of issue 21 for bench/lists.sh, straight through the sqlite3 C API
 * in one transaction: a unit BENCHL under the company with a manager
 * (benchl.mgr) and REPS reps (benchl.r01...; the director's password hash,
 * so Demo@2026); INST institutions in CITIES cities whose sizes follow a
 * Zipf law (杭州市 is the third largest), with skewed names: most begin
 * with their city and one of a few common kinds (人民医院, 中医医院...),
 * the others with a shared brand (协和, 仁济, 同仁...), so that names
 * cluster as real ones do; the reps cover them by region (the institutions
 * ordered by city, REPS blocks of INST / REPS, each block one rep's primary
 * coverage and owner_id); CONTACTS contacts spread over the institutions
 * (1 to 19 each, proportionally, at random). Deterministic (xorshift64).
 *   gen_lists DB INST CITIES CONTACTS REPS NOW
 * Prints "institution <id>" for an institution with contacts. */
#include <math.h>
#include <string.h>

#define GEN_NAME "gen_lists"
#define GEN_SEED 0x2545F4914F6CDD1Dull
#define GEN_SQLITE
#include "gen.h"

static const char *const real_cities[] = { "上海市", "北京市", "杭州市", "广州市", "深圳市",
					   "成都市", "武汉市", "南京市", "重庆市", "西安市" };
static const char *const c1[] = { "安", "宝", "长", "大", "东", "丰", "广", "海", "河", "华",
				  "江", "金", "京", "开", "兰", "临", "龙", "南", "宁", "平",
				  "青", "泉", "三", "山", "石", "顺", "泰", "天", "武", "新" };
static const char *const c2[] = { "阳", "州", "山", "城", "江", "宁", "安", "源", "川", "口" };
static const char *const kinds[] = { "人民医院", "中医医院",	     "第一人民医院", "妇幼保健院",
				     "中心医院", "第二人民医院",     "肿瘤医院",     "儿童医院",
				     "骨科医院", "社区卫生服务中心", "口腔医院",     "眼科医院" };
static const char *const brands[] = { "协和", "仁济", "同仁", "华山", "瑞金",
				      "爱尔", "美年", "湘雅", "华西", "齐鲁" };
static const char *const levels[] = { "L3", "L2", "L1", "UNGRADED" };
static const char *const grades[] = { "A", "B", "C" };
static const char *const statuses[] = { "active", "prospect", "dormant" };
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"
};
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "军" };
static const char *const roles[] = { "DECISION_MAKER", "INFLUENCER",  "USER",	 "USER",
				     "GATEKEEPER",     "PROCUREMENT", "FINANCE", "USER" };

/* A Zipf(s) pick in [0, n) from the cumulative weights cum (cum[n-1] = 1). */
static unsigned zipf(const double *cum, unsigned n)
{
	double u = unif();
	unsigned lo = 0, hi = n - 1;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (cum[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void zipf_table(double *cum, unsigned n, double s)
{
	double sum = 0;
	for (unsigned i = 0; i < n; i++)
		sum += cum[i] = 1.0 / pow(i + 1, s);
	for (unsigned i = 0; i < n; i++)
		cum[i] = (i ? cum[i - 1] : 0) + cum[i] / sum;
	cum[n - 1] = 1.0;
}

static int by_city(const void *a, const void *b)
{
	const unsigned *x = a, *y = b;
	return x[1] != y[1] ? (x[1] < y[1] ? -1 : 1) : (x[0] < y[0] ? -1 : x[0] > y[0]);
}

int main(int argc, char **argv)
{
	long ninst, ncities, ncontacts, nreps, now;
	char hash[512] = "", buf[256], search[300], (*city)[32];
	char(*prov)[8];
	int64_t company, unit, *rep_id, *inst_id;
	unsigned(*ic)[2]; /* institution index, city */
	double *cum_city, cum_kind[12], cum_brand[10];
	long nprov = 0, contacts_left;
	char provs[64][8];
	sqlite3_stmt *s, *user, *ins, *cov, *con;

	if (argc != 7) {
		fprintf(stderr, "usage: gen_lists DB INST CITIES CONTACTS REPS NOW\n");
		return 2;
	}
	ninst = strtol(argv[2], NULL, 10);
	ncities = strtol(argv[3], NULL, 10);
	ncontacts = strtol(argv[4], NULL, 10);
	nreps = strtol(argv[5], NULL, 10);
	now = strtol(argv[6], NULL, 10);
	if (ninst < 1 || ncities < 10 || ncities > 300 || ncontacts < 0 || nreps < 1 ||
	    nreps > 99) {
		fprintf(stderr, "gen_lists: bad sizes (CITIES 10..300, REPS 1..99)\n");
		return 2;
	}
	demo_open(argv[1], hash, sizeof(hash), &company);
	s = prep("SELECT code FROM ref_items WHERE kind = 'provinces' ORDER BY code");
	while (nprov < 64 && sqlite3_step(s) == SQLITE_ROW)
		snprintf(provs[nprov++], 8, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	if (!nprov)
		die("no provinces");

	city = calloc((size_t)ncities, sizeof(*city));
	prov = calloc((size_t)ncities, sizeof(*prov));
	cum_city = calloc((size_t)ncities, sizeof(*cum_city));
	rep_id = calloc((size_t)nreps, sizeof(*rep_id));
	inst_id = calloc((size_t)ninst, sizeof(*inst_id));
	ic = calloc((size_t)ninst, sizeof(*ic));
	if (!city || !prov || !cum_city || !rep_id || !inst_id || !ic)
		return 1;
	for (long c = 0; c < ncities; c++) {
		if (c < 10)
			snprintf(city[c], sizeof(city[c]), "%s", real_cities[c]);
		else
			snprintf(city[c], sizeof(city[c]), "%s%s市", c1[(c - 10) % 30],
				 c2[(c - 10) / 30]);
		for (int r = 0; c >= 10 && r < 10; r++) /* 广州市 is one of the real ones */
			if (!strcmp(city[c], real_cities[r]))
				snprintf(city[c], sizeof(city[c]), "%s新市", c1[(c - 10) % 30]);
		snprintf(prov[c], sizeof(prov[c]), "%s", provs[c % nprov]);
	}
	for (long p = 0; p < nprov; p++) /* the real ones in their province */
		if (!strcmp(provs[p], "ZJ"))
			snprintf(prov[2], sizeof(prov[2]), "ZJ");
	zipf_table(cum_city, (unsigned)ncities, 0.8);
	zipf_table(cum_kind, 12, 1.0);
	zipf_table(cum_brand, 10, 1.0);

	s = prep("INSERT INTO org_units (code, type, created_at) VALUES ('BENCHL', 'team', ?)");
	sqlite3_bind_int64(s, 1, now);
	step(s);
	sqlite3_finalize(s);
	unit = sqlite3_last_insert_rowid(db);
	s = prep("INSERT INTO org_unit_versions (unit_id, parent_id, name_zh, name_en, "
		 "valid_from) VALUES (?, ?, 'BENCHL', 'BENCHL', '2020-01-01')");
	sqlite3_bind_int64(s, 1, unit);
	sqlite3_bind_int64(s, 2, company);
	step(s);
	sqlite3_finalize(s);
	user = prep("INSERT INTO users (username, display_name, role, unit_id, password_hash, "
		    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	for (long r = -1; r < nreps; r++) {
		if (r < 0)
			snprintf(buf, sizeof(buf), "benchl.mgr");
		else
			snprintf(buf, sizeof(buf), "benchl.r%02ld", r + 1);
		sqlite3_bind_text(user, 1, buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(user, 2, buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(user, 3, r < 0 ? "manager" : "rep", -1, SQLITE_STATIC);
		sqlite3_bind_int64(user, 4, unit);
		sqlite3_bind_text(user, 5, hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(user, 6, now);
		sqlite3_bind_int64(user, 7, now);
		step(user);
		if (r >= 0)
			rep_id[r] = sqlite3_last_insert_rowid(db);
	}
	sqlite3_finalize(user);

	/* Cities first, then the reps by region: blocks of the institutions
	 * ordered by city. */
	for (long i = 0; i < ninst; i++) {
		ic[i][0] = (unsigned)i;
		ic[i][1] = zipf(cum_city, (unsigned)ncities);
	}
	qsort(ic, (size_t)ninst, sizeof(*ic), by_city);

	ins = prep("INSERT INTO institutions (name, search_text, name_key, province_code, city, "
		   "district, level, grade, grade_computed, grade_score, completeness, beds, "
		   "owner_id, status, segment_code, created_by, created_at, updated_at) VALUES "
		   "(?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, ?, ?)");
	cov = prep("INSERT INTO coverage (institution_id, user_id, role, valid_from, created_at) "
		   "VALUES (?, ?, 'primary', '2020-01-01', ?)");
	for (long k = 0; k < ninst; k++) {
		unsigned c = ic[k][1], g = pick(3);
		long r = k * nreps / ninst;
		char stem[64];
		snprintf(stem, sizeof(stem), "%s", city[c]);
		stem[strlen(stem) - 3] = '\0'; /* without 市 */
		if (pick(10) < 6)
			snprintf(buf, sizeof(buf), "%s市%s%s", stem,
				 pick(3) ? "" : (const char *)c2[pick(10)],
				 kinds[zipf(cum_kind, 12)]);
		else
			snprintf(buf, sizeof(buf), "%s%s医院%s分院", stem,
				 brands[zipf(cum_brand, 10)], given[pick(10)]);
		/* Unique (name, city): a number after the repeated ones. */
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%u号", ic[k][0] % 9973);
		snprintf(search, sizeof(search), "%s|", buf);
		sqlite3_bind_text(ins, 1, buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, search, -1, SQLITE_TRANSIENT);
		snprintf(search, sizeof(search), "%s#%u", buf, ic[k][0]);
		sqlite3_bind_text(ins, 3, search, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 4, prov[c], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 5, city[c], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 6, levels[pick(4)], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 7, grades[g], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, grades[g], -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 9, 80 - 30 * g + pick(20));
		sqlite3_bind_int64(ins, 10, pick(101));
		sqlite3_bind_int64(ins, 11, pick(2500));
		sqlite3_bind_int64(ins, 12, rep_id[r]);
		sqlite3_bind_text(ins, 13, statuses[pick(3)], -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 14, now - pick(2000) * 86400LL);
		sqlite3_bind_int64(ins, 15, now - pick(300) * 86400LL);
		step(ins);
		inst_id[k] = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(cov, 1, inst_id[k]);
		sqlite3_bind_int64(cov, 2, rep_id[r]);
		sqlite3_bind_int64(cov, 3, now);
		step(cov);
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(cov);

	con = prep("INSERT INTO contacts (institution_id, name, title, position, decision_role, "
		   "influence, is_key, mobile, mobile_key, search_text, created_by, created_at, "
		   "updated_at) VALUES (?, ?, '主任医师', '科主任', ?, ?, ?, ?, ?, ?, 1, ?, ?)");
	contacts_left = ncontacts;
	for (long k = 0, j = 0; k < ninst && contacts_left > 0; k++) {
		long want = ncontacts / ninst, n;
		n = want <= 1 ? 1 : 1 + (long)pick((unsigned)(2 * want - 1));
		if (k == ninst - 1 || n > contacts_left)
			n = contacts_left;
		for (long m = 0; m < n; m++, j++) {
			unsigned ro = pick(8), infl = pick(5) + 1;
			char mobile[32];
			snprintf(buf, sizeof(buf), "%s%s%s", surnames[pick(10)], given[pick(10)],
				 j % 2 ? given[pick(10)] : "");
			snprintf(mobile, sizeof(mobile), "1%u%09ld", 3 + pick(7), j);
			snprintf(search, sizeof(search), "%s|主任医师|科主任|", buf);
			sqlite3_bind_int64(con, 1, inst_id[k]);
			sqlite3_bind_text(con, 2, buf, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(con, 3, roles[ro], -1, SQLITE_STATIC);
			sqlite3_bind_int64(con, 4, infl);
			sqlite3_bind_int64(con, 5, ro < 2 || ro == 4 || infl >= 4);
			sqlite3_bind_text(con, 6, mobile, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(con, 7, mobile, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(con, 8, search, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(con, 9, now - pick(2000) * 86400LL);
			sqlite3_bind_int64(con, 10, now);
			step(con);
		}
		contacts_left -= n;
	}
	sqlite3_finalize(con);
	exec("COMMIT");
	printf("institution %lld\n", (long long)inst_id[ninst / 2]);
	sqlite3_close(db);
	free(city);
	free(prov);
	free(cum_city);
	free(rep_id);
	free(inst_id);
	free(ic);
	return 0;
}

/* gen_customers.c: writes a large customer master as CSV for
 * bench/customers.sh: N institutions (default 100000) in the import format
 * of docs/import.md, and M contacts (default 1000000, ten per institution
 * on average, round robin) with unique mobile numbers. Deterministic (xorshift64).
 *   gen_customers INST.csv CONTACTS.csv N M OWNERS
 * OWNERS is a comma-separated list of PROVINCE:username; about 70% of the
 * institutions get one of their province's reps as primary rep (reps
 * cover their own province, as in the demo company). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_NAME "gen_customers"
#define GEN_SEED 0x9E3779B97F4A7C15ull
#include "gen.h"

static const struct {
	const char *code;
	const char *cities[4];
} provinces[] = {
	{ "BJ", { "北京", "北京", "北京", "北京" } }, { "SH", { "上海", "上海", "上海", "上海" } },
	{ "JS", { "南京", "苏州", "无锡", "徐州" } }, { "ZJ", { "杭州", "宁波", "温州", "绍兴" } },
	{ "GD", { "广州", "深圳", "佛山", "东莞" } }, { "SD", { "济南", "青岛", "烟台", "潍坊" } },
	{ "HA", { "郑州", "洛阳", "开封", "南阳" } }, { "HB", { "武汉", "宜昌", "襄阳", "荆州" } },
	{ "SC", { "成都", "绵阳", "德阳", "宜宾" } }, { "FJ", { "福州", "厦门", "泉州", "漳州" } },
	{ "LN", { "沈阳", "大连", "鞍山", "锦州" } }, { "SN", { "西安", "宝鸡", "咸阳", "汉中" } },
};
static const char *const areas[] = { "东城", "西城", "南山", "北湖", "江北",
				     "滨海", "高新", "经开", "新区", "老城" };
static const char *const kinds[] = { "人民医院",	 "中医医院", "妇幼保健院", "协和医院",
				     "中心医院",	 "第一医院", "肿瘤医院",   "儿童医院",
				     "社区卫生服务中心", "骨科医院" };
static const char *const types[] = { "GENERAL", "TCM",	     "MCH",	  "GENERAL", "GENERAL",
				     "GENERAL", "SPECIALTY", "SPECIALTY", "CHC",     "SPECIALTY" };
static const char *const levels[] = { "L3", "L2", "L1", "UNGRADED" };
static const char *const classes[] = { "A", "B", "C", "NONE" };
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"
};
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "军" };
static const char *const titles[] = { "主任医师", "副主任医师", "主治医师", "住院医师", "" };
static const char *const roles[] = { "DECISION_MAKER", "INFLUENCER",  "USER",	 "USER",
				     "GATEKEEPER",     "PROCUREMENT", "FINANCE", "USER" };
static const char *const stances[] = { "supporter", "neutral", "neutral", "opponent" };

int main(int argc, char **argv)
{
	FILE *fi, *fc;
	long n, m;
	char *owners[256], *owner_prov[256], **names;
	const char **cities;
	int nowners = 0;

	if (argc != 6) {
		fprintf(stderr, "usage: gen_customers INST.csv CONTACTS.csv N M OWNERS\n");
		return 2;
	}
	n = strtol(argv[3], NULL, 10);
	m = strtol(argv[4], NULL, 10);
	for (char *s = strtok(argv[5], ","); s && nowners < 256; s = strtok(NULL, ",")) {
		char *colon = strchr(s, ':');
		if (!colon)
			continue;
		*colon = '\0';
		owner_prov[nowners] = s;
		owners[nowners++] = colon + 1;
	}
	fi = fopen(argv[1], "w");
	fc = fopen(argv[2], "w");
	if (!fi || !fc || n < 1 || m < 0) {
		fprintf(stderr, "gen_customers: cannot write\n");
		return 1;
	}
	fputs("name,aliases,province_code,city,district,address,level,class,type,beds,"
	      "annual_outpatients,is_teaching,status,budget_yuan,installed_units,relationship,"
	      "owner_username,created_at\n",
	      fi);
	fputs("institution_name,institution_city,name,gender,title,position,decision_role,"
	      "influence,stance,mobile,created_at\n",
	      fc);
	names = calloc((size_t)n, sizeof(*names));
	cities = calloc((size_t)n, sizeof(*cities));
	if (!names || !cities)
		return 1;
	for (long i = 0; i < n; i++) {
		unsigned p = pick(12), c = pick(4), k = pick(10), lv = pick(4);
		const char *city = provinces[p].cities[c], *owner = "";
		char name[256];
		int local[256], nlocal = 0;
		for (int o = 0; o < nowners; o++)
			if (!strcmp(owner_prov[o], provinces[p].code))
				local[nlocal++] = o;
		if (nlocal && pick(10) < 7)
			owner = owners[local[pick((unsigned)nlocal)]];
		snprintf(name, sizeof(name), "%s%s%s%ld号", city, areas[pick(10)], kinds[k], i);
		names[i] = strdup(name);
		cities[i] = city;
		fprintf(fi,
			"%s,,%s,%s,%s区,%s%s路%u号,%s,%s,%s,%u,%u,%s,%s,%u.%02u,%u,%u,%s,"
			"20%02u-%02u-%02u\n",
			name, provinces[p].code, city, areas[pick(10)], areas[pick(10)],
			kinds[pick(10)], pick(999) + 1, levels[lv], classes[pick(4)], types[k],
			pick(2500), pick(2000000), pick(5) ? "false" : "true",
			pick(3) ? "active" : "prospect", pick(20000000), pick(100), pick(20),
			pick(5) + 1, owner, pick(20) + 5, pick(12) + 1, pick(28) + 1);
	}
	for (long j = 0; j < m; j++) {
		long i = j % n;
		fprintf(fc, "%s,%s,%s%s%s,%s,%s,,%s,%u,%s,1%u%09ld,20%02u-01-01\n", names[i],
			cities[i], surnames[pick(10)], given[pick(10)],
			j % 2 ? given[pick(10)] : "", pick(2) ? "M" : "F", titles[pick(5)],
			roles[pick(8)], pick(5) + 1, stances[pick(4)], 3 + pick(7), j,
			pick(20) + 5);
	}
	for (long i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(cities);
	if (fclose(fi) || fclose(fc)) {
		fprintf(stderr, "gen_customers: write failed\n");
		return 1;
	}
	return 0;
}

/* demo_customers.c: the demo pipeline's customer step (domain.md 10.2):
 * about 600 institutions across the twelve provinces, skewed toward
 * targets, with departments, about 8,000 contacts (realistic names, titles,
 * decision roles, KOLs, consent), needs, and coverage by the province's
 * reps, leaving some white space uncovered. */
#include <stdio.h>
#include <string.h>

#include "cli/demo.h"
#include "domain/customer.h"
#include "store/store_customer.h"

struct city {
	const char *province, *name;
	double lat, lon;
	const char *counties[3];
};

static const struct city cities[] = {
	{ "SH", "上海", 31.23, 121.47, { "浦东新区", "闵行区", "嘉定区" } },
	{ "JS", "南京", 32.06, 118.80, { "江宁区", "溧水区", "高淳区" } },
	{ "JS", "苏州", 31.30, 120.58, { "昆山市", "常熟市", "吴江区" } },
	{ "JS", "徐州", 34.26, 117.18, { "丰县", "沛县", "睢宁县" } },
	{ "ZJ", "杭州", 30.27, 120.16, { "余杭区", "桐庐县", "淳安县" } },
	{ "ZJ", "宁波", 29.87, 121.55, { "慈溪市", "余姚市", "象山县" } },
	{ "ZJ", "温州", 28.00, 120.67, { "瑞安市", "乐清市", "永嘉县" } },
	{ "FJ", "福州", 26.08, 119.30, { "闽侯县", "连江县", "福清市" } },
	{ "FJ", "厦门", 24.48, 118.09, { "同安区", "翔安区", "集美区" } },
	{ "BJ", "北京", 39.90, 116.41, { "海淀区", "朝阳区", "昌平区" } },
	{ "SD", "济南", 36.65, 117.12, { "章丘区", "平阴县", "商河县" } },
	{ "SD", "青岛", 36.07, 120.38, { "黄岛区", "即墨区", "胶州市" } },
	{ "SD", "潍坊", 36.71, 119.16, { "寿光市", "青州市", "诸城市" } },
	{ "GD", "广州", 23.13, 113.26, { "番禺区", "花都区", "从化区" } },
	{ "GD", "深圳", 22.54, 114.06, { "宝安区", "龙岗区", "南山区" } },
	{ "GD", "佛山", 23.02, 113.12, { "顺德区", "南海区", "三水区" } },
	{ "HB", "武汉", 30.59, 114.31, { "黄陂区", "新洲区", "江夏区" } },
	{ "HB", "宜昌", 30.69, 111.29, { "宜都市", "当阳市", "远安县" } },
	{ "SC", "成都", 30.57, 104.07, { "双流区", "郫都区", "金堂县" } },
	{ "SC", "绵阳", 31.47, 104.68, { "江油市", "三台县", "梓潼县" } },
	{ "HA", "郑州", 34.75, 113.63, { "新郑市", "登封市", "中牟县" } },
	{ "HA", "洛阳", 34.62, 112.45, { "偃师区", "孟津区", "宜阳县" } },
	{ "SN", "西安", 34.34, 108.94, { "长安区", "临潼区", "蓝田县" } },
	{ "LN", "沈阳", 41.80, 123.43, { "新民市", "辽中区", "康平县" } },
	{ "LN", "大连", 38.91, 121.61, { "瓦房店市", "庄河市", "普兰店区" } },
};
#define NCITIES (sizeof(cities) / sizeof(cities[0]))

static const char *const universities[] = { "医科大学", "大学医学院", "中医药大学" };
static const char *const private_brands[] = { "康华", "仁爱", "博爱", "华信",
					      "慈铭", "和美", "瑞康", "安贞" };

/* The segments of domain.md 10.2, with their counts and shapes. */
enum seg { S_3A, S_3, S_2A, S_2, S_BASE, S_PRIVATE, NSEG };
static const int seg_count[NSEG] = { 60, 40, 150, 100, 200, 50 };

static const char *const dept_names[] = { "设备科",	"采购中心",   "检验科",	    "放射科",
					  "超声科",	"心血管内科", "骨科",	    "普外科",
					  "重症医学科", "麻醉科",     "手术室",	    "神经内科",
					  "呼吸内科",	"肿瘤科",     "病理科",	    "核医学科",
					  "医保办",	"财务科",     "院长办公室", "急诊科",
					  "妇产科",	"儿科",	      "消化内科",   "泌尿外科" };
static const char *const dept_category[] = { "ADMIN",	 "ADMIN",    "MEDTECH",	 "MEDTECH",
					     "MEDTECH",	 "CLINICAL", "CLINICAL", "CLINICAL",
					     "CLINICAL", "CLINICAL", "CLINICAL", "CLINICAL",
					     "CLINICAL", "CLINICAL", "MEDTECH",	 "MEDTECH",
					     "ADMIN",	 "ADMIN",    "ADMIN",	 "CLINICAL",
					     "CLINICAL", "CLINICAL", "CLINICAL", "CLINICAL" };
static const char *const dept_function[] = {
	"EQUIPMENT", "PROCUREMENT",   "LAB",	  "IMAGING",   "IMAGING",
	"CLINICAL",  "CLINICAL",      "CLINICAL", "ICU",       "OR",
	"OR",	     "CLINICAL",      "CLINICAL", "CLINICAL",  "LAB",
	"IMAGING",   "MED_INSURANCE", "FINANCE",  "PRESIDENT", "CLINICAL",
	"CLINICAL",  "CLINICAL",      "CLINICAL", "CLINICAL"
};
#define NDEPTS (sizeof(dept_names) / sizeof(dept_names[0]))

static const char *const need_texts[][3] = {
	{ "IMAGING", "现有CT使用超过10年,故障率高,计划更新为64排以上", "停机影响急诊,维修费用高" },
	{ "IMAGING", "新院区开业,需要配置DR和彩超各两台", "预算审批周期长,需要分期采购" },
	{ "IMAGING", "心血管介入量增长,需要增加一台DSA", "导管室排队时间超过两周" },
	{ "HVC", "胸痛中心建设需要稳定的冠脉支架和球囊供应", "集采后品规不全,临床选择受限" },
	{ "HVC", "骨科手术量上升,希望引入国产脊柱钉棒系统", "进口产品价格高,医保控费压力大" },
	{ "LVC", "手术室一次性耗材需要统一品牌降低管理成本", "多个供应商,库存管理复杂" },
	{ "IVD_INSTRUMENT", "检验科化学发光检测量饱和,需要增加一台分析仪", "高峰期报告延迟" },
	{ "IVD_REAGENT", "希望降低肿瘤标志物试剂单价", "DRG控费下检验成本压力大" },
	{ "IVD_INSTRUMENT", "医共体内需要统一生化检验平台", "基层检验结果互认困难" },
	{ "SERVICE", "影像设备维保合同即将到期,考虑全保服务", "原厂维保费用高,响应慢" },
};
#define NNEEDS (sizeof(need_texts) / sizeof(need_texts[0]))

/* The reps of a province (filled from the org step). */
static int reps_of(struct demo *d, const char *province, int64_t *ids, int max)
{
	int n = 0;
	for (int i = 0; i < d->nusers && n < max; i++)
		if (!strcmp(d->users[i].role, "rep") && !strcmp(d->users[i].province, province))
			ids[n++] = d->users[i].id;
	return n;
}

/* Accounts given to each demo user so far, by index in d->users. */
static int account_load[DEMO_MAX_USERS];

static int load_of(struct demo *d, int64_t user_id)
{
	for (int i = 0; i < d->nusers; i++)
		if (d->users[i].id == user_id)
			return account_load[i];
	return 0;
}

static void load_add(struct demo *d, int64_t user_id)
{
	for (int i = 0; i < d->nusers; i++)
		if (d->users[i].id == user_id)
			account_load[i]++;
}

/* The name of the k-th institution of segment s in city c; returns the
 * county (district) it names, which the record then carries too. */
static int make_name(struct demo *d, enum seg s, const struct city *c, int k, char *buf, size_t n)
{
	int ci = (int)(rng_next(&d->rng) % 3);
	const char *county = c->counties[ci];
	switch (s) {
	case S_3A:
		switch (k % 6) {
		case 0: snprintf(buf, n, "%s市第%d人民医院", c->name, k / 6 + 1); break;
		case 1:
			snprintf(buf, n, "%s%s附属第%d医院", c->name, universities[k % 3],
				 k / 6 + 1);
			break;
		case 2: snprintf(buf, n, "%s市中心医院%s", c->name, k / 6 ? "东院" : ""); break;
		case 3: snprintf(buf, n, "%s市肿瘤医院%s", c->name, k / 6 ? "分院" : ""); break;
		case 4: snprintf(buf, n, "%s市中医院%s", c->name, k / 6 ? "新院区" : ""); break;
		default: snprintf(buf, n, "%s市儿童医院%s", c->name, k / 6 ? "分院" : ""); break;
		}
		break;
	case S_3:
		snprintf(buf, n, "%s%s人民医院%s", c->name, county, k >= 3 ? "分院" : "");
		if (k % 2)
			snprintf(buf, n, "%s市第%d医院", c->name, 10 + k);
		break;
	case S_2A:
		snprintf(buf, n, "%s%s医院", county,
			 k % 3 == 0   ? "人民"
			 : k % 3 == 1 ? "中"
				      : "妇幼保健");
		if (k >= 3)
			snprintf(buf, n, "%s第%d人民医院", county, k);
		break;
	case S_2: snprintf(buf, n, "%s%s第%d医院", c->name, county, k + 2); break;
	case S_BASE:
		if (k % 2)
			snprintf(buf, n, "%s第%d社区卫生服务中心", county, k / 2 + 1);
		else
			snprintf(buf, n, "%s第%d镇卫生院", county, k / 2 + 1);
		break;
	default:
		if (k % 5 == 4)
			snprintf(buf, n, "%s%s医学检验实验室", c->name, private_brands[k % 8]);
		else
			snprintf(buf, n, "%s%s%s医院", c->name, private_brands[k % 8],
				 k >= 8 ? "国际" : "");
		break;
	}
	return ci;
}

static enum ms_err add_contacts(struct demo *d, int64_t inst, const int64_t *depts,
				const int *dept_idx, int ndepts, int ncontacts, enum seg s,
				struct ms_error *e)
{
	static const char *const titles[] = { "主任医师", "副主任医师", "主治医师",
					      "住院医师", "主任技师",	"工程师" };
	static const double title_w[] = { 15, 25, 35, 15, 5, 5 };
	static const char *const stances[] = { "supporter", "neutral", "opponent" };
	static const double stance_w[] = { 30, 55, 15 };
	enum ms_err err;

	for (int k = 0; k < ncontacts; k++) {
		struct contact_fields f;
		char name[32], mobile[16], email[64], consent[11];
		int di = k % ndepts, dept = dept_idx[di];
		int64_t id;

		contact_fields_init(&f);
		demo_person_name(d, name, sizeof(name));
		f.institution_id = inst;
		f.department_id = depts[di];
		f.name = name;
		f.gender = rng_next(&d->rng) % 2 ? "M" : "F";
		f.title = titles[rng_weighted(&d->rng, title_w, 6)];
		/* The first contact of a department leads it. */
		if (k < ndepts) {
			if (!strcmp(dept_function[dept], "EQUIPMENT")) {
				f.position = "设备科科长";
				f.decision_role = "GATEKEEPER";
				f.title = "高级工程师";
			} else if (!strcmp(dept_function[dept], "PROCUREMENT")) {
				f.position = "采购中心主任";
				f.decision_role = "PROCUREMENT";
				f.title = "";
			} else if (!strcmp(dept_function[dept], "PRESIDENT")) {
				f.position = rng_next(&d->rng) % 2 ? "院长" : "分管副院长";
				f.decision_role = "DECISION_MAKER";
				f.is_public_official = 1;
			} else if (!strcmp(dept_function[dept], "FINANCE")) {
				f.position = "财务科科长";
				f.decision_role = "FINANCE";
				f.title = "";
			} else {
				f.position = "科主任";
				f.decision_role =
					!strcmp(dept_function[dept], "LAB") ||
							!strcmp(dept_function[dept], "IMAGING")
						? "DECISION_MAKER"
						: "INFLUENCER";
				f.title = "主任医师";
			}
			f.influence = rng_range(&d->rng, 4, 5);
		} else {
			f.position = k % 7 == 0 ? "护士长" : k % 5 == 0 ? "副主任" : "";
			f.decision_role = "USER";
			f.influence = rng_range(&d->rng, 1, 3);
		}
		f.stance = stances[rng_weighted(&d->rng, stance_w, 3)];
		if (k < ndepts && s == S_3A) {
			int r = (int)rng_range(&d->rng, 0, 99);
			f.kol_tier = r < 6    ? "national"
				     : r < 22 ? "provincial"
				     : r < 40 ? "city"
					      : "none";
			if (strcmp(f.kol_tier, "none")) {
				f.kol_speciality = dept_names[dept];
				f.kol_posts =
					r < 6 ? "中华医学会专科分会常委" : "省医学会专科分会委员";
				f.kol_engagements = "年度学术年会专题报告";
			}
		}
		/* Unique mobile numbers: a prefix and the contact's serial. */
		snprintf(mobile, sizeof(mobile), "1%d%d%08lld", 3 + (int)(inst % 6),
			 (int)(inst % 10), (long long)((inst * 131 + k) % 100000000));
		if (rng_range(&d->rng, 0, 99) < 85)
			f.mobile = mobile;
		if (rng_range(&d->rng, 0, 99) < 30) {
			snprintf(email, sizeof(email), "dr%lld.%d@hospital.example",
				 (long long)inst, k);
			f.email = email;
		}
		if (rng_range(&d->rng, 0, 99) < 70) {
			snprintf(consent, sizeof(consent), "202%d-%02d-%02d",
				 (int)rng_range(&d->rng, 4, 5), (int)rng_range(&d->rng, 1, 12),
				 (int)rng_range(&d->rng, 1, 28));
			f.consent_date = consent;
		}
		if ((err = store_contact_create(d->st, &d->sys, &f, &id, e)))
			return err;
	}
	return MS_OK;
}

enum ms_err demo_customers(struct demo *d, struct ms_error *e)
{
	static const char *const seg_code[NSEG] = { "TERTIARY_A", "TERTIARY", "SECONDARY",
						    "SECONDARY",  "PRIMARY",  "PRIVATE" };
	int per_city[NSEG][NCITIES];
	double city_w[NCITIES];
	enum ms_err err;

	memset(per_city, 0, sizeof(per_city));
	for (size_t c = 0; c < NCITIES; c++) {
		int64_t reps[8];
		int ncities = 0;
		for (size_t k = 0; k < NCITIES; k++)
			ncities += !strcmp(cities[k].province, cities[c].province);
		city_w[c] = (double)reps_of(d, cities[c].province, reps, 8) / ncities + 0.2;
	}
	for (int s = 0; s < NSEG; s++) {
		for (int k = 0; k < seg_count[s]; k++) {
			struct inst_fields f;
			const struct city *c;
			char name[128];
			int64_t reps[8], id, dept_ids[20];
			int dept_idx[20], nreps, ndepts, ncontacts, ci, nth, county;

			/* Provinces with more reps get more institutions:
			 * each city weighs its province's reps over its
			 * cities. */
			ci = rng_weighted(&d->rng, city_w, (int)NCITIES);
			c = &cities[ci];
			/* nth numbers the institution in its city and segment:
			 * its name, type and class follow nth; its district is
			 * the county its name says. */
			nth = per_city[s][ci]++;
			county = make_name(d, (enum seg)s, c, nth, name, sizeof(name));
			{
				/* Generated names can repeat: a campus suffix
				 * keeps them apart, as real hospitals do. */
				int64_t dup;
				size_t len = strlen(name);
				for (int v = 2; store_inst_find_duplicate(d->st, name, c->name, 0,
									  &dup, NULL) == MS_OK;
				     v++)
					snprintf(name + len, sizeof(name) - len, "第%d院区", v);
			}
			inst_fields_init(&f);
			f.name = name;
			f.province_code = c->province;
			f.city = c->name;
			f.district = c->counties[county];
			f.address = s <= S_3 ? "中心城区" : c->counties[county];
			f.latitude = c->lat + (rng_unit(&d->rng) - 0.5) * 0.4;
			f.longitude = c->lon + (rng_unit(&d->rng) - 0.5) * 0.4;
			f.has_location = rng_range(&d->rng, 0, 99) < 90;
			f.segment_code = seg_code[s];
			switch (s) {
			case S_3A:
				f.level = "L3", f.class_ = "A", f.type = "GENERAL";
				f.beds = rng_range(&d->rng, 1200, 4500);
				f.is_teaching = rng_range(&d->rng, 0, 99) < 35;
				f.budget_fen = rng_range(&d->rng, 300, 3000) * 1000000LL;
				break;
			case S_3:
				f.level = "L3", f.class_ = nth % 2 ? "B" : "NONE",
				f.type = "GENERAL";
				f.beds = rng_range(&d->rng, 600, 1200);
				f.budget_fen = rng_range(&d->rng, 100, 800) * 1000000LL;
				break;
			case S_2A:
				f.level = "L2", f.class_ = "A",
				f.type = strstr(name, "妇幼") ? "MCH" : "GENERAL";
				f.beds = rng_range(&d->rng, 300, 800);
				f.network = "县域医共体";
				f.network_role = "LEAD";
				f.budget_fen = rng_range(&d->rng, 30, 300) * 1000000LL;
				break;
			case S_2:
				f.level = "L2", f.class_ = k % 2 ? "B" : "NONE", f.type = "GENERAL";
				f.beds = rng_range(&d->rng, 100, 400);
				f.budget_fen = rng_range(&d->rng, 10, 100) * 1000000LL;
				break;
			case S_BASE:
				f.level = "L1", f.class_ = "NONE",
				f.type = strstr(name, "社区") ? "CHC" : "THC";
				f.beds = rng_range(&d->rng, 0, 99);
				f.network = "县域医共体";
				f.network_role = "MEMBER";
				break;
			default:
				f.level = k % 4 == 0 ? "L2" : "UNGRADED", f.ownership = "PRIVATE";
				/* The name decides: a laboratory is an ICL. */
				f.type = strstr(name, "实验室") ? "ICL" : "SPECIALTY";
				f.segment_code = strstr(name, "实验室") ? "ICL" : "PRIVATE";
				f.beds = strstr(name, "实验室") ? 0 : rng_range(&d->rng, 50, 800);
				f.budget_fen = rng_range(&d->rng, 5, 200) * 1000000LL;
				break;
			}
			if (f.beds > 0)
				f.annual_outpatients = f.beds * rng_range(&d->rng, 600, 1400);
			f.installed_units =
				s <= S_2A ? rng_range(&d->rng, 0, 15) : rng_range(&d->rng, 0, 3);
			f.owner_id = UNSET;
			nreps = reps_of(d, c->province, reps, 8);
			/* About one in seven institutions is white space. */
			if (nreps && rng_range(&d->rng, 0, 99) < 86) {
				/* Territories are balanced: the province's rep with
				 * the fewest accounts so far takes it. */
				int best = 0;
				for (int r = 1; r < nreps; r++)
					if (load_of(d, reps[r]) < load_of(d, reps[best]))
						best = r;
				f.owner_id = reps[best];
				load_add(d, reps[best]);
				f.relationship = rng_range(&d->rng, 1, 5);
				f.status = rng_range(&d->rng, 0, 99) < 60   ? "active"
					   : rng_range(&d->rng, 0, 99) < 10 ? "dormant"
									    : "prospect";
			}
			if ((err = store_inst_create(d->st, &d->sys, &f, &id, e)))
				return err;

			ndepts = s == S_3A  ? (int)rng_range(&d->rng, 12, 20)
				 : s <= S_2 ? (int)rng_range(&d->rng, 6, 10)
					    : (int)rng_range(&d->rng, 2, 4);
			{
				/* Equipment, procurement and the lab always; the
				 * rest a random choice without repeats. */
				int order[NDEPTS];
				for (int x = 0; x < (int)NDEPTS; x++)
					order[x] = x;
				for (int x = (int)NDEPTS - 1; x > 3; x--) {
					int y = 3 + (int)(rng_next(&d->rng) % (uint64_t)(x - 2));
					int t = order[x];
					order[x] = order[y];
					order[y] = t;
				}
				memcpy(dept_idx, order, sizeof(int) * (size_t)ndepts);
			}
			for (int j = 0; j < ndepts; j++) {
				struct dept_fields df = { 0 };
				int di = dept_idx[j];
				df.name = dept_names[di];
				df.category = dept_category[di];
				df.function = dept_function[di];
				df.beds = UNSET;
				if ((err = store_dept_create(d->st, &d->sys, id, &df, &dept_ids[j],
							     e)))
					return err;
			}
			ncontacts = s == S_3A	  ? (int)rng_range(&d->rng, 40, 60)
				    : s == S_3	  ? (int)rng_range(&d->rng, 15, 25)
				    : s <= S_2	  ? (int)rng_range(&d->rng, 8, 14)
				    : s == S_BASE ? (int)rng_range(&d->rng, 2, 5)
						  : (int)rng_range(&d->rng, 5, 10);
			if ((err = add_contacts(d, id, dept_ids, dept_idx, ndepts, ncontacts,
						(enum seg)s, e)))
				return err;
			if (rng_range(&d->rng, 0, 99) < (s <= S_2A ? 45 : 15)) {
				struct need_fields nf;
				const char *const *t = need_texts[rng_next(&d->rng) % NNEEDS];
				char by[11];
				int64_t nid;
				need_fields_init(&nf);
				nf.institution_id = id;
				/* The department the need belongs to: imaging needs in
				 * imaging, laboratory ones in the lab, service with
				 * the equipment department, consumables clinical. */
				{
					const char *want = !strcmp(t[0], "IMAGING")   ? "IMAGING"
							   : !strncmp(t[0], "IVD", 3) ? "LAB"
							   : !strcmp(t[0], "SERVICE") ? "EQUIPMENT"
										      : "CLINICAL";
					int pick = (int)(rng_next(&d->rng) % (uint64_t)ndepts);
					for (int x = 0; x < ndepts; x++)
						if (!strcmp(dept_function[dept_idx[x]], want)) {
							pick = x;
							break;
						}
					nf.department_id = dept_ids[pick];
				}
				nf.product_line_code = t[0];
				nf.need = t[1];
				nf.pain_points = t[2];
				nf.budget_fen = rng_range(&d->rng, 20, 2000) * 1000000LL / 10;
				nf.budget_cycle = "每年第三季度编制下一年度预算";
				snprintf(by, sizeof(by), "2027-%02d-15",
					 (int)rng_range(&d->rng, 1, 12));
				nf.decision_by = by;
				if ((err = store_need_create(d->st, &d->sys, &nf, &nid, e)))
					return err;
			}
		}
	}
	/* The demo company has covered its accounts since 2024. */
	return store_coverage_backdate(d->st, "2024-01-01", e);
}

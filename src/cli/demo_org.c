/* demo_org.c: the demo pipeline's first step: Huakang Medical's regions,
 * provinces and districts, its people (domain.md §10.1) and the reference
 * data strategy is cut by (product lines, segments, regions, provinces). */
#include <stdio.h>
#include <string.h>

#include "cli/demo.h"
#include "store/store_org.h"
#include "store/store_user.h"

static const struct {
	const char *code, *zh, *en;
	int priority;
} regions[] = {
	{ "EAST", "华东大区", "East Region", 1 },
	{ "NORTH", "华北大区", "North Region", 2 },
	{ "SOUTH", "华南大区", "South Region", 2 },
	{ "CSW", "华中-西南大区", "Central-Southwest Region", 3 },
	{ "NWNE", "西北-东北大区", "Northwest-Northeast Region", 4 },
};

static const struct {
	const char *code, *region, *zh, *en;
	int reps, priority;
	const char *d1_zh, *d1_en, *d2_zh, *d2_en;
} provinces[] = {
	{ "SH", "EAST", "上海", "Shanghai", 5, 1, "上海东区", "Shanghai East", "上海西区",
	  "Shanghai West" },
	{ "JS", "EAST", "江苏", "Jiangsu", 5, 1, "南京", "Nanjing", "苏州", "Suzhou" },
	{ "ZJ", "EAST", "浙江", "Zhejiang", 4, 2, "杭州", "Hangzhou", "宁波", "Ningbo" },
	{ "FJ", "EAST", "福建", "Fujian", 3, 3, "福州", "Fuzhou", NULL, NULL },
	{ "BJ", "NORTH", "北京", "Beijing", 5, 1, "北京东区", "Beijing East", "北京西区",
	  "Beijing West" },
	{ "SD", "NORTH", "山东", "Shandong", 4, 2, "济南", "Jinan", "青岛", "Qingdao" },
	{ "GD", "SOUTH", "广东", "Guangdong", 5, 1, "广州", "Guangzhou", "深圳", "Shenzhen" },
	{ "HB", "CSW", "湖北", "Hubei", 4, 2, "武汉", "Wuhan", "宜昌", "Yichang" },
	{ "SC", "CSW", "四川", "Sichuan", 4, 2, "成都", "Chengdu", "绵阳", "Mianyang" },
	{ "HA", "CSW", "河南", "Henan", 3, 3, "郑州", "Zhengzhou", NULL, NULL },
	{ "SN", "NWNE", "陕西", "Shaanxi", 3, 3, "西安", "Xi'an", NULL, NULL },
	{ "LN", "NWNE", "辽宁", "Liaoning", 3, 3, "沈阳", "Shenyang", NULL, NULL },
};

static const struct {
	const char *kind, *code, *zh, *en;
	int priority;
} refs[] = {
	{ "product_lines", "IMAGING", "医学影像设备", "Medical imaging equipment", 1 },
	{ "product_lines", "HVC", "高值耗材", "High-value consumables", 1 },
	{ "product_lines", "LVC", "低值耗材", "Low-value consumables", 3 },
	{ "product_lines", "IVD_INSTRUMENT", "体外诊断仪器", "IVD instruments", 2 },
	{ "product_lines", "IVD_REAGENT", "诊断试剂", "Diagnostic reagents", 2 },
	{ "product_lines", "SERVICE", "维修与技术服务", "Service and technical support", 4 },
	{ "segments", "TERTIARY_A", "三甲医院", "Tertiary-A hospitals", 1 },
	{ "segments", "TERTIARY", "三级医院(非三甲)", "Other tertiary hospitals", 2 },
	{ "segments", "SECONDARY", "二级医院", "Secondary hospitals", 2 },
	{ "segments", "PRIMARY", "基层医疗机构", "Primary care institutions", 4 },
	{ "segments", "CHC", "社区卫生服务中心", "Community health centres", 4 },
	{ "segments", "PRIVATE", "民营医疗机构", "Private institutions", 3 },
	{ "segments", "ICL", "独立医学实验室", "Independent clinical laboratories", 5 },
};

static enum ms_err add_unit(struct demo *d, const char *code, const char *type, int64_t parent,
			    const char *zh, const char *en, int64_t *id, struct ms_error *e)
{
	struct unit_fields f = { 0 };
	f.code = code;
	f.type = type;
	f.parent_id = parent;
	f.name_zh = zh;
	f.name_en = en;
	f.valid_from = "2024-01-01";
	return store_org_create(d->st, &d->sys, &f, id, e);
}

static enum ms_err add_user(struct demo *d, const char *username, const char *name,
			    const char *role, int64_t unit, const char *province,
			    struct ms_error *e)
{
	struct user_fields f = { 0 };
	struct demo_user *u;
	char email[96];
	int64_t id;
	enum ms_err err;

	if (d->nusers >= DEMO_MAX_USERS)
		return ms_fail(e, MS_EINVAL, "invalid", "", "too many demo users");
	snprintf(email, sizeof(email), "%s@huakang-med.example", username);
	f.username = username;
	f.display_name = name;
	f.role = role;
	f.unit_id = unit;
	f.email = email;
	f.locale = "zh-CN";
	f.password_hash = d->pw_hash;
	if ((err = store_user_create(d->st, &d->sys, &f, &id, e)))
		return err;
	u = &d->users[d->nusers++];
	u->id = id;
	u->unit_id = unit;
	snprintf(u->username, sizeof(u->username), "%s", username);
	snprintf(u->role, sizeof(u->role), "%s", role);
	snprintf(u->province, sizeof(u->province), "%s", province ? province : "");
	return MS_OK;
}

static void lower(char *dst, size_t n, const char *src)
{
	size_t i;
	for (i = 0; src[i] && i + 1 < n; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] - 'A' + 'a' : src[i]);
	dst[i] = '\0';
}

static enum ms_err add_ref(struct demo *d, const char *kind, const char *code, const char *zh,
			   const char *en, int priority, const char *parent, struct ms_error *e)
{
	struct ref_fields f = { 0 };
	int64_t id;
	f.code = code;
	f.name_zh = zh;
	f.name_en = en;
	f.priority = priority;
	f.parent_code = parent;
	return store_ref_create(d->st, &d->sys, ref_kind_parse(kind), &f, &id, e);
}

enum ms_err demo_org(struct demo *d, struct ms_error *e)
{
	int64_t region_ids[sizeof(regions) / sizeof(regions[0])];
	char name[32], username[32], code[32], lc[16];
	enum ms_err err;

	/* The root: the one `medsales init` made, or a new one. */
	if (store_org_id(d->st, "HQ", &d->company_id, NULL) != MS_OK &&
	    (err = add_unit(d, "HQ", "company", 0, "华康医疗", "Huakang Medical", &d->company_id,
			    e)))
		return err;
	{
		/* init names the root generically; the demo company has a name. */
		struct unit_fields f = { 0 };
		json_t *u = NULL;
		if ((err = store_org_get(d->st, d->company_id, "2024-01-01", &u, e)))
			return err;
		f.name_zh = "华康医疗";
		f.name_en = "Huakang Medical";
		f.valid_from = json_string_value(json_object_get(u, "valid_from"));
		err = store_org_update(d->st, &d->sys, d->company_id,
				       json_integer_value(json_object_get(u, "version")), &f, e);
		json_decref(u);
		if (err)
			return err;
	}
	{
		int64_t uid;
		if (store_user_id(d->st, "admin", &uid, NULL) != MS_OK &&
		    (err = add_user(d, "admin", "系统管理员", "admin", d->company_id, NULL, e)))
			return err;
	}
	if ((err = add_user(d, "director", "陈志远", "director", d->company_id, NULL, e)) ||
	    (err = add_user(d, "compliance", "林静", "compliance", d->company_id, NULL, e)) ||
	    (err = add_user(d, "compliance2", "郑晓梅", "compliance", d->company_id, NULL, e)))
		return err;

	for (size_t r = 0; r < sizeof(regions) / sizeof(regions[0]); r++) {
		if ((err = add_unit(d, regions[r].code, "region", d->company_id, regions[r].zh,
				    regions[r].en, &region_ids[r], e)) ||
		    (err = add_ref(d, "regions", regions[r].code, regions[r].zh, regions[r].en,
				   regions[r].priority, NULL, e)))
			return err;
		lower(lc, sizeof(lc), regions[r].code);
		snprintf(username, sizeof(username), "mgr.%s", lc);
		demo_person_name(d, name, sizeof(name));
		if ((err = add_user(d, username, name, "manager", region_ids[r], NULL, e)))
			return err;
	}

	for (size_t p = 0; p < sizeof(provinces) / sizeof(provinces[0]); p++) {
		int64_t prov_id = 0, district[2] = { 0, 0 }, parent = 0;
		int ndistricts = provinces[p].d2_zh ? 2 : 1;
		for (size_t r = 0; r < sizeof(regions) / sizeof(regions[0]); r++)
			if (!strcmp(regions[r].code, provinces[p].region))
				parent = region_ids[r];
		if ((err = add_unit(d, provinces[p].code, "province", parent, provinces[p].zh,
				    provinces[p].en, &prov_id, e)) ||
		    (err = add_ref(d, "provinces", provinces[p].code, provinces[p].zh,
				   provinces[p].en, provinces[p].priority, provinces[p].region, e)))
			return err;
		{
			/* The province unit's territory is its province; its
			 * districts inherit it, its region sums its provinces'. */
			json_t *codes = json_pack("[s]", provinces[p].code);
			err = store_org_set_provinces(d->st, &d->sys, prov_id, codes, e);
			json_decref(codes);
			if (err)
				return err;
		}
		lower(lc, sizeof(lc), provinces[p].code);
		snprintf(username, sizeof(username), "mgr.%s", lc);
		demo_person_name(d, name, sizeof(name));
		if ((err = add_user(d, username, name, "manager", prov_id, provinces[p].code, e)))
			return err;
		for (int k = 0; k < ndistricts; k++) {
			snprintf(code, sizeof(code), "%s-D%d", provinces[p].code, k + 1);
			if ((err = add_unit(d, code, "district", prov_id,
					    k ? provinces[p].d2_zh : provinces[p].d1_zh,
					    k ? provinces[p].d2_en : provinces[p].d1_en,
					    &district[k], e)))
				return err;
			snprintf(username, sizeof(username), "mgr.%s.%d", lc, k + 1);
			demo_person_name(d, name, sizeof(name));
			if ((err = add_user(d, username, name, "manager", district[k],
					    provinces[p].code, e)))
				return err;
		}
		for (int k = 0; k < provinces[p].reps; k++) {
			snprintf(username, sizeof(username), "rep.%s%d", lc, k + 1);
			demo_person_name(d, name, sizeof(name));
			if ((err = add_user(d, username, name, "rep", district[k % ndistricts],
					    provinces[p].code, e)))
				return err;
		}
	}
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		if ((err = add_ref(d, refs[i].kind, refs[i].code, refs[i].zh, refs[i].en,
				   refs[i].priority, NULL, e)))
			return err;
	return MS_OK;
}

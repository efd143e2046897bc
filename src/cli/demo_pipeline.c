/* demo_pipeline.c: the demo pipeline's sales step (domain.md 10.3, 10.5):
 * the product catalogue with registration certificates (two expiring within
 * six months), competitors, a year of leads, about 300 opportunities in
 * every stage with a dated stage history, about 120 tenders on the legal
 * clock with results and bids, and a few large-equipment projects (one a
 * province, at the tender stage or later like their plan, with the
 * hospital's tender linked). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "cli/demo.h"
#include "domain/pipeline.h"
#include "store/store_customer.h"
#include "store/store_holiday.h"
#include "store/store_pipeline.h"

static const struct {
	const char *line, *name, *spec, *reg, *cls;
	int64_t price_yuan;
	int expiry_months; /* from today */
} products[] = {
	{ "IMAGING", "华康 CT", "32排", "国械注准20213060101", "III", 2200000, 30 },
	{ "IMAGING", "华康 CT", "64排", "国械注准20213060102", "III", 4500000, 30 },
	{ "IMAGING", "华康 CT", "128排", "国械注准20223060201", "III", 8500000, 42 },
	{ "IMAGING", "华康 MR", "1.5T", "国械注准20203060301", "III", 7000000, 4 },
	{ "IMAGING", "华康 MR", "3.0T", "国械注准20233060302", "III", 14000000, 50 },
	{ "IMAGING", "华康 DR", "双板悬吊", "粤械注准20222060401", "II", 900000, 26 },
	{ "IMAGING", "华康彩超", "HK-U3 便携", "粤械注准20212060501", "II", 400000, 18 },
	{ "IMAGING", "华康彩超", "HK-U5 台式", "粤械注准20212060502", "II", 800000, 18 },
	{ "IMAGING", "华康彩超", "HK-U7 心脏", "粤械注准20222060503", "II", 1300000, 28 },
	{ "IMAGING", "华康彩超", "HK-U9 高端", "国械注准20233060504", "III", 1800000, 44 },
	{ "HVC", "冠脉药物洗脱支架", "3.0×18mm", "国械注准20193130601", "III", 750, 2 },
	{ "HVC", "PTCA 球囊导管", "2.5×15mm", "国械注准20203030602", "III", 1200, 14 },
	{ "HVC", "射频消融导管", "4mm 冷盐水", "国械注准20213010603", "III", 18000, 33 },
	{ "HVC", "一次性吻合器", "管型 29mm", "苏械注准20222020604", "II", 2500, 24 },
	{ "HVC", "脊柱钉棒系统", "胸腰椎后路", "国械注准20213130605", "III", 6000, 38 },
	{ "LVC", "一次性输液器", "带针 0.7mm", "苏械注准20212140701", "II", 2, 20 },
	{ "LVC", "导尿管", "双腔 16Fr", "苏械注准20212140702", "II", 15, 20 },
	{ "LVC", "静脉留置针", "22G", "苏械注准20222140703", "II", 12, 32 },
	{ "LVC", "可吸收缝合线", "2-0", "国械注准20213020704", "III", 30, 35 },
	{ "IVD_INSTRUMENT", "化学发光免疫分析仪", "HK-CL1000", "粤械注准20212220801", "II", 1800000,
	  27 },
	{ "IVD_INSTRUMENT", "全自动生化分析仪", "HK-BC800", "粤械注准20202220802", "II", 900000,
	  9 },
	{ "IVD_REAGENT", "甲胎蛋白测定试剂盒", "化学发光法 100人份", "粤械注准20222400901", "II",
	  25, 30 },
	{ "IVD_REAGENT", "癌胚抗原测定试剂盒", "化学发光法 100人份", "粤械注准20222400902", "II",
	  28, 30 },
	{ "IVD_REAGENT", "甲状腺功能五项", "化学发光法 100人份", "粤械注准20222400903", "II", 60,
	  30 },
	{ "IVD_REAGENT", "肝功能生化试剂", "ALT/AST", "粤械注准20212400904", "II", 8, 16 },
	{ "SERVICE", "影像设备全保服务", "年度", "", "II", 300000, 0 },
};
#define NPRODUCTS (sizeof(products) / sizeof(products[0]))

static const struct {
	const char *name, *origin;
} competitors[] = {
	{ "联康影像", "domestic" },
	{ "迈科医疗", "domestic" },
	{ "东信医疗", "domestic" },
	{ "万泰影像", "domestic" },
	{ "新元诊断", "domestic" },
	{ "寰宇医疗 (外资)", "multinational" },
	{ "西岸医疗 (外资)", "multinational" },
	{ "北欧诊断 (外资)", "multinational" },
};
#define NCOMPETITORS (sizeof(competitors) / sizeof(competitors[0]))

static const char *const stage_codes[] = {
	"LEAD_CONFIRMED", "NEED_CONFIRMED", "SOLUTION", "APPROVAL",
	"TENDER",	  "NEGOTIATION",    "WON",	"LOST"
};

static const char *const lost_reasons[] = { "价格高于竞品中标价", "技术参数被竞品锁定",
					    "预算被削减,项目延期", "临床科室倾向进口品牌",
					    "医共体统一采购,未入围" };

static int64_t product_ids[NPRODUCTS];
static int64_t competitor_ids[NCOMPETITORS];

static enum ms_err add_catalogue(struct demo *d, struct ms_error *e)
{
	int32_t today;
	enum ms_err err;

	date_parse(d->today, &today);
	for (size_t i = 0; i < NPRODUCTS; i++) {
		struct product_fields f = { 0 };
		char expiry[11];
		f.product_line_code = products[i].line;
		f.name = products[i].name;
		f.spec = products[i].spec;
		f.registration_no = products[i].reg;
		if (products[i].expiry_months) {
			date_format(today + products[i].expiry_months * 30, expiry);
			f.registration_expiry = expiry;
		}
		f.device_class = products[i].cls;
		f.list_price_fen = products[i].price_yuan * 100;
		f.active = 1;
		if ((err = store_product_create(d->st, &d->sys, &f, &product_ids[i], e)))
			return err;
	}
	for (size_t i = 0; i < NCOMPETITORS; i++)
		if ((err = store_competitor_create(d->st, &d->sys, competitors[i].name,
						   competitors[i].origin, "", &competitor_ids[i],
						   e)))
			return err;
	return MS_OK;
}

/* Appends "code," to a list of province codes. */
static void add_province(char *list, size_t n, const char *code)
{
	size_t len = strlen(list);
	snprintf(list + len, n - len, "%s,", code);
}

/* Institutions a rep covers (the first few, for the deals). */
static int covered_by(struct demo *d, int64_t rep, int64_t *ids, int max)
{
	struct inst_filter f;
	struct page pg = { max, 0, "-grade_score" };
	struct scope s;
	json_t *page = NULL, *row;
	size_t i;
	int n = 0;

	inst_filter_init(&f);
	scope_for(&s, ROLE_REP, rep, 0);
	if (store_inst_list(d->st, &s, &f, &pg, &page, NULL))
		return 0;
	json_array_foreach(json_object_get(page, "items"), i, row) ids[n++] =
		json_integer_value(json_object_get(row, "id"));
	json_decref(page);
	return n;
}

/* The department a deal sits in: one of the function wanted, or any. */
static int64_t dept_for(struct demo *d, int64_t inst, const char *function)
{
	json_t *items = NULL, *row;
	int64_t id = UNSET;
	size_t i;

	if (store_dept_list(d->st, &d->sys, inst, &items, NULL))
		return UNSET;
	json_array_foreach(items, i, row)
	{
		if (id == UNSET ||
		    !strcmp(json_string_value(json_object_get(row, "function")), function))
			id = json_integer_value(json_object_get(row, "id"));
		if (!strcmp(json_string_value(json_object_get(row, "function")), function))
			break;
	}
	json_decref(items);
	return id;
}

/* Lognormal deal sizes around a median, in yuan. */
static int64_t lognormal(struct demo *d, double median, double sigma)
{
	return (int64_t)(median * exp(sigma * rng_normal(&d->rng)));
}

/* What a tender buys, as a procurement notice names it: the imaging
 * products (0-9) in their order, then the IVD instruments. */
static const char *const tender_items[] = {
	"32排CT",
	"64排CT",
	"128排CT",
	"1.5T磁共振成像系统",
	"3.0T磁共振成像系统",
	"数字化X射线摄影系统（DR）",
	"便携式彩色多普勒超声诊断仪",
	"台式彩色多普勒超声诊断仪",
	"心脏彩色多普勒超声诊断仪",
	"高端彩色多普勒超声诊断仪",
	"化学发光免疫分析仪",
	"全自动生化分析仪",
};
#define NTENDER_ITEMS (sizeof(tender_items) / sizeof(tender_items[0]))

/* The government procurement centre of the hospital's province. */
static const char *tender_agency(const char *province)
{
	static const struct {
		const char *code, *agency;
	} centres[] = {
		{ "SH", "上海市政府采购中心" }, { "BJ", "北京市政府采购中心" },
		{ "JS", "江苏省政府采购中心" }, { "ZJ", "浙江省政府采购中心" },
		{ "FJ", "福建省政府采购中心" }, { "SD", "山东省政府采购中心" },
		{ "GD", "广东省政府采购中心" }, { "HB", "湖北省政府采购中心" },
		{ "SC", "四川省政府采购中心" }, { "HA", "河南省政府采购中心" },
		{ "SN", "陕西省政府采购中心" }, { "LN", "辽宁省政府采购中心" },
	};
	for (size_t i = 0; province && i < sizeof(centres) / sizeof(centres[0]); i++)
		if (!strcmp(centres[i].code, province))
			return centres[i].agency;
	return "";
}

/* item: an index of tender_items, or -1 for one chosen by the
 * institution (a watched notice). */
static enum ms_err make_tender(struct demo *d, const struct scope *rep, int64_t opp, int64_t inst,
			       int item, int64_t amount_fen, int32_t notice, const char *result,
			       struct ms_error *e)
{
	struct tender_fields f;
	struct holiday_set hs;
	char dates[11][11], name[400], no[40];
	const char *province = NULL, *inst_name = "";
	json_t *irow = NULL;
	int32_t bid, eval, award, doc_to;
	int64_t id;
	enum ms_err err;
	int bidders = (int)rng_range(&d->rng, 3, 7);

	tender_fields_init(&f);
	if (opp)
		f.opportunity_id = opp;
	else
		f.institution_id = inst;
	if ((err = store_inst_get(d->st, &d->sys, inst, &irow, e)))
		return err;
	province = json_string_value(json_object_get(irow, "province_code"));
	inst_name = json_string_value(json_object_get(irow, "name"));
	if (item < 0 || (size_t)item >= NTENDER_ITEMS)
		item = (int)((size_t)inst % NTENDER_ITEMS);
	snprintf(name, sizeof(name), "%s%s采购项目", inst_name ? inst_name : "",
		 tender_items[item]);
	/* A number in the style of the provinces' platforms: province, year,
	 * serial (from the institution and the date, not the generator). */
	{
		int y, m, dd;
		date_to_ymd(notice, &y, &m, &dd);
		snprintf(no, sizeof(no), "%sZC%d-G%05lld", province ? province : "", y,
			 (long long)((inst * 37 + notice) % 100000));
	}
	f.project_name = name;
	f.project_no = no;
	f.method = rng_range(&d->rng, 0, 9) < 8 ? "open" : "consultation";
	f.agency = tender_agency(province);
	f.budget_fen = amount_fen * 105 / 100;
	f.bid_bond_fen = f.budget_fen / 100;
	bid = notice + (int32_t)rng_range(&d->rng, 21, 35);
	eval = bid + (int32_t)rng_range(&d->rng, 1, 3);
	award = eval + (int32_t)rng_range(&d->rng, 1, 4);
	/* Documents on sale for 5 working days on the holiday calendar,
	 * at least 9 calendar days. */
	if ((err = store_holiday_load(d->st, notice, notice + 60, &hs, e))) {
		json_decref(irow);
		return err;
	}
	doc_to = add_working_days(&hs.cal, notice, 5);
	store_holiday_release(&hs);
	if (doc_to < notice + 9)
		doc_to = notice + 9;
	if (doc_to > bid - 1)
		bid = doc_to + 1;
	date_format(notice - (int32_t)rng_range(&d->rng, 30, 45), dates[0]);
	date_format(notice, dates[1]);
	date_format(notice, dates[2]);
	date_format(doc_to, dates[3]);
	date_format(bid - 16, dates[4]);
	date_format(bid, dates[5]);
	for (int i = 0; i < 6; i++)
		f.dates[i] = dates[i];
	if (strcmp(result, "pending") && strcmp(result, "cancelled") && strcmp(result, "failed")) {
		date_format(eval, dates[7]);
		date_format(award, dates[8]);
		f.dates[7] = dates[7];
		f.dates[8] = dates[8];
		f.our_price_fen = amount_fen;
		f.winning_price_fen = !strcmp(result, "won")
					      ? amount_fen
					      : amount_fen * rng_range(&d->rng, 82, 97) / 100;
		f.result = result;
		f.winner = !strcmp(result, "won")
				   ? "华康医疗"
				   : competitors[rng_next(&d->rng) % NCOMPETITORS].name;
	}
	if (!strcmp(result, "cancelled") || !strcmp(result, "failed"))
		f.result = result;
	err = store_tender_create(d->st, rep, &f, &id, e);
	json_decref(irow);
	if (err)
		return err;
	{
		static const char *const items[] = {
			"营业执照",   "医疗器械注册证",	     "医疗器械经营许可证",
			"厂家授权书", "技术参数响应/偏离表", "开标一览表/报价表",
			"投标保证金"
		};
		for (size_t k = 0; k < sizeof(items) / sizeof(items[0]); k++) {
			int64_t cid;
			char due[11];
			date_format(bid - 3, due);
			if ((err = store_tender_checklist_add(d->st, rep, id, items[k],
							      rep->user_id, due, &cid, e)))
				return err;
			if (strcmp(result, "pending") || k < 3)
				store_tender_checklist_update(d->st, rep, cid, 1, "done", UNSET,
							      NULL, NULL, NULL);
		}
	}
	if (strcmp(result, "pending")) {
		json_t *bids = json_array();
		for (int b = 0; b < bidders; b++) {
			int us = b == 0;
			int64_t price =
				us ? amount_fen : amount_fen * rng_range(&d->rng, 85, 112) / 100;
			json_array_append_new(
				bids,
				json_pack("{s:s, s:b, s:I, s:f, s:f}", "bidder",
					  us ? "华康医疗" : competitors[b % NCOMPETITORS].name,
					  "is_us", us, "price_fen", (json_int_t)price, "tech_score",
					  40.0 + (double)rng_range(&d->rng, 0, 20), "price_score",
					  20.0 + (double)rng_range(&d->rng, 0, 20)));
		}
		err = store_tender_set_bids(d->st, rep, id, bids, e);
		json_decref(bids);
	}
	return err;
}

static enum ms_err make_project(struct demo *d, const struct scope *rep, int64_t opp, int64_t inst,
				int64_t manager, struct ms_error *e)
{
	static const struct {
		const char *milestone, *title;
		int due; /* days from today */
	} plan[] = {
		{ "needs", "完成临床需求与场地评估", -60 },
		{ "needs", "提交可行性论证材料", -35 },
		{ "tender", "协助设备科完成技术参数", -10 },
		{ "tender", "准备投标文件并内审", 12 },
		{ "contract", "合同条款评审与签订", 40 },
		{ "delivery", "到货与开箱验收", 90 },
		{ "installation", "机房改造与安装调试", 110 },
		{ "acceptance", "第三方检测与验收", 130 },
		{ "payment", "首付款回款跟进", 160 },
	};
	struct contact_filter cf = { .key_only = 1 };
	struct page pg = { 4, 0, "influence" };
	json_t *page = NULL, *row;
	int32_t today;
	size_t i;
	enum ms_err err;

	if ((err = store_project_start(d->st, rep, opp, manager, e)))
		return err;
	cf.institution_id = inst;
	if ((err = store_contact_list(d->st, &d->sys, &cf, &pg, &page, e)))
		return err;
	json_array_foreach(json_object_get(page, "items"), i, row)
	{
		struct bc_fields b = { 0 };
		b.contact_id = json_integer_value(json_object_get(row, "id"));
		b.decision_role = json_string_value(json_object_get(row, "decision_role"));
		b.influence = json_integer_value(json_object_get(row, "influence"));
		b.stance = json_string_value(json_object_get(row, "stance"));
		b.relationship_owner_id = rep->user_id;
		if ((err = store_project_bc_put(d->st, rep, opp, &b, e)))
			break;
	}
	json_decref(page);
	if (err)
		return err;
	date_parse(d->today, &today);
	for (i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
		struct task_fields t = { 0 };
		char due[11];
		int64_t tid;
		date_format(today + plan[i].due, due);
		t.milestone = plan[i].milestone;
		t.title = plan[i].title;
		t.owner_id = i % 3 == 2 ? manager : rep->user_id;
		t.due_date = due;
		/* The past is mostly done; one task is late. */
		t.status = plan[i].due < -20 ? "done" : plan[i].due < 0 ? "doing" : "todo";
		if ((err = store_project_task_add(d->st, rep, opp, &t, &tid, e)))
			return err;
	}
	return MS_OK;
}

enum ms_err demo_pipeline(struct demo *d, struct ms_error *e)
{
	static const char *const sources[] = { "academic_meeting", "exhibition", "inbound",
					       "tender_notice",	   "referral",	 "colleague" };
	static const double open_w[] = { 35, 20, 15, 10, 8, 5 };
	int32_t today;
	int64_t now = date_now();
	int projects = 0, n_opps = 0;
	char project_provinces[128] = "";
	enum ms_err err;

	date_parse(d->today, &today);
	if ((err = add_catalogue(d, e)))
		return err;

	for (int u = 0; u < d->nusers; u++) {
		struct demo_user *rep = &d->users[u];
		struct scope s;
		int64_t insts[12], manager = 0;
		int ninst;

		if (strcmp(rep->role, "rep"))
			continue;
		scope_for(&s, ROLE_REP, rep->id, rep->unit_id);
		s.username = rep->username;
		ninst = covered_by(d, rep->id, insts, 12);
		if (!ninst)
			continue;
		for (int m = 0; m < d->nusers; m++)
			if (!strcmp(d->users[m].role, "manager") &&
			    d->users[m].unit_id == rep->unit_id)
				manager = d->users[m].id;

		/* Leads of the past year; about four in ten convert. */
		for (int k = 0; k < 4; k++) {
			struct lead_fields lf;
			int64_t lid, oid;
			json_t *cl;
			int fate = (int)rng_range(&d->rng, 0, 9);
			lead_fields_init(&lf);
			lf.source = sources[rng_next(&d->rng) % 6];
			lf.institution_id = insts[rng_next(&d->rng) % (uint64_t)ninst];
			lf.product_line_code = k % 2 ? "IMAGING" : "IVD_INSTRUMENT";
			lf.need = k % 2 ? "影像科设备更新需求" : "检验科扩容需求";
			lf.estimated_value_fen = lognormal(d, 1500000, 0.6) * 100;
			if ((err = store_lead_create(d->st, &s, &lf, &lid, e)))
				return err;
			if (fate < 2)
				continue; /* still new */
			if (fate < 5) {
				if ((err = store_lead_decide(d->st, &s, lid, 0,
							     "预算未落实,暂无采购计划", e)))
					return err;
				continue;
			}
			cl = json_pack("{s:b, s:b, s:b, s:b}", "budget_confirmed", 1,
				       "decision_maker_known", 1, "need_confirmed", 1, "timeline",
				       1);
			{
				json_t *cur = NULL;
				lead_fields_init(&lf);
				lf.checklist = cl;
				store_lead_get(d->st, &s, lid, &cur, NULL);
				err = store_lead_update(
					d->st, &s, lid,
					json_integer_value(json_object_get(cur, "version")), &lf,
					e);
				json_decref(cur);
			}
			json_decref(cl);
			if (err || (err = store_lead_decide(d->st, &s, lid, 1, NULL, e)))
				return err;
			if (fate < 7) {
				char close[11];
				date_format(today + (int32_t)rng_range(&d->rng, 60, 300), close);
				if ((err = store_lead_convert(d->st, &s, lid, "设备采购商机", UNSET,
							      close, UNSET, &oid, e)))
					return err;
			}
		}

		/* About six opportunities per rep in every stage, with a
		 * dated past. */
		for (int k = 0; k < 6; k++) {
			struct opp_fields of;
			const char *path[8];
			int64_t at[8], oid, amount, unit, qty;
			int final, n = 0, prod, won, is_project;
			char close[11], name[96];
			int64_t inst = insts[(k + u) % ninst];
			json_t *lines, *comps;
			int r = (int)rng_range(&d->rng, 0, 99);

			/* open 60 %, won 14 %, lost 26 % */
			won = r >= 60 && r < 74;
			final = r < 60 ? rng_weighted(&d->rng, open_w, 6) : won ? 6 : 7;
			prod = (int)(rng_next(&d->rng) % 10);
			if (k % 3 == 2)
				prod = 19 + (int)(rng_next(&d->rng) % 2); /* IVD instruments */
			/* A few large imaging deals run as projects (one a
			 * province, below); their plan is in its tender phase,
			 * so such a deal is at the tender stage at least, with
			 * the hospital's tender made for it. */
			is_project = final <= 5 && products[prod].price_yuan >= 2200000 &&
				     manager && !strstr(project_provinces, rep->province);
			if (is_project && final < 4)
				final = 4;
			unit = products[prod].price_yuan * 100;
			qty = unit > 5000000 * 100LL ? 1 : rng_range(&d->rng, 1, 3);
			amount = unit * qty * rng_range(&d->rng, 85, 100) / 100;
			opp_fields_init(&of);
			snprintf(name, sizeof(name), "%s%s采购", products[prod].name,
				 products[prod].spec);
			of.name = name;
			of.institution_id = inst;
			date_format(today + (int32_t)rng_range(&d->rng, 20, 240), close);
			of.expected_close_date = close;
			/* a source a rep would give, spread without drawing from the
			 * generator (the rest of the demo stays as it was) */
			of.source = lead_sources[(size_t)(inst + prod) % 6];
			of.department_id = dept_for(d, inst, prod >= 19 ? "LAB" : "IMAGING");
			if ((err = store_opp_create(d->st, &s, &of, &oid, e)))
				return err;
			lines = json_pack("[{s:I, s:I, s:I}]", "product_id",
					  (json_int_t)product_ids[prod], "quantity",
					  (json_int_t)qty, "unit_price_fen",
					  (json_int_t)(amount / qty));
			comps = json_pack("[{s:I, s:s}, {s:I, s:s}]", "competitor_id",
					  (json_int_t)competitor_ids[(k + u) % NCOMPETITORS],
					  "position", "strong", "competitor_id",
					  (json_int_t)competitor_ids[(k + u + 3) % NCOMPETITORS],
					  "position", "even");
			err = store_opp_set_lines(d->st, &s, oid, lines, e);
			if (!err)
				err = store_opp_set_competitors(d->st, &s, oid, comps, e);
			json_decref(lines);
			json_decref(comps);
			if (err)
				return err;
			/* Walk the stages up to the final one. */
			{
				int64_t t = now - (int64_t)rng_range(&d->rng, 120, 360) * 86400;
				int last_open = final >= 6 ? (int)rng_range(&d->rng, 2, 5) : final;
				for (int st = 0; st <= last_open; st++) {
					path[n] = stage_codes[st];
					at[n++] = t;
					t += (int64_t)rng_range(&d->rng, 10, 40) * 86400;
				}
				if (final >= 6) {
					path[n] = stage_codes[final];
					at[n++] = t < now ? t : now - 86400;
				} else {
					/* An open deal was last worked a few days to
					 * six weeks ago, so about a quarter of the
					 * book shows as stalled, as in a real team. */
					int64_t shift = now -
							(int64_t)rng_range(&d->rng, 2, 40) * 86400 -
							at[n - 1];
					for (int j = 0; j < n; j++)
						at[j] += shift;
				}
				for (int st = 1; st < n; st++) {
					if (!strcmp(path[st], "LOST"))
						err = store_opp_move(
							d->st, &s, oid, "LOST",
							lost_reasons[rng_next(&d->rng) % 5],
							competitor_ids[rng_next(&d->rng) %
								       NCOMPETITORS],
							e);
					else
						err = store_opp_move(d->st, &s, oid, path[st], NULL,
								     UNSET, e);
					if (err)
						return err;
				}
				if ((err = store_opp_backdate(d->st, oid, path, at, n, e)))
					return err;
			}
			n_opps++;
			/* Tenders for deals that reached the tender stage. */
			if ((final >= 4 || (final >= 6 && rng_range(&d->rng, 0, 9) < 8)) &&
			    prod < 10) {
				int32_t notice =
					final >= 6 ? date_of_instant(at[n - 1]) - 40
						   : today - (int32_t)rng_range(&d->rng, 0, 10);
				const char *result = final == 6	  ? "won"
						     : final == 7 ? "lost"
								  : "pending";
				if ((err = make_tender(d, &s, oid, inst, prod, amount, notice,
						       result, e)))
					return err;
			}
			if (is_project) {
				if ((err = make_project(d, &s, oid, inst, manager, e)))
					return err;
				projects++;
				/* One large-equipment project per province. */
				add_province(project_provinces, sizeof(project_provinces),
					     rep->province);
			}
		}
	}
	(void)n_opps;
	/* Tenders found before any opportunity: watched notices, some of
	 * them cancelled or failed (流标). */
	for (int u = 0; u < d->nusers; u++) {
		struct demo_user *rep = &d->users[u];
		static const char *const fates[] = { "pending", "pending", "cancelled", "failed" };
		struct scope s;
		int64_t insts[4];
		int ninst;
		if (strcmp(rep->role, "rep"))
			continue;
		scope_for(&s, ROLE_REP, rep->id, rep->unit_id);
		s.username = rep->username;
		if (!(ninst = covered_by(d, rep->id, insts, 4)))
			continue;
		if ((err = make_tender(d, &s, 0, insts[u % ninst], -1,
				       lognormal(d, 1200000, 0.5) * 100,
				       today - (int32_t)rng_range(&d->rng, 0, 60),
				       fates[rng_next(&d->rng) % 4], e)))
			return err;
	}
	return MS_OK;
}

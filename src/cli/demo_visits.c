/* demo_visits.c: the demo pipeline's visit step (domain.md 10.6, 10.8):
 * about a year of visits for the demo reps (about 70 a rep a month, imaging
 * reps about 45), frequency driven by grade with some under-visited
 * accounts, injected defects (no contact, back-filled, short, suspicious or
 * unexplained locations, too-fast moves, repeated coordinates), about three
 * joint visits a rep a month with seven-step scores (mean 3.4), follow-up
 * tasks, cancelled plans, and plans for the coming two weeks. Rows go in
 * through the store's batch path; the audit log gets one summary entry per
 * table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "cli/demo.h"
#include "domain/customer.h"
#include "domain/visit.h"
#include "store/store_customer.h"
#include "store/store_visit.h"

#define MAX_INST 64
#define MAX_CONTACTS 24
#define DAY_VISITS 12

struct dinst {
	int64_t id;
	char grade;
	int has_loc;
	double lat, lon, weight;
	int ncontacts;
	int64_t contact[MAX_CONTACTS];
	int key[MAX_CONTACTS]; /* a decision role (not USER) */
};

struct dvisit {
	struct dinst *inst;
	struct visit_row row;
	int64_t contacts[3];
	int ncontacts, steps_done, joint;
	struct visit_day_item day;
	char steps[512], reasons[VISIT_REASONS_JSON_MAX], warnings[128], date[11], next_date[11];
};

struct counts {
	int64_t visits, effective, contacts, comments, tasks, plans, cancelled, missed;
	int64_t warn[VW_COUNT], suspicious;
};

static const char *const objectives[] = {
	"了解设备更新计划与预算时间表", "介绍新产品临床数据,争取试用",
	"跟进科室会后的试用反馈",	"确认参数论证会的时间与参会人",
	"推动采购申请进入院内审批",	"回访装机后的使用情况与售后需求",
	"了解集采执行情况与品规需求",	"邀请参加区域学术会议",
};
static const char *const outcomes[] = {
	"主任同意安排两周试用",	   "确认下月召开参数论证会",   "科室已提交采购申请",
	"对价格有异议,需提供方案", "同意参加学术会议并做报告", "反馈售后响应慢,需协调工程师",
	"需求明确,等待预算批复",   "暂无明确进展,保持联系",
};
static const char *const next_steps[] = {
	"提交试用申请与报价方案", "准备参数论证材料",	"协调工程师上门巡检",
	"发送临床文献与病例资料", "预约设备科科长面谈", "跟进采购申请审批进度",
};
static const char *const step_codes[VISIT_DEFAULT_STEPS] = { "plan",	"open",	     "probe",
							     "present", "objection", "close",
							     "follow" };

static int64_t instant(int32_t day, int minutes)
{
	return (int64_t)day * 86400 - 8 * 3600 + (int64_t)minutes * 60;
}

static int load_institutions(struct demo *d, int64_t rep, int64_t unit, struct dinst *out,
			     struct ms_error *e)
{
	struct inst_filter f;
	struct page pg = { 200, 0, NULL };
	struct scope rs;
	json_t *page = NULL, *row;
	size_t i;
	int n = 0;

	scope_for(&rs, ROLE_REP, rep, unit);
	inst_filter_init(&f);
	if (store_inst_list(d->st, &rs, &f, &pg, &page, e))
		return -1;
	json_array_foreach(json_object_get(page, "items"), i, row)
	{
		struct dinst *x;
		struct contact_filter cf;
		json_t *cpage = NULL, *c;
		size_t k;
		if (n >= MAX_INST)
			break;
		x = &out[n];
		memset(x, 0, sizeof(*x));
		x->id = json_integer_value(json_object_get(row, "id"));
		x->grade = json_string_value(json_object_get(row, "grade"))[0];
		x->has_loc = json_is_number(json_object_get(row, "latitude"));
		x->lat = json_number_value(json_object_get(row, "latitude"));
		x->lon = json_number_value(json_object_get(row, "longitude"));
		/* Grade drives frequency; about one account in seven is
		 * neglected (under-visited). */
		x->weight = x->grade == 'A' ? 6.0 : x->grade == 'B' ? 3.0 : 1.5;
		if (rng_range(&d->rng, 0, 99) < 15)
			x->weight *= 0.15;
		memset(&cf, 0, sizeof(cf));
		cf.institution_id = x->id;
		cf.key_only = -1;
		if (store_contact_list(d->st, &d->sys, &cf, &pg, &cpage, e)) {
			json_decref(page);
			return -1;
		}
		json_array_foreach(json_object_get(cpage, "items"), k, c)
		{
			if (x->ncontacts >= MAX_CONTACTS)
				break;
			x->contact[x->ncontacts] = json_integer_value(json_object_get(c, "id"));
			x->key[x->ncontacts] =
				strcmp(json_string_value(json_object_get(c, "decision_role")),
				       "USER") != 0;
			x->ncontacts++;
		}
		json_decref(cpage);
		if (x->ncontacts)
			n++;
	}
	json_decref(page);
	return n;
}

static struct dinst *pick(struct demo *d, struct dinst *inst, int n)
{
	double w[MAX_INST];
	for (int i = 0; i < n; i++)
		w[i] = inst[i].weight;
	return &inst[rng_weighted(&d->rng, w, n)];
}

static int pick_contact(struct demo *d, const struct dinst *x, int key)
{
	for (int tries = 0; tries < 20; tries++) {
		int k = (int)rng_range(&d->rng, 0, x->ncontacts - 1);
		if (x->key[k] == key)
			return k;
	}
	return (int)rng_range(&d->rng, 0, x->ncontacts - 1);
}

static int score(struct demo *d)
{
	int s = (int)lround(3.4 + 0.8 * rng_normal(&d->rng));
	return s < 1 ? 1 : s > 5 ? 5 : s;
}

/* One rep's day: visits generated in time order, warnings computed over
 * the day, then evaluated and stored. */
static enum ms_err rep_day(struct demo *d, int64_t rep, int64_t mgr, const char *line,
			   struct dinst *inst, int ninst, int32_t day, int nvisits, int joint,
			   int odd_rep, int32_t today, const struct visit_definition *def,
			   const struct visit_rules *rules, struct counts *cnt, struct ms_error *e)
{
	static struct dvisit v[DAY_VISITS];
	char products[64];
	int minutes = 8 * 60 + (int)rng_range(&d->rng, 0, 30);
	int fast_day = rng_range(&d->rng, 0, 99) < 2;
	int same_coords = odd_rep && rng_range(&d->rng, 0, 99) < 15;
	double home_lat = 0, home_lon = 0;
	struct visit_day_item items[DAY_VISITS];
	enum ms_err err;
	int n = 0;

	snprintf(products, sizeof(products), "[\"%s\"]", line);
	for (int k = 0; k < nvisits && k < DAY_VISITS; k++) {
		struct dvisit *x = &v[n];
		struct visit_row *r = &x->row;
		int dur, r100 = (int)rng_range(&d->rng, 0, 999);
		double jitter = 0.0012;

		memset(x, 0, sizeof(*x));
		x->inst = pick(d, inst, ninst);
		/* A day stays in one city: later visits near the first. */
		for (int t = 0; n > 0 && t < 12 && x->inst->has_loc && v[0].inst->has_loc &&
				visit_distance_m(v[0].inst->lat, v[0].inst->lon, x->inst->lat,
						 x->inst->lon) > 40000;
		     t++)
			x->inst = pick(d, inst, ninst);
		if (n > 0) {
			double km = visit_distance_m(v[n - 1].inst->lat, v[n - 1].inst->lon,
						     x->inst->lat, x->inst->lon) /
				    1000.0;
			minutes += fast_day && n == 1 ? 2 : 8 + (int)(km * 1.5);
		}
		if (minutes > 18 * 60 + 30)
			break;
		dur = fast_day && n == 0 ? 4
					 : 15 + (int)(rng_unit(&d->rng) * rng_unit(&d->rng) * 60);
		if (r100 < 20)
			dur = (int)rng_range(&d->rng, 3, 8); /* short */
		date_format(day, x->date);
		r->owner_id = rep;
		r->institution_id = x->inst->id;
		r->visit_date = x->date;
		r->type = "in_person";
		if (joint && n == 0) {
			r->type = "joint";
			r->co_visitor_id = mgr;
			x->joint = 1;
		} else if (r100 >= 900) {
			r->type = r100 < 950 ? "phone" : r100 < 970 ? "online" : "dept_meeting";
		}
		r->status = "completed";
		r->was_planned = rng_range(&d->rng, 0, 99) < 80;
		r->objective = objectives[rng_next(&d->rng) % 8];
		r->check_in_at = instant(day, minutes);
		r->check_out_at = r->check_in_at + dur * 60;
		minutes += dur;
		r->logged_at = r->check_out_at + rng_range(&d->rng, 5, 240) * 60;
		if (r100 >= 20 && r100 < 50)
			r->logged_at = r->check_out_at +
				       rng_range(&d->rng, 30, 72) * 3600; /* back-filled */
		r->created_at = r->was_planned ? r->check_in_at - rng_range(&d->rng, 1, 7) * 86400
					       : r->check_in_at;
		r->distance_m = -1;
		r->has_pos = 1;
		r->lat = x->inst->lat + (rng_unit(&d->rng) - 0.5) * jitter;
		r->lon = x->inst->lon + (rng_unit(&d->rng) - 0.5) * jitter;
		if (r100 >= 50 && r100 < 65) { /* far from the institution */
			r->lat += (rng_unit(&d->rng) > 0.5 ? 1 : -1) *
				  (0.05 + rng_unit(&d->rng) * 0.1);
			r->lon += 0.03;
		}
		if (same_coords) {
			if (n == 0) {
				home_lat = r->lat + 0.02;
				home_lon = r->lon + 0.02;
			}
			r->lat = home_lat;
			r->lon = home_lon;
		}
		if (r100 >= 65 && r100 < 85)
			r->has_pos = 0; /* no consent to location today */
		if (!x->inst->has_loc || !r->has_pos)
			r->location_note = rng_range(&d->rng, 0, 99) < (x->inst->has_loc ? 60 : 90)
						   ? "医院未登记坐标/院内无信号,已登记访客单"
						   : "";
		if (visit_type_on_site(r->type)) {
			const char *reason;
			enum visit_loc l = visit_classify(rules, r->has_pos, r->lat, r->lon, -1,
							  x->inst->has_loc, x->inst->lat,
							  x->inst->lon, &r->distance_m, &reason);
			r->location_status = visit_loc_name(l);
			r->location_reason = reason;
			if (r->distance_m >= 0)
				r->distance_m = round(r->distance_m);
		} else {
			r->location_status = "none";
			r->location_reason = "remote";
		}
		/* Contacts met: usually one or two with a decision role. */
		if (!(r100 >= 85 && r100 < 125)) {
			int key = !(r100 >= 125 && r100 < 135);
			x->contacts[x->ncontacts++] =
				x->inst->contact[pick_contact(d, x->inst, key)];
			if (rng_range(&d->rng, 0, 99) < 35) {
				int64_t c2 = x->inst->contact[pick_contact(d, x->inst, 1)];
				if (c2 != x->contacts[0])
					x->contacts[x->ncontacts++] = c2;
			}
		}
		x->steps_done = r100 >= 135 && r100 < 145 ? 3 : (int)rng_range(&d->rng, 5, 7);
		{
			size_t len = 0;
			x->steps[len++] = '{';
			for (int s = 0; s < VISIT_DEFAULT_STEPS; s++)
				len += (size_t)snprintf(x->steps + len, sizeof(x->steps) - len,
							"%s\"%s\":{\"done\":%s,\"note\":\"\"}",
							s ? "," : "", step_codes[s],
							s < x->steps_done ? "true" : "false");
			snprintf(x->steps + len, sizeof(x->steps) - len, "}");
		}
		r->steps_json = x->steps;
		r->products_json = products;
		r->outcome = outcomes[rng_next(&d->rng) % 8];
		if (!(r100 >= 145 && r100 < 150)) {
			date_format(day + (int32_t)rng_range(&d->rng, 3, 14), x->next_date);
			r->next_step = next_steps[rng_next(&d->rng) % 6];
			r->next_step_date = x->next_date;
		}
		items[n].check_in_at = r->check_in_at;
		items[n].check_out_at = r->check_out_at;
		items[n].logged_at = r->logged_at;
		items[n].has_pos = r->has_pos;
		items[n].lat = r->lat;
		items[n].lon = r->lon;
		n++;
	}
	visit_day_warnings(rules, items, (size_t)n);
	for (int k = 0; k < n; k++) {
		struct dvisit *x = &v[k];
		struct visit_row *r = &x->row;
		struct visit_facts f;
		unsigned bits = 0;
		size_t len = 0;
		int64_t id;

		memset(&f, 0, sizeof(f));
		f.type = r->type;
		f.status = r->status;
		f.check_in_at = r->check_in_at;
		f.check_out_at = r->check_out_at;
		f.logged_at = r->logged_at;
		f.location_status = r->location_status;
		f.location_explained = r->location_note && *r->location_note;
		f.ncontacts = x->ncontacts;
		f.contact_roles = 0;
		for (int c = 0; c < x->ncontacts; c++)
			for (int j = 0; j < x->inst->ncontacts; j++)
				if (x->inst->contact[j] == x->contacts[c])
					f.contact_roles |=
						x->inst->key[j] ? visit_role_bit("DECISION_MAKER")
								: visit_role_bit("USER");
		f.steps_done = x->steps_done;
		f.has_objective = 1;
		f.has_outcome = 1;
		f.has_next_step = r->next_step != NULL;
		r->is_effective = visit_evaluate(def, &f, &bits);
		visit_reasons_json(bits, x->reasons, sizeof(x->reasons));
		r->reasons_json = x->reasons;
		x->warnings[len++] = '[';
		for (int w = 0; w < VW_COUNT; w++)
			if (items[k].warnings & (1u << w)) {
				len += (size_t)snprintf(x->warnings + len,
							sizeof(x->warnings) - len, "%s\"%s\"",
							len > 1 ? "," : "",
							visit_warning_code((enum visit_warning)w));
				cnt->warn[w]++;
			}
		snprintf(x->warnings + len, sizeof(x->warnings) - len, "]");
		r->warnings_json = x->warnings;
		if ((err = store_visit_insert_raw(d->st, r, &id, e)))
			return err;
		cnt->visits++;
		cnt->effective += r->is_effective;
		cnt->suspicious += !strcmp(r->location_status, "suspicious");
		for (int c = 0; c < x->ncontacts; c++) {
			int done = !strcmp(r->status, "completed");
			if ((err = store_visit_contact_raw(d->st, id, x->contacts[c],
							   done ? rep : 0, r->visit_date, e)))
				return err;
			cnt->contacts++;
		}
		if (x->joint && mgr && !strcmp(r->status, "completed")) {
			char scores[256];
			int sum = 0, sl = 0;
			sl += snprintf(scores + sl, sizeof(scores) - (size_t)sl, "{");
			for (int s = 0; s < VISIT_DEFAULT_STEPS; s++) {
				int sc = score(d);
				sum += sc;
				sl += snprintf(scores + sl, sizeof(scores) - (size_t)sl,
					       "%s\"%s\":%d", s ? "," : "", step_codes[s], sc);
			}
			snprintf(scores + sl, sizeof(scores) - (size_t)sl, "}");
			if ((err = store_visit_comment_raw(
				     d->st, id, mgr, rep,
				     sum >= 24
					     ? "开场与需求探询扎实,继续保持;"
					       "缔结时可更明确地提出试用请求"
					     : "FAB "
					       "呈现与证据准备不足,下次协访前一起演练处理价格异议",
				     scores, round(sum * 100.0 / VISIT_DEFAULT_STEPS) / 100,
				     r->logged_at + 3600, e)))
				return err;
			cnt->comments++;
		}
		if (r->next_step && !strcmp(r->status, "completed")) {
			int32_t due;
			int done;
			date_parse(r->next_step_date, &due);
			/* Most follow-ups get done; a few recent ones slip,
			 * and very few old ones are still open. */
			done = due < today - 3 &&
			       rng_range(&d->rng, 0, 99) < (due < today - 21 ? 99 : 85);
			if ((err = store_task_insert_raw(d->st, rep, r->next_step_date,
							 r->next_step, id, r->institution_id, done,
							 r->logged_at, e)))
				return err;
			cnt->tasks++;
		}
	}
	return MS_OK;
}

/* Plans for the coming week and a half (the rest is for the proposals),
 * and some plans in the past: cancelled, or (recent ones) missed. */
/* The reasons a plan or a cancelled plan (an objective, nothing else yet)
 * fails def by, as the server evaluates any visit it writes. */
static void plan_reasons(const struct visit_definition *def, const char *status, char *buf,
			 size_t n)
{
	struct visit_facts f;
	unsigned bits = 0;

	memset(&f, 0, sizeof(f));
	f.type = "in_person";
	f.status = status;
	f.location_status = "none";
	f.has_objective = 1;
	visit_evaluate(def, &f, &bits);
	visit_reasons_json(bits, buf, n);
}

static enum ms_err rep_plans(struct demo *d, const struct visit_definition *def, int64_t rep,
			     struct dinst *inst, int ninst, int32_t today, struct counts *cnt,
			     struct ms_error *e)
{
	char planned[VISIT_REASONS_JSON_MAX], cancelled[VISIT_REASONS_JSON_MAX];
	enum ms_err err;

	plan_reasons(def, "planned", planned, sizeof(planned));
	plan_reasons(def, "cancelled", cancelled, sizeof(cancelled));
	for (int32_t day = today + 1; day <= today + 9; day++) {
		char date[11];
		if (date_weekday(day) > 5)
			continue;
		date_format(day, date);
		for (int k = 0; k < 2; k++) {
			struct visit_row r;
			int64_t id;
			memset(&r, 0, sizeof(r));
			r.owner_id = rep;
			r.institution_id = pick(d, inst, ninst)->id;
			r.type = "in_person";
			r.status = "planned";
			r.visit_date = date;
			r.planned_start_at = instant(day, 9 * 60 + k * 120);
			r.was_planned = 1;
			r.objective = objectives[rng_next(&d->rng) % 8];
			r.distance_m = -1;
			r.created_at = instant(today, 8 * 60);
			r.reasons_json = planned;
			if ((err = store_visit_insert_raw(d->st, &r, &id, e)))
				return err;
			cnt->plans++;
		}
	}
	for (int k = 0; k < 50; k++) {
		struct visit_row r;
		char date[11];
		int64_t id;
		int32_t day = today - (int32_t)rng_range(&d->rng, 1, 360);
		if (date_weekday(day) > 5)
			continue;
		date_format(day, date);
		memset(&r, 0, sizeof(r));
		r.owner_id = rep;
		r.institution_id = pick(d, inst, ninst)->id;
		r.type = "in_person";
		/* A third of the recent ones were simply not done: left planned
		 * past their day, they count as missed in the reports. */
		r.status = day >= today - 60 && day % 3 == 0 ? "planned" : "cancelled";
		r.visit_date = date;
		r.was_planned = 1;
		r.objective = objectives[rng_next(&d->rng) % 8];
		r.distance_m = -1;
		r.created_at = instant(day - 3, 8 * 60);
		r.reasons_json = !strcmp(r.status, "planned") ? planned : cancelled;
		if ((err = store_visit_insert_raw(d->st, &r, &id, e)))
			return err;
		if (!strcmp(r.status, "planned"))
			cnt->missed++;
		else
			cnt->cancelled++;
	}
	return MS_OK;
}

enum ms_err demo_visits(struct demo *d, struct ms_error *e)
{
	static struct dinst inst[MAX_INST];
	struct visit_definition def;
	struct visit_rules rules;
	struct counts cnt;
	int32_t today;
	int nrep = 0;
	enum ms_err err;

	memset(&cnt, 0, sizeof(cnt));
	visit_definition_default(&def);
	visit_rules_default(&rules);
	date_parse(d->today, &today);
	for (int u = 0; u < d->nusers; u++) {
		const struct demo_user *rep = &d->users[u];
		const char *name = rep->username;
		int64_t mgr = 0;
		int imaging, ninst, odd;
		const char *line;
		size_t len = strlen(name);

		if (strcmp(rep->role, "rep"))
			continue;
		for (int m = 0; m < d->nusers; m++)
			if (!strcmp(d->users[m].role, "manager") &&
			    d->users[m].unit_id == rep->unit_id)
				mgr = d->users[m].id;
		ninst = load_institutions(d, rep->id, rep->unit_id, inst, e);
		if (ninst < 0)
			return e->err;
		if (ninst == 0)
			continue;
		/* The first rep of each province sells imaging (KAM-style,
		 * fewer visits); the others consumables and IVD. */
		imaging = name[len - 1] == '1';
		line = imaging ? "IMAGING" : nrep % 2 ? "IVD_REAGENT" : "HVC";
		odd = !strcmp(name, "rep.gd2") || !strcmp(name, "rep.sc3");
		nrep++;
		for (int32_t day = today - 365; day < today; day++) {
			int wd = date_weekday(day), nvisits, joint;
			double per_day = (imaging ? 56.0 : 88.0) / 19.0;
			if (wd > 5)
				continue;
			nvisits = (int)floor(per_day + rng_normal(&d->rng) * 0.9 + 0.5);
			if (nvisits < 0)
				nvisits = 0;
			if (rng_range(&d->rng, 0, 99) < 4)
				nvisits = 0; /* leave, training, office day */
			/* About three joint visits a month. */
			joint = mgr && rng_range(&d->rng, 0, 99) < 14;
			if ((err = rep_day(d, rep->id, mgr, line, inst, ninst, day, nvisits, joint,
					   odd, today, &def, &rules, &cnt, e)))
				return err;
		}
		if ((err = rep_plans(d, &def, rep->id, inst, ninst, today, &cnt, e)))
			return err;
	}
	if ((err = store_visit_batch_audit(
		     d->st, &d->sys, "visits", cnt.visits + cnt.plans + cnt.cancelled + cnt.missed,
		     "demo data: visits, plans, cancelled and missed plans", e)) ||
	    (err = store_visit_batch_audit(d->st, &d->sys, "visit_comments", cnt.comments,
					   "demo data: coaching scores of joint visits", e)) ||
	    (err = store_visit_batch_audit(d->st, &d->sys, "tasks", cnt.tasks,
					   "demo data: follow-up tasks", e)))
		return err;
	fprintf(stderr,
		"demo: %lld visits (%.1f%% effective), %lld planned ahead, %lld cancelled plans, "
		"%lld missed plans, "
		"%lld coaching scores, %lld tasks; warnings: %lld too fast, %lld repeated "
		"coordinates, %lld short, %lld late; %lld suspicious check-ins\n",
		(long long)cnt.visits, cnt.visits ? 100.0 * cnt.effective / cnt.visits : 0.0,
		(long long)cnt.plans, (long long)cnt.cancelled, (long long)cnt.missed,
		(long long)cnt.comments, (long long)cnt.tasks, (long long)cnt.warn[VW_TOO_FAST],
		(long long)cnt.warn[VW_REPEATED_COORDS], (long long)cnt.warn[VW_SHORT],
		(long long)cnt.warn[VW_LATE_LOG], (long long)cnt.suspicious);
	return MS_OK;
}

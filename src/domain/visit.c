/* visit.c: the rules of visits: effective-visit evaluation, check-in
 * distance classification, warning signs over a day, frequency by grade,
 * plan proposals, the seven steps' texts and iCalendar output.
 * Pure: no I/O, no clock; `now` comes from the caller. */
#include "domain/visit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "domain/customer.h"
#include "domain/pipeline.h"

const char *const visit_types[] = { "in_person", "phone", "online", "dept_meeting",
				    "academic",	 "joint", NULL };
const char *const visit_statuses[] = { "planned",   "checked_in", "checked_out",
				       "completed", "cancelled",  NULL };
const char *const visit_location_statuses[] = { "none", "verified", "unverified", "suspicious",
						NULL };
const char *const visit_task_statuses[] = { "open", "done", NULL };

int visit_type_on_site(const char *type)
{
	return type && (!strcmp(type, "in_person") || !strcmp(type, "dept_meeting") ||
			!strcmp(type, "joint"));
}

const struct visit_step_text visit_default_steps[VISIT_DEFAULT_STEPS] = {
	{ "plan", "计划准备", "Pre-call planning",
	  "查看客户档案与历史,设定SMART目标,准备资料与合规文件,预约",
	  "Review the profile and history, set a SMART objective, prepare materials and "
	  "compliance documents, book the appointment" },
	{ "open", "开场", "Opening", "说明目的、价值和所需时间,建立关系,回顾上次承诺",
	  "State purpose, value and time needed; build rapport; recall the last commitment" },
	{ "probe", "探询聆听", "Probing and listening",
	  "用开放与封闭式问题了解临床、运营和经济需求,确认理解",
	  "Ask open and closed questions on clinical, operational and economic needs; confirm" },
	{ "present", "FAB 呈现", "FAB presentation", "将特性-优势-利益与客户需求对应,并给出证据",
	  "Link feature, advantage and benefit to the stated need, with evidence" },
	{ "objection", "处理异议", "Handling objections", "澄清、认同、用证据回答、确认",
	  "Clarify, empathise, answer with evidence, confirm" },
	{ "close", "缔结承诺", "Gaining commitment",
	  "争取可衡量的承诺:试用、科室会、参数论证、采购申请",
	  "Ask for a measurable commitment: trial, department meeting, parameter review, "
	  "purchase application" },
	{ "follow", "记录跟进", "Record and follow up", "当天记录,更新商机与联系人态度,安排下一步",
	  "Log the same day, update the opportunity and the contact's stance, plan the next "
	  "step" },
};

/* ---- the effective-visit definition ---- */

unsigned visit_role_bit(const char *role)
{
	for (unsigned i = 0; role && contact_roles[i]; i++)
		if (!strcmp(contact_roles[i], role))
			return 1u << i;
	return 0;
}

void visit_definition_default(struct visit_definition *d)
{
	d->require_location = 1;
	d->min_minutes = 10;
	d->require_contact = 1;
	/* A decision role: anyone but a plain user of the equipment. */
	d->contact_roles = visit_role_bit("DECISION_MAKER") | visit_role_bit("INFLUENCER") |
			   visit_role_bit("GATEKEEPER") | visit_role_bit("PROCUREMENT") |
			   visit_role_bit("FINANCE");
	d->min_steps = 5;
	d->require_objective = 1;
	d->require_outcome = 1;
	d->require_next_step = 1;
	d->log_within_hours = 24;
}

enum ms_err visit_definition_check(const struct visit_definition *d, struct ms_error *e)
{
	if (d->min_minutes < 0 || d->min_minutes > 480)
		return ms_fail(e, MS_EINVAL, "out_of_range", "min_minutes",
			       "'min_minutes' must be 0 to 480");
	if (d->min_steps < 0 || d->min_steps > VISIT_MAX_STEPS)
		return ms_fail(e, MS_EINVAL, "out_of_range", "min_steps",
			       "'min_steps' must be 0 to %d", VISIT_MAX_STEPS);
	if (d->log_within_hours < 0 || d->log_within_hours > 24 * 31)
		return ms_fail(e, MS_EINVAL, "out_of_range", "log_within_hours",
			       "'log_within_hours' must be 0 to 744");
	if (d->require_contact && !d->contact_roles)
		return ms_fail(e, MS_EINVAL, "invalid", "contact_roles",
			       "'contact_roles' must name at least one role");
	return MS_OK;
}

static const char *const reason_codes[VR_COUNT] = {
	"not_completed", "no_check_in",	 "location_unverified", "location_suspicious",
	"no_check_out",	 "too_short",	 "no_contact",		"no_decision_contact",
	"too_few_steps", "no_objective", "no_outcome",		"no_next_step",
	"logged_late",
};

const char *visit_reason_code(enum visit_reason r)
{
	return r < VR_COUNT ? reason_codes[r] : "unknown";
}

int visit_evaluate(const struct visit_definition *d, const struct visit_facts *f, unsigned *reasons)
{
	unsigned r = 0;
	int on_site = visit_type_on_site(f->type);

	if (!f->status || strcmp(f->status, "completed"))
		r |= 1u << VR_NOT_COMPLETED;
	if (d->require_location && on_site) {
		if (!f->check_in_at)
			r |= 1u << VR_NO_CHECK_IN;
		else if (f->location_status && !strcmp(f->location_status, "suspicious"))
			r |= 1u << VR_LOCATION_SUSPICIOUS;
		else if (!f->location_status ||
			 (strcmp(f->location_status, "verified") && !f->location_explained))
			r |= 1u << VR_LOCATION_UNVERIFIED;
	}
	if (d->min_minutes > 0) {
		if (!f->check_in_at)
			r |= (d->require_location && on_site) ? 0 : 1u << VR_NO_CHECK_IN;
		else if (!f->check_out_at)
			r |= 1u << VR_NO_CHECK_OUT;
		else if (f->check_out_at - f->check_in_at < (int64_t)d->min_minutes * 60)
			r |= 1u << VR_TOO_SHORT;
	}
	if (d->require_contact) {
		if (f->ncontacts == 0)
			r |= 1u << VR_NO_CONTACT;
		else if (!(f->contact_roles & d->contact_roles))
			r |= 1u << VR_NO_DECISION_CONTACT;
	}
	if (d->min_steps > 0 && f->steps_done < d->min_steps)
		r |= 1u << VR_TOO_FEW_STEPS;
	if (d->require_objective && !f->has_objective)
		r |= 1u << VR_NO_OBJECTIVE;
	if (d->require_outcome && !f->has_outcome)
		r |= 1u << VR_NO_OUTCOME;
	if (d->require_next_step && !f->has_next_step)
		r |= 1u << VR_NO_NEXT_STEP;
	if (d->log_within_hours > 0 && f->logged_at) {
		int64_t end = f->check_out_at ? f->check_out_at : f->check_in_at;
		if (end && f->logged_at - end > (int64_t)d->log_within_hours * 3600)
			r |= 1u << VR_LOGGED_LATE;
	}
	*reasons = r;
	return r == 0;
}

int visit_reasons_json(unsigned bits, char *buf, size_t n)
{
	size_t len = 0;
	int w;

	if (n < 3)
		return -1;
	buf[len++] = '[';
	for (int r = 0; r < VR_COUNT; r++) {
		if (!(bits & (1u << r)))
			continue;
		w = snprintf(buf + len, n - len, "%s\"%s\"", len > 1 ? "," : "", reason_codes[r]);
		if (w < 0 || (size_t)w >= n - len)
			return -1;
		len += (size_t)w;
	}
	if (len + 2 > n)
		return -1;
	buf[len++] = ']';
	buf[len] = '\0';
	return (int)len;
}

/* ---- rules and location ---- */

void visit_rules_default(struct visit_rules *r)
{
	r->verified_m = 500;
	r->suspicious_m = 3000;
	r->max_accuracy_m = 500;
	r->max_speed_kmh = 120;
	r->repeat_coords = 3;
	r->short_minutes = 5;
	r->late_log_hours = 24;
	r->future_skew_s = 300;
	r->contact_visits_a = 2;
	r->contact_visits_b = 1;
	r->contact_visits_c = 0;
	r->plan_per_day = 4;
}

enum ms_err visit_rules_check(const struct visit_rules *r, struct ms_error *e)
{
	if (r->verified_m < 10 || r->verified_m > 100000)
		return ms_fail(e, MS_EINVAL, "out_of_range", "verified_m",
			       "'verified_m' must be 10 to 100000");
	if (r->suspicious_m < r->verified_m || r->suspicious_m > 1000000)
		return ms_fail(e, MS_EINVAL, "out_of_range", "suspicious_m",
			       "'suspicious_m' must be at least 'verified_m' and at most 1000000");
	if (r->max_accuracy_m < 1 || r->max_accuracy_m > 100000)
		return ms_fail(e, MS_EINVAL, "out_of_range", "max_accuracy_m",
			       "'max_accuracy_m' must be 1 to 100000");
	if (r->max_speed_kmh < 5 || r->max_speed_kmh > 1000)
		return ms_fail(e, MS_EINVAL, "out_of_range", "max_speed_kmh",
			       "'max_speed_kmh' must be 5 to 1000");
	if (r->repeat_coords < 2 || r->repeat_coords > 100)
		return ms_fail(e, MS_EINVAL, "out_of_range", "repeat_coords",
			       "'repeat_coords' must be 2 to 100");
	if (r->short_minutes < 0 || r->short_minutes > 480)
		return ms_fail(e, MS_EINVAL, "out_of_range", "short_minutes",
			       "'short_minutes' must be 0 to 480");
	if (r->late_log_hours < 1 || r->late_log_hours > 24 * 31)
		return ms_fail(e, MS_EINVAL, "out_of_range", "late_log_hours",
			       "'late_log_hours' must be 1 to 744");
	if (r->future_skew_s < 0 || r->future_skew_s > 3600)
		return ms_fail(e, MS_EINVAL, "out_of_range", "future_skew_s",
			       "'future_skew_s' must be 0 to 3600");
	if (r->contact_visits_a < 0 || r->contact_visits_a > 31 || r->contact_visits_b < 0 ||
	    r->contact_visits_b > 31 || r->contact_visits_c < 0 || r->contact_visits_c > 31)
		return ms_fail(e, MS_EINVAL, "out_of_range", "contact_visits_a",
			       "key-contact visits must be 0 to 31 a month");
	if (r->plan_per_day < 1 || r->plan_per_day > 20)
		return ms_fail(e, MS_EINVAL, "out_of_range", "plan_per_day",
			       "'plan_per_day' must be 1 to 20");
	return MS_OK;
}

double visit_distance_m(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371008.8, rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	if (a > 1.0)
		a = 1.0;
	return 2.0 * r * asin(sqrt(a));
}

enum ms_err visit_check_coords(double lat, double lon, const char *lat_field, const char *lon_field,
			       struct ms_error *e)
{
	if (!isfinite(lat) || lat < -90.0 || lat > 90.0)
		return ms_fail(e, MS_EINVAL, "out_of_range", lat_field,
			       "'%s' must be between -90 and 90", lat_field);
	if (!isfinite(lon) || lon < -180.0 || lon > 180.0)
		return ms_fail(e, MS_EINVAL, "out_of_range", lon_field,
			       "'%s' must be between -180 and 180", lon_field);
	return MS_OK;
}

const char *visit_loc_name(enum visit_loc l)
{
	switch (l) {
	case VL_VERIFIED: return "verified";
	case VL_UNVERIFIED: return "unverified";
	case VL_SUSPICIOUS: return "suspicious";
	case VL_NONE: break;
	}
	return "none";
}

enum visit_loc visit_classify(const struct visit_rules *r, int has_pos, double lat, double lon,
			      double accuracy_m, int has_inst, double inst_lat, double inst_lon,
			      double *distance_m, const char **reason)
{
	double d;

	*distance_m = -1;
	if (!has_pos) {
		*reason = "no_position";
		return VL_UNVERIFIED;
	}
	if (!has_inst) {
		*reason = "institution_no_location";
		return VL_UNVERIFIED;
	}
	d = visit_distance_m(lat, lon, inst_lat, inst_lon);
	*distance_m = d;
	if (d > r->suspicious_m) {
		*reason = "far";
		return VL_SUSPICIOUS;
	}
	if (accuracy_m > r->max_accuracy_m) {
		*reason = "low_accuracy";
		return VL_UNVERIFIED;
	}
	if (d > r->verified_m) {
		*reason = "outside";
		return VL_UNVERIFIED;
	}
	*reason = "within";
	return VL_VERIFIED;
}

/* ---- warning signs ---- */

static const char *const warning_codes[VW_COUNT] = { "too_fast", "repeated_coords", "short",
						     "late_log" };

const char *visit_warning_code(enum visit_warning w)
{
	return w < VW_COUNT ? warning_codes[w] : "unknown";
}

static int by_check_in(const void *a, const void *b)
{
	const struct visit_day_item *x = *(const struct visit_day_item *const *)a;
	const struct visit_day_item *y = *(const struct visit_day_item *const *)b;
	return (x->check_in_at > y->check_in_at) - (x->check_in_at < y->check_in_at);
}

#define DAY_MAX 256

void visit_day_warnings(const struct visit_rules *r, struct visit_day_item *items, size_t n)
{
	struct visit_day_item *sorted[DAY_MAX], *prev = NULL;
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		struct visit_day_item *it = &items[i];
		it->warnings = 0;
		if (it->check_in_at && it->check_out_at &&
		    it->check_out_at - it->check_in_at < (int64_t)r->short_minutes * 60)
			it->warnings |= 1u << VW_SHORT;
		if (it->logged_at) {
			int64_t end = it->check_out_at ? it->check_out_at : it->check_in_at;
			if (end && it->logged_at - end >= (int64_t)r->late_log_hours * 3600)
				it->warnings |= 1u << VW_LATE_LOG;
		}
		if (it->check_in_at && it->has_pos && m < DAY_MAX)
			sorted[m++] = it;
	}
	qsort(sorted, m, sizeof(sorted[0]), by_check_in);
	for (size_t i = 0; i < m; i++) {
		struct visit_day_item *it = sorted[i];
		size_t same = 0;
		if (prev) {
			double km =
				visit_distance_m(prev->lat, prev->lon, it->lat, it->lon) / 1000.0;
			int64_t dt = it->check_in_at - prev->check_in_at;
			/* Under a minute apart counts as a minute: two check-ins
			 * at once in different places are impossible too. */
			double hours = (dt < 60 ? 60 : dt) / 3600.0;
			if (km > 0.5 && km / hours > r->max_speed_kmh)
				it->warnings |= 1u << VW_TOO_FAST;
		}
		prev = it;
		for (size_t j = 0; j < m; j++)
			if (sorted[j]->lat == it->lat && sorted[j]->lon == it->lon)
				same++;
		if (same >= (size_t)r->repeat_coords)
			it->warnings |= 1u << VW_REPEATED_COORDS;
	}
}

/* ---- frequency ---- */

const char *visit_due_name(enum visit_due d)
{
	switch (d) {
	case VD_DUE: return "due";
	case VD_OVERDUE: return "overdue";
	case VD_NEVER: return "never";
	case VD_OK: break;
	}
	return "ok";
}

enum visit_due visit_due_status(int32_t last_day, int per_month, int32_t today, int32_t *due_day)
{
	int32_t interval;

	if (per_month <= 0) {
		*due_day = INT32_MAX;
		return VD_OK;
	}
	if (last_day < 0) {
		*due_day = today;
		return VD_NEVER;
	}
	interval = (int32_t)((30 + per_month / 2) / per_month);
	if (interval < 1)
		interval = 1;
	*due_day = last_day + interval;
	if (*due_day < today)
		return VD_OVERDUE;
	if (*due_day <= today + 2)
		return VD_DUE;
	return VD_OK;
}

int visit_required(int per_month, int days)
{
	int n;
	if (per_month <= 0 || days <= 0)
		return 0;
	n = (int)((int64_t)per_month * days * 2 + 30) / 60; /* per_month * days / 30, rounded */
	return n < 1 ? 1 : n;
}

int visit_due_by(int target, int elapsed, int days)
{
	if (target <= 0 || days <= 0 || elapsed <= 0)
		return 0;
	if (elapsed >= days)
		return target;
	return (int)((int64_t)target * elapsed / days);
}

static int by_score(const void *a, const void *b)
{
	const struct visit_proposal *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return (x->institution_id > y->institution_id) - (x->institution_id < y->institution_id);
}

size_t visit_rank_proposals(struct visit_proposal *p, size_t n, int32_t from, int32_t to,
			    int per_day, const struct holiday_calendar *cal)
{
	enum { MAX_DAYS = 93 };
	int used[MAX_DAYS] = { 0 };
	size_t fit = 0;

	if (to - from + 1 > MAX_DAYS)
		to = from + MAX_DAYS - 1;
	for (size_t i = 0; i < n; i++) {
		double w = p[i].grade == 'A' ? 3.0 : p[i].grade == 'B' ? 2.0 : 1.0;
		double late = p[i].status == VD_NEVER ? 30.0 : (double)(from - p[i].due_day);
		if (late < -30)
			late = -30;
		p[i].score = w * (1.0 + (late + 30.0) / 30.0);
	}
	qsort(p, n, sizeof(*p), by_score);
	for (size_t i = 0; i < n; i++) {
		int32_t d = p[i].due_day > from ? p[i].due_day : from;
		p[i].propose_day = -1;
		for (; d <= to; d++) {
			if (!is_working_day(cal, d) || used[d - from] >= per_day)
				continue;
			used[d - from]++;
			p[i].propose_day = d;
			fit++;
			break;
		}
	}
	return fit;
}

/* ---- iCalendar ---- */

void ical_escape(struct strbuf *sb, const char *text)
{
	for (const char *p = text ? text : ""; *p; p++) {
		switch (*p) {
		case '\\': strbuf_addstr(sb, "\\\\"); break;
		case ';': strbuf_addstr(sb, "\\;"); break;
		case ',': strbuf_addstr(sb, "\\,"); break;
		case '\n': strbuf_addstr(sb, "\\n"); break;
		case '\r': break;
		default:
			/* Other control characters are not allowed in TEXT. */
			if ((unsigned char)*p < 0x20 && *p != '\t')
				strbuf_addch(sb, ' ');
			else
				strbuf_addch(sb, *p);
		}
	}
}

void ical_line(struct strbuf *sb, const char *name, const char *value)
{
	size_t col = 0, len;
	const char *p;

	strbuf_addstr(sb, name);
	strbuf_addch(sb, ':');
	col = strlen(name) + 1;
	for (p = value; *p; p += len) {
		unsigned char c = (unsigned char)*p;
		len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		for (size_t k = 1; k < len; k++)
			if (!p[k]) {
				len = k;
				break;
			}
		/* 75 octets a line, CRLF excluded; a continuation starts
		 * with one space, which counts. */
		if (col + len > 75) {
			strbuf_addstr(sb, "\r\n ");
			col = 1;
		}
		strbuf_add(sb, p, len);
		col += len;
	}
	strbuf_addstr(sb, "\r\n");
}

static void utc_stamp(int64_t t, char *buf, size_t n)
{
	int32_t day = (int32_t)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
	int64_t sec = t - (int64_t)day * 86400;
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	snprintf(buf, n, "%04d%02d%02dT%02d%02d%02dZ", y % 10000, m, d, (int)(sec / 3600),
		 (int)(sec / 60 % 60), (int)(sec % 60));
}

void ical_begin(struct strbuf *sb, const char *calname, int64_t now)
{
	struct strbuf v = STRBUF_INIT;
	(void)now;
	ical_line(sb, "BEGIN", "VCALENDAR");
	ical_line(sb, "VERSION", "2.0");
	ical_line(sb, "PRODID", "-//MedSales//Visits//ZH");
	ical_line(sb, "CALSCALE", "GREGORIAN");
	ical_line(sb, "METHOD", "PUBLISH");
	ical_escape(&v, calname);
	ical_line(sb, "X-WR-CALNAME", strbuf_str(&v));
	ical_line(sb, "X-WR-TIMEZONE", "Asia/Shanghai");
	strbuf_release(&v);
}

void ical_event(struct strbuf *sb, const struct ical_event *ev, int64_t now)
{
	struct strbuf v = STRBUF_INIT;
	char stamp[32];

	ical_line(sb, "BEGIN", "VEVENT");
	ical_escape(&v, ev->uid);
	ical_line(sb, "UID", strbuf_str(&v));
	utc_stamp(now, stamp, sizeof(stamp));
	ical_line(sb, "DTSTAMP", stamp);
	if (ev->all_day) {
		char d[16], dd[11];
		int32_t day = date_of_instant(ev->start);
		date_format(day, dd);
		snprintf(d, sizeof(d), "%.4s%.2s%.2s", dd, dd + 5, dd + 8);
		ical_line(sb, "DTSTART;VALUE=DATE", d);
		date_format(day + 1, dd);
		snprintf(d, sizeof(d), "%.4s%.2s%.2s", dd, dd + 5, dd + 8);
		ical_line(sb, "DTEND;VALUE=DATE", d);
	} else {
		utc_stamp(ev->start, stamp, sizeof(stamp));
		ical_line(sb, "DTSTART", stamp);
		utc_stamp(ev->end > ev->start ? ev->end : ev->start + 1800, stamp, sizeof(stamp));
		ical_line(sb, "DTEND", stamp);
	}
	strbuf_reset(&v);
	ical_escape(&v, ev->summary);
	ical_line(sb, "SUMMARY", strbuf_str(&v));
	if (ev->description && *ev->description) {
		strbuf_reset(&v);
		ical_escape(&v, ev->description);
		ical_line(sb, "DESCRIPTION", strbuf_str(&v));
	}
	if (ev->location && *ev->location) {
		strbuf_reset(&v);
		ical_escape(&v, ev->location);
		ical_line(sb, "LOCATION", strbuf_str(&v));
	}
	if (ev->status)
		ical_line(sb, "STATUS", ev->status);
	ical_line(sb, "END", "VEVENT");
	strbuf_release(&v);
}

void ical_end(struct strbuf *sb)
{
	ical_line(sb, "END", "VCALENDAR");
}

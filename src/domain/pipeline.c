/* pipeline.c: pipeline rules: stage moves and requirements, lead
 * screening, the statutory tender clock. Pure: no I/O. */
#include "domain/pipeline.h"

#include <string.h>

#include "base/date.h"
#include "domain/customer.h"

const char *const lead_sources[] = { "academic_meeting", "exhibition", "inbound", "tender_notice",
				     "referral",	 "colleague",  "other",	  NULL };
const char *const lead_statuses[] = { "new",	  "qualifying", "qualified",
				      "rejected", "converted",	NULL };
const char *const device_classes[] = { "I", "II", "III", NULL };
const char *const competitor_positions[] = { "leading", "strong", "even", "weak", "unknown", NULL };
const char *const competitor_origins[] = { "domestic", "multinational", NULL };
const char *const tender_methods[] = { "open",		"invited", "negotiation", "consultation",
				       "single_source", "rfq",	   NULL };
const char *const tender_results[] = { "pending", "won", "lost", "cancelled", "failed", NULL };
const char *const project_roles[] = { "sales",	 "product_specialist", "technical",
				      "service", "tender_specialist",  "manager",
				      NULL };
const char *const project_milestones[] = { "needs",	   "tender",	 "contract", "delivery",
					   "installation", "acceptance", "payment",  NULL };
const char *const project_task_statuses[] = { "todo", "doing", "done", "blocked", NULL };
const char *const checklist_statuses[] = { "todo", "done", "not_needed", NULL };
const char *const stage_requirements[] = { "amount",	  "lines",
					   "department",  "expected_close_date",
					   "tender",	  "competitors",
					   "lost_reason", "won_competitor",
					   NULL };

/* Calls fn for each item of a comma-separated list; stops at the first
 * nonzero return. */
static int each_item(const char *list, int (*fn)(const char *item, size_t n, void *cls), void *cls)
{
	const char *p = list;
	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		int r;
		while (n && *p == ' ') {
			p++;
			n--;
		}
		while (n && p[n - 1] == ' ')
			n--;
		if (n && (r = fn(p, n, cls)))
			return r;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

static int is(const char *item, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(item, word, n);
}

struct req_ctx {
	const struct opp_facts *f;
	struct ms_error *e;
};

static int check_one(const char *item, size_t n, void *cls)
{
	struct req_ctx *c = cls;
	const struct opp_facts *f = c->f;

	if (is(item, n, "amount") && f->amount_fen <= 0)
		return ms_fail(c->e, MS_EINVAL, "required", "amount_fen",
			       "this stage needs an amount"),
		       1;
	if (is(item, n, "lines") && f->lines <= 0)
		return ms_fail(c->e, MS_EINVAL, "required", "lines",
			       "this stage needs at least one product line item"),
		       1;
	if (is(item, n, "department") && !f->has_department)
		return ms_fail(c->e, MS_EINVAL, "required", "department_id",
			       "this stage needs the department"),
		       1;
	if (is(item, n, "expected_close_date") && !f->has_close_date)
		return ms_fail(c->e, MS_EINVAL, "required", "expected_close_date",
			       "this stage needs an expected close date"),
		       1;
	if (is(item, n, "tender") && f->tenders <= 0)
		return ms_fail(c->e, MS_EINVAL, "required", "tender",
			       "this stage needs a linked tender"),
		       1;
	if (is(item, n, "competitors") && f->competitors <= 0)
		return ms_fail(c->e, MS_EINVAL, "required", "competitors",
			       "this stage needs the competitors in the deal"),
		       1;
	if (is(item, n, "lost_reason") && !f->has_lost_reason)
		return ms_fail(c->e, MS_EINVAL, "required", "lost_reason",
			       "a lost opportunity needs the reason"),
		       1;
	if (is(item, n, "won_competitor") && !f->has_won_competitor)
		return ms_fail(c->e, MS_EINVAL, "required", "won_competitor_id",
			       "a lost opportunity needs the competitor who won"),
		       1;
	return 0;
}

enum ms_err stage_move_check(const struct stage *from, const struct stage *to,
			     const struct opp_facts *facts, struct ms_error *e)
{
	struct req_ctx c = { facts, e };

	if (from && (from->is_won || from->is_lost))
		return ms_fail(e, MS_EINVAL, "closed", "stage_code",
			       "the opportunity is closed ('%s') and cannot move", from->code);
	if (from && !strcmp(from->code, to->code))
		return ms_fail(e, MS_EINVAL, "invalid", "stage_code",
			       "the opportunity is already in stage '%s'", to->code);
	if (each_item(to->requires, check_one, &c))
		return e ? e->err : MS_EINVAL;
	return MS_OK;
}

enum ms_err opp_frozen_check(int is_closed, struct ms_error *e)
{
	if (is_closed)
		return ms_fail(e, MS_EINVAL, "closed", "stage_code",
			       "the opportunity is closed: reopen it to change it");
	return MS_OK;
}

enum ms_err opp_amount_check(int lines, int64_t lines_sum_fen, int64_t amount_fen,
			     struct ms_error *e)
{
	if (lines > 0 && amount_fen != lines_sum_fen)
		return ms_fail(e, MS_EINVAL, "lines_total", "amount_fen",
			       "the opportunity has product lines: its amount is their sum "
			       "(%lld fen)",
			       (long long)lines_sum_fen);
	return MS_OK;
}

enum ms_err opp_reopen_check(const struct stage *from, const struct stage *to, const char *reason,
			     struct ms_error *e)
{
	if (!from->is_won && !from->is_lost)
		return ms_fail(e, MS_EINVAL, "not_closed", "stage_code",
			       "the opportunity is open ('%s'): only a won or lost one reopens",
			       from->code);
	if (!reason || !*reason)
		return ms_fail(e, MS_EINVAL, "required", "reason", "a reopen needs a 'reason'");
	if (!to || to->is_won || to->is_lost)
		return ms_fail(e, MS_EINVAL, "invalid", "stage_code",
			       "a reopened opportunity goes back to an open stage");
	return MS_OK;
}

static int known_req(const char *item, size_t n, void *cls)
{
	struct ms_error *e = cls;
	for (const char *const *r = stage_requirements; *r; r++)
		if (is(item, n, *r))
			return 0;
	ms_fail(e, MS_EINVAL, "invalid", "requires", "unknown requirement '%.*s'", (int)n, item);
	return 1;
}

enum ms_err stage_requires_check(const char *requires, struct ms_error *e)
{
	if (each_item(requires, known_req, e))
		return MS_EINVAL;
	return MS_OK;
}

enum ms_err stage_order_check(const struct stage *stages, size_t n, const char *const *codes,
			      size_t ncodes, struct ms_error *e)
{
	int seen_closed = 0;

	for (size_t i = 0; i < ncodes; i++) {
		const struct stage *s = NULL;
		for (size_t j = 0; j < n && !s; j++)
			if (!strcmp(stages[j].code, codes[i]))
				s = &stages[j];
		if (!s)
			return ms_fail(e, MS_EINVAL, "invalid", "codes", "no stage '%s'", codes[i]);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(codes[k], codes[i]))
				return ms_fail(e, MS_EINVAL, "invalid", "codes",
					       "stage '%s' is listed twice", codes[i]);
		if (s->is_won || s->is_lost)
			seen_closed = 1;
		else if (seen_closed)
			return ms_fail(e, MS_EINVAL, "order", "codes",
				       "the open stage '%s' comes after a won or lost stage",
				       codes[i]);
	}
	for (size_t j = 0; j < n; j++) {
		size_t i = 0;
		while (i < ncodes && strcmp(codes[i], stages[j].code))
			i++;
		if (i == ncodes)
			return ms_fail(e, MS_EINVAL, "invalid", "codes", "stage '%s' is missing",
				       stages[j].code);
	}
	return MS_OK;
}

static int is_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

enum ms_err stage_code_check(const char *code, struct ms_error *e)
{
	size_t n = code ? strlen(code) : 0;
	int ok = n >= 2 && n <= 32 && is_letter(code[0]);

	for (size_t i = 1; ok && i < n; i++)
		ok = is_letter(code[i]) || (code[i] >= '0' && code[i] <= '9') || code[i] == '_';
	if (!ok)
		return ms_fail(e, MS_EINVAL, "invalid", "code",
			       "a stage code is 2 to 32 letters, digits and _, starting with a "
			       "letter");
	return MS_OK;
}

enum ms_err stage_insert_check(int position, int first_closed, struct ms_error *e)
{
	if (position < 1 || position > first_closed)
		return ms_fail(e, MS_EINVAL, "out_of_range", "position",
			       "a new stage goes at position 1 to %d, before the won and lost "
			       "stages",
			       first_closed);
	return MS_OK;
}

enum ms_err opp_close_date_check(int32_t close_date, int32_t today, int is_open, struct ms_error *e)
{
	if (is_open && close_date < today)
		return ms_fail(e, MS_EINVAL, "in_past", "expected_close_date",
			       "an open opportunity's expected close date cannot be in the past");
	return MS_OK;
}

int lead_checklist_complete(const int *ticked, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ticked[i])
			return 0;
	return n > 0;
}

const struct holiday *holiday_find(const struct holiday_calendar *cal, int32_t d)
{
	size_t lo = 0, hi = cal ? cal->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->days[mid].day < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return cal && lo < cal->n && cal->days[lo].day == d ? &cal->days[lo] : NULL;
}

int is_working_day(const struct holiday_calendar *cal, int32_t d)
{
	const struct holiday *h = holiday_find(cal, d);
	if (h)
		return h->kind == HOLIDAY_WORK;
	return date_weekday(d) <= 5;
}

int working_days_between(const struct holiday_calendar *cal, int32_t a, int32_t b)
{
	int n = 0;
	if (b <= a)
		return 0;
	/* Whole weeks first, then the rest day by day; then the calendar's
	 * days in (a, b]: a holiday on a weekday counts one less, a make-up
	 * working day on a weekend one more. */
	n = (b - a) / 7 * 5;
	for (int32_t d = a + (b - a) / 7 * 7 + 1; d <= b; d++)
		if (date_weekday(d) <= 5)
			n++;
	for (size_t i = 0; cal && i < cal->n; i++) {
		const struct holiday *h = &cal->days[i];
		if (h->day <= a || h->day > b)
			continue;
		if (h->kind == HOLIDAY_OFF && date_weekday(h->day) <= 5)
			n--;
		else if (h->kind == HOLIDAY_WORK && date_weekday(h->day) > 5)
			n++;
	}
	return n;
}

int32_t add_working_days(const struct holiday_calendar *cal, int32_t a, int n)
{
	int32_t d = a;
	while (n > 0) {
		d++;
		if (is_working_day(cal, d))
			n--;
	}
	return d;
}

size_t working_days_skipped(const struct holiday_calendar *cal, int32_t a, int32_t b,
			    struct skipped_day *out, size_t max)
{
	size_t n = 0;
	for (int32_t d = a + 1; d <= b; d++) {
		const struct holiday *h = holiday_find(cal, d);
		int weekend = date_weekday(d) > 5;
		struct skipped_day s = { d, 0, NULL };
		if (h && h->kind == HOLIDAY_OFF)
			s = (struct skipped_day){ d, 'h', h->name };
		else if (h && weekend)
			s = (struct skipped_day){ d, 'w', h->name };
		else if (!h && weekend)
			s = (struct skipped_day){ d, 's', NULL };
		if (!s.kind)
			continue;
		if (n < max)
			out[n] = s;
		n++;
	}
	return n;
}

static enum ms_err gap(int32_t earlier, int32_t later, int min_days, int working, const char *field,
		       const char *rule, const struct holiday_calendar *cal, struct ms_error *e)
{
	int have;
	if (!earlier || !later)
		return MS_OK;
	if (later < earlier)
		return ms_fail(e, MS_EINVAL, "order", field,
			       "'%s' comes before the date it follows", field);
	have = working ? working_days_between(cal, earlier, later) : later - earlier;
	if (have < min_days)
		return ms_fail(e, MS_EINVAL, "statutory_interval", field,
			       "'%s' is %d %sdays after the previous milestone; the law asks "
			       "for at least %d (%s)",
			       field, have, working ? "working " : "", min_days, rule);
	return MS_OK;
}

/* The milestones in the order they happen, any of them missing: none may
 * come before one given earlier in the list (intent 12-20 with documents
 * until 12-01 and no announcement between them passed the pairwise gaps). */
static enum ms_err order_check(const struct tender_dates *d, struct ms_error *e)
{
	const struct {
		int32_t date;
		const char *field;
	} seq[] = {
		{ d->intent_notice, "intent_notice" }, { d->announcement, "announcement" },
		{ d->doc_from, "doc_from" },	       { d->doc_to, "doc_to" },
		{ d->bid_deadline, "bid_deadline" },   { d->opening, "opening" },
		{ d->evaluation, "evaluation" },       { d->award_notice, "award_notice" },
	};
	int32_t latest = 0;
	const char *latest_field = NULL;

	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		if (!seq[i].date)
			continue;
		if (latest_field && seq[i].date < latest)
			return ms_fail(e, MS_EINVAL, "order", seq[i].field,
				       "'%s' comes before '%s'", seq[i].field, latest_field);
		latest = seq[i].date;
		latest_field = seq[i].field;
	}
	if (d->clarification && d->announcement && d->clarification < d->announcement)
		return ms_fail(e, MS_EINVAL, "order", "clarification",
			       "'clarification' comes before 'announcement'");
	return MS_OK;
}

enum ms_err tender_dates_check(const char *method, const struct tender_dates *d,
			       const struct holiday_calendar *cal, struct ms_error *e)
{
	int32_t issued = d->doc_from ? d->doc_from : d->announcement;
	/* The procurement starts with its announcement or, when none is
	 * given, with the documents (财库〔2020〕10号: intent 30 days before). */
	int32_t start = d->announcement ? d->announcement : d->doc_from;
	const char *start_field = d->announcement ? "announcement" : "doc_from";
	enum ms_err err;

	if ((err = order_check(d, e)))
		return err;

	if ((err = gap(d->intent_notice, start, 30, 0, start_field,
		       "intent notice 30 days before procurement", cal, e)) ||
	    (err = gap(d->announcement, d->doc_from, 0, 0, "doc_from", "documents after notice",
		       cal, e)) ||
	    (err = gap(d->doc_from, d->doc_to, 5, 1, "doc_to", "documents available 5 working days",
		       cal, e)) ||
	    (err = gap(d->clarification, d->bid_deadline, 15, 0, "clarification",
		       "clarifications 15 days before the deadline", cal, e)) ||
	    (err = gap(d->bid_deadline, d->opening, 0, 0, "opening", "opening at the deadline", cal,
		       e)) ||
	    (err = gap(d->opening, d->evaluation, 0, 0, "evaluation", "after opening", cal, e)) ||
	    (err = gap(d->evaluation ? d->evaluation : d->opening, d->award_notice, 0, 0,
		       "award_notice", "after evaluation", cal, e)) ||
	    (err = gap(d->award_notice, d->challenge_deadline, 0, 0, "challenge_deadline",
		       "after the award", cal, e)) ||
	    (err = gap(d->award_notice, d->contract_deadline, 0, 0, "contract_deadline",
		       "after the award", cal, e)))
		return err;
	if (d->clarification && d->bid_deadline && d->clarification > d->bid_deadline)
		return ms_fail(e, MS_EINVAL, "order", "clarification",
			       "'clarification' is after the bid deadline");
	/* From issuing the documents to the bid deadline, by method. */
	if (method && !strcmp(method, "open"))
		err = gap(issued, d->bid_deadline, 20, 0, "bid_deadline",
			  "20 days from documents to bids, Government Procurement Law art. 35", cal,
			  e);
	else if (method && !strcmp(method, "invited"))
		err = gap(issued, d->bid_deadline, 20, 0, "bid_deadline",
			  "20 days from documents to bids", cal, e);
	else if (method && !strcmp(method, "consultation"))
		err = gap(issued, d->bid_deadline, 10, 0, "bid_deadline",
			  "10 days for competitive consultation", cal, e);
	else if (method && (!strcmp(method, "negotiation") || !strcmp(method, "rfq")))
		err = gap(issued, d->bid_deadline, 3, 1, "bid_deadline",
			  "3 working days for negotiation or quotation", cal, e);
	else if (method && !strcmp(method, "single_source"))
		err = gap(d->announcement, d->bid_deadline, 5, 1, "bid_deadline",
			  "single-source notice of 5 working days", cal, e);
	if (err)
		return err;
	if (d->award_notice && d->contract_deadline && d->contract_deadline - d->award_notice > 30)
		return ms_fail(e, MS_EINVAL, "statutory_interval", "contract_deadline",
			       "the contract is due within 30 days of the award (art. 46)");
	return MS_OK;
}

void tender_dates_derive(struct tender_dates *d, const struct holiday_calendar *cal)
{
	if (d->award_notice && !d->challenge_deadline)
		d->challenge_deadline = add_working_days(cal, d->award_notice, 7);
	if (d->award_notice && !d->contract_deadline)
		d->contract_deadline = d->award_notice + 30;
	if (d->bid_deadline && !d->opening)
		d->opening = d->bid_deadline;
}

size_t tender_working_windows(const char *method, const struct tender_dates *d,
			      struct tender_window *out)
{
	size_t n = 0;
	int32_t issued = d->doc_from ? d->doc_from : d->announcement;

	if (d->doc_from && d->doc_to)
		out[n++] =
			(struct tender_window){ "doc_to", "doc_from", d->doc_from, d->doc_to, 5 };
	if (method && d->bid_deadline &&
	    (!strcmp(method, "negotiation") || !strcmp(method, "rfq")) && issued)
		out[n++] = (struct tender_window){ "bid_deadline",
						   d->doc_from ? "doc_from" : "announcement",
						   issued, d->bid_deadline, 3 };
	else if (method && d->bid_deadline && !strcmp(method, "single_source") && d->announcement)
		out[n++] = (struct tender_window){ "bid_deadline", "announcement", d->announcement,
						   d->bid_deadline, 5 };
	if (d->award_notice && d->challenge_deadline)
		out[n++] = (struct tender_window){ "challenge_deadline", "award_notice",
						   d->award_notice, d->challenge_deadline, 7 };
	return n;
}

int tender_milestone_relevant(const char *result, const char *milestone)
{
	if (!result || !strcmp(result, "pending") || !strcmp(result, "won"))
		return 1;
	if (!strcmp(result, "lost"))
		return !strcmp(milestone, "challenge_deadline");
	return 0;
}

const char *tender_next_deadline(const struct tender_dates *d, const char *result, int32_t today,
				 int32_t *when)
{
	const struct {
		const char *name;
		int32_t date;
	} m[] = { { "intent_notice", d->intent_notice },
		  { "announcement", d->announcement },
		  { "doc_from", d->doc_from },
		  { "doc_to", d->doc_to },
		  { "clarification", d->clarification },
		  { "bid_deadline", d->bid_deadline },
		  { "opening", d->opening },
		  { "evaluation", d->evaluation },
		  { "award_notice", d->award_notice },
		  { "challenge_deadline", d->challenge_deadline },
		  { "contract_deadline", d->contract_deadline } };
	const char *best = NULL;
	int32_t bd = 0;

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i].date && m[i].date >= today && (!best || m[i].date < bd) &&
		    tender_milestone_relevant(result, m[i].name)) {
			best = m[i].name;
			bd = m[i].date;
		}
	*when = bd;
	return best;
}

const char *tender_status(const struct tender_dates *d, const char *result, int32_t today)
{
	int32_t bids = d->opening ? d->opening : d->bid_deadline;
	if (result && strcmp(result, "pending"))
		return result;
	return bids && bids < today ? "awaiting_result" : "in_progress";
}

enum ms_err tender_bond_check(int64_t bond_fen, int64_t budget_fen, struct ms_error *e)
{
	if (bond_fen < 0)
		return ms_fail(e, MS_EINVAL, "out_of_range", "bid_bond_fen",
			       "'bid_bond_fen' cannot be negative");
	if (bond_fen > 0 && budget_fen <= 0)
		return ms_fail(e, MS_EINVAL, "required", "budget_fen",
			       "a bid bond is capped at 2%% of the budget: give the budget "
			       "(regulation art. 33)");
	if (budget_fen > 0 && bond_fen * 50 > budget_fen)
		return ms_fail(
			e, MS_EINVAL, "statutory_limit", "bid_bond_fen",
			"the bid bond may be at most 2%% of the budget (regulation art. 33)");
	return MS_OK;
}

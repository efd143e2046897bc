/* pipeline.h: rules of the sales pipeline (R3, R12): lead screening, stage
 * moves of opportunities and what each stage requires, the statutory clock
 * of public tenders, and the money checks. Pure: no I/O, no clock (callers
 * pass today). */
#ifndef MS_PIPELINE_H
#define MS_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/limits.h"

extern const char *const lead_sources[];	 /* academic_meeting exhibition inbound ... */
extern const char *const lead_statuses[];	 /* new qualifying qualified rejected converted */
extern const char *const device_classes[];	 /* I II III */
extern const char *const competitor_positions[]; /* leading strong even weak unknown */
extern const char *const competitor_origins[];	 /* domestic multinational */
extern const char
	*const tender_methods[]; /* open invited negotiation consultation single_source rfq */
extern const char *const tender_results[]; /* pending won lost cancelled failed */
extern const char *const
	project_roles[]; /* sales product_specialist technical service tender_specialist manager */
extern const char *const
	project_milestones[]; /* needs tender contract delivery installation acceptance payment */
extern const char *const project_task_statuses[]; /* todo doing done blocked */
extern const char *const checklist_statuses[];	  /* todo done not_needed */
/* Fields a stage can require before an opportunity enters it. */
extern const char *const stage_requirements
	[]; /* amount lines department expected_close_date tender competitors lost_reason won_competitor */

/* Money and quantities of opportunity lines: quantity 1..100000, unit price
 * 0..1e10 yuan in fen. */
#define PIPELINE_MAX_QUANTITY 100000
#define PIPELINE_MAX_PRICE_FEN 1000000000000LL
#define PIPELINE_MAX_AMOUNT_FEN MS_MAX_MONEY_FEN

/* A stage of the configurable pipeline. */
struct stage {
	const char *code;
	int position;	 /* order: 1, 2, ... */
	int probability; /* 0-100 */
	int is_won, is_lost;
	const char *requires; /* comma-separated stage_requirements */
};

/* What an opportunity has, for the requirement checks. */
struct opp_facts {
	int64_t amount_fen;
	int lines;
	int has_department;
	int has_close_date;
	int tenders;
	int competitors;
	int has_lost_reason;
	int has_won_competitor;
};

/* May an opportunity in stage from move to stage to? A closed (won or lost)
 * opportunity does not move; moving backwards among open stages is allowed
 * (deals slip) and recorded. Then every requirement of the target stage
 * must hold; the failure names the missing field. */
enum ms_err stage_move_check(const struct stage *from, const struct stage *to,
			     const struct opp_facts *facts, struct ms_error *e);
/* A won or lost deal is frozen: its fields, lines and competitors change
 * only after an explicit reopen (opp_reopen_check). is_closed: the current
 * stage is won or lost. The failure is 400 closed on stage_code. */
enum ms_err opp_frozen_check(int is_closed, struct ms_error *e);
/* With product lines, the amount is their sum: an amount_fen that differs
 * from lines_sum_fen is refused (lines_total on amount_fen); without lines
 * any amount passes. */
enum ms_err opp_amount_check(int lines, int64_t lines_sum_fen, int64_t amount_fen,
			     struct ms_error *e);
/* A reopen takes a closed deal (from) back to an open stage (to: the stage
 * it was in before it closed) and needs a reason. */
enum ms_err opp_reopen_check(const struct stage *from, const struct stage *to, const char *reason,
			     struct ms_error *e);
/* Checks a requirements list: every item a known code. */
enum ms_err stage_requires_check(const char *requires, struct ms_error *e);

/* A new order of the n stages: codes (ncodes of them) names each stage
 * exactly once (400 invalid on codes, naming the stranger, the duplicate or
 * the missing one) and puts every open stage before every won or lost one
 * (400 order on codes): a deal closes at the end of the pipeline. */
enum ms_err stage_order_check(const struct stage *stages, size_t n, const char *const *codes,
			      size_t ncodes, struct ms_error *e);
/* A new stage's code: 2 to 32 ASCII letters, digits and _, starting with
 * a letter (400 invalid on code). */
enum ms_err stage_code_check(const char *code, struct ms_error *e);
/* Where a new (open) stage may go: 1 up to first_closed, the position of
 * the first won or lost stage, which moves down (400 out_of_range on
 * position). */
enum ms_err stage_insert_check(int position, int first_closed, struct ms_error *e);

/* An open opportunity's expected close date may not be in the past. */
enum ms_err opp_close_date_check(int32_t close_date, int32_t today, int is_open,
				 struct ms_error *e);

/* Lead screening: the checklist's items are all ticked to qualify. */
int lead_checklist_complete(const int *ticked, size_t n);

/* ---- the tender clock (domain.md 2.2) ---- */

/* Milestones of a tender as day numbers (date.h); 0 = not set. */
struct tender_dates {
	int32_t intent_notice, announcement, doc_from, doc_to, clarification, bid_deadline, opening,
		evaluation, award_notice, challenge_deadline, contract_deadline;
};

/* The holiday calendar (国务院办公厅 publishes each year's arrangement):
 * public holidays, and make-up working days (调休) that fall on a
 * weekend. Reference data passed in by the caller, sorted by day. A day not
 * in it is a working day from Monday to Friday. NULL: no calendar. */
enum holiday_kind { HOLIDAY_OFF = 'h', HOLIDAY_WORK = 'w' };
struct holiday {
	int32_t day;
	char kind; /* enum holiday_kind */
	const char *name;
};
struct holiday_calendar {
	const struct holiday *days;
	size_t n;
};
/* The calendar's entry for day d, or NULL. */
const struct holiday *holiday_find(const struct holiday_calendar *cal, int32_t d);
int is_working_day(const struct holiday_calendar *cal, int32_t d);
/* Working days from a to b, a exclusive, b inclusive. */
int working_days_between(const struct holiday_calendar *cal, int32_t a, int32_t b);
/* a plus n working days. */
int32_t add_working_days(const struct holiday_calendar *cal, int32_t a, int n);
/* The days of (a, b] a working-day count treats specially: every day
 * skipped as non-working (kind 'h' a holiday of the calendar, 's' a
 * Saturday or Sunday) and every weekend day counted as a make-up working
 * day (kind 'w'). Fills at most max; returns how many there are. */
struct skipped_day {
	int32_t day;
	char kind;	  /* 'h' holiday, 's' weekend, 'w' make-up working day */
	const char *name; /* the holiday's name; NULL for a plain weekend */
};
size_t working_days_skipped(const struct holiday_calendar *cal, int32_t a, int32_t b,
			    struct skipped_day *out, size_t max);

/* Checks the statutory minimum intervals for the method; the failure names
 * the later date's field. Working days follow the calendar. */
enum ms_err tender_dates_check(const char *method, const struct tender_dates *d,
			       const struct holiday_calendar *cal, struct ms_error *e);
/* Fills the derived deadlines that are not set: challenge = award + 7
 * working days; contract = award + 30 days. */
void tender_dates_derive(struct tender_dates *d, const struct holiday_calendar *cal);
/* The windows of a tender counted in working days, for showing which days
 * were skipped: documents on sale (doc_from to doc_to, 5), the challenge
 * window (award_notice to challenge_deadline, 7), and for negotiation and
 * quotation (3) or single source (5) the bid window. Only those whose two
 * ends are set. Returns how many (at most TENDER_MAX_WINDOWS). */
#define TENDER_MAX_WINDOWS 3
struct tender_window {
	const char *milestone, *from_milestone;
	int32_t from, to;
	int rule_days;
};
size_t tender_working_windows(const char *method, const struct tender_dates *d,
			      struct tender_window *out);
/* Which milestones still matter for a tender with this result: all of them
 * while pending or won; for a lost tender only the challenge deadline (the
 * losing bidder's right to challenge, 7 working days); none once cancelled
 * or failed. */
int tender_milestone_relevant(const char *result, const char *milestone);
/* The next relevant milestone on or after today: its field name and date,
 * or NULL. */
const char *tender_next_deadline(const struct tender_dates *d, const char *result, int32_t today,
				 int32_t *when);
/* Where a tender stands: its result, except a pending tender whose bid
 * deadline (or opening) has passed: "awaiting_result", and its next step is
 * to record the result; a pending tender before that: "in_progress". */
const char *tender_status(const struct tender_dates *d, const char *result, int32_t today);
/* Bid bond at most 2 % of the budget; a bond needs the budget it is
 * checked against. */
enum ms_err tender_bond_check(int64_t bond_fen, int64_t budget_fen, struct ms_error *e);

#endif

/* pipeline.h: rules of the sales pipeline (R3, R12): lead screening, stage
 * moves of opportunities and what each stage requires, the statutory clock
 * of public tenders, and the money checks. Pure: no I/O, no clock (callers
 * pass today). */
#ifndef MS_PIPELINE_H
#define MS_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

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
#define PIPELINE_MAX_AMOUNT_FEN 100000000000000LL

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

/* Working days (Monday to Friday) from a to b, a exclusive, b inclusive. */
int working_days_between(int32_t a, int32_t b);
/* a plus n working days. */
int32_t add_working_days(int32_t a, int n);

/* Checks the statutory minimum intervals for the method; the failure names
 * the later date's field. */
enum ms_err tender_dates_check(const char *method, const struct tender_dates *d,
			       struct ms_error *e);
/* Fills the derived deadlines that are not set: challenge = award + 7
 * working days; contract = award + 30 days. */
void tender_dates_derive(struct tender_dates *d);
/* The next milestone on or after today: its field name and date, or NULL. */
const char *tender_next_deadline(const struct tender_dates *d, int32_t today, int32_t *when);
/* Bid bond at most 2 % of the budget. */
enum ms_err tender_bond_check(int64_t bond_fen, int64_t budget_fen, struct ms_error *e);

#endif

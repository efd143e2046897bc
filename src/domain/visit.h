/* visit.h: rules of visits (R3, R8, R10): the visit types, the effective-
 * visit definition and its evaluation, check-in distance classification,
 * the warning signs over a rep's day, visit frequency by grade (due and
 * overdue), ranking of plan proposals, the seven steps' default texts and
 * iCalendar text. Pure: no I/O, no clock (callers pass `now`). */
#ifndef MS_VISIT_H
#define MS_VISIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/strbuf.h"

struct holiday_calendar; /* domain/pipeline.h */

/* NULL-terminated code lists. */
extern const char *const visit_types[];	   /* in_person phone online dept_meeting academic joint */
extern const char *const visit_statuses[]; /* planned checked_in checked_out completed cancelled */
extern const char *const visit_location_statuses[]; /* none verified unverified suspicious */
extern const char *const visit_task_statuses[];	    /* open done */

/* Types that happen at the institution, where check-in location counts. */
int visit_type_on_site(const char *type);

/* ---- the seven steps (R8) ---- */
#define VISIT_MAX_STEPS 10
#define VISIT_DEFAULT_STEPS 7
struct visit_step_text {
	const char *code, *zh, *en, *hint_zh, *hint_en;
};
/* 计划准备, 开场, 探询聆听, FAB 呈现, 处理异议, 缔结承诺, 记录跟进. */
extern const struct visit_step_text visit_default_steps[VISIT_DEFAULT_STEPS];

/* ---- the effective-visit definition (有效拜访), configurable ---- */
struct visit_definition {
	int require_location;	/* on-site types: checked in, verified or explained */
	int min_minutes;	/* check-in to check-out; 0 = not checked */
	int require_contact;	/* met >= 1 contact whose role is in contact_roles */
	unsigned contact_roles; /* bit i = contact_roles order of customer.h */
	int min_steps;		/* seven-step items done; 0 = not checked */
	int require_objective;	/* an objective was set */
	int require_outcome;	/* an outcome was recorded */
	int require_next_step;	/* a next step with a date */
	int log_within_hours;	/* logged within N hours of the visit's end; 0 = not checked */
};
void visit_definition_default(struct visit_definition *d);
enum ms_err visit_definition_check(const struct visit_definition *d, struct ms_error *e);

/* What the evaluation reads of one visit. Instants are unix seconds, 0 =
 * absent. */
struct visit_facts {
	const char *type, *status;
	int64_t check_in_at, check_out_at, logged_at;
	const char *location_status; /* none verified unverified suspicious */
	int location_explained;	     /* a note explains an unverified location */
	unsigned contact_roles;	     /* roles of the contacts met, bit per role */
	int ncontacts;
	int steps_done;
	int has_objective, has_outcome, has_next_step; /* next step: text and date */
};

/* Each criterion that fails, as a code (stable, for the UI). */
enum visit_reason {
	VR_NOT_COMPLETED,
	VR_NO_CHECK_IN,
	VR_LOCATION_UNVERIFIED,
	VR_LOCATION_SUSPICIOUS,
	VR_NO_CHECK_OUT,
	VR_TOO_SHORT,
	VR_NO_CONTACT,
	VR_NO_DECISION_CONTACT,
	VR_TOO_FEW_STEPS,
	VR_NO_OBJECTIVE,
	VR_NO_OUTCOME,
	VR_NO_NEXT_STEP,
	VR_LOGGED_LATE,
	VR_COUNT
};
const char *visit_reason_code(enum visit_reason r);
/* Returns 1 when the visit counts; reasons gets the failed criteria as a
 * bit mask (1u << enum visit_reason). */
int visit_evaluate(const struct visit_definition *d, const struct visit_facts *f,
		   unsigned *reasons);
/* The reasons of a bit mask of visit_evaluate as the compact JSON array
 * stored in reasons_json ("[\"not_completed\",\"no_check_in\"]", "[]" for
 * none), in enum order. Returns the length, or -1 when n is too small
 * (VISIT_REASONS_JSON_MAX always suffices). */
#define VISIT_REASONS_JSON_MAX 400
int visit_reasons_json(unsigned bits, char *buf, size_t n);
/* Bit of a decision role code (customer.h contact_roles), 0 if unknown. */
unsigned visit_role_bit(const char *decision_role);

/* ---- location ---- */
struct visit_rules {
	int verified_m;	    /* check-in within this distance: verified */
	int suspicious_m;   /* farther than this: suspicious */
	int max_accuracy_m; /* a reported accuracy worse than this: unverified */
	int max_speed_kmh;  /* warning: faster between consecutive check-ins */
	int repeat_coords;  /* warning: the same coordinates this many times a day */
	int short_minutes;  /* warning: a visit shorter than this */
	int late_log_hours; /* warning: logged this long after the visit */
	int future_skew_s;  /* times up to this far in the future are clock skew */
	int contact_visits_a, contact_visits_b, contact_visits_c; /* key contacts, per month */
	int plan_per_day; /* proposals spread over working days, at most this many a day */
};
void visit_rules_default(struct visit_rules *r);
enum ms_err visit_rules_check(const struct visit_rules *r, struct ms_error *e);

/* Great-circle distance in metres (haversine, mean earth radius). */
double visit_distance_m(double lat1, double lon1, double lat2, double lon2);
/* -90..90 and -180..180, finite; names the field at fault. */
enum ms_err visit_check_coords(double lat, double lon, const char *lat_field, const char *lon_field,
			       struct ms_error *e);

enum visit_loc { VL_NONE, VL_VERIFIED, VL_UNVERIFIED, VL_SUSPICIOUS };
const char *visit_loc_name(enum visit_loc l);
/* Classifies a check-in. has_pos: the rep gave a position; has_inst: the
 * institution has a location; accuracy_m < 0 when unknown. The reason is a
 * stable code ("within", "no_position", "institution_no_location",
 * "low_accuracy", "outside", "far") and *distance_m the distance or -1. */
enum visit_loc visit_classify(const struct visit_rules *r, int has_pos, double lat, double lon,
			      double accuracy_m, int has_inst, double inst_lat, double inst_lon,
			      double *distance_m, const char **reason);

/* ---- warning signs over a rep's day ---- */
enum visit_warning {
	VW_TOO_FAST,	    /* from the previous check-in faster than max_speed_kmh */
	VW_REPEATED_COORDS, /* identical coordinates repeated >= repeat_coords times */
	VW_SHORT,	    /* shorter than short_minutes */
	VW_LATE_LOG,	    /* logged late_log_hours or more after the visit */
	VW_COUNT
};
const char *visit_warning_code(enum visit_warning w);
struct visit_day_item {
	int64_t check_in_at, check_out_at, logged_at; /* 0 = absent */
	int has_pos;
	double lat, lon;
	unsigned warnings; /* out: bit per enum visit_warning */
};
/* Sets warnings on each item; items need not be sorted. */
void visit_day_warnings(const struct visit_rules *r, struct visit_day_item *items, size_t n);

/* ---- frequency by grade (R10) ---- */
enum visit_due { VD_OK, VD_DUE, VD_OVERDUE, VD_NEVER };
const char *visit_due_name(enum visit_due d);
/* per_month visits a month are due every 30/per_month days after the last
 * visit (days since 1970, -1 = never). *due_day gets the day the next visit
 * is due (today when never). Due within 2 days counts as VD_DUE. per_month
 * 0: never due (VD_OK, *due_day = INT32_MAX). */
enum visit_due visit_due_status(int32_t last_day, int per_month, int32_t today, int32_t *due_day);
/* Visits the policy asks for over a period of days, for per_month a month
 * (rounded to nearest, at least 1 when per_month > 0). */
int visit_required(int per_month, int days);
/* Of a period's target visits (visit_required over its `days`), those due
 * once `elapsed` of its days have gone by: floor(target x elapsed / days),
 * so the k-th visit is due when k/target of the period is over and the
 * whole target on its last day. elapsed is clipped to 0..days. */
int visit_due_by(int target, int elapsed, int days);

struct visit_proposal {
	int64_t institution_id;
	char grade; /* 'A' 'B' 'C' */
	int32_t last_day, due_day, propose_day;
	enum visit_due status;	 /* the urgency ranked: the institution's or its contacts' */
	enum visit_due own;	 /* the institution's own, by its last visit */
	enum visit_due contacts; /* the worst of its key contacts due (VD_OK: none) */
	double score;		 /* higher first */
};
/* Scores (grade weight x lateness), sorts best first, and spreads the
 * proposals over the working days of the holiday calendar cal (Monday to
 * Friday but its public holidays, plus its make-up working days; NULL:
 * Monday to Friday) from `from` to `to`, at most per_day a day, no earlier
 * than each one's due day; those that do not fit get propose_day -1.
 * Returns how many fit. */
size_t visit_rank_proposals(struct visit_proposal *p, size_t n, int32_t from, int32_t to,
			    int per_day, const struct holiday_calendar *cal);

/* ---- iCalendar (RFC 5545) ---- */
/* Appends text escaped for a TEXT value (backslash, ';', ',' and newlines). */
void ical_escape(struct strbuf *sb, const char *text);
/* Appends one content line "NAME:value" folded at 75 octets (never inside a
 * UTF-8 sequence), with CRLF. value must already be escaped. */
void ical_line(struct strbuf *sb, const char *name, const char *value);
struct ical_event {
	const char *uid;    /* unique, stable */
	int64_t start, end; /* instants; end <= start gives a 30-minute event */
	int all_day;	    /* use date only (start's business date) */
	const char *summary, *description, *location,
		*status; /* status: CONFIRMED CANCELLED TENTATIVE */
};
void ical_begin(struct strbuf *sb, const char *calname, int64_t now);
void ical_event(struct strbuf *sb, const struct ical_event *ev, int64_t now);
void ical_end(struct strbuf *sb);

#endif

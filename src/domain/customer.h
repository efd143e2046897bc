/* customer.h: rules of the customer master (R4, R10, R11, and the
 * completeness KPI of R3): the enumerations of institutions, departments and
 * contacts; normalisation for duplicate detection; the A/B/C grading model;
 * the information-completeness score. Pure: no I/O. */
#ifndef MS_CUSTOMER_H
#define MS_CUSTOMER_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* NULL-terminated lists of the allowed codes, for validation and the UI. */
extern const char *const inst_levels[];	       /* L3 L2 L1 UNGRADED */
extern const char *const inst_classes[];       /* A B C NONE */
extern const char *const inst_ownerships[];    /* PUBLIC PRIVATE MILITARY ENTERPRISE */
extern const char *const inst_types[];	       /* GENERAL SPECIALTY TCM MCH CHC THC ... */
extern const char *const inst_network_roles[]; /* NONE LEAD MEMBER */
extern const char *const inst_statuses[];      /* prospect active dormant */
extern const char *const coverage_roles[];     /* primary supporting service */
extern const char *const dept_categories[];    /* CLINICAL MEDTECH ADMIN */
extern const char *const dept_functions[];
extern const char *const contact_roles[];   /* DECISION_MAKER INFLUENCER USER GATEKEEPER ... */
extern const char *const contact_stances[]; /* supporter neutral opponent */
extern const char *const kol_tiers[];	    /* national provincial city none */
extern const char *const need_statuses[];   /* open addressed closed */
extern const char *const grades[];	    /* A B C */

int code_in(const char *const *list, const char *s);

/* Name key for duplicate detection: ASCII lower-cased, full-width ASCII
 * folded to half-width, spaces, punctuation and brackets dropped
 * ("北京协和医院 (东院)" and "北京协和医院(东院)" are one key). out gets at
 * most n bytes. */
void customer_name_key(const char *name, char *out, size_t n);
/* Digits only; a leading 86 country code of a 13-digit number is dropped. */
void customer_mobile_key(const char *mobile, char *out, size_t n);
/* A mainland mobile number: 11 digits starting with 1 (after the key). */
int customer_mobile_valid(const char *mobile);
/* Latitude and longitude within mainland China's bounding box. */
enum ms_err customer_check_location(double lat, double lon, struct ms_error *e);
/* A coverage date (a start, an end, a reassignment; YYYY-MM-DD) against
 * today: from the first day of today's month (a late correction) to a year
 * ahead, so that reports of earlier months stay as they were; MS_EINVAL
 * out_of_range naming field otherwise. */
enum ms_err customer_check_coverage_date(const char *date, const char *today, const char *field,
					 struct ms_error *e);
/* A consent date (PIPL) is not after today. */
enum ms_err customer_check_consent_date(const char *date, const char *today, struct ms_error *e);
/* A contact's values as the API's body or an import row gives them, codes
 * already resolved (an import's labels 男, 决策者...); NULL (or
 * CONTACT_UNSET) is "not given". The one set of field rules that the API
 * (POST and PATCH /contacts) and the import (web and `medsales import
 * contacts`) both apply, so that a value one of them refuses the other
 * refuses too. */
#define CONTACT_UNSET INT64_MIN
#define CONTACT_MAX_NAME 100
#define CONTACT_MAX_TITLE 100
#define CONTACT_MAX_POSITION 100
#define CONTACT_MAX_KOL_SPECIALITY 200
#define CONTACT_MAX_KOL_POSTS 2000
#define CONTACT_MAX_KOL_ENGAGEMENTS 4000
#define CONTACT_MAX_MOBILE 32
#define CONTACT_MAX_EMAIL 254
#define CONTACT_MAX_WECHAT 64
struct contact_values {
	const char *name, *gender, *title, *position, *decision_role, *stance, *kol_tier;
	const char *kol_speciality, *kol_posts, *kol_engagements, *mobile, *email, *wechat;
	const char *consent_date;
	int64_t influence;
};
void contact_values_init(struct contact_values *v);
/* Checks every given value: text within its length, valid UTF-8 without
 * control characters; a given name not empty; gender "" (none), M or F;
 * decision role, stance and KOL tier among their codes; influence 1-5; a
 * mobile number a mainland one of 11 digits; an e-mail address; a consent
 * date a date YYYY-MM-DD (not "") not after today. Fills e[0..max) with the problems
 * (each naming its field), in that order, and returns how many there are (0:
 * valid). The API answers the first; the import reports them all. */
int customer_check_contact(const struct contact_values *v, const char *today, struct ms_error *e,
			   int max);
/* A contact is key when their decision role matters or influence >= 4. */
int contact_is_key(const char *decision_role, int64_t influence);

/* The grading model (R10): three factor scores of 0-100, weighted into a
 * 0-100 score, graded by two thresholds; and the visit frequency per month
 * each grade calls for. */
struct grading_model {
	int w_potential, w_willingness, w_influence; /* sum to 100 */
	int threshold_a, threshold_b;		     /* A >= a, B >= b, else C */
	int visits_a, visits_b, visits_c;	     /* visits per month per grade */
};

void grading_model_default(struct grading_model *m);
enum ms_err grading_model_check(const struct grading_model *m, struct ms_error *e);

/* What grading reads of an institution and its contacts. */
struct grade_input {
	const char *level, *class_, *status, *network_role;
	int64_t beds;	    /* -1 unknown */
	int64_t budget_fen; /* -1 unknown */
	int64_t installed_units;
	int64_t relationship; /* 1-5, 0 unknown */
	int is_teaching;
	int key_contacts, key_supporters, key_opponents;
	int kol_national, kol_provincial, kol_city;
};

/* Each factor's score and the points behind it, for the explanation shown
 * on screen. */
struct grade_result {
	int potential, willingness, influence; /* 0-100 each */
	int score;			       /* 0-100 */
	char grade;			       /* 'A', 'B', 'C' */
	/* points: level, beds, budget, installed; supporters, opponents,
	 * relationship, history; hub, teaching, kol, network */
	int p_level, p_beds, p_budget, p_installed;
	int w_supporters, w_opponents, w_relationship, w_history;
	int i_hub, i_teaching, i_kol, i_network;
};

void grade_compute(const struct grading_model *m, const struct grade_input *in,
		   struct grade_result *out);
char grade_of_score(const struct grading_model *m, int score);
/* The explanation of a grade as the compact JSON kept in grade_history
 * (keys sorted, as jansson's JSON_COMPACT | JSON_SORT_KEYS would write it):
 * {"grade":"A","influence":{...},"potential":{...},"score":N,
 * "willingness":{...}}. Returns the length, or -1 when n is too small
 * (GRADE_DETAILS_MAX always suffices). */
#define GRADE_DETAILS_MAX 384
int grade_details_json(const struct grade_result *g, char *buf, size_t n);

/* Information completeness: the fields an administrator counts, with
 * weights. A score is 100 * (weight of present fields) / (total weight). */
#define COMPLETENESS_MAX_FIELDS 32
struct completeness_field {
	const char *name;
	int weight; /* 0 = not counted */
};
/* The fields that may be chosen, for institutions and for key contacts. */
extern const char *const completeness_institution_fields[];
extern const char *const completeness_contact_fields[];

/* filled[i] says how far fields[i] is filled, 0 to 1 (a contact field is
 * the share of key contacts that have it). Returns 0-100, rounded (100 when
 * no field has weight); missing[] gets the indices of weighted fields not
 * wholly filled (at most n entries), *nmissing their count. */
int completeness_score(const struct completeness_field *fields, size_t n, const double *filled,
		       size_t *missing, size_t *nmissing);

#endif

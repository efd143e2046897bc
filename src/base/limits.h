/* limits.h: every cap on outside input, named in one place (OpenBSD httpd's
 * SERVER_MAXHEADERLENGTH, curl's dynbuf caps). Code that reads a size from
 * outside checks it against one of these before using it. */
#ifndef MS_LIMITS_H
#define MS_LIMITS_H

#define MS_MAX_BODY_BYTES (1024 * 1024)	       /* JSON request body */
#define MS_MAX_ANON_BODY_BYTES (16 * 1024)     /* a body sent without a session */
#define MS_MAX_UPLOAD_BYTES (64 * 1024 * 1024) /* CSV import upload */
#define MS_MAX_URL_BYTES 4096		       /* path plus query string */

#define MS_MAX_LIST_LIMIT 200 /* items per list page */
#define MS_DEFAULT_LIST_LIMIT 50
#define MS_MAX_OFFSET 10000000
#define MS_EXPORT_PAGE 1000	   /* rows per store page when exporting */
#define MS_EXPORT_MAX_ROWS 1000000 /* rows in one export */
#define MS_MAX_USERNAME 64	   /* bytes */
#define MS_MIN_PASSWORD 8	   /* characters */
#define MS_MAX_PASSWORD 256	   /* bytes */
#define MS_MAX_NAME 200		   /* display names, unit names, bytes */
#define MS_MAX_CODE 64		   /* reference codes */
#define MS_MAX_UNIT_PROVINCES 64   /* provinces assigned to one org unit */
#define MS_MAX_TEXT 20000	   /* free text fields, bytes */
#define MS_MAX_PATH_SEGMENTS 16
#define MS_SESSION_IDLE_SECONDS (8 * 3600) /* idle expiry of a session */
#define MS_SESSION_MAX_SECONDS (7 * 24 * 3600)
/* The login throttle (domain/user.h, docs/api.md): failures are forgotten
 * after a window without one; past its free failures a key admits one
 * password check per delay. */
#define MS_THROTTLE_WINDOW_SECONDS (15 * 60)
#define MS_THROTTLE_PAIR_FAILS 5	       /* per (client address, username) */
#define MS_THROTTLE_PAIR_DELAY_SECONDS 30      /* then one check per 30 s, doubling */
#define MS_THROTTLE_PAIR_MAX_DELAY_SECONDS 300 /* up to 5 minutes */
#define MS_THROTTLE_ACCOUNT_FAILS 20	       /* per account, all addresses together */
#define MS_THROTTLE_ACCOUNT_DELAY_SECONDS 5    /* then one check per 5 s per account */
/* Each take forgets up to MS_THROTTLE_SWEEP_KEYS counters a window old,
 * and the oldest past MS_THROTTLE_MAX_KEYS (about 15 MB of rows). */
#define MS_THROTTLE_SWEEP_KEYS 64
#define MS_THROTTLE_MAX_KEYS 100000
#define MS_MAX_LARGE_BODIES 2		       /* import uploads received at once */
#define MS_MAX_HEADER_BYTES (16 * 1024)	       /* all request headers together */
#define MS_ARENA_MAX_BYTES (256 * 1024 * 1024) /* one request's arena */

/* 1e12 yuan in fen: a sanity bound on amounts of money. */
#define MS_MAX_MONEY_FEN 100000000000000LL

/* Caps on text fields of the API and of the settings documents, bytes
 * (docs/api.md states the ones a user meets). */
#define MS_MAX_REASON_BYTES 1000       /* why a visit was cancelled, a deal lost or reopened... */
#define MS_MAX_ALIASES_BYTES 1000      /* an institution's other names */
#define MS_MAX_ADDRESS_BYTES 500       /* an institution's address */
#define MS_MAX_PLACE_BYTES 100	       /* city, district */
#define MS_MAX_VOLUME_BYTES 500	       /* a need's volume */
#define MS_MAX_BUDGET_CYCLE_BYTES 200  /* a need's budget cycle */
#define MS_MAX_REF_NO_BYTES 100	       /* a registration or tender project number */
#define MS_MAX_REQUIRES_BYTES 500      /* what a pipeline stage requires */
#define MS_MAX_SOURCE_BYTES 100	       /* a deal's source */
#define MS_MAX_SOURCE_DETAIL_BYTES 500 /* a lead source's detail */
#define MS_MAX_PERSON_NAME_BYTES 100   /* a lead's contact name */
#define MS_MAX_EMAIL_BYTES 254	       /* an e-mail address (RFC 5321 path) */
#define MS_MAX_PHONE_BYTES 32	       /* a user's phone */
#define MS_MAX_INSTANT_BYTES 40	       /* an ISO 8601 instant given as text */
#define MS_MAX_SETTING_CODE_BYTES 32   /* a step or question code, a need field */
#define MS_MAX_LABEL_BYTES 200	       /* a setting's zh or en label */
#define MS_MAX_HINT_BYTES 1000	       /* a setting's zh or en hint */
#define MS_MAX_QUESTION_TYPE_BYTES 16  /* a needs question's type */

#endif

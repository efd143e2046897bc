/* demo.h: the demo pipeline of `medsales demo`. Each module adds a step (a
 * function below and a line in cmd_demo.c's table) that creates its part of
 * the fictional company Huakang Medical (华康医疗), in domain.md §10. Steps
 * run in order inside one transaction, with one seeded generator, so the
 * same seed gives the same data. */
#ifndef MS_DEMO_H
#define MS_DEMO_H

#include "base/err.h"
#include "base/password.h"
#include "base/rng.h"
#include "store/store.h"

#define DEMO_PASSWORD "Demo@2026"
#define DEMO_MAX_USERS 256

struct demo_user {
	int64_t id;
	int64_t unit_id;
	char username[32];
	char role[16];
	char province[8]; /* province code for reps and their managers, else "" */
};

struct demo {
	struct store *st;
	struct scope sys;
	struct rng rng;
	char pw_hash[PASSWORD_HASH_MAX];
	char today[11];
	int64_t company_id;
	/* Filled by demo_org, read by later steps. */
	struct demo_user users[DEMO_MAX_USERS];
	int nusers;
};

void demo_today(char *buf);
/* A random Chinese personal name into buf (at least 16 bytes). */
void demo_person_name(struct demo *d, char *buf, size_t n);

enum ms_err demo_org(struct demo *d, struct ms_error *e);
enum ms_err demo_customers(struct demo *d, struct ms_error *e);
enum ms_err demo_pipeline(struct demo *d, struct ms_error *e);
enum ms_err demo_visits(struct demo *d, struct ms_error *e);

/* cli_util: opens (creating when asked) and migrates a database. */
int cli_open_db(const char *path, int create, struct store **st);

#endif

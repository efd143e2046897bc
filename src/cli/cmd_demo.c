/* cmd_demo.c: medsales demo. Runs the demo pipeline (demo.h) on a new or
 * empty database. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/parse.h"
#include "cli/cli.h"
#include "cli/demo.h"
#include "store/store_org.h"

static const struct {
	const char *name;
	enum ms_err (*run)(struct demo *d, struct ms_error *e);
} steps[] = {
	{ "organisation, users and reference data", demo_org },
	{ "institutions, departments, contacts and needs", demo_customers },
	{ "products, leads, opportunities, tenders and projects", demo_pipeline },
	{ "visits, coaching, follow-up tasks and plans", demo_visits },
};

void demo_today(char *buf)
{
	date_format(date_of_instant(date_now()), buf);
}

void demo_person_name(struct demo *d, char *buf, size_t n)
{
	static const char *const family[] = { "王", "李", "张", "刘", "陈",  "杨", "黄", "赵", "吴",
					      "周", "徐", "孙", "马", "朱",  "胡", "郭", "何", "高",
					      "林", "罗", "郑", "梁", "谢",  "宋", "唐", "许", "韩",
					      "冯", "邓", "曹", "彭", "曾",  "肖", "田", "董", "袁",
					      "潘", "蒋", "蔡", "余", "杜",  "叶", "程", "苏", "魏",
					      "吕", "丁", "任", "沈", "欧阳" };
	static const char *const given[] = {
		"伟",	"芳",	"娜",	"敏",	"静",	"丽",	"强",	"磊",	"军",	"洋",
		"勇",	"艳",	"杰",	"娟",	"涛",	"明",	"超",	"秀英", "华",	"慧",
		"建华", "志强", "晓东", "海燕", "婷",	"雪",	"浩",	"宇",	"鹏",	"丹",
		"斌",	"琳",	"欣怡", "颖",	"一帆", "晨",	"凯",	"瑞",	"子涵", "思远",
		"文博", "佳怡", "雨桐", "俊杰", "振华", "红梅", "国栋", "立新", "永刚", "春燕"
	};
	snprintf(buf, n, "%s%s", family[rng_next(&d->rng) % (sizeof(family) / sizeof(*family))],
		 given[rng_next(&d->rng) % (sizeof(given) / sizeof(*given))]);
}

static const char usage[] =
	"usage: medsales demo [--db FILE] [--seed N]\n\n"
	"Creates the demo company 华康医疗 / Huakang Medical: regions, provinces,\n"
	"districts, managers, reps, a director, a compliance officer and an\n"
	"administrator, with reference data. Every demo user's password is\n" DEMO_PASSWORD
	".\nThe same seed gives the same data. Refuses a database that already has\n"
	"the demo company.\n";

int cmd_demo(int argc, char **argv)
{
	static const char *const with_value[] = { "--db", "--seed", NULL };
	struct ms_error e = MS_ERROR_INIT;
	static struct demo d;
	const char *seed_s = cli_opt(argc, argv, "--seed");
	const char *db = cli_db_path(argc, argv);
	int64_t seed = 2026, existing;
	int rc = 1;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if (cli_check_args(argc, argv, with_value, NULL, 0)) {
		fputs(usage, stderr);
		return 2;
	}
	if (seed_s && parse_int64(seed_s, 0, INT64_MAX, &seed)) {
		fprintf(stderr, "medsales demo: --seed must be a non-negative integer\n");
		return 2;
	}
	memset(&d, 0, sizeof(d));
	if (cli_open_db(db, 1, &d.st))
		return 1;
	if (store_org_id(d.st, "EAST", &existing, NULL) == MS_OK) {
		fprintf(stderr, "medsales demo: '%s' already has the demo company\n", db);
		goto out;
	}
	scope_system(&d.sys);
	rng_seed(&d.rng, (uint64_t)seed);
	demo_today(d.today);
	if (password_hash(DEMO_PASSWORD, d.pw_hash)) {
		fprintf(stderr, "medsales demo: cannot hash the password\n");
		goto out;
	}
	if (store_begin(d.st, 1))
		goto out;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		fprintf(stderr, "demo: %s\n", steps[i].name);
		if (steps[i].run(&d, &e)) {
			fprintf(stderr, "medsales demo: %s: %s (%s)\n", steps[i].name, e.message,
				e.field);
			store_rollback(d.st);
			goto out;
		}
	}
	if (store_commit(d.st)) {
		fprintf(stderr, "medsales demo: commit failed\n");
		goto out;
	}
	printf("created the demo company in %s; every demo user's password is %s\n", db,
	       DEMO_PASSWORD);
	rc = 0;
out:
	store_close(d.st);
	return rc;
}

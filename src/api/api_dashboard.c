/* api_dashboard.c: what a person should see first: their own visits of the
 * coming week and follow-up tasks due, deadlines coming up, deals closing
 * soon or stalled, the open pipeline, late tasks. Each module adds its part
 * here. */
#include "api/api.h"
#include "api/api_pipeline.h"
#include "base/date.h"
#include "store/store_pipeline.h"
#include "store/store_visit.h"

enum ms_err api_dashboard(struct api_ctx *c)
{
	struct opp_filter f;
	struct visit_filter vf;
	struct task_filter tf;
	struct page pg = { 10, 0, "expected_close_date" };
	struct page vpg = { 10, 0, "visit_date" }, tpg = { 8, 0, "due_date" };
	json_t *out = json_object(), *part = NULL;
	char until[11], soon[11], week[11];
	int32_t today;
	enum ms_err err;

	date_parse(api_today(c), &today);
	date_format(today + 14, until);
	date_format(today + 30, soon);
	date_format(today + 6, week);
	/* The caller's own visits from today to a week ahead, any state (a
	 * visit done today shows as done), and open follow-up tasks due today
	 * or earlier. */
	visit_filter_init(&vf);
	vf.owner_id = c->scope.user_id;
	vf.from = api_today(c);
	vf.to = week;
	if ((err = store_visit_list(c->st, &c->scope, &vf, &vpg, &part, &c->err)))
		goto fail;
	json_object_set_new(out, "my_visits", part);
	tf.owner_id = c->scope.user_id;
	tf.status = "open";
	tf.due_before = api_today(c);
	if ((err = store_task_list(c->st, &c->scope, &tf, &tpg, &part, &c->err)))
		goto fail;
	json_object_set_new(out, "my_tasks_due", part);
	if ((err = store_tender_deadlines(c->st, &c->scope, api_today(c), until, &part, &c->err)))
		goto fail;
	json_object_set_new(out, "tender_deadlines", part);
	{
		/* Tenders whose bids were opened and whose result nobody has
		 * recorded yet: a to-do of their owner. */
		struct tender_filter tf2 = { 0 };
		struct page apg = { 10, 0, "bid_deadline" };
		tf2.status = "awaiting_result";
		tf2.due_within_days = -1;
		if ((err = store_tender_list(c->st, &c->scope, &tf2, &apg, &part, &c->err)))
			goto fail;
		json_object_set_new(out, "tenders_awaiting_result", part);
	}
	opp_filter_init(&f);
	f.open_only = 1;
	f.close_to = soon;
	if ((err = store_opp_list(c->st, &c->scope, &f, &pg, &part, &c->err)))
		goto fail;
	json_object_set_new(out, "closing_soon", part);
	opp_filter_init(&f);
	f.stalled = 1;
	pg.sort = "updated_at";
	if ((err = store_opp_list(c->st, &c->scope, &f, &pg, &part, &c->err)))
		goto fail;
	json_object_set_new(out, "stalled", part);
	if ((err = store_opp_summary(c->st, &c->scope, &part, &c->err)))
		goto fail;
	json_object_set_new(out, "pipeline", part);
	return api_ok(c, 200, out);
fail:
	json_decref(out);
	return err;
}

/* fuzz_settings.c: libFuzzer target for the settings documents that
 * PUT /api/v1/settings/{kind} checks before it stores them (the grading
 * model, completeness, the effective-visit definition, the visit rules, the
 * seven steps, the needs templates). The first byte chooses the kind, the
 * rest is the "value" JSON. A grading model, definition or rule set that
 * passes its check must pass it again after its own round trip (what GET
 * answers, PUT must take). */
#include <stdint.h>
#include <stdlib.h>

#include "store/store_customer.h"
#include "store/store_visit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ROUND_TRIP(type, from_json, to_json)                                                       \
	do {                                                                                       \
		type x, y;                                                                         \
		if (from_json(v, &x, &e) == MS_OK) {                                               \
			json_t *back = to_json(&x);                                                \
			if (!back || from_json(back, &y, &e) != MS_OK)                             \
				abort();                                                           \
			json_decref(back);                                                         \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_error e = MS_ERROR_INIT;
	json_error_t jerr;
	json_t *v;

	if (size < 1)
		return 0;
	v = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
		       &jerr);
	if (!v)
		return 0;
	switch (data[0] % 6) {
	case 0:
		ROUND_TRIP(struct grading_model, grading_model_from_json, grading_model_json);
		break;
	case 1: (void)completeness_check_json(v, &e); break;
	case 2:
		ROUND_TRIP(struct visit_definition, visit_definition_from_json,
			   visit_definition_json);
		break;
	case 3: ROUND_TRIP(struct visit_rules, visit_rules_from_json, visit_rules_json); break;
	case 4: (void)seven_steps_check_json(v, &e); break;
	case 5: (void)needs_templates_check_json(v, &e); break;
	}
	json_decref(v);
	return 0;
}

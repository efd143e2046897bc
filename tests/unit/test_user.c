/* test_user.c: account rules, the login throttle and session expiry of
 * src/domain/user.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/limits.h"
#include "domain/user.h"

#define ASSERT_FAILS(call, code_, field_)                                                          \
	do {                                                                                       \
		struct ms_error e_ = MS_ERROR_INIT;                                                \
		struct ms_error *e = &e_;                                                          \
		assert_int_equal((call), MS_EINVAL);                                               \
		assert_int_equal(e_.err, MS_EINVAL);                                               \
		assert_string_equal(e_.code, code_);                                               \
		assert_string_equal(e_.field, field_);                                             \
		assert_true(e_.message[0] != '\0');                                                \
	} while (0)

#define ASSERT_OK(call)                                                                            \
	do {                                                                                       \
		struct ms_error e_ = MS_ERROR_INIT;                                                \
		struct ms_error *e = &e_;                                                          \
		assert_int_equal((call), MS_OK);                                                   \
		assert_int_equal(e_.err, MS_OK);                                                   \
	} while (0)

static void test_username(void **state)
{
	char name64[65], name65[66];
	(void)state;
	memset(name64, 'a', 64);
	name64[64] = '\0';
	memset(name65, 'a', 65);
	name65[65] = '\0';
	ASSERT_OK(user_check_username("abc", e));
	ASSERT_OK(user_check_username("rep.sh1", e));
	ASSERT_OK(user_check_username("a.b_c-d", e));
	ASSERT_OK(user_check_username("007", e));
	ASSERT_OK(user_check_username(name64, e));
	ASSERT_FAILS(user_check_username(name65, e), "invalid", "username");
	ASSERT_FAILS(user_check_username("ab", e), "invalid", "username");
	ASSERT_FAILS(user_check_username("", e), "required", "username");
	ASSERT_FAILS(user_check_username(NULL, e), "required", "username");
	ASSERT_FAILS(user_check_username("Abc", e), "invalid", "username");
	ASSERT_FAILS(user_check_username(".abc", e), "invalid", "username");
	ASSERT_FAILS(user_check_username("-abc", e), "invalid", "username");
	ASSERT_FAILS(user_check_username("_abc", e), "invalid", "username");
	ASSERT_FAILS(user_check_username("ab c", e), "invalid", "username");
	ASSERT_FAILS(user_check_username("a@b.c", e), "invalid", "username");
	ASSERT_FAILS(user_check_username("王磊abc", e), "invalid", "username");
	assert_int_equal(user_check_username("ab", NULL), MS_EINVAL);
}

static void test_password(void **state)
{
	char long_pw[MS_MAX_PASSWORD + 2];
	(void)state;
	memset(long_pw, 'a', sizeof(long_pw) - 1);
	long_pw[sizeof(long_pw) - 1] = '\0';
	long_pw[0] = '1';
	ASSERT_OK(user_check_password("Demo@2026", "admin", "password", e));
	ASSERT_OK(user_check_password("abcdefg1", "admin", "password", e));
	ASSERT_OK(user_check_password("abcdefg!", NULL, "password", e));
	ASSERT_OK(user_check_password("12345678!", "admin", "password", e));
	ASSERT_OK(user_check_password("密码密码密码密码1", "admin", "password", e));
	/* Length counts characters: 7 characters in 15 bytes is too short. */
	ASSERT_FAILS(user_check_password("ab1中中中中", "x", "new_password", e), "weak_password",
		     "new_password");
	ASSERT_FAILS(user_check_password("abc1234", "x", "password", e), "weak_password",
		     "password");
	ASSERT_FAILS(user_check_password("abcdefgh", "x", "password", e), "weak_password",
		     "password");
	ASSERT_FAILS(user_check_password("12345678", "x", "password", e), "weak_password",
		     "password");
	ASSERT_FAILS(user_check_password("!@#$%^&*", "x", "password", e), "weak_password",
		     "password");
	ASSERT_FAILS(user_check_password("密码密码密码密码", "x", "password", e), "weak_password",
		     "password");
	ASSERT_FAILS(user_check_password("rep.sh1x", "rep.sh1x", "password", e), "weak_password",
		     "password");
	ASSERT_FAILS(user_check_password("", "x", "password", e), "required", "password");
	ASSERT_FAILS(user_check_password(NULL, "x", "pw", e), "required", "pw");
	ASSERT_FAILS(user_check_password(long_pw, "x", "password", e), "invalid", "password");
	long_pw[MS_MAX_PASSWORD] = '\0'; /* exactly the cap */
	ASSERT_OK(user_check_password(long_pw, "x", "password", e));
	ASSERT_FAILS(user_check_password("abcdefg1\xff", "x", "password", e), "invalid",
		     "password");
}

static void test_text(void **state)
{
	(void)state;
	ASSERT_OK(text_check(NULL, "email", 10, 0, e));
	ASSERT_OK(text_check("", "email", 10, 0, e));
	ASSERT_OK(text_check("上海", "name", 6, 1, e));
	ASSERT_OK(text_check("line1\nline2\tx", "note", 100, 1, e));
	ASSERT_FAILS(text_check("", "name_zh", 10, 1, e), "required", "name_zh");
	ASSERT_FAILS(text_check(NULL, "name_zh", 10, 1, e), "required", "name_zh");
	ASSERT_FAILS(text_check("上海", "name", 5, 1, e), "too_long", "name");
	ASSERT_FAILS(text_check("a\xc0\x80", "name", 50, 1, e), "bad_utf8", "name");
	ASSERT_FAILS(text_check("a\x01"
				"b",
				"name", 50, 1, e),
		     "invalid", "name");
	ASSERT_FAILS(text_check("a\rb", "name", 50, 0, e), "invalid", "name");
	ASSERT_FAILS(text_check("\x1b[31m", "name", 50, 0, e), "invalid", "name");
	/* Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0, U+10FFFF): not XML */
	ASSERT_FAILS(text_check("a\xef\xbf\xbe", "name", 50, 0, e), "invalid", "name");
	ASSERT_FAILS(text_check("\xef\xbf\xbf", "note", 50, 0, e), "invalid", "note");
	ASSERT_FAILS(text_check("\xef\xb7\x90", "name", 50, 0, e), "invalid", "name");
	ASSERT_FAILS(text_check("\xf4\x8f\xbf\xbf", "name", 50, 0, e), "invalid", "name");
	ASSERT_OK(text_check("\xef\xbf\xbd\x7f", "name", 50, 0, e)); /* U+FFFD, DEL */
}

static void test_email_phone_locale(void **state)
{
	char long_mail[300];
	(void)state;
	memset(long_mail, 'a', sizeof(long_mail));
	memcpy(long_mail + 250, "@b.cn", 6);
	ASSERT_OK(user_check_email("", e));
	ASSERT_OK(user_check_email(NULL, e));
	ASSERT_OK(user_check_email("wang.lei@huakang.cn", e));
	ASSERT_OK(user_check_email("a@b.c", e));
	ASSERT_FAILS(user_check_email(long_mail, e), "invalid", "email");
	ASSERT_FAILS(user_check_email("a@b", e), "invalid", "email");
	ASSERT_FAILS(user_check_email("@b.cn", e), "invalid", "email");
	ASSERT_FAILS(user_check_email("ab.cn", e), "invalid", "email");
	ASSERT_FAILS(user_check_email("a@b.cn.", e), "invalid", "email");
	ASSERT_FAILS(user_check_email("a@b@c.cn", e), "invalid", "email");
	ASSERT_FAILS(user_check_email("a b@c.cn", e), "invalid", "email");
	ASSERT_FAILS(user_check_email("<a>@c.cn", e), "invalid", "email");

	ASSERT_OK(user_check_phone("", e));
	ASSERT_OK(user_check_phone(NULL, e));
	ASSERT_OK(user_check_phone("+86 138-0013-8000", e));
	ASSERT_OK(user_check_phone("(021) 5555", e));
	ASSERT_OK(user_check_phone("12345", e));
	ASSERT_OK(user_check_phone("12345678901234567890", e));
	ASSERT_FAILS(user_check_phone("1234", e), "invalid", "phone");
	ASSERT_FAILS(user_check_phone("123456789012345678901", e), "invalid", "phone");
	ASSERT_FAILS(user_check_phone("12a345", e), "invalid", "phone");
	ASSERT_FAILS(user_check_phone("12345;", e), "invalid", "phone");

	assert_int_equal(user_locale_valid("zh-CN"), 1);
	assert_int_equal(user_locale_valid("en"), 1);
	assert_int_equal(user_locale_valid("EN"), 0);
	assert_int_equal(user_locale_valid("zh"), 0);
	assert_int_equal(user_locale_valid(""), 0);
	assert_int_equal(user_locale_valid(NULL), 0);
}

static void test_throttle_pair_slows_down(void **state)
{
	struct throttle t = { 0, 0, 0 };
	const int64_t now = 1795691670;
	(void)state;
	/* Five checks at once; the fifth makes the next wait 30 s. */
	for (int i = 1; i <= 4; i++) {
		assert_int_equal(throttle_take(&t, now, &throttle_pair_rule), 0);
		assert_int_equal(t.fails, i);
		assert_true(t.locked_until == 0);
	}
	assert_int_equal(throttle_take(&t, now, &throttle_pair_rule), 0);
	assert_true(t.locked_until == now + 30);
	/* Refused without counting: the wait is what is left. */
	assert_int_equal(throttle_take(&t, now, &throttle_pair_rule), 30);
	assert_int_equal(throttle_take(&t, now + 29, &throttle_pair_rule), 1);
	assert_int_equal(t.fails, 5);
	/* Then 60, 120, 240, and 300 s at most. */
	assert_int_equal(throttle_take(&t, now + 30, &throttle_pair_rule), 0);
	assert_true(t.locked_until == now + 30 + 60);
	assert_int_equal(throttle_take(&t, now + 90, &throttle_pair_rule), 0);
	assert_true(t.locked_until == now + 90 + 120);
	assert_int_equal(throttle_take(&t, now + 210, &throttle_pair_rule), 0);
	assert_true(t.locked_until == now + 210 + 240);
	assert_int_equal(throttle_take(&t, now + 450, &throttle_pair_rule), 0);
	assert_true(t.locked_until == now + 450 + 300);
	assert_int_equal(throttle_take(&t, now + 750, &throttle_pair_rule), 0);
	assert_true(t.locked_until == now + 750 + 300);
	assert_int_equal(t.fails, 10);
}

static void test_throttle_account_rule(void **state)
{
	struct throttle t = { 0, 0, 0 };
	const int64_t now = 1795691670;
	(void)state;
	for (int i = 1; i <= 19; i++)
		assert_int_equal(throttle_take(&t, now, &throttle_account_rule), 0);
	assert_true(t.locked_until == 0);
	assert_int_equal(throttle_take(&t, now, &throttle_account_rule), 0);
	assert_true(t.locked_until == now + 5);
	assert_int_equal(throttle_take(&t, now + 4, &throttle_account_rule), 1);
	/* One check every 5 s, never longer. */
	for (int i = 1; i <= 10; i++) {
		assert_int_equal(throttle_take(&t, now + 5 * i, &throttle_account_rule), 0);
		assert_true(t.locked_until == now + 5 * i + 5);
	}
}

static void test_throttle_window(void **state)
{
	struct throttle t = { 0, 0, 0 };
	const int64_t t0 = 1795691670;
	(void)state;
	for (int i = 0; i < 4; i++)
		throttle_take(&t, t0, &throttle_pair_rule);
	/* A check a whole window after the last one starts afresh. */
	assert_int_equal(throttle_take(&t, t0 + MS_THROTTLE_WINDOW_SECONDS, &throttle_pair_rule),
			 0);
	assert_int_equal(t.fails, 1);

	/* One second short, it is the fifth. */
	memset(&t, 0, sizeof(t));
	for (int i = 0; i < 4; i++)
		throttle_take(&t, t0, &throttle_pair_rule);
	throttle_take(&t, t0 + MS_THROTTLE_WINDOW_SECONDS - 1, &throttle_pair_rule);
	assert_int_equal(t.fails, 5);
	assert_true(t.locked_until == t0 + MS_THROTTLE_WINDOW_SECONDS - 1 + 30);

	/* The window runs from the last check: slow checks never reset it. */
	memset(&t, 0, sizeof(t));
	for (int i = 0; i < 5; i++)
		throttle_take(&t, t0, &throttle_pair_rule);
	assert_int_equal(throttle_take(&t, t0 + 30, &throttle_pair_rule), 0);
	assert_int_equal(throttle_take(&t, t0 + 90, &throttle_pair_rule), 0);
	assert_int_equal(t.fails, 7);

	/* A clock that went backwards starts afresh. */
	memset(&t, 0, sizeof(t));
	for (int i = 0; i < 5; i++)
		throttle_take(&t, t0, &throttle_pair_rule);
	assert_int_equal(throttle_take(&t, t0 - 10, &throttle_pair_rule), 0);
	assert_int_equal(t.fails, 1);
	assert_true(t.locked_until == 0);
}

static void test_session_expired(void **state)
{
	const int64_t c = 1795691670;
	(void)state;
	assert_int_equal(session_expired(c, c, c), 0);
	assert_int_equal(session_expired(c, c, c + MS_SESSION_IDLE_SECONDS), 0);
	assert_int_equal(session_expired(c, c, c + MS_SESSION_IDLE_SECONDS + 1), 1);
	/* Kept alive by requests, it still ends 7 days after creation. */
	assert_int_equal(
		session_expired(c, c + MS_SESSION_MAX_SECONDS - 60, c + MS_SESSION_MAX_SECONDS), 0);
	assert_int_equal(
		session_expired(c, c + MS_SESSION_MAX_SECONDS - 60, c + MS_SESSION_MAX_SECONDS + 1),
		1);
	assert_int_equal(session_expired(c, c + 3600, c + 3600 + MS_SESSION_IDLE_SECONDS), 0);
	assert_int_equal(session_expired(c, c + 3600, c + 3601 + MS_SESSION_IDLE_SECONDS), 1);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_username),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_email_phone_locale),
		cmocka_unit_test(test_throttle_pair_slows_down),
		cmocka_unit_test(test_throttle_account_rule),
		cmocka_unit_test(test_throttle_window),
		cmocka_unit_test(test_session_expired),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

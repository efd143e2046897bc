/* password.c: argon2id hashing of password.h, by libsodium. */
#include "base/password.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");

int password_hash(const char *password, char *out)
{
	return crypto_pwhash_str(out, password, strlen(password),
				 crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
		       ? 0
		       : -1;
}

int password_verify(const char *stored, const char *password)
{
	return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
}

static char dummy[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	password_hash("medsales-dummy-password", dummy);
}

void password_burn(const char *password)
{
	pthread_once(&dummy_once, make_dummy);
	(void)password_verify(dummy, password);
}

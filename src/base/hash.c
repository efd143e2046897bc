/* hash.c: the hashing and randomness of hash.h, by libsodium. */
#include "base/hash.h"

#include <sodium.h>

int hash_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void hash_sha256_hex(const void *data, size_t n, char *out)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, data, n);
	sodium_bin2hex(out, HASH_HEX_LEN + 1, digest, sizeof(digest));
}

void hash_random_token(char *out)
{
	unsigned char raw[TOKEN_HEX_LEN / 2];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, TOKEN_HEX_LEN + 1, raw, sizeof(raw));
}

int hash_equal(const char *a, const char *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

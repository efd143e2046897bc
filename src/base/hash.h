/* hash.h: SHA-256 in hex, random tokens and constant-time comparison, over
 * libsodium. hash_init() must run once before any other call. */
#ifndef MS_HASH_H
#define MS_HASH_H

#include <stddef.h>

#define HASH_HEX_LEN 64	 /* SHA-256 in lower-case hex, without the NUL */
#define TOKEN_HEX_LEN 64 /* 32 random bytes in hex */

int hash_init(void);
/* out gets HASH_HEX_LEN + 1 bytes. */
void hash_sha256_hex(const void *data, size_t n, char *out);
/* out gets TOKEN_HEX_LEN + 1 bytes of fresh randomness in hex. */
void hash_random_token(char *out);
/* 1 when equal, in time independent of where they differ. */
int hash_equal(const char *a, const char *b, size_t n);

#endif

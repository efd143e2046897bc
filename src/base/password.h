/* password.h: argon2id password hashes (libsodium's crypto_pwhash_str, the
 * "interactive" cost). The stored form is the self-describing
 * "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string. */
#ifndef MS_PASSWORD_H
#define MS_PASSWORD_H

#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */

/* 0 on success; out gets at most PASSWORD_HASH_MAX bytes. */
int password_hash(const char *password, char *out);
/* 1 when password matches the stored hash, 0 otherwise. */
int password_verify(const char *stored, const char *password);
/* Verifies against a fixed dummy hash, so that a login for an unknown user
 * takes as long as one for a known user. */
void password_burn(const char *password);

#endif

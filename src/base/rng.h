/* rng.h: a small deterministic random generator (splitmix64), for demo and
 * benchmark data that must be the same on every run with the same seed.
 * Not for secrets: those come from hash_random_token(). */
#ifndef MS_RNG_H
#define MS_RNG_H

#include <stdint.h>

struct rng {
	uint64_t state;
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [lo, hi]. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
/* Uniform in [0, 1). */
double rng_unit(struct rng *r);
/* Standard normal (Box-Muller). */
double rng_normal(struct rng *r);
/* Picks an index by weights w[0..n). */
int rng_weighted(struct rng *r, const double *w, int n);

#endif

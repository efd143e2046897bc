/* migrations.h: the numbered schema migrations, embedded from
 * src/store/migrations/NNNN_name.sql by scripts/embed-sql.sh. */
#ifndef MS_MIGRATIONS_H
#define MS_MIGRATIONS_H

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration migrations[];
extern const int migrations_count;

#endif

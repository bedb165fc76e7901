/*
 * mt_err.h - error codes shared by every layer
 *
 * Library functions return 0 on success and a negative MT_ERR_* value on
 * failure (or NULL for constructors).  They report the reason themselves
 * through mt_msg before returning, so a caller only decides what to do next.
 * They never exit, except through mt_malloc (out of memory) or mt_panic
 * (a broken invariant).
 */
#ifndef MT_ERR_H
#define MT_ERR_H

enum mt_err {
	MT_OK = 0,
	MT_ERR_INPUT = 1,	/* malformed input: reported, skipped */
	MT_ERR_LIMIT = 2,	/* a documented limit was exceeded */
	MT_ERR_IO = 3,		/* read/write/open failure */
	MT_ERR_DB = 4,		/* SQLite failure, corrupt or foreign store */
	MT_ERR_USAGE = 5	/* bad argument from the caller */
};

#if defined(__GNUC__) || defined(__clang__)
#define MT_WUR __attribute__((warn_unused_result))
#define MT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define MT_NORETURN __attribute__((noreturn))
#else
#define MT_WUR
#define MT_PRINTF(f, a)
#define MT_NORETURN
#endif

#endif

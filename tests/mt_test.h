/*
 * mt_test.h - a small unit-test harness in the style of Postfix's ptest
 *
 *	MT_TEST(test_name) { MT_EXPECT_STR(got, want); ... }
 *	int main(void) { MT_RUN(test_name); return MT_DONE(); }
 *
 * Each MT_RUN is one test case: "ok   name" or "FAIL name" with got/want
 * lines.  MT_DONE prints "N passed, N failed" (tests/run.sh adds them up)
 * and returns the exit status.  Case tables: loop inside one MT_TEST and
 * use MT_EXPECTF with the row's name.  MT_CORPUS() gives the shared corpus
 * directory or NULL (the caller prints a skip line).
 */
#ifndef MT_TEST_H
#define MT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mt_msg.h"

static int mt_t_passed, mt_t_failed, mt_t_skipped, mt_t_cur;

#define MT_TEST(fn) static void fn(void)

#define MT_RUN(fn) do {							\
	mt_t_cur = 0;							\
	fn();								\
	if (mt_t_cur < 0) {						\
		mt_t_skipped++;						\
		printf("skip %s\n", #fn);				\
	} else if (mt_t_cur) {						\
		mt_t_failed++;						\
		printf("FAIL %s\n", #fn);				\
	} else {							\
		mt_t_passed++;						\
		printf("ok   %s\n", #fn);				\
	}								\
	fflush(stdout);							\
} while (0)

#define MT_SKIP(why) do {						\
	printf("  skipped: %s\n", (why));				\
	mt_t_cur = -1;							\
	return;								\
} while (0)

#define MT_FAILF(...) do {						\
	printf("  %s:%d: ", __FILE__, __LINE__);			\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (mt_t_cur >= 0)						\
		mt_t_cur = 1;						\
} while (0)

#define MT_EXPECT(c) do {						\
	if (!(c))							\
		MT_FAILF("expected: %s", #c);				\
} while (0)

#define MT_EXPECTF(c, ...) do {						\
	if (!(c))							\
		MT_FAILF(__VA_ARGS__);					\
} while (0)

#define MT_EXPECT_INT(got, want) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (g_ != w_)							\
		MT_FAILF("%s: got %lld, want %lld", #got, g_, w_);	\
} while (0)

#define MT_EXPECT_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if ((g_ == NULL) != (w_ == NULL) ||				\
	    (g_ && strcmp(g_, w_) != 0))				\
		MT_FAILF("%s: got \"%s\", want \"%s\"", #got,		\
		    g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
} while (0)

/* span (struct mt_span) against a C string; want NULL = absent */
#define MT_EXPECT_SPAN(sp, want) do {					\
	struct mt_span s_ = (sp);					\
	const char *w_ = (want);					\
	if (w_ == NULL ? s_.n != 0 :					\
	    (s_.n != strlen(w_) || memcmp(s_.p, w_, s_.n) != 0))	\
		MT_FAILF("%s: got \"%.*s\", want \"%s\"", #sp,		\
		    (int)s_.n, s_.p ? s_.p : "", w_ ? w_ : "(absent)");	\
} while (0)

/*
 * mt_t_cap_start / mt_t_cap_end - capture diagnostics (mt_msg) in memory; mt_t_cap_end
 * returns the text, valid until the next mt_t_cap_start.
 */
static char *mt_t_cap_buf;
static size_t mt_t_cap_len;
static FILE *mt_t_cap_fp;

static inline void
mt_t_cap_start(void)
{
	free(mt_t_cap_buf);
	mt_t_cap_buf = NULL;
	mt_t_cap_fp = open_memstream(&mt_t_cap_buf, &mt_t_cap_len);
	mt_msg_set_stream(mt_t_cap_fp);
}

static inline const char *
mt_t_cap_end(void)
{
	if (mt_t_cap_fp != NULL)
		fclose(mt_t_cap_fp);
	mt_t_cap_fp = NULL;
	mt_msg_set_stream(NULL);
	return mt_t_cap_buf ? mt_t_cap_buf : "";
}

#define MT_DONE() (printf("%d passed, %d failed, %d skipped\n",	\
	mt_t_passed, mt_t_failed, mt_t_skipped), mt_t_failed ? 1 : 0)

/* MT_CORPUS - the shared conformance corpus, or NULL when absent */
static inline const char *
MT_CORPUS(void)
{
	const char *d = getenv("MT_CORPUS");
	struct stat st;

	if (d == NULL)
		d = "../shared/corpus";
	return stat(d, &st) == 0 && S_ISDIR(st.st_mode) ? d : NULL;
}

#endif

/*
 * mt_class.h - failure taxonomy: class and hint for a recipient's verdict
 *
 * One table in mt_class.c maps what is known of a failure (outcome, stage,
 * enhanced status code per RFC 3463, basic SMTP code, reply text, provider
 * sub-type, a class already decided by a parser rule) to a class word and
 * a one-line hint for the support engineer.  Class words are part of the
 * CLI contract (documented in the README and the man page).
 *
 * The returned strings are static.  No state; thread-safe.
 */
#ifndef MT_CLASS_H
#define MT_CLASS_H

#include "mt_event.h"
#include "mt_q_msg.h"

struct mt_class_in {
	enum mt_outcome outcome;
	enum mt_stage stage;
	enum mt_etype type;		/* the deciding event's type */
	const char *dsn;		/* "5.1.1" or NULL */
	int	 reply_code;		/* 550, 0 = none */
	const char *reply;		/* reply / diagnostic / error text or NULL */
	const char *subtype;		/* provider sub-type or NULL */
	const char *cls;		/* class decided by a parser rule, or NULL */
};

struct mt_class_out {
	const char *cls;		/* "" for success outcomes */
	const char *hint;
};

/* mt_class_decide - class and hint (never NULL) */
void	mt_class_decide(const struct mt_class_in *in, struct mt_class_out *out);

/* mt_class_words - NULL-terminated list of every class word (docs, tests) */
const char *const *mt_class_words(void);

#endif

/*
 * fz_touch.h - read the ends of every span of an event
 *
 * A span with a bad pointer or length then reads outside the input and
 * AddressSanitizer stops the run; the identifier keys are computed too.
 */
#ifndef FZ_TOUCH_H
#define FZ_TOUCH_H

#include <stddef.h>
#include <stdint.h>

#include "mt_event.h"

/* fz_touch - a sum over the first and last byte of each span */
static inline size_t
fz_touch(const struct mt_event *ev)
{
	const struct mt_span *f[] = { &ev->raw, &ev->host, &ev->prog,
	    &ev->qid, &ev->qid2, &ev->message_id, &ev->provider_id,
	    &ev->request_id, &ev->recipient, &ev->orig_recipient,
	    &ev->sender, &ev->client, &ev->relay, &ev->dsn, &ev->status,
	    &ev->subtype, &ev->reply, &ev->delay, &ev->cls };
	uint64_t keys[8];
	size_t i, sum = mt_event_keys(ev, keys, 8);

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i]->n > 0)
			sum += (unsigned char)f[i]->p[0] +
			    (unsigned char)f[i]->p[f[i]->n - 1];
	return sum;
}

#endif

/*
 * mt_ses.h - Amazon SES notifications and event records (mt_ses_ops)
 *
 * mt_ses_ops (mt_parser_ops.h) parses one JSON value: an SES notification
 * (notificationType) or event publishing record (eventType), bare or
 * wrapped as a JSON string in an SNS envelope ("Message"), an SQS message
 * ("Body"), a captured HTTP request ("body") or an EventBridge event
 * ("detail"), up to 4 levels.  It yields one event per recipient.
 *
 * Ownership: the canonical record and the events borrow memory owned by
 * the parser state until the next push or free.  Single-threaded.
 */
#ifndef MT_SES_H
#define MT_SES_H

#include "mt_event.h"

/*
 * mt_ses_record - the innermost notification object of the last
 * recognised push, re-serialized compactly on one line; pushing it again
 * yields the same events.
 */
struct mt_span mt_ses_record(void *st);

#endif

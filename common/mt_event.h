/*
 * mt_event.h - the normalized event: the only contract between the parsers
 * and everything above them (indexer, query)
 *
 * A parser turns one input record (a syslog line, one provider JSON object,
 * one application log line) into zero or more events.  Every string field
 * is a borrowed span (pointer + length, not NUL-terminated) into memory
 * owned by the parser: it stays valid until the parser's next push or
 * free.  Whoever keeps an event longer copies what it needs.  An absent
 * field has p == NULL and n == 0.
 *
 * Identifier fields are stored as they appear in the log, except that
 * message_id is given without its surrounding angle brackets.
 * Single-threaded; no global state.
 */
#ifndef MT_EVENT_H
#define MT_EVENT_H

#include <stddef.h>
#include <stdint.h>

/* Where the record came from. */
enum mt_src {
	MT_SRC_NONE = 0,
	MT_SRC_POSTFIX,
	MT_SRC_SENDMAIL,
	MT_SRC_SES,		/* Amazon SES notification or event record */
	MT_SRC_APP,		/* application log, matched by a rule */
	MT_SRC__COUNT
};

/* The four stages a message passes through. */
enum mt_stage {
	MT_STAGE_NONE = 0,
	MT_STAGE_APPLICATION,
	MT_STAGE_RELAY,
	MT_STAGE_PROVIDER,
	MT_STAGE_RECIPIENT,
	MT_STAGE__COUNT
};

/*
 * Event types.  Words (mt_etype_to_text) are part of the CLI contract:
 * the log's own status word where it has one, short words otherwise.
 */
enum mt_etype {
	MT_EV_OTHER = 0,	/* "other": recognised, no effect on outcome */
	MT_EV_RECEIVED,		/* "received": smtpd client=, pickup uid=, sendmail from= relay */
	MT_EV_MESSAGE_ID,	/* "message-id": cleanup message-id= */
	MT_EV_QUEUED,		/* "queued": qmgr from= size= nrcpt=, sendmail from= */
	MT_EV_SENT,		/* "sent": delivery status=sent / stat=Sent */
	MT_EV_DEFERRED,		/* "deferred" */
	MT_EV_BOUNCED,		/* "bounced" */
	MT_EV_EXPIRED,		/* "expired": qmgr expired, returned to sender */
	MT_EV_REMOVED,		/* "removed": qmgr removed (queue file gone) */
	MT_EV_REJECTED,		/* "rejected": NOQUEUE reject, cleanup/milter reject, sendmail ruleset */
	MT_EV_NOTIFIED,		/* "notified": bounce/DSN created, qid2 = new queue ID */
	MT_EV_DELETED,		/* "deleted": postsuper removed */
	MT_EV_HOLD,		/* "hold": placed on hold */
	MT_EV_CONNECT_ERROR,	/* "connect-error": connect to X: Connection timed out, lost connection */
	MT_EV_SUBMITTED,	/* "submitted": application handed the message to the provider/relay */
	MT_EV_FAILED,		/* "failed": application submission failed */
	MT_EV_SEND,		/* "send": provider accepted (SES Send) */
	MT_EV_DELIVERY,		/* "delivery" */
	MT_EV_BOUNCE,		/* "bounce" */
	MT_EV_COMPLAINT,	/* "complaint" */
	MT_EV_DELIVERYDELAY,	/* "deliverydelay" */
	MT_EV_REJECT,		/* "reject": provider refused (virus) */
	MT_EV_RENDERING_FAILURE,/* "rendering failure" */
	MT_EV_OPEN,		/* "open" */
	MT_EV_CLICK,		/* "click" */
	MT_EV_SUBSCRIPTION,	/* "subscription" */
	MT_EV__COUNT
};

struct mt_span {
	const char *p;
	size_t	 n;
};

#define MT_SPAN_NONE ((struct mt_span){ NULL, 0 })

struct mt_event {
	int64_t	 time;		/* microseconds since the epoch, UTC; 0 = unknown */
	enum mt_src src;
	enum mt_stage stage;
	enum mt_etype type;

	struct mt_span raw;	/* the whole input record */
	struct mt_span host;	/* syslog host */
	struct mt_span prog;	/* syslog program, e.g. "postfix/smtp" */

	/* identifiers (all indexed) */
	struct mt_span qid;		/* relay queue ID this line is about */
	struct mt_span qid2;		/* linked queue ID: "queued as", bounce/DSN new ID */
	struct mt_span message_id;	/* Message-ID header, without <> */
	struct mt_span provider_id;	/* provider message ID (SES mail.messageId, 250 Ok <id>) */
	struct mt_span request_id;	/* provider API request ID */
	struct mt_span recipient;	/* envelope recipient (to=) */
	struct mt_span orig_recipient;	/* orig_to= */

	/* other fields */
	struct mt_span sender;		/* envelope sender (from=), may be empty "<>" -> n == 0 */
	struct mt_span client;		/* smtpd client=host[ip] */
	struct mt_span relay;		/* relay=host[ip]:port, or provider endpoint */
	struct mt_span dsn;		/* enhanced status code, e.g. "5.1.1" */
	struct mt_span status;		/* the log's own status word ("sent", "Deferred", "Permanent") */
	struct mt_span subtype;		/* provider sub-type, e.g. SES bounceSubType "Suppressed" */
	struct mt_span reply;		/* remote reply / diagnostic / error text */
	struct mt_span delay;		/* delay= as written */
	struct mt_span cls;		/* failure class decided by the parser (a rule's
					   class, e.g. "quota"); empty = decide from dsn/reply */
	int64_t	 size;			/* message size in bytes, -1 unknown */
	int	 nrcpt;			/* qmgr nrcpt= / sendmail nrcpts=, -1 unknown */
	int	 reply_code;		/* basic SMTP code found in reply (250, 550...), 0 none */
};

/* mt_event_init - all spans empty, numbers unknown */
void	mt_event_init(struct mt_event *ev);

const char *mt_src_to_text(enum mt_src);
int	 mt_src_from_text(const char *, enum mt_src *);
const char *mt_stage_to_text(enum mt_stage);
int	 mt_stage_from_text(const char *, enum mt_stage *);
const char *mt_etype_to_text(enum mt_etype);
int	 mt_etype_from_text(const char *, enum mt_etype *);

/*
 * Identifier keys: the 64-bit hash under which the indexer files a record,
 * computed over the identifier with surrounding "<>" and white space
 * removed and ASCII letters folded to lower case.  The query side computes
 * the key of what the user typed with the same function.
 */
uint64_t mt_key(const char *s, size_t n);
/* mt_key_norm - write the normalized form (what mt_key hashes) into out;
 * returns its length, at most outsz - 1, NUL-terminated. */
size_t	 mt_key_norm(const char *s, size_t n, char *out, size_t outsz);
/* mt_event_keys - keys of every identifier field of ev (qid, qid2,
 * message_id, provider_id, request_id, recipient, orig_recipient); returns
 * the number stored in keys (at most max), duplicates removed. */
size_t	 mt_event_keys(const struct mt_event *ev, uint64_t *keys, size_t max);

/* mt_span_eq - span equals NUL-terminated s */
int	 mt_span_eq(struct mt_span a, const char *s);
/* mt_span_dup - NUL-terminated heap copy (mt_malloc); NULL for an absent span */
char	*mt_span_dup(struct mt_span a);

#endif

/*
 * mt_event.c - normalized event helpers and identifier keys; see mt_event.h
 */
#include <string.h>

#include "mt_alloc.h"
#include "mt_event.h"

static const char *const src_words[MT_SRC__COUNT] = {
	"", "postfix", "sendmail", "ses", "application"
};

static const char *const stage_words[MT_STAGE__COUNT] = {
	"", "application", "relay", "provider", "recipient"
};

static const char *const etype_words[MT_EV__COUNT] = {
	"other", "received", "message-id", "queued", "sent", "deferred",
	"bounced", "expired", "removed", "rejected", "notified", "deleted",
	"hold", "connect-error", "submitted", "failed", "send", "delivery",
	"bounce", "complaint", "deliverydelay", "reject", "rendering failure",
	"open", "click", "subscription"
};

/* mt_event_init - all spans empty, numbers unknown */
void
mt_event_init(struct mt_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->size = -1;
	ev->nrcpt = -1;
}

/* words_find - index of word in table, or -1 */
static int
words_find(const char *const *tab, int n, const char *w)
{
	int i;

	for (i = 0; i < n; i++)
		if (tab[i][0] != '\0' && strcmp(tab[i], w) == 0)
			return i;
	return -1;
}

/* mt_src_to_text - source word */
const char *
mt_src_to_text(enum mt_src s)
{
	return (unsigned)s < MT_SRC__COUNT ? src_words[s] : "";
}

/* mt_src_from_text - parse a source word; 0 or -1 */
int
mt_src_from_text(const char *w, enum mt_src *out)
{
	int i = words_find(src_words, MT_SRC__COUNT, w);

	if (i < 0)
		return -1;
	*out = (enum mt_src)i;
	return 0;
}

/* mt_stage_to_text - stage word */
const char *
mt_stage_to_text(enum mt_stage s)
{
	return (unsigned)s < MT_STAGE__COUNT ? stage_words[s] : "";
}

/* mt_stage_from_text - parse a stage word; 0 or -1 */
int
mt_stage_from_text(const char *w, enum mt_stage *out)
{
	int i = words_find(stage_words, MT_STAGE__COUNT, w);

	if (i < 0)
		return -1;
	*out = (enum mt_stage)i;
	return 0;
}

/* mt_etype_to_text - event type word */
const char *
mt_etype_to_text(enum mt_etype t)
{
	return (unsigned)t < MT_EV__COUNT ? etype_words[t] : "other";
}

/* mt_etype_from_text - parse an event type word; 0 or -1 */
int
mt_etype_from_text(const char *w, enum mt_etype *out)
{
	int i = words_find(etype_words, MT_EV__COUNT, w);

	if (i < 0)
		return -1;
	*out = (enum mt_etype)i;
	return 0;
}

/* key_trim - strip white space and one pair of surrounding <> */
static void
key_trim(const char **sp, size_t *np)
{
	const char *s = *sp;
	size_t n = *np;

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		s++, n -= 2;
	*sp = s;
	*np = n;
}

/* mt_key - FNV-1a 64 over the normalized identifier */
uint64_t
mt_key(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	key_trim(&s, &n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + ('a' - 'A'));
		h ^= c;
		h *= 0x100000001b3ULL;
	}
	/* 0 is reserved to mean "no key" */
	return h ? h : 1;
}

/* mt_key_norm - normalized identifier text */
size_t
mt_key_norm(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i, len;

	if (outsz == 0)
		return 0;
	key_trim(&s, &n);
	len = n < outsz - 1 ? n : outsz - 1;
	for (i = 0; i < len; i++) {
		char c = s[i];

		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
	}
	out[len] = '\0';
	return len;
}

/* mt_event_keys - keys of the identifier fields, deduplicated */
size_t
mt_event_keys(const struct mt_event *ev, uint64_t *keys, size_t max)
{
	const struct mt_span *f[7];
	size_t i, j, n = 0;

	f[0] = &ev->qid;
	f[1] = &ev->qid2;
	f[2] = &ev->message_id;
	f[3] = &ev->provider_id;
	f[4] = &ev->request_id;
	f[5] = &ev->recipient;
	f[6] = &ev->orig_recipient;
	for (i = 0; i < 7 && n < max; i++) {
		uint64_t k;

		if (f[i]->n == 0)
			continue;
		k = mt_key(f[i]->p, f[i]->n);
		for (j = 0; j < n; j++)
			if (keys[j] == k)
				break;
		if (j == n)
			keys[n++] = k;
	}
	return n;
}

/* mt_span_eq - span equals s */
int
mt_span_eq(struct mt_span a, const char *s)
{
	size_t n = strlen(s);

	return a.n == n && (n == 0 || memcmp(a.p, s, n) == 0);
}

/* mt_span_dup - heap copy of a span */
char *
mt_span_dup(struct mt_span a)
{
	if (a.p == NULL)
		return NULL;
	return mt_strndup(a.p, a.n);
}

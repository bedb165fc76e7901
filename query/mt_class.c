/*
 * mt_class.c - failure taxonomy: one table from what is known of a failure
 * to a class word and a one-line hint; see mt_class.h
 *
 * DESCRIPTION
 *	mt_class_decide() walks the table below from the top; the first row
 *	whose every condition holds decides.  A row may test the outcome,
 *	the deciding event's type, the provider sub-type (exact, case-
 *	insensitive), the enhanced status code (RFC 3463: "X.1.1" matches
 *	4.1.1 and 5.1.1, "X.4.*" any X.4 detail), the basic SMTP code and
 *	the reply text (case-insensitive substrings; '|' separates
 *	alternatives; a second list must match as well when given).  The
 *	order is: success outcomes, a class already decided by a parser
 *	rule, event types, provider sub-types, provider API errors,
 *	specific enhanced codes, reply text, generic enhanced codes, basic
 *	codes, and a catch-all per outcome.  Without a dsn or a code in
 *	the input, both are looked for at the start of the reply ("smtp;
 *	550 5.1.1 ...", "host x said: 550-5.1.1 ...").
 *
 * CLASS WORDS
 *	unknown-recipient	the mailbox does not exist (X.1.1, NoEmail)
 *	nonexistent-domain	the domain does not exist or takes no mail
 *				(X.1.2, X.1.10 null MX, 521/556)
 *	mailbox-full		over quota (X.2.2, 552, MailboxFull)
 *	mailbox-disabled	the mailbox exists but is disabled (X.2.1)
 *	message-too-large	over a size limit (X.3.4, X.2.3)
 *	authentication		SPF, DKIM, DMARC or reverse DNS checks
 *				failed (X.7.20-X.7.26, Gmail 5.7.26)
 *	blocklisted		the sending IP or domain is on a block list
 *	content-rejected	content or attachment refused (X.6.x)
 *	spam			judged to be spam
 *	virus			a virus was found (SES Reject)
 *	rate-limited		too much mail too fast (Yahoo TSS04, X.5.3)
 *	connection		no connection to, or lost connection with,
 *				the next hop (X.4.x)
 *	tls			STARTTLS or certificate failure (X.7.10)
 *	dns			a temporary DNS failure (X.4.3)
 *	relay-denied		"Relay access denied"
 *	policy			refused by a local policy (X.7.x, 554)
 *	expired			gave up retrying (X.4.7, qmgr expired)
 *	suppressed		the provider did not try: the address is on a
 *				suppression list
 *	rendering		the provider could not render the template
 *	quota			the provider's sending quota is used up
 *	unverified-sender	the provider has not verified the sender
 *	account-paused		the provider paused sending for the account
 *	smtp-auth		SMTP AUTH to the next hop failed (X.7.8, 535)
 *	complaint		the recipient reported the message as spam
 *	temporary		a transient failure; retried (4xx)
 *	unknown			nothing above applies
 *	Success outcomes (delivered, pending) and no outcome get "".
 */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mt_class.h"

#define OUT(o)		(1u << (o))
#define FAILS		(OUT(MT_OUT_BOUNCED) | OUT(MT_OUT_DEFERRED) | \
			    OUT(MT_OUT_DROPPED) | OUT(MT_OUT_FAILED) | \
			    OUT(MT_OUT_COMPLAINED))
#define PERM		(OUT(MT_OUT_BOUNCED) | OUT(MT_OUT_DROPPED) | \
			    OUT(MT_OUT_FAILED))
#define ANYTYPE		(-1)
#define R_RULE		0x1	/* matches when a parser rule set the class */

#define CLASS_TEXT_MAX	4096	/* bytes of reply text looked at */

struct class_row {
	const char *cls;
	unsigned outcomes;	/* mask of outcomes; 0 = any failure */
	int	 type;		/* deciding event type, ANYTYPE = any */
	unsigned flags;
	const char *subtype;	/* provider sub-types, exact */
	const char *dsn;	/* enhanced codes */
	const char *codes;	/* basic SMTP codes */
	const char *text;	/* reply substrings */
	const char *text2;	/* and one of these too */
	const char *hint;
};

static const struct class_row class_rows[] = {
	/* success outcomes and no outcome */
	{ "", OUT(MT_OUT_DELIVERED), ANYTYPE, 0, NULL, NULL, NULL, NULL, NULL,
	  "delivered: ask the recipient to check spam folders and filters" },
	{ "", OUT(MT_OUT_PENDING), ANYTYPE, 0, NULL, NULL, NULL, NULL, NULL,
	  "handed to the provider: wait for its report; check that SES event "
	  "publishing or notifications are configured" },
	{ "", OUT(MT_OUT_NONE), ANYTYPE, 0, NULL, NULL, NULL, NULL, NULL,
	  "no outcome recorded yet: look for the message in the relay logs" },

	/* a class decided by a parser rule (hint from the class's first row) */
	{ NULL, 0, ANYTYPE, R_RULE, NULL, NULL, NULL, NULL, NULL, NULL },

	/* complaints, by feedback type */
	{ "complaint", OUT(MT_OUT_COMPLAINED), ANYTYPE, 0, "not-spam", NULL,
	  NULL, NULL, NULL,
	  "the recipient marked the message as not spam: nothing to do" },
	{ "complaint", OUT(MT_OUT_COMPLAINED), ANYTYPE, 0, NULL, NULL, NULL,
	  NULL, NULL,
	  "stop mailing this address: the recipient reported the message as "
	  "spam; check how the address was subscribed" },

	/* deciding event types */
	{ "virus", 0, MT_EV_REJECT, 0, NULL, NULL, NULL, NULL, NULL,
	  "the provider found a virus: scan and clean the attachments, then "
	  "resend" },
	{ "rendering", 0, MT_EV_RENDERING_FAILURE, 0, NULL, NULL, NULL, NULL,
	  NULL,
	  "fix the template or the data sent with it: the provider could not "
	  "render it (see the error)" },
	{ "expired", 0, MT_EV_EXPIRED, 0, NULL, NULL, NULL, NULL, NULL,
	  "the relay gave up after maximal_queue_lifetime: fix the cause of "
	  "the earlier deferrals, then resend" },

	/* provider sub-types (SES bounceSubType, delayType) */
	{ "suppressed", 0, ANYTYPE, 0, "OnAccountSuppressionList", NULL, NULL,
	  NULL, NULL,
	  "remove from the account's suppression list only if sure the "
	  "address is valid again" },
	{ "suppressed", 0, ANYTYPE, 0, "Suppressed", NULL, NULL, NULL, NULL,
	  "the address is on the provider's global suppression list after "
	  "hard bounces: fix the address; it is removed by itself later" },
	{ "unknown-recipient", 0, ANYTYPE, 0, "NoEmail", NULL, NULL, NULL,
	  NULL,
	  "fix the address: the recipient's domain says it does not exist" },
	{ "mailbox-full", 0, ANYTYPE, 0, "MailboxFull", NULL, NULL, NULL, NULL,
	  "the recipient must free space in the mailbox; resend later" },
	{ "message-too-large", 0, ANYTYPE, 0, "MessageTooLarge", NULL, NULL,
	  NULL, NULL,
	  "send a smaller message: link large files instead of attaching "
	  "them" },
	{ "content-rejected", 0, ANYTYPE, 0, "AttachmentRejected", NULL, NULL,
	  NULL, NULL,
	  "remove or change the attachment the recipient's server refuses" },
	{ "content-rejected", 0, ANYTYPE, 0, "ContentRejected", NULL, NULL,
	  NULL, NULL,
	  "change the content the recipient's server refuses (links, "
	  "wording, attachments)" },
	{ "spam", 0, ANYTYPE, 0, "SpamDetected", NULL, NULL, NULL, NULL,
	  "the recipient's server took the message for spam: review the "
	  "content and the list's consent" },
	{ "blocklisted", 0, ANYTYPE, 0, "IPFailure", NULL, NULL, NULL, NULL,
	  "the recipient's server blocks the provider's sending IP: ask its "
	  "postmaster, or the provider, to unblock it" },
	{ "connection", 0, ANYTYPE, 0, "TransientCommunicationFailure", NULL,
	  NULL, NULL, NULL,
	  "wait: the provider retries the recipient's server for a while" },
	{ "dns", 0, ANYTYPE, 0, "BYOIPHostNameLookupUnavailable", NULL, NULL,
	  NULL, NULL,
	  "publish reverse DNS (PTR) for the provider-hosted sending IPs" },

	/* provider and submission API errors */
	{ "unverified-sender", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "not verified|unverified", NULL,
	  "verify the sender identity (address or domain) in SES, or move the "
	  "account out of the sandbox" },
	{ "quota", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "daily message quota|sending quota|daily sending quota|send quota",
	  NULL,
	  "request a sending quota increase, or spread the sending over "
	  "days" },
	{ "account-paused", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "sending paused|sendingpaused|sending is paused|account is paused",
	  NULL,
	  "sending is paused for the account: read the provider's notice and "
	  "fix the bounce or complaint rate first" },

	/* specific enhanced status codes (Microsoft uses 5.1.10 for an
	 * unknown recipient, RFC 7505 for a null MX) */
	{ "unknown-recipient", 0, ANYTYPE, 0, NULL, "X.1.10", NULL,
	  "recipientnotfound|recipient not found", NULL,
	  "fix the address: the recipient's directory does not know it" },
	{ "nonexistent-domain", 0, ANYTYPE, 0, NULL, "X.1.10", NULL, NULL,
	  NULL,
	  "the domain publishes a null MX and accepts no mail: use another "
	  "address" },
	{ "unknown-recipient", 0, ANYTYPE, 0, NULL, "X.1.1|X.1.3|X.1.6", NULL,
	  NULL, NULL,
	  "fix the address: the recipient's server says it does not exist" },
	{ "nonexistent-domain", 0, ANYTYPE, 0, NULL, "X.1.2", NULL, NULL, NULL,
	  "fix the domain of the address: it does not exist" },
	{ "mailbox-full", 0, ANYTYPE, 0, NULL, "X.2.2", NULL, NULL, NULL,
	  "the recipient must free space in the mailbox; resend later" },
	{ "mailbox-disabled", 0, ANYTYPE, 0, NULL, "X.2.1", NULL, NULL, NULL,
	  "the mailbox is disabled: ask the recipient for a current address" },
	{ "message-too-large", 0, ANYTYPE, 0, NULL, "X.3.4|X.2.3", NULL, NULL,
	  NULL,
	  "send a smaller message: link large files instead of attaching "
	  "them" },
	{ "authentication", 0, ANYTYPE, 0, NULL, "X.7.25", NULL, NULL, NULL,
	  "give the sending IP a reverse DNS (PTR) name that resolves back to "
	  "it" },
	{ "authentication", 0, ANYTYPE, 0, NULL,
	  "X.7.20|X.7.21|X.7.22|X.7.23|X.7.24|X.7.26", NULL, NULL, NULL,
	  "authenticate the sending domain with SPF, DKIM and DMARC" },
	{ "smtp-auth", 0, ANYTYPE, 0, NULL, "X.7.8|X.7.9", NULL, NULL, NULL,
	  "fix the relay's SMTP credentials for the next hop "
	  "(smtp_sasl_password_maps)" },
	{ "tls", 0, ANYTYPE, 0, NULL, "X.7.10", NULL, NULL, NULL,
	  "the next hop requires TLS: enable and check STARTTLS towards it" },
	{ "expired", 0, ANYTYPE, 0, NULL, "X.4.7", NULL, NULL, NULL,
	  "the relay gave up after maximal_queue_lifetime: fix the cause of "
	  "the earlier deferrals, then resend" },
	{ "rate-limited", 0, ANYTYPE, 0, NULL, "X.5.3", NULL, NULL, NULL,
	  "send to fewer recipients per message or per connection" },

	/* reply text */
	{ "relay-denied", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "relay access denied|relaying denied|unable to relay|"
	  "relay not permitted|relaying not allowed|not permitted to relay",
	  NULL,
	  "the relay refused to relay for this client: add it to mynetworks "
	  "or make it authenticate" },
	{ "authentication", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "spf|dkim|dmarc|unauthenticated|sender authentication", NULL,
	  "authenticate the sending domain with SPF, DKIM and DMARC" },
	{ "smtp-auth", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "authentication credentials|authentication failed|"
	  "authentication required|auth failed|sasl|invalid credentials|"
	  "username and password not accepted", NULL,
	  "fix the relay's SMTP credentials for the next hop "
	  "(smtp_sasl_password_maps)" },
	{ "virus", 0, MT_EV_REJECTED, 0, NULL, NULL, NULL,
	  "virus|malware|infected", NULL,
	  "the relay itself refused the message: its content filter (a milter "
	  "such as ClamAV or amavis) found a virus; scan and clean the "
	  "attachments, then resend" },
	{ "virus", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "virus|malware|infected", NULL,
	  "the recipient's server found a virus: scan and clean the "
	  "attachments, then resend" },
	{ "blocklisted", 0, MT_EV_REJECTED, 0, NULL, NULL, NULL,
	  "blocked using|dnsbl|listed at|listed in|listed on|listed by",
	  NULL,
	  "the relay itself refused this client, named by a DNS block list: "
	  "for a legitimate sender, exempt its IP (postscreen_access_list)" },
	{ "blocklisted", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "spamhaus|blocklist|blacklist|block list|black list|dnsbl|"
	  "blocked using|listed at|listed in|listed on|listed by|spamcop|"
	  "barracuda|sorbs|reputation",
	  NULL,
	  "ask the recipient's postmaster to unblock the sending IP, and ask "
	  "the block list named in the reply for delisting" },
	{ "rate-limited", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "rate limit|rate-limit|ratelimit|too many|throttl|tss04|"
	  "unexpected volume|receiving mail at a rate|sending rate|"
	  "exceeded the rate",
	  NULL,
	  "slow down: lower the concurrency and rate towards this domain; it "
	  "is retried" },
	{ "tls", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "tls|ssl|certificate|handshake", NULL,
	  "check STARTTLS towards the next hop: certificates, protocol "
	  "versions and smtp_tls_security_level" },
	{ "mailbox-full", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "mailbox full|mailbox is full|over quota|overquota|quota exceeded|"
	  "exceeded storage|insufficient storage|mailbox size|"
	  "storage allocation|mailfolder is full|out of storage",
	  NULL,
	  "the recipient must free space in the mailbox; resend later" },
	{ "mailbox-disabled", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "disabled|deactivated|inactive|no longer active|account closed",
	  NULL,
	  "the mailbox is disabled: ask the recipient for a current address" },
	{ "message-too-large", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "too large|too big|size exceeds|exceeds the size|size limit|"
	  "message size",
	  NULL,
	  "send a smaller message: link large files instead of attaching "
	  "them" },
	{ "dns", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "name service error|dns|name resolution|lookup",
	  "try again|temporar|timed out|timeout|servfail",
	  "a DNS lookup failed for now: it is retried; check the domain's "
	  "name servers if it persists" },
	{ "dns", OUT(MT_OUT_DEFERRED), ANYTYPE, 0, NULL, NULL, NULL,
	  "host or domain name not found|domain not found|"
	  "host name lookup failure", NULL,
	  "a DNS lookup failed for now: it is retried; check the domain's "
	  "name servers if it persists" },
	{ "nonexistent-domain", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "host or domain name not found|domain not found|no such domain|"
	  "domain does not exist|nxdomain|unrouteable address|"
	  "does not accept mail|null mx",
	  NULL,
	  "fix the domain of the address: it does not exist or takes no "
	  "mail" },
	{ "unknown-recipient", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "user unknown|unknown user|no such user|does not exist|"
	  "doesn't exist|unknown recipient|recipient unknown|"
	  "invalid recipient|recipient not found|user not found|no mailbox|"
	  "mailbox not found|no such mailbox|invalid mailbox|"
	  "address not found|not listed in|recipnotfound|doesn't have a|"
	  "does not have an account",
	  NULL,
	  "fix the address: the recipient's server says it does not exist" },
	{ "connection", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "connection timed out|connection refused|lost connection|"
	  "no route to host|network is unreachable|connection reset|"
	  "timed out|conversation with|connect to",
	  NULL,
	  "check the network path to the next hop (firewall, port 25, its "
	  "MX); it is retried" },
	{ "spam", 0, MT_EV_REJECTED, 0, NULL, NULL, NULL,
	  "spam|junk|unsolicited|bulk mail", NULL,
	  "the relay itself refused the message as spam: its content filter "
	  "(a milter such as rspamd or amavis) logs the score and the rules "
	  "that fired" },
	{ "spam", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "spam|junk|unsolicited|bulk mail", NULL,
	  "the recipient's server took the message for spam: review the "
	  "content and the list's consent" },
	{ "blocklisted", 0, ANYTYPE, 0, NULL, NULL, NULL, "blocked", NULL,
	  "ask the recipient's postmaster to unblock the sending IP or "
	  "domain" },
	{ "content-rejected", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "content|attachment|file type|prohibited file", NULL,
	  "change the content the recipient's server refuses (links, "
	  "wording, attachments)" },
	{ "temporary", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "greylist|graylist|try again later|please try again", NULL,
	  "wait: greylisting or a busy server; it is retried" },
	{ "policy", 0, MT_EV_REJECTED, 0, NULL, NULL, NULL,
	  "policy|not allowed|not permitted|prohibited|refused|"
	  "access denied|administrative", NULL,
	  "the relay itself refused it under its own restrictions: check its "
	  "smtpd_*_restrictions and access tables for this client, sender or "
	  "recipient" },
	{ "policy", 0, ANYTYPE, 0, NULL, NULL, NULL,
	  "policy|not allowed|not permitted|prohibited|refused|"
	  "access denied|administrative", NULL,
	  "ask the recipient's postmaster which of their policies refused "
	  "the message" },

	/* generic enhanced status codes */
	{ "connection", 0, ANYTYPE, 0, NULL, "X.4.1|X.4.2", NULL, NULL, NULL,
	  "check the network path to the next hop (firewall, port 25, its "
	  "MX); it is retried" },
	{ "dns", 0, ANYTYPE, 0, NULL, "X.4.3", NULL, NULL, NULL,
	  "a DNS lookup failed for now: it is retried; check the domain's "
	  "name servers if it persists" },
	{ "nonexistent-domain", PERM, ANYTYPE, 0, NULL, "X.4.4", NULL, NULL,
	  NULL,
	  "no mail server found for the domain: fix the domain of the "
	  "address" },
	{ "connection", 0, ANYTYPE, 0, NULL, "X.4.*", NULL, NULL, NULL,
	  "a routing or network problem towards the next hop: read the "
	  "reply; it is retried if temporary" },
	{ "unknown", PERM, ANYTYPE, 0, NULL, "X.5.*", NULL, NULL, NULL,
	  "an SMTP protocol error: read the reply and the relay's log "
	  "around it" },
	{ "content-rejected", 0, ANYTYPE, 0, NULL, "X.6.*", NULL, NULL, NULL,
	  "the recipient's server cannot take the message's media or "
	  "encoding: simplify the content" },
	{ "policy", 0, ANYTYPE, 0, NULL, "X.7.*", NULL, NULL, NULL,
	  "ask the recipient's postmaster which of their policies refused "
	  "the message" },
	{ "unknown-recipient", 0, ANYTYPE, 0, NULL, "X.1.*", NULL, NULL, NULL,
	  "fix the address: the recipient's server does not accept it" },

	/* basic SMTP codes */
	{ "smtp-auth", 0, ANYTYPE, 0, NULL, NULL, "530|535|538", NULL, NULL,
	  "fix the relay's SMTP credentials for the next hop "
	  "(smtp_sasl_password_maps)" },
	{ "nonexistent-domain", 0, ANYTYPE, 0, NULL, NULL, "521|556", NULL,
	  NULL,
	  "the domain accepts no mail: use another address" },
	{ "mailbox-full", 0, ANYTYPE, 0, NULL, NULL, "552", NULL, NULL,
	  "the recipient must free space in the mailbox; resend later" },
	{ "unknown-recipient", 0, ANYTYPE, 0, NULL, NULL, "550|551|553", NULL,
	  NULL,
	  "check the address: the recipient's server refuses the mailbox" },
	{ "policy", 0, ANYTYPE, 0, NULL, NULL, "554", NULL, NULL,
	  "ask the recipient's postmaster why the transaction was refused" },
	{ "temporary", 0, ANYTYPE, 0, NULL, NULL, "421|450|451|452", NULL,
	  NULL,
	  "wait: the recipient's server refused for now; it is retried" },

	/* catch-all per outcome */
	{ "temporary", OUT(MT_OUT_DEFERRED), ANYTYPE, 0, NULL, NULL, NULL,
	  NULL, NULL,
	  "wait: it is retried until maximal_queue_lifetime; read the reason "
	  "if it persists" },
	{ "unknown", 0, ANYTYPE, 0, NULL, NULL, NULL, NULL, NULL,
	  "read the reply and the logs around it: no rule knows this "
	  "failure" },
};

#define NROWS (sizeof(class_rows) / sizeof(class_rows[0]))

static const char *const class_words[] = {
	"unknown-recipient", "nonexistent-domain", "mailbox-full",
	"mailbox-disabled", "message-too-large", "authentication",
	"blocklisted", "content-rejected", "spam", "virus", "rate-limited",
	"connection", "tls", "dns", "relay-denied", "policy", "expired",
	"suppressed", "rendering", "quota", "unverified-sender",
	"account-paused", "smtp-auth", "complaint", "temporary", "unknown",
	NULL
};

/* enh - an enhanced status code: class, subject, detail */
struct enh {
	int	 cls, subj, det;
};

/* enh_parse - "c.s.d" at s (n bytes); returns bytes used or 0 */
static size_t
enh_parse(const char *s, size_t n, struct enh *e)
{
	size_t i = 0, k;
	int v[3], part;

	for (part = 0; part < 3; part++) {
		if (part > 0) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
		v[part] = 0;
		for (k = 0; k < 3 && i < n &&
		    isdigit((unsigned char)s[i]); k++, i++)
			v[part] = v[part] * 10 + (s[i] - '0');
		if (k == 0 || (part == 0 && k != 1))
			return 0;
		if (i < n && isdigit((unsigned char)s[i]))
			return 0;
	}
	if (v[0] != 2 && v[0] != 4 && v[0] != 5)
		return 0;
	e->cls = v[0];
	e->subj = v[1];
	e->det = v[2];
	return i;
}

/* reply_start - skip "smtp;", "host ... said:" and spaces to the code */
static const char *
reply_start(const char *r)
{
	const char *p;

	if ((p = strstr(r, " said: ")) != NULL)
		r = p + 7;
	else if (strncasecmp(r, "smtp;", 5) == 0)
		r += 5;
	while (*r == ' ' || *r == '\t')
		r++;
	return r;
}

/* find_code - basic SMTP code at the start of the reply, 0 if none */
static int
find_code(const char *r)
{
	r = reply_start(r);
	if (r[0] >= '2' && r[0] <= '5' && isdigit((unsigned char)r[1]) &&
	    isdigit((unsigned char)r[2]) && (r[3] == ' ' || r[3] == '-' ||
	    r[3] == '\0'))
		return (r[0] - '0') * 100 + (r[1] - '0') * 10 + (r[2] - '0');
	return 0;
}

/* find_dsn - enhanced code after the basic code of the reply */
static int
find_dsn(const char *r, struct enh *e)
{
	r = reply_start(r);
	if (find_code(r) == 0)
		return enh_parse(r, strlen(r), e) ? 0 : -1;
	r += 4;
	while (*r == ' ')
		r++;
	return enh_parse(r, strlen(r), e) ? 0 : -1;
}

/* list_has - does the '|'-separated list hold w (n bytes), ignoring case */
static int
list_has(const char *list, const char *w, size_t n)
{
	const char *p = list, *e;

	for (;;) {
		e = strchr(p, '|');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == n && strncasecmp(p, w, n) == 0)
			return 1;
		if (*e == '\0')
			return 0;
		p = e + 1;
	}
}

/* ci_contains - does hay (hn bytes) hold needle (nn bytes), ignoring case */
static int
ci_contains(const char *hay, size_t hn, const char *needle, size_t nn)
{
	size_t i;

	if (nn == 0 || nn > hn)
		return nn == 0;
	for (i = 0; i + nn <= hn; i++)
		if (strncasecmp(hay + i, needle, nn) == 0)
			return 1;
	return 0;
}

/* text_any - does text hold one of the '|'-separated substrings */
static int
text_any(const char *list, const char *text, size_t tn)
{
	const char *p = list, *e;

	for (;;) {
		e = strchr(p, '|');
		if (e == NULL)
			e = p + strlen(p);
		if (ci_contains(text, tn, p, (size_t)(e - p)))
			return 1;
		if (*e == '\0')
			return 0;
		p = e + 1;
	}
}

/* dsn_any - does the code match one of "X.s.d", "c.s.d", "X.s.*" */
static int
dsn_any(const char *list, const struct enh *e)
{
	const char *p = list;
	long v[3];
	int part, cls, wild;
	char *end;

	while (*p != '\0') {
		cls = 0;
		wild = 0;
		if (*p == 'X')
			p++;
		else
			cls = *p++ - '0';
		for (part = 1; part < 3; part++) {
			if (*p != '.')
				return 0;	/* a broken table row */
			p++;
			if (part == 2 && *p == '*') {
				wild = 1;
				p++;
				continue;
			}
			v[part] = strtol(p, &end, 10);
			p = end;
		}
		if ((cls == 0 || cls == e->cls) && v[1] == e->subj &&
		    (wild || v[2] == e->det))
			return 1;
		if (*p == '|')
			p++;
		else if (*p != '\0')
			return 0;
	}
	return 0;
}

/* row_hint - hint of the first row of class cls, NULL if none */
static const char *
row_hint(const char *cls)
{
	size_t i;

	for (i = 0; i < NROWS; i++)
		if (class_rows[i].cls != NULL &&
		    strcmp(class_rows[i].cls, cls) == 0)
			return class_rows[i].hint;
	return NULL;
}

/* row_match - does row r hold for the input */
static int
row_match(const struct class_row *r, const struct mt_class_in *in,
    const struct enh *e, int code, const char *text, size_t tn)
{
	unsigned mask = r->outcomes ? r->outcomes : FAILS;
	char num[8];

	if ((unsigned)in->outcome >= 32 || (mask & OUT(in->outcome)) == 0)
		return 0;
	if (r->flags & R_RULE)
		return in->cls != NULL && in->cls[0] != '\0';
	if (r->type != ANYTYPE && (int)in->type != r->type)
		return 0;
	if (r->subtype != NULL && (in->subtype == NULL ||
	    !list_has(r->subtype, in->subtype, strlen(in->subtype))))
		return 0;
	if (r->dsn != NULL && (e == NULL || !dsn_any(r->dsn, e)))
		return 0;
	if (r->codes != NULL) {
		if (code < 100 || code > 999)
			return 0;
		num[0] = (char)('0' + code / 100);
		num[1] = (char)('0' + code / 10 % 10);
		num[2] = (char)('0' + code % 10);
		num[3] = '\0';
		if (!list_has(r->codes, num, 3))
			return 0;
	}
	if (r->text != NULL && (text == NULL || !text_any(r->text, text, tn)))
		return 0;
	if (r->text2 != NULL && (text == NULL ||
	    !text_any(r->text2, text, tn)))
		return 0;
	return 1;
}

/* mt_class_decide - class and hint (never NULL) */
void
mt_class_decide(const struct mt_class_in *in, struct mt_class_out *out)
{
	struct enh e, *ep = NULL;
	const char *text = in->reply;
	const char *h;
	size_t i, w, tn = 0;
	int code = in->reply_code;

	if (text != NULL) {
		tn = strnlen(text, CLASS_TEXT_MAX);
		if (code == 0)
			code = find_code(text);
	}
	if (in->dsn != NULL && in->dsn[0] != '\0' &&
	    enh_parse(in->dsn, strlen(in->dsn), &e) > 0)
		ep = &e;
	else if (text != NULL && find_dsn(text, &e) == 0)
		ep = &e;

	for (i = 0; i < NROWS; i++) {
		const struct class_row *r = &class_rows[i];

		if (!row_match(r, in, ep, code, text, tn))
			continue;
		if (r->flags & R_RULE) {
			/* keep the rule's class; a word outside the
			 * taxonomy is borrowed from in->cls */
			h = row_hint(in->cls);
			for (w = 0; class_words[w] != NULL; w++)
				if (strcmp(class_words[w], in->cls) == 0) {
					out->cls = class_words[w];
					out->hint = h;
					return;
				}
			out->cls = in->cls;
			out->hint = "class set by an application rule: read "
			    "the rule and the log line";
			return;
		}
		out->cls = r->cls;
		out->hint = r->hint;
		return;
	}
	/* not reached: the last row matches every failure */
	out->cls = "unknown";
	out->hint = class_rows[NROWS - 1].hint;
}

/* mt_class_words - NULL-terminated list of every class word */
const char *const *
mt_class_words(void)
{
	return class_words;
}

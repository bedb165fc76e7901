/*
 * test_class.c - the failure taxonomy: one case per row of the table in
 * query/mt_class.c, with real replies from real servers where one exists,
 * and a check that every class word is reached.
 */
#include <stdio.h>
#include <string.h>

#include "mt_class.h"
#include "mt_test.h"

struct class_case {
	const char *name;
	enum mt_outcome outcome;
	enum mt_stage stage;
	enum mt_etype type;
	const char *dsn;
	int	 code;
	const char *reply;
	const char *subtype;
	const char *cls;
	const char *want_cls;
	const char *want_hint;	/* a substring of the hint */
};

#define D MT_OUT_DELIVERED
#define B MT_OUT_BOUNCED
#define F MT_OUT_DEFERRED
#define X MT_OUT_DROPPED
#define A MT_OUT_FAILED
#define S_AP MT_STAGE_APPLICATION
#define S_RE MT_STAGE_RELAY
#define S_PR MT_STAGE_PROVIDER
#define S_RC MT_STAGE_RECIPIENT

static const struct class_case cases[] = {
	/* success and no outcome */
	{ "delivered", D, S_RC, MT_EV_DELIVERY, NULL, 250,
	  "250 2.0.0 OK  1762074904 d9443c01a7336-29a2f4c1c2bsi123456ad.123 - gsmtp",
	  NULL, NULL, "", "check spam folders" },
	{ "pending", MT_OUT_PENDING, S_PR, MT_EV_SENT, NULL, 250,
	  "250 Ok 0102018f3a1b2c3d-c5c5c5c5-0005-4005-8005-000000000005-000000",
	  NULL, NULL, "", "SES event publishing" },
	{ "none", MT_OUT_NONE, MT_STAGE_NONE, MT_EV_OTHER, NULL, 0, NULL, NULL,
	  NULL, "", "no outcome recorded" },
	/* a class decided by an application rule */
	{ "rule quota", A, S_AP, MT_EV_FAILED, NULL, 0,
	  "Daily message quota exceeded", NULL, "quota", "quota",
	  "sending quota increase" },
	{ "rule keeps its class", A, S_AP, MT_EV_FAILED, NULL, 0,
	  "connect to email-smtp.eu-west-1.amazonaws.com: Connection timed out",
	  NULL, "account-paused", "account-paused", "sending is paused" },
	{ "rule outside taxonomy", A, S_AP, MT_EV_FAILED, NULL, 0,
	  "PaymentRequired: invoice overdue", NULL, "billing", "billing",
	  "application rule" },
	/* complaints */
	{ "complaint not-spam", MT_OUT_COMPLAINED, S_RC, MT_EV_COMPLAINT, NULL,
	  0, NULL, "not-spam", NULL, "complaint", "not spam" },
	{ "complaint abuse", MT_OUT_COMPLAINED, S_RC, MT_EV_COMPLAINT, NULL, 0,
	  NULL, "abuse", NULL, "complaint", "stop mailing" },
	/* event types */
	{ "SES reject virus", X, S_PR, MT_EV_REJECT, NULL, 0, "Bad content",
	  NULL, NULL, "virus", "provider found a virus" },
	{ "SES rendering failure", X, S_PR, MT_EV_RENDERING_FAILURE, NULL, 0,
	  "Attribute 'name' is not present in the rendering data.", NULL, NULL,
	  "rendering", "fix the template" },
	{ "postfix expired", A, S_RE, MT_EV_EXPIRED, NULL, 0, NULL, NULL, NULL,
	  "expired", "maximal_queue_lifetime" },
	/* provider sub-types */
	{ "SES account suppression list", X, S_PR, MT_EV_BOUNCE, "5.1.1", 0,
	  "Amazon SES did not send the message to this address because it is "
	  "on the suppression list for your account. For more information "
	  "about removing addresses from the suppression list, see the Amazon "
	  "SES Developer Guide", "OnAccountSuppressionList", NULL,
	  "suppressed", "only if sure the address is valid again" },
	{ "SES global suppression", X, S_PR, MT_EV_BOUNCE, "5.1.1", 0,
	  "Amazon SES has suppressed sending to this address because it has a "
	  "recent history of bouncing as an invalid address.", "Suppressed",
	  NULL, "suppressed", "global suppression list" },
	{ "SES NoEmail", B, S_RC, MT_EV_BOUNCE, NULL, 0,
	  "smtp; 550 Requested action not taken: mailbox unavailable",
	  "NoEmail", NULL, "unknown-recipient", "recipient's domain says" },
	{ "SES MailboxFull", B, S_RC, MT_EV_BOUNCE, "4.2.2", 0,
	  "smtp; 452 4.2.2 The email account that you tried to reach is over "
	  "quota.", "MailboxFull", NULL, "mailbox-full", "free space" },
	{ "SES MessageTooLarge", B, S_RC, MT_EV_BOUNCE, NULL, 0,
	  "smtp; 552 Message exceeds maximum fixed size", "MessageTooLarge",
	  NULL, "message-too-large", "smaller message" },
	{ "SES AttachmentRejected", B, S_RC, MT_EV_BOUNCE, NULL, 0,
	  "smtp; 554 Rejected", "AttachmentRejected", NULL, "content-rejected",
	  "remove or change the attachment" },
	{ "SES ContentRejected", B, S_RC, MT_EV_BOUNCE, NULL, 0,
	  "smtp; 554 Rejected", "ContentRejected", NULL, "content-rejected",
	  "links, wording" },
	{ "SES delay SpamDetected", F, S_RC, MT_EV_DELIVERYDELAY, NULL, 0,
	  NULL, "SpamDetected", NULL, "spam", "took the message for spam" },
	{ "SES delay IPFailure", F, S_RC, MT_EV_DELIVERYDELAY, NULL, 0, NULL,
	  "IPFailure", NULL, "blocklisted", "provider's sending IP" },
	{ "SES delay TransientCommunicationFailure", F, S_RC,
	  MT_EV_DELIVERYDELAY, NULL, 0, NULL, "TransientCommunicationFailure",
	  NULL, "connection", "provider retries" },
	{ "SES delay BYOIP lookup", F, S_RC, MT_EV_DELIVERYDELAY, NULL, 0,
	  NULL, "BYOIPHostNameLookupUnavailable", NULL, "dns", "PTR" },
	/* provider API errors */
	{ "SES unverified sender", A, S_AP, MT_EV_FAILED, NULL, 0,
	  "MessageRejected: Email address is not verified. The following "
	  "identities failed the check in region EU-WEST-1: "
	  "noreply@shop.example.com", NULL, NULL, "unverified-sender",
	  "verify the sender identity" },
	{ "SES daily quota", A, S_AP, MT_EV_FAILED, NULL, 0,
	  "Throttling: Daily message quota exceeded.", NULL, NULL, "quota",
	  "sending quota increase" },
	{ "SES account paused", A, S_AP, MT_EV_FAILED, NULL, 0,
	  "AccountSendingPausedException: Sending paused for this account.",
	  NULL, NULL, "account-paused", "sending is paused" },
	/* specific enhanced codes */
	{ "Outlook 5.1.10 recipient not found", B, S_RC, MT_EV_BOUNCED,
	  "5.1.10", 550,
	  "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by "
	  "SMTP address lookup", NULL, NULL, "unknown-recipient",
	  "directory does not know" },
	{ "null MX 5.1.10", B, S_RE, MT_EV_BOUNCED, "5.1.10", 0,
	  "Domain example.invalid does not accept mail (nullMX)", NULL, NULL,
	  "nonexistent-domain", "null MX" },
	{ "Gmail 5.1.1 multi-line, dsn from reply", B, S_RC, MT_EV_BOUNCED,
	  NULL, 0,
	  "host gmail-smtp-in.l.google.com[142.250.27.26] said: "
	  "550-5.1.1 The email account that you tried to reach does not "
	  "exist. Please try\n550-5.1.1 double-checking the recipient's email "
	  "address for typos or\n550-5.1.1 unnecessary spaces. For more "
	  "information, go to\n550 5.1.1  https://support.google.com/mail/"
	  "?p=NoSuchUser d9443c01a7336-29a2f4c1c2bsi1.123 - gsmtp (in reply "
	  "to RCPT TO command)", NULL, NULL, "unknown-recipient",
	  "server says it does not exist" },
	{ "sendmail 5.1.2 host unknown", B, S_RE, MT_EV_BOUNCED, "5.1.2", 0,
	  "Host unknown (Name server: nonexistent.example: host not found)",
	  NULL, NULL, "nonexistent-domain", "domain of the address: it does "
	  "not exist" },
	{ "552 5.2.2 mailbox full", B, S_RC, MT_EV_BOUNCED, "5.2.2", 552,
	  "host mx.example.net[203.0.113.25] said: 552 5.2.2 <erin@example.net>: "
	  "Mailbox full (in reply to RCPT TO command)", NULL, NULL,
	  "mailbox-full", "free space" },
	{ "Gmail 5.2.1 disabled", B, S_RC, MT_EV_BOUNCED, "5.2.1", 550,
	  "550-5.2.1 The email account that you tried to reach is disabled.",
	  NULL, NULL, "mailbox-disabled", "current address" },
	{ "Gmail 5.3.4 size", B, S_RC, MT_EV_BOUNCED, "5.3.4", 552,
	  "552-5.3.4 Your message exceeded Google's message size limits.",
	  NULL, NULL, "message-too-large", "smaller message" },
	{ "Gmail 5.7.25 PTR", B, S_RC, MT_EV_BOUNCED, "5.7.25", 550,
	  "550-5.7.25 [203.0.113.9] The IP address sending this message does "
	  "not have a PTR record setup, or the corresponding forward DNS entry "
	  "does not point to the sending IP.", NULL, NULL, "authentication",
	  "PTR" },
	{ "Gmail 5.7.26 unauthenticated", B, S_RC, MT_EV_BOUNCED, "5.7.26",
	  550,
	  "550-5.7.26 This mail has been blocked because the sender is "
	  "unauthenticated. Gmail requires all senders to authenticate with "
	  "either SPF or DKIM.", NULL, NULL, "authentication",
	  "SPF, DKIM and DMARC" },
	{ "Gmail 5.7.8 credentials", F, S_RE, MT_EV_DEFERRED, "5.7.8", 535,
	  "535-5.7.8 Username and Password not accepted.", NULL, NULL,
	  "smtp-auth", "smtp_sasl_password_maps" },
	{ "5.7.10 encryption needed", B, S_RC, MT_EV_BOUNCED, "5.7.10", 530,
	  "530 5.7.10 Encryption needed", NULL, NULL, "tls",
	  "requires TLS" },
	{ "Exchange 4.4.7 queue expired", B, S_RC, MT_EV_BOUNCED, "5.4.7", 550,
	  "550 4.4.7 QUEUE.Expired; message expired", NULL, NULL, "expired",
	  "maximal_queue_lifetime" },
	{ "4.5.3 too many recipients", F, S_RC, MT_EV_DEFERRED, "4.5.3", 452,
	  "452 4.5.3 Error: too many recipients", NULL, NULL, "rate-limited",
	  "fewer recipients" },
	/* reply text */
	{ "relay access denied", B, S_RE, MT_EV_REJECTED, "5.7.1", 554,
	  "554 5.7.1 <mallory@example.org>: Relay access denied", NULL, NULL,
	  "relay-denied", "mynetworks" },
	{ "DMARC policy reject", B, S_RC, MT_EV_BOUNCED, "5.7.1", 550,
	  "550 5.7.1 Unauthenticated email from example.com is not accepted "
	  "due to domain's DMARC policy.", NULL, NULL, "authentication",
	  "SPF, DKIM and DMARC" },
	{ "SES SMTP credentials", A, S_RE, MT_EV_DEFERRED, NULL, 0,
	  "SASL authentication failed; server email-smtp.eu-west-1.amazonaws."
	  "com[52.48.11.22] said: 535 Authentication Credentials Invalid",
	  NULL, NULL, "smtp-auth", "smtp_sasl_password_maps" },
	{ "virus in reply", B, S_RC, MT_EV_BOUNCED, NULL, 0,
	  "host mx.example.com[198.51.100.7] said: 554 5.6.1 Message rejected: "
	  "virus found (Eicar-Test-Signature)", NULL, NULL, "virus",
	  "recipient's server found a virus" },
	{ "Outlook Spamhaus", B, S_RC, MT_EV_BOUNCED, "5.7.1", 550,
	  "550 5.7.1 Service unavailable, Client host [203.0.113.9] blocked "
	  "using Spamhaus. To request removal from this list see "
	  "https://www.spamhaus.org/query/ip/203.0.113.9 (AS3130). "
	  "[BN8NAM12FT017.eop-nam12.prod.protection.outlook.com]", NULL, NULL,
	  "blocklisted", "delisting" },
	{ "postscreen DNSBL reject", A, S_RE, MT_EV_REJECTED, "5.7.1", 550,
	  "550 5.7.1 Service unavailable; client [192.0.2.77] blocked using "
	  "zen.spamhaus.org", NULL, NULL, "blocklisted",
	  "postscreen_access_list" },
	{ "smtpd access reject", A, S_RE, MT_EV_REJECTED, "5.7.1", 554,
	  "554 5.7.1 <bad@example.net>: Sender address rejected: Access "
	  "denied", NULL, NULL, "policy", "smtpd_*_restrictions" },
	{ "milter spam reject", A, S_RE, MT_EV_REJECTED, "5.7.1", 0,
	  "5.7.1 Spam message rejected", NULL, NULL, "spam",
	  "relay itself refused the message as spam" },
	{ "milter virus reject", A, S_RE, MT_EV_REJECTED, "5.7.1", 0,
	  "5.7.1 Virus found: Eicar-Test-Signature", NULL, NULL, "virus",
	  "content filter (a milter such as ClamAV" },
	{ "Yahoo TSS04", F, S_RC, MT_EV_DEFERRED, "4.7.0", 421,
	  "421 4.7.0 [TSS04] Messages from 203.0.113.9 temporarily deferred due "
	  "to unexpected volume or user complaints - 4.16.55.1; see "
	  "https://postmaster.yahooinc.com/error-codes", NULL, NULL,
	  "rate-limited", "slow down" },
	{ "TLS required", F, S_RE, MT_EV_DEFERRED, "4.7.4", 0,
	  "TLS is required, but was not offered by host mx.example.net"
	  "[203.0.113.25]", NULL, NULL, "tls", "smtp_tls_security_level" },
	{ "AOL mailbox full text", B, S_RC, MT_EV_BOUNCED, NULL, 0,
	  "554 delivery error: dd Sorry your message to frank@example.com "
	  "cannot be delivered. This mailbox is full", NULL, NULL,
	  "mailbox-full", "free space" },
	{ "Yahoo account disabled", B, S_RC, MT_EV_BOUNCED, NULL, 0,
	  "554 30 Sorry, your message to frank@example.com cannot be "
	  "delivered. This account has been disabled or discontinued [#102].",
	  NULL, NULL, "mailbox-disabled", "current address" },
	{ "postfix size limit", B, S_RE, MT_EV_BOUNCED, NULL, 0,
	  "message size 31457280 exceeds size limit 10240000 of server "
	  "mx1.example.com[198.51.100.7]", NULL, NULL, "message-too-large",
	  "smaller message" },
	{ "postfix host not found, try again", F, S_RE, MT_EV_DEFERRED,
	  "4.4.3", 0,
	  "Host or domain name not found. Name service error for "
	  "name=unreachable.example type=MX: Host not found, try again", NULL,
	  NULL, "dns", "DNS lookup failed" },
	{ "sendmail deferred lookup failure", F, S_RE, MT_EV_DEFERRED, NULL,
	  0, "Deferred: Name server: typo.example.: host name lookup failure",
	  NULL, NULL, "dns", "DNS lookup failed" },
	{ "postfix host not found", B, S_RE, MT_EV_BOUNCED, "5.4.4", 0,
	  "Host or domain name not found. Name service error for "
	  "name=nonexistent.example type=A: Host not found", NULL, NULL,
	  "nonexistent-domain", "takes no mail" },
	{ "no such user", B, S_RC, MT_EV_BOUNCED, NULL, 0,
	  "host mx.example.org[192.0.2.10] said: 550 No such user here "
	  "(in reply to RCPT TO command)", NULL, NULL, "unknown-recipient",
	  "server says it does not exist" },
	{ "connection timed out", F, S_RE, MT_EV_DEFERRED, "4.4.1", 0,
	  "connect to mx.example.net[203.0.113.25]:25: Connection timed out",
	  NULL, NULL, "connection", "firewall, port 25" },
	{ "Gmail spam", B, S_RC, MT_EV_BOUNCED, "5.7.1", 550,
	  "550-5.7.1 [203.0.113.9] Gmail has detected that this message is "
	  "likely unsolicited mail. To reduce the amount of spam sent to Gmail, "
	  "this message has been blocked.", NULL, NULL, "spam",
	  "took the message for spam" },
	{ "blocked", B, S_RC, MT_EV_BOUNCED, NULL, 0,
	  "550 Your IP 203.0.113.9 is blocked", NULL, NULL, "blocklisted",
	  "sending IP or domain" },
	{ "prohibited content", B, S_RC, MT_EV_BOUNCED, "5.7.1", 554,
	  "554 5.7.1 Message contains prohibited content", NULL, NULL,
	  "content-rejected", "links, wording" },
	{ "postgrey", F, S_RC, MT_EV_DEFERRED, "4.2.0", 450,
	  "450 4.2.0 <erin@example.net>: Recipient address rejected: "
	  "Greylisted, see http://postgrey.schweikert.ch/help/example.net.html",
	  NULL, NULL, "temporary", "greylisting" },
	{ "exim administrative prohibition", B, S_RC, MT_EV_BOUNCED, NULL, 0,
	  "550 Administrative prohibition", NULL, NULL, "policy",
	  "which of their policies" },
	/* generic enhanced codes */
	{ "4.4.2 bad connection", F, S_RC, MT_EV_DEFERRED, "4.4.2", 421,
	  "421 4.4.2 mx.example.net Error: timeout exceeded", NULL, NULL,
	  "connection", "firewall, port 25" },
	{ "4.4.3 alone", F, S_RE, MT_EV_DEFERRED, "4.4.3", 0, NULL, NULL,
	  NULL, "dns", "DNS lookup failed" },
	{ "5.4.4 unable to route", B, S_RE, MT_EV_BOUNCED, "5.4.4", 550,
	  "550 5.4.4 Unable to route", NULL, NULL, "nonexistent-domain",
	  "no mail server found" },
	{ "4.4.5 congestion", F, S_RC, MT_EV_DEFERRED, "4.4.5", 451,
	  "451 4.4.5 Mail system congested", NULL, NULL, "connection",
	  "routing or network" },
	{ "5.5.2 syntax", B, S_RC, MT_EV_BOUNCED, "5.5.2", 500,
	  "500 5.5.2 Error: bad syntax", NULL, NULL, "unknown",
	  "protocol error" },
	{ "5.6.0 body", B, S_RC, MT_EV_BOUNCED, "5.6.0", 554,
	  "554 5.6.0 Message body rejected", NULL, NULL, "content-rejected",
	  "media or encoding" },
	{ "5.7.1 generic", B, S_RC, MT_EV_BOUNCED, "5.7.1", 550,
	  "550 5.7.1 Message rejected", NULL, NULL, "policy",
	  "which of their policies" },
	{ "5.1.0 generic", B, S_RC, MT_EV_BOUNCED, "5.1.0", 550,
	  "550 5.1.0 Address rejected", NULL, NULL, "unknown-recipient",
	  "does not accept it" },
	/* basic codes (taken from the reply when the code is 0) */
	{ "535 basic", F, S_RE, MT_EV_DEFERRED, NULL, 0,
	  "535 Incorrect credentials", NULL, NULL, "smtp-auth",
	  "smtp_sasl_password_maps" },
	{ "556 basic", B, S_RC, MT_EV_BOUNCED, NULL, 556,
	  "556 example.com refuses mail", NULL, NULL, "nonexistent-domain",
	  "accepts no mail" },
	{ "552 basic", B, S_RC, MT_EV_BOUNCED, NULL, 0,
	  "smtp; 552 Requested mail action aborted", NULL, NULL,
	  "mailbox-full", "free space" },
	{ "550 basic", B, S_RC, MT_EV_BOUNCED, NULL, 550,
	  "550 Requested action not taken: mailbox unavailable", NULL, NULL,
	  "unknown-recipient", "refuses the mailbox" },
	{ "554 basic", B, S_RC, MT_EV_BOUNCED, NULL, 554,
	  "554 Transaction failed", NULL, NULL, "policy",
	  "transaction was refused" },
	{ "450 basic", F, S_RC, MT_EV_DEFERRED, NULL, 450,
	  "450 Requested mail action not taken", NULL, NULL, "temporary",
	  "refused for now" },
	/* catch-alls */
	{ "deferred, nothing known", F, S_RE, MT_EV_DEFERRED, NULL, 0, NULL,
	  NULL, NULL, "temporary", "until maximal_queue_lifetime" },
	{ "bounced, nothing known", B, S_RC, MT_EV_BOUNCED, NULL, 0,
	  "Something odd happened", NULL, NULL, "unknown", "no rule knows" },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* run_case - decide one case */
static void
run_case(const struct class_case *c, struct mt_class_out *out)
{
	struct mt_class_in in;

	memset(&in, 0, sizeof(in));
	in.outcome = c->outcome;
	in.stage = c->stage;
	in.type = c->type;
	in.dsn = c->dsn;
	in.reply_code = c->code;
	in.reply = c->reply;
	in.subtype = c->subtype;
	in.cls = c->cls;
	out->cls = out->hint = NULL;
	mt_class_decide(&in, out);
}

MT_TEST(test_class_rows)
{
	struct mt_class_out out;
	size_t i;

	for (i = 0; i < NCASES; i++) {
		run_case(&cases[i], &out);
		MT_EXPECTF(out.cls != NULL && strcmp(out.cls,
		    cases[i].want_cls) == 0, "%s: class \"%s\", want \"%s\"",
		    cases[i].name, out.cls ? out.cls : "(null)",
		    cases[i].want_cls);
		MT_EXPECTF(out.hint != NULL && strstr(out.hint,
		    cases[i].want_hint) != NULL, "%s: hint \"%s\" lacks \"%s\"",
		    cases[i].name, out.hint ? out.hint : "(null)",
		    cases[i].want_hint);
	}
}

MT_TEST(test_class_every_word_reached)
{
	const char *const *w = mt_class_words();
	struct mt_class_out out;
	size_t i, k, nwords = 0, seen = 0;

	for (k = 0; w[k] != NULL; k++) {
		nwords++;
		for (i = 0; i < NCASES; i++) {
			run_case(&cases[i], &out);
			if (strcmp(out.cls, w[k]) == 0)
				break;
		}
		if (i < NCASES)
			seen++;
		else
			MT_FAILF("class %s is reached by no case", w[k]);
	}
	MT_EXPECT_INT(nwords, 26);
	MT_EXPECT_INT(seen, nwords);
}

MT_TEST(test_class_robust)
{
	struct mt_class_in in;
	struct mt_class_out out;
	static const char *const dsns[] = {
		"", "5", "5.", "5.1", "5.1.", "9.1.1", "5.1111.1", "5.1.1111",
		"x.y.z", "5..1", NULL
	};
	size_t i;

	memset(&in, 0, sizeof(in));
	in.outcome = MT_OUT_BOUNCED;
	for (i = 0; dsns[i] != NULL; i++) {
		in.dsn = dsns[i];
		in.reply = "";
		mt_class_decide(&in, &out);
		MT_EXPECTF(strcmp(out.cls, "unknown") == 0, "dsn \"%s\": %s",
		    dsns[i], out.cls);
	}
	in.dsn = NULL;
	in.reply = "said: ";
	mt_class_decide(&in, &out);
	MT_EXPECT_STR(out.cls, "unknown");
	in.reply = "5";
	mt_class_decide(&in, &out);
	MT_EXPECT_STR(out.cls, "unknown");
	in.outcome = (enum mt_outcome)77;
	mt_class_decide(&in, &out);
	MT_EXPECT(out.cls != NULL && out.hint != NULL);
}

int
main(void)
{
	MT_RUN(test_class_rows);
	MT_RUN(test_class_every_word_reached);
	MT_RUN(test_class_robust);
	return MT_DONE();
}

/*
 * test_ses.c - mt_ses: every SES event type, per-recipient fan-out,
 * envelopes, wrong types and limits, the sample logs and the corpus
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mt_alloc.h"
#include "mt_buf.h"
#include "mt_in.h"
#include "mt_msg.h"
#include "mt_parser_ops.h"
#include "mt_ses.h"
#include "mt_test.h"
#include "mt_time.h"

static struct mt_parser_ctx ctx = { NULL, "t.json", 7, 0, 0 };
static void *st;
static struct mt_event evs[16];
static int nev;
/* push - push s, collect its events; the push result */
static int
push(const char *s)
{
	struct mt_event ev;
	int r;

	nev = 0;
	r = mt_ses_ops.push(st, NULL, s, strlen(s));
	while (mt_ses_ops.next(st, &ev) == 1)
		if (nev < 16)
			evs[nev++] = ev;
	return r;
}

/* tm - RFC 3339 text of an event time */
static const char *
tm(int64_t us)
{
	static char buf[MT_TIME_BUFSZ];

	return mt_time_format(us, buf);
}

#define MAIL(type, extra) "{\"" type "\",\"mail\":{\"timestamp\":" \
	"\"2026-11-02T09:15:02.871000Z\",\"source\":\"Example Shop " \
	"<noreply@shop.example.com>\",\"messageId\":\"0102018f3a1b2c3d-" \
	"a1a1a1a1-0001-4001-8001-000000000001-000000\",\"destination\":" \
	"[\"alice@example.org\",\"bob@example.net\"],\"commonHeaders\":" \
	"{\"messageId\":\"<order-1001@shop.example.com>\"}}" extra "}"

MT_TEST(t_send)
{
	char *rec;

	MT_EXPECT_INT(push(MAIL("eventType\":\"Send", ",\"send\":{}")), 1);
	MT_EXPECT_INT(nev, 2);
	MT_EXPECT_INT(evs[0].src, MT_SRC_SES);
	MT_EXPECT_INT(evs[0].type, MT_EV_SEND);
	MT_EXPECT_INT(evs[0].stage, MT_STAGE_PROVIDER);
	MT_EXPECT_STR(tm(evs[0].time), "2026-11-02T09:15:02.871000Z");
	MT_EXPECT_SPAN(evs[0].provider_id,
	    "0102018f3a1b2c3d-a1a1a1a1-0001-4001-8001-000000000001-000000");
	MT_EXPECT_SPAN(evs[0].message_id, "order-1001@shop.example.com");
	MT_EXPECT_SPAN(evs[0].sender, "noreply@shop.example.com");
	MT_EXPECT_SPAN(evs[0].recipient, "alice@example.org");
	MT_EXPECT_SPAN(evs[1].recipient, "bob@example.net");
	MT_EXPECT_SPAN(evs[1].message_id, "order-1001@shop.example.com");
	rec = mt_span_dup(mt_ses_record(st));
	MT_EXPECT_SPAN(evs[0].raw, rec);
	MT_EXPECT(rec != NULL && strncmp(rec, "{\"eventType\":\"Send\","
	    "\"mail\":{\"timestamp\":", 36) == 0);
	free(rec);
	MT_EXPECT_SPAN(evs[0].reply, NULL);
}

MT_TEST(t_delivery)
{
	MT_EXPECT_INT(push(MAIL("eventType\":\"Delivery", ",\"delivery\":{"
	    "\"timestamp\":\"2026-11-02T09:15:03.912000Z\",\"processingTimeMillis\""
	    ":1041,\"recipients\":[\"alice@example.org\"],\"smtpResponse\":"
	    "\"250 2.0.0 OK  1762074904 d9443c01a7336-29a2f4c1c2bsi123456ad.123"
	    " - gsmtp\",\"reportingMTA\":\"a7-12.smtp-out.eu-west-1.amazonses."
	    "com\",\"remoteMtaIp\":\"142.250.102.27\"}")), 1);
	MT_EXPECT_INT(nev, 1);
	MT_EXPECT_INT(evs[0].type, MT_EV_DELIVERY);
	MT_EXPECT_INT(evs[0].stage, MT_STAGE_RECIPIENT);
	MT_EXPECT_STR(tm(evs[0].time), "2026-11-02T09:15:03.912000Z");
	MT_EXPECT_SPAN(evs[0].recipient, "alice@example.org");
	MT_EXPECT_SPAN(evs[0].reply, "250 2.0.0 OK  1762074904 "
	    "d9443c01a7336-29a2f4c1c2bsi123456ad.123 - gsmtp");
	MT_EXPECT_SPAN(evs[0].dsn, "2.0.0");
	MT_EXPECT_INT(evs[0].reply_code, 250);
	MT_EXPECT_SPAN(evs[0].relay,
	    "a7-12.smtp-out.eu-west-1.amazonses.com[142.250.102.27]");
}

MT_TEST(t_bounce_fanout)
{
	MT_EXPECT_INT(push("{\"notificationType\":\"Bounce\",\"bounce\":{"
	    "\"bounceType\":\"Permanent\",\"bounceSubType\":\"General\","
	    "\"bouncedRecipients\":[{\"emailAddress\":\"a@x.example\","
	    "\"status\":\"5.1.1\",\"action\":\"failed\",\"diagnosticCode\":"
	    "\"smtp; 550 5.1.1 <a@x.example>: Recipient address rejected\"},"
	    "{\"emailAddress\":\"b@x.example\",\"status\":\"5.2.2\","
	    "\"diagnosticCode\":\"smtp; 552 5.2.2 Mailbox full\"},"
	    "{\"emailAddress\":\"c@x.example\"}],\"timestamp\":"
	    "\"2026-11-02T09:20:03.118000Z\",\"reportingMTA\":\"dsn; a7-31.smtp-"
	    "out.eu-west-1.amazonses.com\",\"remoteMtaIp\":\"192.0.2.77\"},"
	    "\"mail\":{\"timestamp\":\"2026-11-02T09:20:01Z\",\"messageId\":"
	    "\"m-3\",\"source\":\"s@shop.example.com\",\"destination\":[]}}"), 1);
	MT_EXPECT_INT(nev, 3);
	MT_EXPECT_SPAN(evs[0].recipient, "a@x.example");
	MT_EXPECT_SPAN(evs[1].recipient, "b@x.example");
	MT_EXPECT_SPAN(evs[2].recipient, "c@x.example");
	MT_EXPECT_INT(evs[2].type, MT_EV_BOUNCE);
	MT_EXPECT_INT(evs[1].stage, MT_STAGE_RECIPIENT);
	MT_EXPECT_SPAN(evs[0].dsn, "5.1.1");
	MT_EXPECT_SPAN(evs[1].dsn, "5.2.2");
	MT_EXPECT_SPAN(evs[2].dsn, NULL);
	MT_EXPECT_INT(evs[1].reply_code, 552);
	MT_EXPECT_INT(evs[2].reply_code, 0);
	MT_EXPECT_SPAN(evs[1].reply, "smtp; 552 5.2.2 Mailbox full");
	MT_EXPECT_SPAN(evs[2].status, "Permanent");
	MT_EXPECT_SPAN(evs[2].subtype, "General");
	MT_EXPECT_SPAN(evs[0].relay,
	    "a7-31.smtp-out.eu-west-1.amazonses.com[192.0.2.77]");
	MT_EXPECT_SPAN(evs[0].provider_id, "m-3");
	MT_EXPECT_SPAN(evs[0].message_id, NULL);
	MT_EXPECT_STR(tm(evs[2].time), "2026-11-02T09:20:03.118000Z");
}

MT_TEST(t_bounce_suppressed)
{
	static const char *const sub[] = { "Suppressed",
	    "OnAccountSuppressionList", "NoEmail" };
	char buf[512];
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(buf, sizeof(buf), "{\"eventType\":\"Bounce\","
		    "\"bounce\":{\"bounceType\":\"Permanent\",\"bounceSubType\":"
		    "\"%s\",\"bouncedRecipients\":[{\"emailAddress\":"
		    "\"dave@example.com\",\"status\":\"5.1.1\"}],\"reportingMTA\":"
		    "\"dns; amazonses.com\"},\"mail\":{\"messageId\":\"m\"}}",
		    sub[i]);
		MT_EXPECT_INT(push(buf), 1);
		MT_EXPECT_INT(nev, 1);
		MT_EXPECTF(evs[0].stage == (i < 2 ? MT_STAGE_PROVIDER :
		    MT_STAGE_RECIPIENT), "%s: stage %d", sub[i], evs[0].stage);
		MT_EXPECT_SPAN(evs[0].subtype, sub[i]);
		MT_EXPECT_SPAN(evs[0].relay, "amazonses.com");
		MT_EXPECT_INT(evs[0].time, 0);
	}
}

MT_TEST(t_complaint_delay_reject_render)
{
	MT_EXPECT_INT(push(MAIL("notificationType\":\"Complaint",
	    ",\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":"
	    "\"bob@example.net\"}],\"complaintSubType\":null,"
	    "\"complaintFeedbackType\":\"abuse\",\"timestamp\":"
	    "\"2026-11-02T09:47:12.000000Z\"}")), 1);
	MT_EXPECT_INT(nev, 1);
	MT_EXPECT_INT(evs[0].type, MT_EV_COMPLAINT);
	MT_EXPECT_INT(evs[0].stage, MT_STAGE_RECIPIENT);
	MT_EXPECT_SPAN(evs[0].recipient, "bob@example.net");
	MT_EXPECT_SPAN(evs[0].subtype, "abuse");
	MT_EXPECT_STR(tm(evs[0].time), "2026-11-02T09:47:12Z");

	MT_EXPECT_INT(push(MAIL("eventType\":\"Complaint",
	    ",\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":"
	    "\"bob@example.net\"}],\"complaintSubType\":"
	    "\"OnAccountSuppressionList\"}")), 1);
	MT_EXPECT_SPAN(evs[0].subtype, "OnAccountSuppressionList");
	MT_EXPECT_STR(tm(evs[0].time), "2026-11-02T09:15:02.871000Z");

	MT_EXPECT_INT(push(MAIL("eventType\":\"DeliveryDelay",
	    ",\"deliveryDelay\":{\"timestamp\":\"2026-11-02T12:10:02.509000Z\","
	    "\"delayType\":\"TransientCommunicationFailure\","
	    "\"delayedRecipients\":[{\"emailAddress\":\"zoe@example.net\","
	    "\"status\":\"4.4.1\",\"diagnosticCode\":\"smtp; 421 4.4.1 Unable "
	    "to connect to remote host\"}]}")), 1);
	MT_EXPECT_INT(nev, 1);
	MT_EXPECT_INT(evs[0].type, MT_EV_DELIVERYDELAY);
	MT_EXPECT_INT(evs[0].stage, MT_STAGE_RECIPIENT);
	MT_EXPECT_SPAN(evs[0].recipient, "zoe@example.net");
	MT_EXPECT_SPAN(evs[0].status, "TransientCommunicationFailure");
	MT_EXPECT_SPAN(evs[0].dsn, "4.4.1");
	MT_EXPECT_INT(evs[0].reply_code, 421);
	MT_EXPECT_SPAN(evs[0].reply,
	    "smtp; 421 4.4.1 Unable to connect to remote host");
	MT_EXPECT_STR(tm(evs[0].time), "2026-11-02T12:10:02.509000Z");

	MT_EXPECT_INT(push(MAIL("eventType\":\"Reject",
	    ",\"reject\":{\"reason\":\"Bad content\"}")), 1);
	MT_EXPECT_INT(nev, 2);
	MT_EXPECT_INT(evs[1].type, MT_EV_REJECT);
	MT_EXPECT_INT(evs[1].stage, MT_STAGE_PROVIDER);
	MT_EXPECT_SPAN(evs[1].reply, "Bad content");
	MT_EXPECT_SPAN(evs[1].recipient, "bob@example.net");

	MT_EXPECT_INT(push(MAIL("eventType\":\"Rendering Failure",
	    ",\"failure\":{\"errorMessage\":\"Attribute 'name' is not present "
	    "in the rendering data.\",\"templateName\":\"OrderShipped\"}")), 1);
	MT_EXPECT_INT(nev, 2);
	MT_EXPECT_INT(evs[0].type, MT_EV_RENDERING_FAILURE);
	MT_EXPECT_INT(evs[0].stage, MT_STAGE_PROVIDER);
	MT_EXPECT_SPAN(evs[0].reply,
	    "Attribute 'name' is not present in the rendering data.");
	MT_EXPECT_SPAN(evs[0].subtype, "OrderShipped");
}

MT_TEST(t_open_click_subscription)
{
	MT_EXPECT_INT(push(MAIL("eventType\":\"Open", ",\"open\":{"
	    "\"ipAddress\":\"192.0.2.1\",\"timestamp\":\"2026-11-02T10:00:00Z\","
	    "\"userAgent\":\"Mozilla/5.0\"}")), 1);
	MT_EXPECT_INT(nev, 2);
	MT_EXPECT_INT(evs[0].type, MT_EV_OPEN);
	MT_EXPECT_INT(evs[0].stage, MT_STAGE_RECIPIENT);
	MT_EXPECT_SPAN(evs[0].reply, "Mozilla/5.0");
	MT_EXPECT_STR(tm(evs[0].time), "2026-11-02T10:00:00Z");
	MT_EXPECT_INT(push(MAIL("eventType\":\"Click", ",\"click\":{"
	    "\"link\":\"https://shop.example.com/o/1001\",\"timestamp\":"
	    "\"2026-11-02T10:01:00Z\"}")), 1);
	MT_EXPECT_INT(evs[1].type, MT_EV_CLICK);
	MT_EXPECT_SPAN(evs[1].reply, "https://shop.example.com/o/1001");
	MT_EXPECT_INT(push(MAIL("eventType\":\"Subscription",
	    ",\"subscription\":{\"contactList\":\"L\",\"timestamp\":"
	    "\"2026-11-02T10:02:00Z\",\"source\":\"UnsubscribeHeader\"}")), 1);
	MT_EXPECT_INT(evs[0].type, MT_EV_SUBSCRIPTION);
	MT_EXPECT_SPAN(evs[0].reply, "UnsubscribeHeader");
	MT_EXPECT_STR(tm(evs[0].time), "2026-11-02T10:02:00Z");
}

MT_TEST(t_envelopes)
{
	const char *inner = MAIL("eventType\":\"Reject",
	    ",\"reject\":{\"reason\":\"Bad content\"}");
	json_t *o;
	char *sns, *sqs, *http, *rec;
	char *deep;
	int i;

	/* SNS: Message holds the record as a string */
	o = json_pack("{s:s,s:s,s:s}", "Type", "Notification", "TopicArn",
	    "arn:aws:sns:eu-west-1:1:t", "Message", inner);
	sns = json_dumps(o, JSON_INDENT(2));
	json_decref(o);
	o = json_pack("{s:s,s:s}", "MessageId", "q-1", "Body", sns);
	sqs = json_dumps(o, 0);
	json_decref(o);
	o = json_pack("{s:s,s:s}", "headers", "{}", "body", sqs);
	http = json_dumps(o, 0);
	json_decref(o);

	MT_EXPECT_INT(push(inner), 1);
	rec = mt_span_dup(mt_ses_record(st));
	MT_EXPECT_INT(nev, 2);
	MT_EXPECT_INT(push(sns), 1);
	MT_EXPECT_INT(nev, 2);
	MT_EXPECT_SPAN(evs[0].reply, "Bad content");
	MT_EXPECT_SPAN(mt_ses_record(st), rec);
	MT_EXPECT_INT(push(sqs), 1);
	MT_EXPECT_INT(nev, 2);
	MT_EXPECT_SPAN(evs[1].recipient, "bob@example.net");
	MT_EXPECT_SPAN(mt_ses_record(st), rec);
	MT_EXPECT_INT(push(http), 1);
	MT_EXPECT_INT(nev, 2);
	MT_EXPECT_SPAN(mt_ses_record(st), rec);
	MT_EXPECT(strchr(rec, '\n') == NULL);
	/* the canonical record gives the same events */
	MT_EXPECT_INT(push(rec), 1);
	MT_EXPECT_INT(nev, 2);
	MT_EXPECT_SPAN(evs[0].provider_id,
	    "0102018f3a1b2c3d-a1a1a1a1-0001-4001-8001-000000000001-000000");
	MT_EXPECT_SPAN(mt_ses_record(st), rec);
	/* EventBridge */
	o = json_pack("{s:s,s:s,s:o}", "detail-type", "Email Bounced",
	    "source", "aws.ses", "detail", json_loads(inner, 0, NULL));
	free(sns);
	sns = json_dumps(o, 0);
	json_decref(o);
	MT_EXPECT_INT(push(sns), 1);
	MT_EXPECT_INT(nev, 2);
	/* five levels is too many */
	deep = mt_strdup(http);
	for (i = 0; i < 2; i++) {
		o = json_pack("{s:s}", "Body", deep);
		free(deep);
		deep = json_dumps(o, 0);
		json_decref(o);
	}
	mt_t_cap_start();
	MT_EXPECT_INT(push(deep), -MT_ERR_INPUT);
	MT_EXPECT_STR(mt_t_cap_end(), "msgtrail: t.json:7: SES: more than 4 levels "
	    "of wrapped JSON\n");
	/* an SNS subscription confirmation: recognised, no events */
	MT_EXPECT_INT(push("{\"Type\":\"SubscriptionConfirmation\",\"TopicArn\":"
	    "\"arn:aws:sns:eu-west-1:1:t\",\"Message\":\"You have chosen...\"}"),
	    1);
	MT_EXPECT_INT(nev, 0);
	free(deep);
	free(sns);
	free(sqs);
	free(http);
	free(rec);
}

/* bad_case - input and the exact diagnostic */
struct bad_case {
	const char *in;
	int ret;
	const char *msg;
};

MT_TEST(t_bad_input)
{
	static const struct bad_case tab[] = {
		{ "{\"eventType\":\"Delivery\",\"mail\":{},\"delivery\":"
		    "{\"recipients\":\"a@b\"}}", -MT_ERR_INPUT,
		    "SES: \"delivery.recipients\" is not an array" },
		{ "{\"eventType\":\"Delivery\",\"mail\":{},\"delivery\":{}}",
		    -MT_ERR_INPUT, "SES: no \"delivery.recipients\"" },
		{ "{\"eventType\":\"Send\"}", -MT_ERR_INPUT,
		    "SES: no \"mail\" object" },
		{ "{\"eventType\":\"Send\",\"mail\":[]}", -MT_ERR_INPUT,
		    "SES: \"mail\" is not an object" },
		{ "{\"eventType\":\"Teleport\",\"mail\":{}}", -MT_ERR_INPUT,
		    "SES: unknown event type \"Teleport\"" },
		{ "{\"eventType\":7,\"mail\":{}}", -MT_ERR_INPUT,
		    "SES: \"eventType\" is not a string" },
		{ "{\"eventType\":\"Send\",\"mail\":{\"messageId\":1,"
		    "\"destination\":[]}}", -MT_ERR_INPUT,
		    "SES: \"mail.messageId\" is not a string" },
		{ "{\"eventType\":\"Send\",\"mail\":{\"destination\":[\"a\",2]}}",
		    -MT_ERR_INPUT, "SES: \"mail.destination[1]\" is not a string" },
		{ "{\"eventType\":\"Bounce\",\"mail\":{},\"bounce\":{"
		    "\"bouncedRecipients\":[{\"emailAddress\":\"a\"},7]}}",
		    -MT_ERR_INPUT,
		    "SES: \"bounce.bouncedRecipients[1]\" is not an object" },
		{ "{\"eventType\":\"Bounce\",\"mail\":{},\"bounce\":{"
		    "\"bouncedRecipients\":[{\"status\":\"5.1.1\"}]}}",
		    -MT_ERR_INPUT,
		    "SES: no \"bounce.bouncedRecipients[0].emailAddress\"" },
		{ "{\"eventType\":\"Send\",\"mail\":{\"timestamp\":\"yesterday\","
		    "\"destination\":[]}}", -MT_ERR_INPUT,
		    "SES: \"mail.timestamp\" is not a valid time: \"yesterday\"" },
		{ "{\"eventType\":\"Send\",\"mail\":{\"commonHeaders\":{"
		    "\"messageId\":[]},\"destination\":[]}}", -MT_ERR_INPUT,
		    "SES: \"mail.commonHeaders.messageId\" is not a string" },
		{ "{\"eventType\":\"Send\",\"eventType\":\"Send\",\"mail\":{}}",
		    -MT_ERR_INPUT, "JSON error at line 1 column 31: duplicate "
		    "object key near '\"eventType\"'" },
		{ "{\"eventType\":\"Send\",\n\"mail\":{}", -MT_ERR_INPUT,
		    "JSON error at line 2 column 9: '}' expected near end of "
		    "file" },
		{ "{\"Type\":\"Notification\",\"Message\":{}}", -MT_ERR_INPUT,
		    "SES: \"Message\" is not a string" },
		{ "{\"Type\":\"Notification\",\"Message\":\"{\\\"a\\\":1,\\\"a\\\":"
		    "2}\"}", -MT_ERR_INPUT, "JSON error in \"Message\" at line 1 "
		    "column 10: duplicate object key near '\"a\"'" },
		{ "{\"Type\":\"Notification\",\"Message\":\"[1]\"}",
		    -MT_ERR_INPUT, "SES: \"Message\" does not hold a JSON object" },
		{ "{\"Type\":\"Notification\",\"Message\":\"{\\\"x\\\":1}\"}",
		    -MT_ERR_INPUT, "SES: no \"eventType\" or \"notificationType\" "
		    "in \"Message\"" },
		{ "{\"hello\":\"world\"}", 0, NULL },
		{ "[1,2]", 0, NULL },
	};
	char want[512];
	size_t i;
	const char *m;
	int r;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		mt_t_cap_start();
		r = push(tab[i].in);
		m = mt_t_cap_end();
		if (tab[i].msg)
			snprintf(want, sizeof(want), "msgtrail: t.json:7: %s\n",
			    tab[i].msg);
		else
			want[0] = '\0';
		MT_EXPECTF(r == tab[i].ret, "row %zu: got %d, want %d", i, r,
		    tab[i].ret);
		MT_EXPECTF(strcmp(m, want) == 0, "row %zu: got \"%s\", want "
		    "\"%s\"", i, m, want);
		MT_EXPECTF(nev == 0, "row %zu: %d events", i, nev);
	}
}

MT_TEST(t_deep_nesting)
{
	struct mt_buf b;
	json_t *o;
	char *s;
	int i;

	mt_buf_init(&b, 0);
	if (mt_buf_append(&b, "{\"eventType\":\"Send\",\"x\":", 24) != 0)
		exit(2);
	for (i = 0; i < 70; i++)
		if (mt_buf_putc(&b, '[') != 0)
			exit(2);
	for (i = 0; i < 70; i++)
		if (mt_buf_putc(&b, ']') != 0)
			exit(2);
	if (mt_buf_putc(&b, '}') != 0)
		exit(2);
	mt_t_cap_start();
	MT_EXPECT_INT(push(b.data), -MT_ERR_INPUT);
	MT_EXPECT_STR(mt_t_cap_end(), "msgtrail: t.json:7: SES: JSON nested deeper "
	    "than 64 levels\n");
	o = json_pack("{s:s,s:s}", "Type", "Notification", "Message", b.data);
	s = json_dumps(o, 0);
	json_decref(o);
	mt_t_cap_start();
	MT_EXPECT_INT(push(s), -MT_ERR_INPUT);
	MT_EXPECT_STR(mt_t_cap_end(), "msgtrail: t.json:7: SES: \"Message\" nested "
	    "deeper than 64 levels\n");
	free(s);
	mt_buf_free(&b);
}

MT_TEST(t_time_override)
{
	ctx.time_override = 1793620800LL * MT_USEC;
	MT_EXPECT_INT(push(MAIL("eventType\":\"Send", "")), 1);
	MT_EXPECT_STR(tm(evs[0].time), "2026-11-02T12:00:00Z");
	ctx.time_override = 0;
}

/* read_all - every record of path through mt_in and mt_ses; events added
 * to out as "type stage recipient provider_id dsn\n"; errors counted */
static int
read_all(const char *path, struct mt_buf *out, int *nrec)
{
	struct mt_in *in;
	struct mt_event ev;
	const char *rec;
	size_t len;
	unsigned long line;
	int r, bad = 0;

	if (mt_in_open(path, &in) != 0)
		return -1;
	ctx.file = mt_in_name(in);
	while ((r = mt_in_next(in, &rec, &len, &line)) == 1) {
		ctx.line = line;
		(*nrec)++;
		if (mt_ses_ops.push(st, NULL, rec, len) != 1)
			bad++;
		while (mt_ses_ops.next(st, &ev) == 1)
			if (mt_buf_printf(out, "%s %s %.*s %.*s %.*s %s\n",
			    mt_etype_to_text(ev.type),
			    mt_stage_to_text(ev.stage), (int)ev.recipient.n,
			    ev.recipient.p, (int)ev.provider_id.n,
			    ev.provider_id.p, (int)ev.dsn.n, ev.dsn.p,
			    tm(ev.time)) != 0)
				exit(2);
	}
	if (r != 0 || mt_in_skipped(in) != 0)
		bad++;
	mt_in_close(in);
	ctx.file = "t.json";
	ctx.line = 7;
	return bad;
}

MT_TEST(t_sample_logs)
{
	static const struct {
		const char *file;
		int nrec;
		const char *want;
	} tab[] = {
		{ "events.ndjson", 5,
		    "send provider alice@example.org 0102018f3a1b2c3d-a1a1a1a1-"
		    "0001-4001-8001-000000000001-000000  2026-11-02T09:15:02.871000Z\n"
		    "delivery recipient alice@example.org 0102018f3a1b2c3d-"
		    "a1a1a1a1-0001-4001-8001-000000000001-000000 2.0.0 "
		    "2026-11-02T09:15:03.912000Z\n"
		    "reject provider xavier@example.org 0102018f3a1b2c3d-e7e7e7e7-"
		    "0013-4013-8013-000000000013-000000  2026-11-02T11:30:00.412000Z\n"
		    "rendering failure provider yvonne@example.org "
		    "0102018f3a1b2c3d-f8f8f8f8-0014-4014-8014-000000000014-000000"
		    "  2026-11-02T11:31:05.077000Z\n"
		    "deliverydelay recipient zoe@example.net 0102018f3a1b2c3d-"
		    "a9a9a9a9-0015-4015-8015-000000000015-000000 4.4.1 "
		    "2026-11-02T12:10:02.509000Z\n" },
		{ "sns-notifications.json", 4,
		    "bounce provider dave@example.com 0102018f3a1b2c3d-b2b2b2b2-"
		    "0002-4002-8002-000000000002-000000 5.1.1 "
		    "2026-11-02T09:20:01.530000Z\n"
		    "delivery recipient bob@example.net 0102018f3a1b2c3d-b2b2b2b2-"
		    "0002-4002-8002-000000000002-000000 2.0.0 "
		    "2026-11-02T09:20:02.650000Z\n"
		    "bounce recipient carol@nonexistent.example 0102018f3a1b2c3d-"
		    "b2b2b2b2-0002-4002-8002-000000000002-000000 5.1.1 "
		    "2026-11-02T09:20:03.118000Z\n"
		    "complaint recipient bob@example.net 0102018f3a1b2c3d-b2b2b2b2-"
		    "0002-4002-8002-000000000002-000000  2026-11-02T09:47:12Z\n" },
		{ "sqs-messages.json", 2,
		    "send provider victor@example.net 0102018f3a1b2c3d-d6d6d6d6-"
		    "0011-4011-8011-000000000011-000000  2026-11-02T10:10:02.340000Z\n"
		    "delivery recipient victor@example.net 0102018f3a1b2c3d-"
		    "d6d6d6d6-0011-4011-8011-000000000011-000000 2.0.0 "
		    "2026-11-02T10:10:03.517000Z\n" },
		{ "firehose-2026-11-02.json", 2,
		    "send provider bob@example.net 0102018f3a1b2c3d-b2b2b2b2-"
		    "0002-4002-8002-000000000002-000000  2026-11-02T09:20:01.204000Z\n"
		    "send provider carol@nonexistent.example 0102018f3a1b2c3d-"
		    "b2b2b2b2-0002-4002-8002-000000000002-000000  "
		    "2026-11-02T09:20:01.204000Z\n"
		    "send provider dave@example.com 0102018f3a1b2c3d-b2b2b2b2-"
		    "0002-4002-8002-000000000002-000000  2026-11-02T09:20:01.204000Z\n"
		    "send provider zoe@example.net 0102018f3a1b2c3d-a9a9a9a9-"
		    "0015-4015-8015-000000000015-000000  2026-11-02T12:00:00.318000Z\n" },
	};
	struct mt_buf out;
	char path[512];
	size_t i;
	int n;

	mt_buf_init(&out, 0);
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		mt_buf_reset(&out);
		n = 0;
		snprintf(path, sizeof(path), "sample-logs/ses/%s", tab[i].file);
		MT_EXPECTF(read_all(path, &out, &n) == 0, "%s: errors", path);
		MT_EXPECTF(n == tab[i].nrec, "%s: %d records", path, n);
		MT_EXPECTF(out.data && strcmp(out.data, tab[i].want) == 0,
		    "%s: got\n%s", path, out.data ? out.data : "");
	}
	mt_buf_free(&out);
}

/* corpus_dir - every *.json under dir through mt_in and mt_ses */
static void
corpus_dir(const char *dir, int *files, int *bad, struct mt_buf *out)
{
	char path[1024];
	struct dirent *de;
	DIR *d;
	size_t n;
	int nrec;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = strlen(de->d_name);
		if (n > 5 && strcmp(de->d_name + n - 5, ".json") == 0) {
			nrec = 0;
			(*files)++;
			if (mt_buf_printf(out, "# %s\n", path) != 0)
				exit(2);
			if (read_all(path, out, &nrec) != 0 || nrec != 1) {
				(*bad)++;
				MT_FAILF("%s: not read cleanly (%d records)", path,
				    nrec);
			}
		} else if (strchr(de->d_name, '.') == NULL) {
			corpus_dir(path, files, bad, out);
		}
	}
	closedir(d);
}

MT_TEST(t_corpus)
{
	static const char *const dirs[] = { "aws-ses-developer-guide",
	    "laravel-postmaster", "bh-wp-aws-ses-bounce-handler" };
	const char *c = MT_CORPUS();
	char path[1024];
	struct mt_buf out;
	int files = 0, bad = 0;
	size_t i;

	if (c == NULL)
		MT_SKIP("corpus not found");
	mt_buf_init(&out, 0);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", c, dirs[i]);
		corpus_dir(path, &files, &bad, &out);
	}
	MT_EXPECT_INT(files, 19);
	MT_EXPECT_INT(bad, 0);
	/* known values */
	snprintf(path, sizeof(path), "%s/aws-ses-developer-guide/"
	    "event-publishing/bounce.json\nbounce recipient "
	    "recipient@example.com EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-"
	    "dd0099a07f8a-000000 5.1.1 2017-08-05T00:41:02.669000Z\n", c);
	MT_EXPECTF(strstr(out.data, path) != NULL, "bounce.json:\n%s", out.data);
	snprintf(path, sizeof(path), "%s/bh-wp-aws-ses-bounce-handler/"
	    "notification.json\nbounce recipient "
	    "bounce+1587519229@simulator.amazonses.com 010001719f851098-"
	    "27938204-045d-43c9-c6fb-0f5ad0091375-000000 5.1.1 "
	    "2020-04-22T01:33:50.802000Z\n", c);
	MT_EXPECTF(strstr(out.data, path) != NULL, "notification.json");
	snprintf(path, sizeof(path), "%s/laravel-postmaster/delivery.json\n"
	    "delivery recipient recipient@example.com ses-message-1  "
	    "2021-01-01T00:00:00Z\n", c);
	MT_EXPECTF(strstr(out.data, path) != NULL, "laravel delivery.json");
	snprintf(path, sizeof(path), "%s/aws-ses-developer-guide/notifications/"
	    "delivery.json\ndelivery recipient jane@example.com "
	    "0000014644fe5ef6-9a483358-9170-4cb4-a269-f5dcdf415321-000000  "
	    "2016-01-27T14:59:38.237000Z\n", c);
	MT_EXPECTF(strstr(out.data, path) != NULL, "notifications/delivery.json");
	mt_buf_free(&out);
}

int
main(void)
{
	st = mt_ses_ops.new(&ctx);
	MT_RUN(t_send);
	MT_RUN(t_delivery);
	MT_RUN(t_bounce_fanout);
	MT_RUN(t_bounce_suppressed);
	MT_RUN(t_complaint_delay_reject_render);
	MT_RUN(t_open_click_subscription);
	MT_RUN(t_envelopes);
	MT_RUN(t_bad_input);
	MT_RUN(t_deep_nesting);
	MT_RUN(t_time_override);
	MT_RUN(t_sample_logs);
	MT_RUN(t_corpus);
	mt_ses_ops.free(st);
	free(mt_t_cap_buf);
	return MT_DONE();
}

# msgtrail - one non-recursive GNU Makefile.
#
#   make            build ./msgtrail
#   make check      install missing packages, build, run every test
#   make demo       ingest sample-logs/ into a throw-away store, print a trace
#   make asan       the test suite under AddressSanitizer + UBSan
#   make tsan       the test suite under ThreadSanitizer (the ingest threads)
#   make valgrind   the test suite under valgrind (zero leaks, zero errors)
#   make fuzz       libFuzzer harnesses (FUZZ_SECONDS each)
#   make bench      the benchmark (BENCH_MB of generated syslog)
#   make install    PREFIX=/usr/local DESTDIR=
#
# WERROR=1 turns warnings into errors (CI sets it).

PROG	= msgtrail
.DEFAULT_GOAL := all
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
BUILD	?= build
CC	?= cc
PKG_CONFIG ?= pkg-config
PKGS	= libpcre2-8 jansson sqlite3 libzstd zlib

OPT	?= -O2 -g
WARN	= -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
	  -Wmissing-prototypes -Wcast-qual -Wwrite-strings -Wvla \
	  -Wpointer-arith -Wundef
ifeq ($(WERROR),1)
WARN	+= -Werror
endif
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
LAYERS	= query indexer parsers input common
INCS	= $(addprefix -I,$(LAYERS))
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	    -DMT_SYSCONFDIR='"$(SYSCONFDIR)"' $(INCS)
ALL_CFLAGS = -std=c11 $(OPT) $(WARN) -fno-common -MMD -MP $(SAN) \
	     $(PKG_CFLAGS) $(CFLAGS)
LDLIBS	+= $(PKG_LIBS) -lpthread -lm

# One static archive per layer, linked in layer order (top first).
define layer_rules
$(1)_SRCS := $$(sort $$(wildcard $(1)/*.c))
$(1)_OBJS := $$(patsubst %.c,$$(BUILD)/%.o,$$($(1)_SRCS))
$$(BUILD)/lib$(1).a: $$($(1)_OBJS)
	@rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(foreach L,$(LAYERS),$(eval $(call layer_rules,$(L))))

ARCHIVES = $(foreach L,$(LAYERS),$(BUILD)/lib$(L).a)
CLI_SRCS := $(sort $(wildcard cli/*.c))
CLI_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRCS))
TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TEST_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRCS))

.PHONY: all deps check check-unit check-cli asan tsan valgrind fuzz fuzz-build \
	bench demo install uninstall lint clean golden-update corpus

all: $(PROG)

$(PROG): $(BUILD)/$(PROG)
	cp $(BUILD)/$(PROG) $@.tmp && mv -f $@.tmp $@

$(BUILD)/$(PROG): $(CLI_OBJS) $(ARCHIVES)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) $(ARCHIVES) $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(ARCHIVES)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(ARCHIVES) $(LDLIBS)

deps:
	@sh scripts/deps.sh

# The test command the README gives and CI runs.
check: deps
	$(MAKE) $(BUILD)/$(PROG) $(TEST_BINS)
	MSGTRAIL=$(abspath $(BUILD)/$(PROG)) TESTBIN=$(abspath $(BUILD)/tests) \
	    VALGRIND="$(VALGRIND)" sh tests/run.sh

asan:
	$(MAKE) BUILD=build-asan CC=clang OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" check

# the ingest pipeline's threads (indexer/mt_ix_zq.c) under ThreadSanitizer
tsan:
	$(MAKE) BUILD=build-tsan CC=clang OPT="-O1 -g" SAN="-fsanitize=thread" check

# PCRE2's JIT code is opaque to valgrind: rules run interpreted there
valgrind:
	MSGTRAIL_PCRE2_NOJIT=1 MT_TEST_JOBS=2 $(MAKE) check VALGRIND="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99"

FUZZ_SECONDS ?= 20
FUZZ_SRCS := $(sort $(wildcard fuzz/fuzz_*.c))
fuzz-build:
	$(MAKE) BUILD=build-fuzz CC=clang OPT="-O1 -g" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined" \
	    build-fuzz/libquery.a build-fuzz/libindexer.a build-fuzz/libparsers.a \
	    build-fuzz/libinput.a build-fuzz/libcommon.a
	@mkdir -p build-fuzz/fuzz
	for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); \
	    clang $(CPPFLAGS) -O1 -g $(WARN) -fsanitize=fuzzer,address,undefined \
	    $(PKG_CFLAGS) -o build-fuzz/fuzz/$$n $$f \
	    $(foreach L,$(LAYERS),build-fuzz/lib$(L).a) $(LDLIBS) || exit 1; done

fuzz: deps fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh fuzz/run.sh

bench: deps all
	$(MAKE) $(BUILD)/mt_bench_gen
	BENCH_MB=$${BENCH_MB:-200} MSGTRAIL=$(abspath $(PROG)) \
	    GEN=$(abspath $(BUILD)/mt_bench_gen) sh bench/run.sh

$(BUILD)/mt_bench_gen: bench/mt_bench_gen.c
	@mkdir -p $(BUILD)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(LDLIBS)

DEMO_DB = $(BUILD)/demo.db
demo: deps all
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	./$(PROG) ingest --db $(DEMO_DB) --year 2026 --tz UTC \
	    --rules sample-logs/app/billing.rules sample-logs/postfix \
	    sample-logs/sendmail sample-logs/ses sample-logs/app
	@echo
	@echo '$$ msgtrail trace dave@example.com'
	@./$(PROG) trace --db $(DEMO_DB) dave@example.com
	@echo
	@echo '$$ msgtrail trace alice@example.org'
	@./$(PROG) trace --db $(DEMO_DB) alice@example.org

lint:
	mandoc -Tlint -W warning doc/msgtrail.1

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(PROG) $(DESTDIR)$(BINDIR)/$(PROG)
	install -m 644 doc/msgtrail.1 $(DESTDIR)$(MANDIR)/man1/msgtrail.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/$(PROG) $(DESTDIR)$(MANDIR)/man1/msgtrail.1

golden-update: all
	MSGTRAIL=$(abspath $(BUILD)/$(PROG)) sh tests/golden-update.sh

clean:
	rm -rf build build-* $(PROG) $(PROG).tmp

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# nerve - build, test, install.
#
#   make            library and command line (build/libnerve.a, build/nerve)
#   make deps       install the Debian packages that are missing
#   make test       unit and golden tests; the last line is "N passed, N failed"
#   make check      the same tests built with AddressSanitizer + UBSan
#   make test-html  the HTML writer's page in headless Chromium (tests/out/html.png)
#   make leakcheck  valgrind over the golden cases: zero leaks and errors
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (clang)
#   make bench      the benchmark (tests/bench/)
#   make install    PREFIX=/usr/local DESTDIR=
#   make format     clang-format the sources

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc

PKGS     = glib-2.0 gio-2.0 gio-unix-2.0 icu-uc icu-i18n jansson libxml-2.0
DEB_PKGS = libglib2.0-dev libicu-dev libjansson-dev libxml2-dev pkg-config python3 parallel time

WARN = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wwrite-strings -Wvla -Wformat=2 -Wundef -fno-common -Werror
OPT     ?= -O2 -g
SAN     ?=
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -Iinclude -Ipipeline -Istages -D_GNU_SOURCE \
            -DNERVE_DATADIR='"$(PREFIX)/share/nerve"'
ALL_CFLAGS = $(WARN) $(OPT) $(SAN) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lm -lpthread

LIB_SRC  = $(sort $(wildcard pipeline/*.c pipeline/formats/*.c stages/*.c))
LIB_SRC := $(filter-out pipeline/main.c pipeline/cli-%.c,$(LIB_SRC))
CLI_SRC  = pipeline/main.c $(sort $(wildcard pipeline/cli-*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC = $(sort $(wildcard tests/unit/test-*.c))
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps deps-check test test-html check leakcheck fuzz fuzz-build bench install uninstall format format-check clean model-data
all: deps-check $(BUILD)/libnerve.a $(BUILD)/nerve

# The check is cheap (pkg-config); it says what to do instead of failing
# later with a missing header.
deps-check:
	@pkg-config --exists $(PKGS) 2>/dev/null || { \
	  echo "nerve: missing build dependencies; run 'make deps' (installs: $(DEB_PKGS))" >&2; exit 1; }

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "nerve: all build dependencies are installed"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "nerve: missing packages; run as root:"; \
	  echo "  apt-get install -y$$missing"; exit 1; fi; \
	echo "nerve: installing$$missing"; \
	$$sudo apt-get update -qq && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libnerve.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  AR    $@"
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/nerve: $(CLI_OBJ) $(BUILD)/libnerve.a
	@echo "  LD    $@"
	@$(CC) $(OPT) $(SAN) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libnerve.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnerve.a
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) -DSRCDIR='"$(CURDIR)"' $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< \
	  $(BUILD)/libnerve.a $(LDLIBS)

# the profiling build of the rule engine is compiled here too, so that it
# keeps building (it is run by hand: bench-rules-profile --profile)
test: all $(TEST_BIN) $(BUILD)/bench/bench-rules-profile
	@BUILD=$(BUILD) sh tests/run-tests.sh

# Renders the HTML writer's page in headless Chromium (installed with
# apt-get when missing, as root) and checks the DOM.
test-html: all $(BUILD)/tests/test-formats
	@BUILD=$(BUILD) sh tests/html/check.sh

check:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

# libFuzzer targets: tests/fuzz/fuzz-NAME.c, seeds in tests/fuzz/corpus/NAME/.
# The library is rebuilt with clang and coverage instrumentation.
# valgrind over the golden cases: no leak, no memory error (exit 99 on one)
VALGRIND = valgrind --quiet --error-exitcode=99 --leak-check=full \
  --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
  --suppressions=tests/valgrind.supp
leakcheck: all
	@WRAP="$(VALGRIND)" sh tests/golden/run.sh | tee build/leakcheck.log; \
	  ! grep -q '^not ok' build/leakcheck.log

FUZZ_SECONDS ?= 20
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
fuzz-build:
	$(MAKE) BUILD=build/fuzz/lib CC=clang OPT="-O1 -g" \
	  SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" build/fuzz/lib/libnerve.a
	$(MAKE) CC=clang $(FUZZ_BIN)
build/fuzz/fuzz-%: tests/fuzz/fuzz-%.c build/fuzz/lib/libnerve.a
	@echo "  FUZZ  $@"
	@clang $(CPPFLAGS) $(PKG_CFLAGS) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< \
	  build/fuzz/lib/libnerve.a $(LDLIBS)
fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

BENCH_SRC = $(sort $(wildcard tests/bench/*.c))
BENCH_BIN = $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libnerve.a
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/libnerve.a $(LDLIBS)

# bench-rules-profile: bench-rules with its own copy of the rule engine
# that counts the work per rule (NERVE_RULES_PROFILE, stages/rules-profile.h),
# for bench-rules-profile --profile; the library's copy counts nothing.
PROF_SRC = $(filter stages/rules%.c,$(LIB_SRC))
PROF_OBJ = $(PROF_SRC:%.c=$(BUILD)/prof/%.o)
$(BUILD)/prof/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $< (profile)"
	@$(CC) $(CPPFLAGS) -DNERVE_RULES_PROFILE $(ALL_CFLAGS) -c $< -o $@
$(BUILD)/bench/bench-rules-profile: tests/bench/bench-rules.c $(PROF_OBJ) $(BUILD)/libnerve.a
	@mkdir -p $(dir $@)
	@echo "  CC    $< (profile)"
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(PROF_OBJ) \
	  $(BUILD)/libnerve.a $(LDLIBS)

bench: all $(BENCH_BIN)
	@sh tests/bench/run.sh

model-data:
	sh models/en/build/build-all.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/include/nerve $(DESTDIR)$(PREFIX)/share/nerve
	install -m 755 $(BUILD)/nerve $(DESTDIR)$(PREFIX)/bin/nerve
	install -m 644 $(BUILD)/libnerve.a $(DESTDIR)$(PREFIX)/lib/libnerve.a
	install -m 644 include/nerve/*.h $(DESTDIR)$(PREFIX)/include/nerve/
	rm -rf $(DESTDIR)$(PREFIX)/share/nerve/models && cp -r models $(DESTDIR)$(PREFIX)/share/nerve/models
	rm -rf $(DESTDIR)$(PREFIX)/share/nerve/models/*/build
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell sed -n 's/.*NERVE_VERSION "\(.*\)"/\1/p' include/nerve/nerve.h)|' \
	  -e 's|@PKGS@|$(PKGS)|' nerve.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/nerve.pc

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/nerve $(DESTDIR)$(PREFIX)/lib/libnerve.a \
	  $(DESTDIR)$(PREFIX)/include/nerve $(DESTDIR)$(PREFIX)/share/nerve \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/nerve.pc

FORMAT_SRC = $(wildcard include/nerve/*.h pipeline/*.c pipeline/*.h pipeline/formats/*.c pipeline/formats/*.h stages/*.c stages/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tests/bench/*.c)

format:
	@clang-format -i $(FORMAT_SRC)

format-check:
	@clang-format --dry-run -Werror $(FORMAT_SRC) && echo "format: clean"

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(BUILD)/prof $(BUILD)/tests -name '*.d' 2>/dev/null)

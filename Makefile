# awaitlab — build, test, run.  `make help` lists the targets.
#
# Layout (each folder is one layer; see README.md):
#   core/   the event loop (libc only)          -> part of build/libawaitlab.a
#   sim/    simulated clock, trace recorder      -> part of build/libawaitlab.a
#   viz/    trace model and viewers              -> build/libawaitlab-viz.a (+ tui_*, sdl_* front ends)
#   lessons/ the lessons (C ports of the documents' examples), cli/ the awaitlab command
#   tests/  Check suites (tests/check), shell tests (tests/scripts), the CPython oracle (tests/oracle)

BUILD    ?= build
CC       ?= cc
SAN      ?=
ARCH     := $(shell uname -m)
FIBER    ?= $(if $(filter x86_64 aarch64,$(ARCH)),asm,ucontext)
PKGS_CORE := libcjson check
PKGS_UI   := ncursesw sdl2 SDL2_ttf

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers
CPPFLAGS := -std=c11 -D_GNU_SOURCE -DAW_USE_VALGRIND -Icore -Isim -Iviz -Icli -Ilessons
ifeq ($(FIBER),ucontext)
CPPFLAGS += -DAW_FIBER_UCONTEXT
endif
ifeq ($(SAN),1)
CFLAGS   := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif

pc = $(shell pkg-config --cflags $(1) 2>/dev/null)
pl = $(shell pkg-config --libs $(1) 2>/dev/null)

CORE_SRC := $(wildcard core/*.c) $(wildcard sim/*.c)
CORE_ASM := $(if $(filter asm,$(FIBER)),core/switch_$(ARCH).S)
VIZ_SRC  := $(filter-out viz/tui_% viz/sdl_%,$(wildcard viz/*.c))
TUI_SRC  := $(wildcard viz/tui_*.c)
SDL_SRC  := $(wildcard viz/sdl_*.c)
LESSON_SRC := $(wildcard lessons/*/lesson.c) $(filter-out lessons/embed%,$(wildcard lessons/*.c))
CLI_SRC  := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/check/test_*.c)
TEST_SUPPORT := $(wildcard tests/check/support_*.c)
PROG_SRC := $(wildcard tests/programs/*.c)
BENCH_SRC := $(wildcard bench/*.c)
FUZZ_SRC := $(wildcard tests/fuzz/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(patsubst %.S,$(BUILD)/obj/%.o,$(1)))

LIB      := $(BUILD)/libawaitlab.a
VIZLIB   := $(BUILD)/libawaitlab-viz.a
AWAITLAB := $(BUILD)/awaitlab
TESTS    := $(patsubst tests/check/%.c,$(BUILD)/tests/%,$(TEST_SRC))
PROGS    := $(patsubst tests/programs/%.c,$(BUILD)/programs/%,$(PROG_SRC))
FUZZ_BIN := $(if $(FUZZ_SRC),$(BUILD)/fuzz/scenario)
BENCHES  := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

.PHONY: all deps test check scripts san valgrind ucontext cross-aarch64 run bench difffuzz clean help
all: $(LIB) $(VIZLIB) $(AWAITLAB) $(TESTS) $(PROGS) $(FUZZ_BIN)

help:
	@echo "make           build the libraries, the awaitlab command and the tests into $(BUILD)/"
	@echo "make run       build, then step through the first lesson in the terminal viewer"
	@echo "make test      unit + shell tests, then again under ASan+UBSan, then core under valgrind"
	@echo "make check     only the unit and shell tests of this build"
	@echo "make san       the tests under AddressSanitizer + UBSan, gcc and clang (build/san, build/san-clang)"
	@echo "make valgrind  the core tests under valgrind"
	@echo "make bench     benchmarks against CPython asyncio"
	@echo "make difffuzz N=1000  random scenarios run on awaitlab and on CPython, compared"
	@echo "make deps      install the Debian packages awaitlab needs (as root), or say which"

# Missing packages are installed when we are root (apt-get), else named exactly.
deps:
	@sh tests/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(call pc,$(PKGS_CORE)) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# viz front ends need their libraries' headers.
$(BUILD)/obj/viz/tui_%.o: viz/tui_%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(call pc,ncursesw libcjson) -MMD -MP -c $< -o $@
$(BUILD)/obj/viz/sdl_%.o: viz/sdl_%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(call pc,sdl2 SDL2_ttf libcjson) -MMD -MP -c $< -o $@

# One relocatable object for core + sim, so that sim's constructors (the simulated clock and the
# AWAITLAB_* environment hook) are linked into every program that uses the library.
$(LIB): $(call obj,$(CORE_SRC) $(CORE_ASM))
	@mkdir -p $(dir $@)
	$(LD) -r -o $(BUILD)/awaitlab-all.o $^
	rm -f $@ && $(AR) rcs $@ $(BUILD)/awaitlab-all.o

$(VIZLIB): $(call obj,$(VIZ_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^ $(if $^,,)

# Lessons embed their document example and narrative (generated C strings).
$(BUILD)/gen/lesson_texts.c: $(wildcard lessons/*/example.py lessons/*/narrative.md lessons/*/source.txt lessons/*/lesson.c) lessons/embed.sh
	@mkdir -p $(dir $@)
	sh lessons/embed.sh lessons > $@

LESSON_OBJ := $(call obj,$(LESSON_SRC)) $(if $(LESSON_SRC),$(BUILD)/obj/gen/lesson_texts.o)
$(BUILD)/obj/gen/lesson_texts.o: $(BUILD)/gen/lesson_texts.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

UI_LIBS := $(call pl,ncursesw) $(call pl,sdl2 SDL2_ttf)
$(AWAITLAB): $(call obj,$(CLI_SRC) $(TUI_SRC) $(SDL_SRC)) $(LESSON_OBJ) $(LIB) $(VIZLIB)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(VIZLIB) $(LIB) $(call pl,libcjson) $(UI_LIBS) -lm

# The support code reads the CPython twins' .expected files (tests/check/cpython) from any cwd.
$(call obj,$(TEST_SUPPORT)): CPPFLAGS += -DAW_SOURCE_DIR='"$(CURDIR)"'
$(BUILD)/tests/%: tests/check/%.c $(call obj,$(TEST_SUPPORT)) $(LIB) $(VIZLIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(call pc,$(PKGS_CORE)) -Itests/check -o $@ $< $(call obj,$(TEST_SUPPORT)) $(VIZLIB) $(LIB) $(LDFLAGS) $(call pl,check libcjson) -lm

$(BUILD)/programs/%: tests/programs/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(LIB) $(LDFLAGS) $(call pl,libcjson) -lm

$(BUILD)/bench/%: bench/%.c $(LIB) $(VIZLIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(call pc,libcjson) -o $@ $< $(VIZLIB) $(LIB) $(LDFLAGS) $(call pl,libcjson) -lm

# The scenario interpreter of the differential fuzzer (tests/fuzz): one program from its files.
$(BUILD)/fuzz/scenario: $(call obj,$(FUZZ_SRC)) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(FUZZ_SRC)) $(LIB) $(call pl,libcjson) -lm

# ---- running ---------------------------------------------------------------------------------
check: all
	@sh tests/run.sh $(BUILD)

# Two sanitized configurations, every test (shell tests too): gcc's ASan+UBSan in build/san and
# clang's in build/san-clang (clang's UBSan checks more, e.g. arithmetic on a null pointer).
# Sanitized programs are slower: AW_TEST_TIME_SCALE stretches the shell tests' time bounds.
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	CK_TIMEOUT_MULTIPLIER=10 AW_TEST_TIME_SCALE=3
san:
	$(MAKE) --no-print-directory BUILD=build/san SAN=1 all
	@$(SAN_ENV) sh tests/run.sh build/san san; r=$$?; \
	 $(MAKE) --no-print-directory BUILD=build/san-clang SAN=1 CC=clang all || \
	   { echo "san-clang: 0 passed, 1 failed (the build failed)"; exit 1; }; \
	 $(SAN_ENV) sh tests/run.sh build/san-clang san-clang && test $$r = 0

valgrind: all
	@sh tests/valgrind.sh $(BUILD)

# The portable fiber switch (ucontext), chosen on machines without a hand-written switch.
CORE_TESTS = $(patsubst tests/check/%.c,%,$(wildcard tests/check/test_core_*.c))
ucontext:
	$(MAKE) --no-print-directory BUILD=build/ucontext FIBER=ucontext $(addprefix build/ucontext/tests/,$(CORE_TESTS))
	@sh tests/run.sh build/ucontext ucontext core-only

# Every run of a test is listed in test-list.txt (configuration, pass/fail, name) for the summary.
test: deps
	@$(MAKE) --no-print-directory all
	@export AW_TEST_LIST=$(CURDIR)/$(BUILD)/test-list.txt; : > $$AW_TEST_LIST; \
	 sh tests/run.sh $(BUILD) plain > $(BUILD)/test-plain.log 2>&1; rc=$$?; cat $(BUILD)/test-plain.log; \
	 $(MAKE) --no-print-directory san > $(BUILD)/test-san.log 2>&1; rs=$$?; tail -n 40 $(BUILD)/test-san.log; \
	 $(MAKE) --no-print-directory ucontext > $(BUILD)/test-ucontext.log 2>&1; ru=$$?; tail -n 12 $(BUILD)/test-ucontext.log; \
	 sh tests/valgrind.sh $(BUILD) > $(BUILD)/test-valgrind.log 2>&1; rv=$$?; cat $(BUILD)/test-valgrind.log; \
	 sh tests/summary.sh $$AW_TEST_LIST $(BUILD)/test-plain.log $(BUILD)/test-san.log $(BUILD)/test-ucontext.log $(BUILD)/test-valgrind.log; rt=$$?; \
	 test $$rc = 0 && test $$rs = 0 && test $$ru = 0 && test $$rv = 0 && test $$rt = 0

FIRST_LESSON := awaitables-coroutines
run: deps
	@$(MAKE) --no-print-directory $(AWAITLAB)
	$(AWAITLAB) step $(FIRST_LESSON)

bench: all $(BENCHES)
	@sh bench/run.sh $(BUILD)

# The aarch64 switch, checked under qemu-user (needs gcc-aarch64-linux-gnu, qemu-user).
cross-aarch64:
	@sh tests/cross/check-aarch64.sh build/cross

N ?= 1000
difffuzz: all
	@sh tests/fuzz/difffuzz.sh $(BUILD) $(N)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# awaitlab — build, test, run.  `make help` lists the targets.
#
# Layout (each folder is one layer; see README.md):
#   core/   the event loop (libc only)          -> build/libawaitlab.a      (pkg-config awaitlab)
#   sim/    simulated clock, trace recorder      -> build/libawaitlab-sim.a  (pkg-config awaitlab-sim)
#   viz/    trace/ (reader, validator, diff), model/ (state at any step), export/ (Chrome JSON, PNG)
#                                                -> build/libawaitlab-viz.a  (internal)
#           tui/ (ncurses) and sdl/ (SDL2) front ends, linked into the awaitlab command
#   lessons/ the lessons (C ports of the documents' examples), cli/ the awaitlab command
#   tests/  Check suites (tests/check), shell tests (tests/scripts), the CPython oracle (tests/oracle),
#           libFuzzer targets (tests/libfuzz)

BUILD    ?= build
CC       ?= cc
SAN      ?=
ARCH     := $(shell uname -m)
FIBER    ?= $(if $(filter x86_64 aarch64,$(ARCH)),asm,ucontext)
VERSION  := 0.1.0

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers
VIZ_DIRS := viz/trace viz/model viz/export viz/keys viz/tui viz/sdl
CPPFLAGS := -std=c11 -D_GNU_SOURCE -DAW_USE_VALGRIND -Icore -Isim $(addprefix -I,$(VIZ_DIRS)) -Icli -Ilessons
ifeq ($(FIBER),ucontext)
CPPFLAGS += -DAW_FIBER_UCONTEXT
endif
ifeq ($(SAN),1)
CFLAGS   := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif
# The libFuzzer build (make fuzz, in build/libfuzz): everything instrumented for coverage.
ifeq ($(LIBFUZZ),1)
CC       := clang-14
CFLAGS   := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=fuzzer,address,undefined
endif

# A frame larger than a page must not jump a task stack's guard page (core/fiber.h): every
# configuration probes large frames page by page.  Programs that use awaitlab need it too.
override CFLAGS += -fstack-clash-protection

# core's thread pool (run_in_executor on the real clock) uses POSIX threads.
CPPFLAGS += -pthread
LDFLAGS  += -pthread

# pkg-config, asked once per make run (not once per object).
pc = $(shell pkg-config --cflags $(1) 2>/dev/null)
pl = $(shell pkg-config --libs $(1) 2>/dev/null)
PC_CJSON := $(call pc,libcjson)
PC_CHECK := $(call pc,check)
PC_PNG   := $(call pc,libpng)
PC_TUI   := $(call pc,ncursesw)
PC_SDL   := $(call pc,sdl2 SDL2_ttf)
LIBS_CJSON := $(call pl,libcjson)
LIBS_CHECK := $(call pl,check)
LIBS_PNG   := $(call pl,libpng)
LIBS_UI    := $(call pl,ncursesw) $(call pl,sdl2 SDL2_ttf)

CORE_SRC := $(wildcard core/*.c)
CORE_ASM := $(if $(filter asm,$(FIBER)),core/switch_$(ARCH).S)
SIM_SRC  := $(wildcard sim/*.c)
VIZ_SRC  := $(wildcard viz/trace/*.c viz/model/*.c viz/export/*.c viz/keys/*.c)
TUI_SRC  := $(wildcard viz/tui/*.c)
SDL_SRC  := $(wildcard viz/sdl/*.c)
LESSON_SRC := $(wildcard lessons/*/lesson.c) $(filter-out lessons/embed%,$(wildcard lessons/*.c))
CLI_SRC  := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/check/test_*.c)
TEST_SUPPORT := $(wildcard tests/check/support_*.c)
PROG_SRC := $(wildcard tests/programs/*.c)
BENCH_SRC := $(filter-out bench/peer_%,$(wildcard bench/*.c))
FUZZ_SRC := $(wildcard tests/fuzz/*.c)
LIBFUZZ_SRC := $(wildcard tests/libfuzz/fuzz_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(patsubst %.S,$(BUILD)/obj/%.o,$(1)))

LIB      := $(BUILD)/libawaitlab.a
SIMLIB   := $(BUILD)/libawaitlab-sim.a
VIZLIB   := $(BUILD)/libawaitlab-viz.a
AWAITLAB := $(BUILD)/awaitlab
TESTS    := $(patsubst tests/check/%.c,$(BUILD)/tests/%,$(TEST_SRC))
PROGS    := $(patsubst tests/programs/%.c,$(BUILD)/programs/%,$(PROG_SRC))
FUZZ_BIN := $(if $(FUZZ_SRC),$(BUILD)/fuzz/scenario)
BENCHES  := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
# make bench's peers in C and C++ (bench/peer_libuv.c, peer_fiber.cpp), built with everything
# else when their packages are there: tests/deps.sh installs them for make test and make bench,
# while a plain `make` does not need them (test_bench_smoke.sh names a missing one).
CXX      ?= g++
HAVE_LIBUV := $(shell pkg-config --exists libuv 2>/dev/null && echo yes)
HAVE_FIBER := $(shell test -e /usr/include/boost/fiber/all.hpp && command -v $(CXX) >/dev/null && echo yes)
PEERS    := $(if $(HAVE_LIBUV),$(BUILD)/bench/peer_libuv) $(if $(HAVE_FIBER),$(BUILD)/bench/peer_fiber)
# libFuzzer targets: fuzzers (clang, make fuzz) and, in every build, their replayers (a main()
# that feeds files to the same target: tests/libfuzz/regress/ is replayed by `make check`).
LIBFUZZ_NAMES := $(patsubst tests/libfuzz/%.c,%,$(LIBFUZZ_SRC))
FUZZERS  := $(patsubst %,$(BUILD)/libfuzz/%,$(LIBFUZZ_NAMES))
REPLAYS  := $(patsubst %,$(BUILD)/libfuzz/replay_%,$(LIBFUZZ_NAMES))
GEN_DICT := $(BUILD)/libfuzz/gen_dict

CORE_OBJ    := $(call obj,$(CORE_SRC) $(CORE_ASM))
SIM_OBJ     := $(call obj,$(SIM_SRC))
VIZ_OBJ     := $(call obj,$(VIZ_SRC))
SUPPORT_OBJ := $(call obj,$(TEST_SUPPORT))
LESSON_OBJ  := $(call obj,$(LESSON_SRC)) $(if $(LESSON_SRC),$(BUILD)/obj/gen/lesson_texts.o)
CLI_OBJ     := $(call obj,$(CLI_SRC) $(TUI_SRC) $(SDL_SRC))
ALL_OBJ     := $(CORE_OBJ) $(SIM_OBJ) $(VIZ_OBJ) $(SUPPORT_OBJ) $(LESSON_OBJ) $(CLI_OBJ) \
               $(call obj,$(TEST_SRC) $(PROG_SRC) $(BENCH_SRC) $(FUZZ_SRC) $(LIBFUZZ_SRC)) \
               $(call obj,tests/libfuzz/replay_main.c tests/libfuzz/gen_dict.c) $(CLI_MAIN_OBJ)

# Linking the sim library: sim/env.c's constructor (the simulated clock, AWAITLAB_*) is in an
# archive member nothing references, so the link names aw_sim_install undefined to pull it in
# (awaitlab-sim.pc says the same; see sim/awaitlab_sim.h).
SIM_LINK := -Wl,-u,aw_sim_install $(SIMLIB) $(LIB) $(LIBS_CJSON)

.PHONY: all deps test check scripts san valgrind ucontext copied copied-valgrind cross-aarch64 run bench difffuzz clean help \
        install uninstall fuzz fuzzers
all: $(LIB) $(SIMLIB) $(VIZLIB) $(AWAITLAB) $(TESTS) $(PROGS) $(FUZZ_BIN) $(REPLAYS) $(BENCHES) $(PEERS)

help:
	@echo "make           build the libraries, the awaitlab command and the tests into $(BUILD)/"
	@echo "make run       build, then step through the first lesson in the terminal viewer"
	@echo "make test      unit + shell tests, then again under ASan+UBSan, then core under valgrind"
	@echo "make check     only the unit and shell tests of this build"
	@echo "make san       the tests under AddressSanitizer + UBSan, gcc and clang (build/san, build/san-clang)"
	@echo "make valgrind  the core tests under valgrind"
	@echo "make copied    the core tests with copied stacks (AWAITLAB_STACKS=copied), plain and under ASan"
	@echo "make copied-valgrind  the valgrind runs again with copied stacks"
	@echo "make bench     awaitlab against asyncio, uvloop, Trio, libuv, Boost.Fiber: one table (RUNS=5 ONLY=switch,...)"
	@echo "make difffuzz N=1000  random scenarios run on awaitlab and on CPython, compared"
	@echo "make fuzz      libFuzzer targets (clang-14), a bounded run of each (tests/libfuzz)"
	@echo "make install   PREFIX=/usr/local DESTDIR=: libraries, headers, .pc files, awaitlab, man page"
	@echo "make uninstall the same PREFIX and DESTDIR: removes exactly what install wrote"
	@echo "make deps      install the Debian packages awaitlab needs (as root), or say which"

# Missing packages are installed when we are root (apt-get), else named exactly.
deps:
	@sh tests/deps.sh

# Before compiling anything, the build's own packages are checked (never installed: a plain
# `make` must not run apt-get) so that a missing one is named with its apt-get line instead of a
# "cJSON.h: No such file".  A stamp, so a normal build pays nothing after the first time.
DEPS_OK := $(BUILD)/.deps-ok
$(DEPS_OK): tests/deps.sh
	@mkdir -p $(dir $@)
	@sh tests/deps.sh --check --build
	@touch $@

# Every object gets -MMD -MP: a changed header rebuilds its users, a deleted one breaks nothing.
# Each folder adds the flags of the packages it includes; core gets none (libc only).
OBJ_CFLAGS = $(PC_CJSON)
$(BUILD)/obj/core/%.o:        OBJ_CFLAGS =
$(BUILD)/obj/viz/tui/%.o:     OBJ_CFLAGS = $(PC_TUI) $(PC_CJSON)
$(BUILD)/obj/viz/sdl/%.o:     OBJ_CFLAGS = $(PC_SDL) $(PC_CJSON)
$(BUILD)/obj/viz/export/%.o:  OBJ_CFLAGS = $(PC_PNG) $(PC_CJSON)
$(BUILD)/obj/tests/check/%.o: OBJ_CFLAGS = $(PC_CHECK) $(PC_CJSON) $(PC_PNG) -Itests/check
$(BUILD)/obj/tests/programs/%.o: OBJ_CFLAGS = -Itests/programs
$(BUILD)/obj/tests/libfuzz/%.o: OBJ_CFLAGS = $(PC_CJSON) -DAW_GOLDEN_DIR='"$(CURDIR)/tests/golden"'

$(BUILD)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(OBJ_CFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.S | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(CORE_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(SIMLIB): $(SIM_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(VIZLIB): $(VIZ_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

# Lessons embed their document example and narrative (generated C strings).
$(BUILD)/gen/lesson_texts.c: $(wildcard lessons/*/example.py lessons/*/narrative.md lessons/*/source.txt lessons/*/lesson.c) lessons/embed.sh
	@mkdir -p $(dir $@)
	sh lessons/embed.sh lessons > $@

$(BUILD)/obj/gen/lesson_texts.o: $(BUILD)/gen/lesson_texts.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

# Programs are linked from their objects by static pattern rules: the objects are then named
# targets, not intermediate files that make deletes after a clean build and rebuilds the next
# time (which is what happened to support_core.o).
$(AWAITLAB): $(CLI_OBJ) $(LESSON_OBJ) $(VIZLIB) $(SIMLIB) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LESSON_OBJ) $(VIZLIB) $(SIM_LINK) $(LIBS_PNG) $(LIBS_UI) -lm

# The support code reads the CPython twins' .expected files (tests/check/cpython) from any cwd.
$(SUPPORT_OBJ): CPPFLAGS += -DAW_SOURCE_DIR='"$(CURDIR)"'
$(TESTS): $(BUILD)/tests/%: $(BUILD)/obj/tests/check/%.o $(SUPPORT_OBJ) $(VIZLIB) $(SIMLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(SUPPORT_OBJ) $(VIZLIB) $(SIM_LINK) $(LIBS_PNG) $(LIBS_CHECK) -lm

$(PROGS): $(BUILD)/programs/%: $(BUILD)/obj/tests/programs/%.o $(SIMLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(SIM_LINK) -lm

$(BENCHES): $(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(VIZLIB) $(SIMLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(VIZLIB) $(SIM_LINK) -lm

# The peers are other projects' code paths: built optimised and plain in every configuration
# (a sanitizer would measure itself, and they are never the code under test).
$(BUILD)/bench/peer_libuv: bench/peer_libuv.c bench/bench_util.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -Werror $(call pc,libuv) -o $@ $< $(call pl,libuv)

$(BUILD)/bench/peer_fiber: bench/peer_fiber.cpp bench/bench_util.h
	@mkdir -p $(dir $@)
	$(CXX) -O2 -Wall -Wextra -Werror -o $@ $< -lboost_fiber -lboost_context

# The scenario interpreter of the differential fuzzer (tests/fuzz): one program from its files.
$(BUILD)/fuzz/scenario: $(call obj,$(FUZZ_SRC)) $(SIMLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(FUZZ_SRC)) $(SIM_LINK) -lm

# The CLI target calls the command's main(), renamed; it is linked without the subcommands
# that open a terminal or a window (step, tui, view and their shared viewer), which then answer
# "unknown command" (cli/main.c declares them weak).
CLI_MAIN_OBJ := $(BUILD)/obj/tests/libfuzz/cli_main.o
# explore is left out too: it starts processes and runs --check commands.
CLI_FUZZ_OBJ := $(call obj,$(filter-out cli/main.c cli/cli_viewer.c cli/cmd_step.c cli/cmd_tui.c cli/cmd_view.c \
                  cli/cmd_explore.c cli/explore_%.c,$(CLI_SRC))) \
                $(CLI_MAIN_OBJ) $(LESSON_OBJ)
$(CLI_MAIN_OBJ): cli/main.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(call pc,libcjson) -Dmain=aw_cli_main -MMD -MP -c $< -o $@

$(BUILD)/libfuzz/fuzz_cli_args $(BUILD)/libfuzz/replay_fuzz_cli_args: $(CLI_FUZZ_OBJ)
$(FUZZERS): $(BUILD)/libfuzz/%: $(BUILD)/obj/tests/libfuzz/%.o $(VIZLIB) $(SIMLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(VIZLIB) $(SIM_LINK) $(LIBS_PNG) -lm
$(REPLAYS): $(BUILD)/libfuzz/replay_%: $(BUILD)/obj/tests/libfuzz/%.o $(BUILD)/obj/tests/libfuzz/replay_main.o $(VIZLIB) $(SIMLIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(VIZLIB) $(SIM_LINK) $(LIBS_PNG) -lm
$(GEN_DICT): $(BUILD)/obj/tests/libfuzz/gen_dict.o $(VIZLIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(VIZLIB)

# make fuzz: the fuzzers are built in their own tree with clang, then each runs FUZZ_TIME
# seconds from the lesson traces (tests/libfuzz/run.sh; longer runs: tests/libfuzz/README.md).
FUZZ_BUILD ?= build/libfuzz
FUZZ_TIME  ?= 20
fuzzers: $(FUZZERS)
fuzz: deps $(GEN_DICT)
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) LIBFUZZ=1 fuzzers
	@sh tests/libfuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TIME) $(GEN_DICT)

# ---- installing ------------------------------------------------------------------------------
# make install PREFIX=/usr/local DESTDIR=: the two libraries (static), their public headers in
# include/awaitlab/, their pkg-config files (written with the final PREFIX; a relocated tree is
# read with `pkg-config --define-prefix`), the command and its man page.  uninstall removes the
# same list, and include/awaitlab/ if that leaves it empty.
PREFIX  ?= /usr/local
DESTDIR ?=
bindir  := $(PREFIX)/bin
libdir  := $(PREFIX)/lib
incdir  := $(PREFIX)/include/awaitlab
pcdir   := $(libdir)/pkgconfig
man1dir := $(PREFIX)/share/man/man1
pydir   := $(PREFIX)/share/awaitlab/python/awaitlab_record
PYMODULE := $(wildcard sim/python/awaitlab_record/*.py)
PUBLIC_HEADERS := core/awaitlab.h core/aw_tracer.h core/aw_trace_schema.h sim/awaitlab_sim.h sim/recorder.h
INSTALLED := $(bindir)/awaitlab $(libdir)/libawaitlab.a $(libdir)/libawaitlab-sim.a \
             $(pcdir)/awaitlab.pc $(pcdir)/awaitlab-sim.pc $(man1dir)/awaitlab.1 \
             $(addprefix $(incdir)/,$(notdir $(PUBLIC_HEADERS))) \
             $(addprefix $(pydir)/,$(notdir $(PYMODULE)))

install: $(LIB) $(SIMLIB) $(AWAITLAB)
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(libdir) $(DESTDIR)$(incdir) $(DESTDIR)$(pcdir) $(DESTDIR)$(man1dir)
	install -m 755 $(AWAITLAB) $(DESTDIR)$(bindir)/awaitlab
	install -m 644 $(LIB) $(SIMLIB) $(DESTDIR)$(libdir)/
	install -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(incdir)/
	install -m 644 cli/awaitlab.1 $(DESTDIR)$(man1dir)/awaitlab.1
	install -d $(DESTDIR)$(pydir)
	install -m 644 $(PYMODULE) $(DESTDIR)$(pydir)/
	for pc in core/awaitlab.pc.in sim/awaitlab-sim.pc.in; do \
	    sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' $$pc > $(DESTDIR)$(pcdir)/$$(basename $$pc .in) || exit 1; \
	done

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(incdir) 2>/dev/null
	rm -rf $(DESTDIR)$(pydir)/__pycache__ # left by a Python that ran the module without -B
	-rmdir $(DESTDIR)$(pydir) $(DESTDIR)$(PREFIX)/share/awaitlab/python $(DESTDIR)$(PREFIX)/share/awaitlab 2>/dev/null

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

# Every core suite again with all tasks of a loop on one shared stack (AWAITLAB_STACKS=copied,
# core/fiber.h), plain and under ASan+UBSan (copied-san: the shared stack is poisoned while no
# task runs on it).  Left out of these configurations, with the reason:
#   test_core_io  its test hands a task's local (&r) to add_reader as the callback's argument:
#                 copied stacks forbid that (the constraint in fiber.h) and refuse it.
COPIED_EXCLUDED = test_core_io
COPIED_TESTS = $(filter-out $(COPIED_EXCLUDED),$(CORE_TESTS))
copied:
	$(MAKE) --no-print-directory BUILD=build/copied $(addprefix build/copied/tests/,$(COPIED_TESTS))
	@AWAITLAB_STACKS=copied sh tests/run.sh build/copied copied core-only; r=$$?; \
	 $(MAKE) --no-print-directory BUILD=build/copied-san SAN=1 $(addprefix build/copied-san/tests/,$(COPIED_TESTS)) || \
	   { echo "copied-san: 0 passed, 1 failed (the build failed)"; exit 1; }; \
	 AWAITLAB_STACKS=copied $(SAN_ENV) sh tests/run.sh build/copied-san copied-san core-only && test $$r = 0

# The valgrind runs again with copied stacks: memcheck sees what the shared stack's word-by-word
# scans read (an argument block's padding, once), which ASan does not.
copied-valgrind: all
	@AWAITLAB_STACKS=copied sh tests/valgrind.sh $(BUILD) copied-valgrind $(COPIED_EXCLUDED)

# Every run of a test is listed in test-list.txt (configuration, pass/fail, name) for the summary.
test: deps
	@$(MAKE) --no-print-directory all
	@export AW_TEST_LIST=$(CURDIR)/$(BUILD)/test-list.txt; : > $$AW_TEST_LIST; \
	 sh tests/run.sh $(BUILD) plain > $(BUILD)/test-plain.log 2>&1; rc=$$?; cat $(BUILD)/test-plain.log; \
	 $(MAKE) --no-print-directory san > $(BUILD)/test-san.log 2>&1; rs=$$?; tail -n 40 $(BUILD)/test-san.log; \
	 $(MAKE) --no-print-directory ucontext > $(BUILD)/test-ucontext.log 2>&1; ru=$$?; tail -n 12 $(BUILD)/test-ucontext.log; \
	 $(MAKE) --no-print-directory copied > $(BUILD)/test-copied.log 2>&1; rp=$$?; tail -n 12 $(BUILD)/test-copied.log; \
	 sh tests/valgrind.sh $(BUILD) > $(BUILD)/test-valgrind.log 2>&1; rv=$$?; cat $(BUILD)/test-valgrind.log; \
	 AWAITLAB_STACKS=copied sh tests/valgrind.sh $(BUILD) copied-valgrind $(COPIED_EXCLUDED) > $(BUILD)/test-copied-valgrind.log 2>&1; \
	 rw=$$?; tail -n 12 $(BUILD)/test-copied-valgrind.log; \
	 $(MAKE) --no-print-directory fuzz > $(BUILD)/test-fuzz.log 2>&1; rf=$$?; grep -E '^fuzz|^  |: (ok|FAILED)' $(BUILD)/test-fuzz.log; \
	 sh tests/summary.sh $$AW_TEST_LIST $(BUILD)/test-plain.log $(BUILD)/test-san.log $(BUILD)/test-ucontext.log $(BUILD)/test-copied.log $(BUILD)/test-valgrind.log $(BUILD)/test-copied-valgrind.log $(BUILD)/test-fuzz.log; rt=$$?; \
	 test $$rc = 0 && test $$rs = 0 && test $$ru = 0 && test $$rp = 0 && test $$rv = 0 && test $$rw = 0 && test $$rf = 0 && test $$rt = 0

FIRST_LESSON := awaitables-coroutines
run: deps
	@$(MAKE) --no-print-directory $(AWAITLAB)
	$(AWAITLAB) step $(FIRST_LESSON)

bench: deps
	@$(MAKE) --no-print-directory all
	@python3 bench/run.py $(BUILD) $(if $(RUNS),--runs $(RUNS)) $(if $(ONLY),--only $(ONLY))

# The aarch64 switch, checked under qemu-user (needs gcc-aarch64-linux-gnu, qemu-user).
cross-aarch64:
	@sh tests/cross/check-aarch64.sh build/cross

N ?= 1000
difffuzz: all
	@sh tests/fuzz/difffuzz.sh $(BUILD) $(N)

clean:
	rm -rf build

-include $(ALL_OBJ:.o=.d)

# MedSales: make builds ./medsales; make run, make test, make bench.
# make DEVELOPER=1 turns warnings into errors (CI builds that way).
# make SAN=1 builds with AddressSanitizer and UBSan into build/asan.

CC      ?= gcc
PKGS    := libmicrohttpd sqlite3 jansson libsodium xlsxwriter
SAN     ?= 0
DEVELOPER ?= 0

ifeq ($(SAN),1)
BUILD   := build/asan
OPT     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD   := build/release
OPT     := -O2 -g
endif

WARN    := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wvla -Wpointer-arith -Wno-unused-parameter
ifeq ($(DEVELOPER),1)
WARN    += -Werror
endif

CFLAGS  := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) \
           -Isrc -I$(BUILD)/gen $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
           -include src/base/banned.h
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
LDFLAGS := $(filter -fsanitize=%,$(OPT))

LIB_SRC := $(sort $(wildcard src/base/*.c src/domain/*.c src/store/*.c src/http/*.c src/api/*.c) \
             $(filter-out src/cli/main.c,$(wildcard src/cli/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/migrations.o
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

.PHONY: all run test asan-units bench deps web check-layers check-format \
        format clean fuzz
all: medsales

# The release binary at the top; the sanitizer build stays in build/asan.
ifeq ($(SAN),1)
medsales: $(BUILD)/medsales
else
medsales: $(BUILD)/medsales
	$(Q)cp $< $@.tmp && mv -f $@.tmp $@
endif

$(BUILD)/medsales: $(BUILD)/src/cli/main.o $(BUILD)/libmedsales.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libmedsales.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

# V=1 shows the whole command lines.
Q := $(if $(V),,@)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/gen/migrations.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	$(Q)sh scripts/embed-sql.sh $(MIGRATIONS) > $@

$(BUILD)/gen/migrations.o: $(BUILD)/gen/migrations.c
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libmedsales.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libmedsales.a $(LDLIBS) -lcmocka

# The fuzz targets with a replay main (tests/fuzz/replay.c): make test runs
# them on the seed corpus under the sanitizers.
$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c $(BUILD)/libmedsales.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libmedsales.a $(LDLIBS)

-include $(shell find build -name '*.d' 2>/dev/null)

deps:
	@scripts/install-deps.sh build

web:
	@scripts/build-web.sh

run:
	@scripts/install-deps.sh build
	@$(MAKE) --no-print-directory medsales
	@scripts/build-web.sh
	@scripts/run.sh

# Every unit, API and browser test against the ASan+UBSan build.
test:
	@scripts/install-deps.sh test
	@$(MAKE) --no-print-directory SAN=1 DEVELOPER=1 build/asan/medsales asan-units
	@scripts/build-web.sh
	@scripts/test.sh

asan-units: $(UNIT_BIN) $(FUZZ_REPLAY)

check-layers:
	@scripts/check-layers.sh

check-format:
	@scripts/check-format.sh

format:
	clang-format -i $(wildcard src/*/*.c src/*/*.h tests/unit/*.c bench/*.c)

# Coverage-guided fuzzing with clang's libFuzzer, FUZZ_SECONDS per target
# (default 30); new inputs land in build/fuzz-corpus/<target>.
fuzz:
	@scripts/install-deps.sh fuzz
	@scripts/fuzz.sh

bench:
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory medsales
	@sh bench/run.sh

clean:
	rm -rf build medsales

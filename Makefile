# fwmac developer entry points. `make setup` once, then `make test`.
BUILD_DIR ?= build
JOBS      ?= $(shell nproc)
CMAKE_BUILD_TYPE ?= Release

APT_PACKAGES := build-essential cmake verilator nlohmann-json3-dev catch2 libfmt-dev yosys iverilog clang \
                libclang-rt-14-dev
APT_PACKAGES += nextpnr-ice40 opensta jq libcli11-dev gtkwave python3 python3-yaml
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: setup deps build test test-asan fuzz regress coverage demo bench energy e2e bench-rtl accel-rtl simspeed synth \
        synth-bench tb timing-diagram doc-plots doc-check clean

setup: deps build

# Installs the Debian packages that are missing (non-interactive; sudo only when not root).
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "all packages present: $(APT_PACKAGES)"; fi

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE)

build: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Builds only the named CMake targets (e.g. fwmac and one testbench), not all of `build`.
build_only = cmake --build $(BUILD_DIR) --target $(1) -j $(JOBS)
# The fwmac binary and the static libraries a testbench links (tb/tb_link_libs.txt).
TB_LIBS := fwmac fwmac_gen_common fwmac_compiler fwmac_golden

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Generator, golden model and unit/CLI/lint/formal tests under ASan + UBSan (the
# Verilator testbenches are left out: their models are generated code).
ASAN_DIR := $(BUILD_DIR)-asan
test-asan:
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFWMAC_SANITIZE=ON -DFWMAC_WITH_TB=OFF \
	  -DFWMAC_WITH_UNIT_TB=OFF -DFWMAC_WITH_REGMAP_TB=OFF
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# Fuzzes the config and layer-file parsers with libFuzzer under ASan/UBSan for
# FUZZ_SECONDS each, starting from the bundled examples; prints the inputs executed.
FUZZ_DIR := $(BUILD_DIR)-fuzz
FUZZ_SECONDS ?= 60
fuzz:
	CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFWMAC_SANITIZE=ON \
	  -DFWMAC_WITH_TB=OFF -DFWMAC_FUZZ=ON
	cmake --build $(FUZZ_DIR) --target fuzz_config fuzz_layer -j $(JOBS)
	mkdir -p $(FUZZ_DIR)/corpus_config $(FUZZ_DIR)/corpus_layer
	cp examples/configs/*.json $(FUZZ_DIR)/corpus_config/ && cp examples/layers/*.json $(FUZZ_DIR)/corpus_layer/
	@for harness in config layer; do \
	  $(FUZZ_DIR)/tests/fuzz/fuzz_$$harness -max_total_time=$(FUZZ_SECONDS) -max_len=1024 -rss_limit_mb=4096 \
	    -print_final_stats=1 $(FUZZ_DIR)/corpus_$$harness > $(FUZZ_DIR)/fuzz_$$harness.log 2>&1 \
	    || { tail -40 $(FUZZ_DIR)/fuzz_$$harness.log; exit 1; }; \
	  echo "fuzz_$$harness: $$(grep -E '^Done' $(FUZZ_DIR)/fuzz_$$harness.log)"; \
	done

# Long regression: REGRESS_CONFIGS random arrays x REGRESS_SEEDS layers x 2 modes.
REGRESS_CONFIGS ?= 24
REGRESS_SEEDS ?= 20
regress: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,$(TB_LIBS))
	tb/regress.sh --fwmac $(BUILD_DIR)/bin/fwmac --work $(BUILD_DIR)/regress --configs $(REGRESS_CONFIGS) \
	  --seeds $(REGRESS_SEEDS) -j $(JOBS) --seed $${REGRESS_SEED:-1} --junit $(BUILD_DIR)/regress/junit.xml

# Coverage of the generated RTL (not part of `make test`; docs/coverage.md): 8 configs
# spanning the generator's options, verilated with line and toggle coverage and run on
# random layers always-ready, under four stall patterns, at depths 1 and k_max and with
# full-range requant parameters; merged by verilator_coverage into
# $(BUILD_DIR)/coverage/merged.dat, annotated sources in $(BUILD_DIR)/coverage/annotated/,
# the per-module summary and the uncovered points in $(BUILD_DIR)/coverage/summary.txt.
# COVERAGE_SEEDS (default 20) seeds per run set.
COVERAGE_SEEDS ?= 20
coverage: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,$(TB_LIBS))
	tb/coverage.sh --fwmac $(BUILD_DIR)/bin/fwmac --work $(BUILD_DIR)/coverage --seeds $(COVERAGE_SEEDS) -j $(JOBS)

# Generates the default 8x8x8 array, shows the filter-wise schedule of the bundled
# conv layer and simulates it in Verilator against the golden model.
demo: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,fwmac tb_demo_8x8x8)
	$(BUILD_DIR)/bin/fwmac schedule examples/layers/demo_conv.json --config examples/configs/default_8x8x8.json
	$(BUILD_DIR)/tb/demo_8x8x8/fwmac_tb --gen $(BUILD_DIR)/tb/demo_8x8x8/gen --layer examples/layers/demo_conv.json \
	  --fst $(BUILD_DIR)/tb/demo_8x8x8/mismatch.fst

# ResNet-18 cycle benchmark on a 16x16x8 array (not part of `make test`).
BENCH_DIR := $(BUILD_DIR)/bench
bench: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,fwmac)
	mkdir -p $(BENCH_DIR)
	$(BUILD_DIR)/bin/fwmac bench --config examples/configs/bench_16x16x8.json \
	  --json $(BENCH_DIR)/resnet18.json --csv $(BENCH_DIR)/resnet18.csv --svg $(BENCH_DIR)/resnet18_speedup.svg
	@echo "wrote $(BENCH_DIR)/resnet18.json, .csv and resnet18_speedup.svg"
	@echo "--- the same with a batch of 16 images per layer run (fills the 7x7 and 14x14 pixel tiles):"
	@$(BUILD_DIR)/bin/fwmac bench --config examples/configs/bench_16x16x8.json --batch 16 \
	  --json $(BENCH_DIR)/resnet18_batch16.json | grep -E '^(ResNet|TOTAL|total)'
	@echo "--- two filters per row (row_slots = 2), batch 1, 2, 4, 16:"
	@$(BUILD_DIR)/bin/fwmac bench --config examples/configs/bench_16x16x8_slots2.json \
	  --json $(BENCH_DIR)/resnet18_slots2.json --csv $(BENCH_DIR)/resnet18_slots2.csv \
	  --svg $(BENCH_DIR)/resnet18_slots2_speedup.svg | grep -E '^(ResNet|TOTAL|total)'
	@for batch in 2 4 16; do \
	  $(BUILD_DIR)/bin/fwmac bench --config examples/configs/bench_16x16x8_slots2.json --batch $$batch \
	    --json $(BENCH_DIR)/resnet18_slots2_batch$$batch.json | grep -E '^(ResNet|total)'; \
	done
	@echo "--- through the accelerator shell (accel_16x16x8: 128-bit AXI4-Stream, 256 KiB activation buffer):"
	@$(BUILD_DIR)/bin/fwmac bench --config examples/configs/accel_16x16x8.json \
	  --json $(BENCH_DIR)/resnet18_accel.json | sed -n '/^through/,/^total through/p'


# Datapath energy (pJ/MAC, TOPS/W) and throughput vs average weight bits, bit-serial
# fwmac against the bit-parallel baseline (operation counts x 45 nm energy table).
energy: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,fwmac)
	mkdir -p $(BENCH_DIR)
	$(BUILD_DIR)/bin/fwmac energy --config examples/configs/bench_16x16x8.json --json $(BENCH_DIR)/energy.json \
	  --svg $(BENCH_DIR)/energy_tops_per_watt.svg --throughput-svg $(BENCH_DIR)/energy_throughput.svg
	@echo "wrote $(BENCH_DIR)/energy.json, energy_tops_per_watt.svg, energy_throughput.svg"

# The digits CNN end to end: float vs uniform vs filter-wise quantization through the
# golden model (accuracy table), then every scheme's conv layers over the whole test
# set through the Verilator RTL of the default 8x8x8 array (bit- and cycle-exact).
E2E_MODEL := examples/digits/model.json
e2e: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,fwmac tb_demo_8x8x8)
	mkdir -p $(BENCH_DIR)
	$(BUILD_DIR)/bin/fwmac e2e $(E2E_MODEL) --config examples/configs/default_8x8x8.json --json $(BENCH_DIR)/e2e.json
	@for scheme in uniform8 uniform4 filterwise4 filterwise4-cycles uniform3 filterwise3 filterwise3-cycles filterwise2.5; do \
	  $(BUILD_DIR)/tb/demo_8x8x8/fwmac_tb --gen $(BUILD_DIR)/tb/demo_8x8x8/gen --cnn $(E2E_MODEL) --scheme $$scheme \
	    --images 360 --fst $(BUILD_DIR)/tb/demo_8x8x8/mismatch_e2e.fst > $(BENCH_DIR)/e2e_$$scheme.log; rc=$$?; \
	  grep -E '^(CNN|FAIL)|passed|mismatch|reproduce' $(BENCH_DIR)/e2e_$$scheme.log; [ $$rc -eq 0 ] || exit 1; \
	done

# ResNet-18 layers (scaled to whole tiles of pixels) through the Verilator testbench
# of the 16x16x8 arrays (one and two filters per row): outputs bit-exact and cycles
# equal to the golden model.
BENCH_TB := $(BUILD_DIR)/tb/bench_16x16x8
bench-rtl: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,tb_bench_16x16x8 tb_bench_16x16x8_slots2)
	@for tb in $(BENCH_TB) $(BENCH_TB)_slots2; do for layer in examples/layers/resnet18_*.json; do \
	  $$tb/fwmac_tb --gen $$tb/gen --layer $$layer --fst $$tb/mismatch.fst > $$tb/bench_rtl.log; \
	  rc=$$?; echo "$$(basename $$tb): $$(head -1 $$tb/bench_rtl.log)"; [ $$rc -eq 0 ] || exit 1; \
	done; done

# All 20 ResNet-18 conv layers, whole, through the 16x16x8 accelerator shell
# (examples/configs/accel_16x16x8.json) always ready: outputs bit-exact, every run's
# performance counters equal to the golden shell model's (the cycles `fwmac bench` reports).
accel-rtl: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,tb_accel_units)
	tb/accel_units/accel_resnet18.sh $(BUILD_DIR)/tb/accel_units/generated_accel_16x16x8/tb \
	  examples/configs/accel_16x16x8.json $(BUILD_DIR)/accel_rtl --always-ready

# Verilator simulation speed (array cycles per second, one thread) of the 8x8x8 and
# 16x16x8 arrays on a long ResNet-18 layer; median of 7 runs.
simspeed: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,tb_demo_8x8x8 tb_bench_16x16x8)
	$(BUILD_DIR)/tb/demo_8x8x8/fwmac_tb --gen $(BUILD_DIR)/tb/demo_8x8x8/gen \
	  --layer examples/layers/resnet18_layer4.1.conv2_p16.json --speed 7 | grep SPEED
	$(BENCH_TB)/fwmac_tb --gen $(BENCH_TB)/gen --layer examples/layers/resnet18_layer4.1.conv2_p16.json --speed 7 \
	  | grep SPEED

# Synthesis flows of one config: `make synth CONFIG=examples/configs/test_4x4x4.json
# [SYNTH_FLOW=all|generic,ice40,xilinx,xilinx_nodsp,ice40_accel,xilinx_accel,liberty] [SYNTH_DEVICE=up5k|hx8k]
# [LIBERTY=cells.lib]`; logs and synth_report.json in $(BUILD_DIR)/synth/NAME/synth/.
CONFIG ?= examples/configs/default_8x8x8.json
SYNTH_FLOW ?= all
SYNTH_DEVICE ?= up5k
SYNTH_DIR := $(BUILD_DIR)/synth/$(basename $(notdir $(CONFIG)))
synth: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,fwmac)
	$(BUILD_DIR)/bin/fwmac generate $(CONFIG) -o $(SYNTH_DIR)
	$(BUILD_DIR)/bin/fwmac synth $(SYNTH_DIR) --flow $(SYNTH_FLOW) --device $(SYNTH_DEVICE) \
	  $(if $(LIBERTY),--liberty $(LIBERTY))

# Area efficiency (not part of `make test`, ~30 min on 2 cores): the sweep of
# examples/sweeps/area_16x16.json (16x16 arrays, 8..64 lanes, one and two filters per row,
# 2/4/16 requantizers) and the default 8x8x8 array, each with its bit-parallel twins,
# synthesized hierarchically (synth_xilinx -nodsp, CMOS transistor estimate); MACs per
# cycle per LUT and per transistor on ResNet-18, serial / parallel; writes the best design
# at 4 bits to $(BENCH_DIR)/area_best.json; then the energy model of area_best.
SYNTH_BENCH_DESIGNS ?= examples/sweeps/area_16x16.json examples/configs/default_8x8x8.json
synth-bench: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,fwmac)
	mkdir -p $(BENCH_DIR)
	$(BUILD_DIR)/bin/fwmac synth-bench $(SYNTH_BENCH_DESIGNS) --work $(BUILD_DIR)/synth_bench --jobs $(JOBS) \
	  --json $(BENCH_DIR)/synth_bench.json --svg $(BENCH_DIR)/synth_bench.svg --best-config $(BENCH_DIR)/area_best.json
	$(BUILD_DIR)/bin/fwmac energy --config examples/configs/area_best.json --json $(BENCH_DIR)/energy_area_best.json \
	  --svg $(BENCH_DIR)/energy_area_best_tops_per_watt.svg

# The Verilator testbench of your own config: `make tb CONFIG=my.json [LAYER=layer.json |
# SEEDS=1:20] [THREADS=N] [TB_ARGS="--backpressure ..."]` generates CONFIG into
# $(BUILD_DIR)/tb_user/NAME/gen, verilates it (tb/verilate.sh; THREADS > 1 builds a
# multithreaded model) into $(BUILD_DIR)/tb_user/NAME/fwmac_tb and runs it on LAYER or
# on the random layers of SEEDS; a failing run leaves mismatch.fst + mismatch.gtkw there.
SEEDS ?= 1:20
THREADS ?= 1
TB_USER_DIR = $(BUILD_DIR)/tb_user/$(basename $(notdir $(CONFIG)))
tb: $(BUILD_DIR)/CMakeCache.txt
	@[ -f "$(CONFIG)" ] || { echo "make tb: CONFIG=$(CONFIG) is not a file (make tb CONFIG=my.json)"; exit 2; }
	@[ -f $(BUILD_DIR)/tb/tb_link_libs.txt ] || { echo "make tb: $(BUILD_DIR) was configured with" \
	  "FWMAC_WITH_TB=OFF; use another BUILD_DIR"; exit 2; }
	$(call build_only,$(TB_LIBS))
	$(BUILD_DIR)/bin/fwmac generate $(CONFIG) -o $(TB_USER_DIR)/gen $(if $(LAYER),--layer $(LAYER))
	tb/verilate.sh --threads $(THREADS) $(TB_USER_DIR)/gen $(TB_USER_DIR)/fwmac_tb $(TB_USER_DIR)/obj . \
	  $$(cat $(BUILD_DIR)/tb/tb_link_libs.txt)
	$(TB_USER_DIR)/fwmac_tb --gen $(TB_USER_DIR)/gen $(if $(LAYER),--layer $(LAYER),--seeds $(SEEDS)) \
	  --threads $(THREADS) --fst $(TB_USER_DIR)/mismatch.fst $(TB_ARGS)

# Figures of docs/: the stream timing diagram, drawn from an Icarus simulation of the
# generated RTL of a 2x2x2 array (tools/timing_diagram.sh: fwmac vectors, tb/tb_fwmac_top.v
# with +vcd=FILE, tools/vcd_to_svg.py), and the plots of fwmac bench and fwmac energy.
timing-diagram: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,fwmac)
	tools/timing_diagram.sh $(BUILD_DIR)/bin/fwmac $(BUILD_DIR)/timing_diagram docs/img/streams_timing.svg
	$(call build_only,tb_accel_units)
	tools/accel_timing_diagram.sh $(BUILD_DIR)/tb/accel_units/generated_accel_2x2x2/tb \
	  $(BUILD_DIR)/tb/accel_units/design_accel_2x2x2/rtl $(BUILD_DIR)/accel_timing_diagram docs/img/accel_timing.svg

doc-plots: $(BUILD_DIR)/CMakeCache.txt
	$(call build_only,fwmac)
	$(BUILD_DIR)/bin/fwmac bench --config examples/configs/bench_16x16x8.json --svg docs/img/resnet18_speedup.svg > /dev/null
	$(BUILD_DIR)/bin/fwmac bench --config examples/configs/bench_16x16x8_slots2.json \
	  --svg docs/img/resnet18_slots2_speedup.svg > /dev/null
	$(BUILD_DIR)/bin/fwmac energy --config examples/configs/bench_16x16x8.json --svg docs/img/energy_tops_per_watt.svg \
	  --throughput-svg docs/img/energy_throughput.svg > /dev/null
	@echo "wrote docs/img/resnet18_speedup.svg, resnet18_slots2_speedup.svg, energy_tops_per_watt.svg, energy_throughput.svg"

# Every path the documentation names in backticks (README.md, docs/*.md) must exist.
doc-check:
	tools/check_doc_paths.sh

clean:
	rm -rf $(BUILD_DIR)

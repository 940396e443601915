# WarRoom — build, demo, tests and benchmarks.
#
#   make demo    install missing system packages, build in release, run the default scenario
#   make test    install missing system packages, run the test suite
#   make check-report  render the default scenario's report in headless Chromium (installed when
#                missing) and check that the page and every chart drew
#   make bench   release build, then the benchmarks (simulator, event recording, alert engine
#                throughput, latency against load and scaling, model fitting) and the default
#                scenario's model backtest
#   make bench-count  release build, then instructions per event of the simulator and the engine
#                under callgrind (valgrind, installed when missing); make bench-compare prints the
#                change from bench/baseline.json
#   make fuzz    release build, then mutation fuzzing of the scenario, rule, panel and customer-table decoders
#   make hostile the generated hostile-input suite and its per-class table (reports/hostile-inputs.md)
#   make man     the man page generated from the command-line parser (.build/man/warroom.1)
#   make soak    release build, then 360 live days of the closed loop: memory and speed per 30 days

SWIFT ?= swift
SYSTEM_PACKAGES := libopenblas-dev liblapacke-dev libsqlite3-dev zlib1g-dev pkg-config python3 python3-venv
SCENARIO ?= scenarios/east-china-medical.yaml
WARROOM := .build/release/warroom

.PHONY: all deps browser valgrind build release demo test check-report bench bench-count bench-compare bench-baseline fuzz hostile soak man docs clean

all: build

# Installs the Debian packages the build links against, only when some are missing
# (apt-get update first, as a fresh machine needs; sudo when not root).
deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Headless Chromium, a font for Chinese and Python for `make check-report`, installed the same way
# when missing.
browser:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	command -v fc-list >/dev/null 2>&1 || missing="$$missing fontconfig"; \
	fc-list :lang=zh-cn family 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Valgrind (callgrind) and objcopy for `make bench-count`, installed the same way when missing.
valgrind:
	@missing=""; \
	command -v valgrind >/dev/null 2>&1 || missing="$$missing valgrind"; \
	command -v objcopy >/dev/null 2>&1 || missing="$$missing binutils"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: release
	$(WARROOM) run $(SCENARIO)

# The notebook test's Python environment (pinned PyPI packages in a local virtual environment):
# `warroom export --format ipynb` notebooks are validated with nbformat and run with nbclient,
# and the run reports' latency.hlog is decoded with HdrHistogram's Python reader. The marker
# names the package list, so a change of it makes a new environment.
NOTEBOOK_ENV := .build/notebook-env
NOTEBOOK_PACKAGES := nbformat==5.11.1 nbclient==0.11.0 ipykernel==7.4.0 pandas==3.1.1 matplotlib==3.11.2 hdrhistogram==0.10.8
NOTEBOOK_READY := $(NOTEBOOK_ENV)/ready-$(shell echo "$(NOTEBOOK_PACKAGES)" | cksum | cut -d" " -f1)
$(NOTEBOOK_READY):
	rm -rf $(NOTEBOOK_ENV)
	python3 -m venv $(NOTEBOOK_ENV)
	$(NOTEBOOK_ENV)/bin/pip install --quiet --disable-pip-version-check $(NOTEBOOK_PACKAGES)
	touch $@

test: deps $(NOTEBOOK_READY)
	WARROOM_NOTEBOOK_PYTHON=$(CURDIR)/$(NOTEBOOK_ENV)/bin/python $(SWIFT) test

# The default scenario's report rendered in headless Chromium: a screenshot of the page and of
# every chart (reports/check-report/); fails on a render error or a chart that drew nothing.
# Every chart's text must lie inside the chart and no two labels may overlap (text boxes measured
# by Chromium). Then the same run's report re-created from the run store alone must be
# byte-identical, re-created in Chinese must render its characters and fit (reports/check-report/zh/),
# and a small sweep's report (its forest plot) must fit too (reports/check-report/sweep/).
CHECK_RUN := .build/check-report
check-report: release browser
	rm -rf $(CHECK_RUN) && mkdir -p $(CHECK_RUN)
	$(WARROOM) run $(SCENARIO) --lang en --out $(CHECK_RUN)/out --db $(CHECK_RUN)/runs.db
	python3 .ci/check_report.py "$$(ls -d $(CHECK_RUN)/out/*/ | head -1)index.html" reports/check-report --self-test
	$(WARROOM) report 1 --db $(CHECK_RUN)/runs.db --out $(CHECK_RUN)/again
	diff -r $(CHECK_RUN)/out $(CHECK_RUN)/again && echo "check-report: warroom report re-created the report byte for byte"
	$(WARROOM) report 1 --db $(CHECK_RUN)/runs.db --lang zh --out $(CHECK_RUN)/zh
	python3 .ci/check_report.py "$$(ls -d $(CHECK_RUN)/zh/*/ | head -1)index.html" reports/check-report/zh
	$(WARROOM) sweep scenarios/smoke-sweep.yaml --replications 3 --out $(CHECK_RUN)/sweep --db $(CHECK_RUN)/runs.db
	python3 .ci/check_report.py $(CHECK_RUN)/sweep/smoke-sweep-sweep/index.html reports/check-report/sweep
	$(WARROOM) run scenarios/smoke-delivery.yaml --lang en --out $(CHECK_RUN)/delivery --db $(CHECK_RUN)/runs.db
	python3 .ci/check_report.py $(CHECK_RUN)/delivery/smoke-delivery-s7/index.html reports/check-report/delivery
	$(WARROOM) sweep scenarios/smoke-delivery.yaml --replications 3 --out $(CHECK_RUN)/sweep --db $(CHECK_RUN)/runs.db
	python3 .ci/check_report.py $(CHECK_RUN)/sweep/smoke-delivery-sweep/index.html reports/check-report/delivery-sweep

bench: release
	$(WARROOM) bench sim --json --repeats 5
	$(WARROOM) bench record --json --repeats 3
	$(WARROOM) bench engine --max --json --repeats 3 --rule-counts 1 9 18 100 1000
	$(WARROOM) bench sweep-load
	$(WARROOM) bench fit --json --repeats 3
	$(WARROOM) backtest scenarios/east-china-medical.yaml --json

# Instructions per event, counted by callgrind in the benchmarks' timed regions (the default
# scenario, 10 live days): repeatable on a busy machine, unlike timings. The counts go to
# reports/bench-count.json, then the change from bench/baseline.json is printed;
# `make bench-baseline` makes the last count the new baseline (commit it with the change).
BENCH_COUNT := reports/bench-count.json
bench-count: release valgrind
	python3 bench/count.py --warroom $(WARROOM) --out $(BENCH_COUNT)
	python3 bench/count.py --compare bench/baseline.json $(BENCH_COUNT)

bench-compare:
	python3 bench/count.py --compare bench/baseline.json $(BENCH_COUNT)

bench-baseline:
	cp $(BENCH_COUNT) bench/baseline.json

# Mutation fuzzing of the scenario decoder, the rule parser, the panel loader and the churn table (FUZZ_SECONDS per target).
FUZZ_SECONDS ?= 60
fuzz: release
	$(WARROOM) fuzz --target all --seconds $(FUZZ_SECONDS)

# The generated hostile-input suite alone (also part of `make test`): its per-class table of
# outcomes (clear error, handled, crash, hang, silent failure, partial output, corrupted store)
# goes to reports/hostile-inputs.md.
hostile: deps
	@mkdir -p reports
	WARROOM_HOSTILE_TABLE=$(CURDIR)/reports/hostile-inputs.md $(SWIFT) test --filter HostileInputTests
	@cat reports/hostile-inputs.md

# A 360-live-day run of the default scenario with all presets: memory and throughput per 30 days.
soak: release
	$(WARROOM) soak --live-days 360

# The man page, generated from the command-line parser (every command, option and default):
# .build/man/warroom.1 (read it with `man -l .build/man/warroom.1`).
man: deps
	$(SWIFT) package --allow-writing-to-package-directory generate-manual
	@mkdir -p .build/man
	cp .build/plugins/GenerateManual/outputs/warroom/warroom.1 .build/man/warroom.1
	@echo "man page: .build/man/warroom.1"

# The lab's DocC catalog (Sources/WarRoomLab/Documentation.docc): overview, data flow, curated
# topics; a broken symbol link or an undocumented parameter fails the build.
docs: deps
	swift package generate-documentation --target WarRoomLab --warnings-as-errors
	@echo "docs: .build/plugins/Swift-DocC/outputs/WarRoomLab.doccarchive"

clean:
	rm -rf .build

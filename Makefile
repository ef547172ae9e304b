# Lanes: build, run, test, bench. `make help` lists the targets.
# GOOS/GOARCH are set per command, never exported: native and wasm builds
# share this file.

GO       ?= go
GOROOT   := $(shell $(GO) env GOROOT)
WASMENV  := GOOS=js GOARCH=wasm
# Node runs wasm tests through the toolchain's go_js_wasm_exec.
WASMPATH := PATH="$(PATH):$(GOROOT)/lib/wasm"
DIST     := server/assets/dist
CHROMIUM ?= /usr/bin/chromium

.PHONY: help build run test test-native test-wasm test-browser lint bench bench-browser loadtest clean chromium generate wasm assets fuzz

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

## ---- build -------------------------------------------------------------

generate: ## generate the Vugu components' Go code
	@if ls site/*.vugu >/dev/null 2>&1; then $(GO) tool vugugen -s -skip-go-mod -skip-main site; fi

# The page and its Web Workers run one binary, app.wasm, compiled once: two
# binaries would each carry core and the runtime, and a first visit loads
# both (a worker-only binary is 0.99 MB brotli, the one that also carries
# the page 1.19 MB). net/http stays out of it: downloads call the browser's
# fetch() through wasm/fetch (2.41 MB brotli with net/http). Inlining is off
# outside core, the timeline's drawing (site/timeline) and the std packages
# their hot loops call (it must be on where a function is defined for calls
# to it to inline): that saves 12% of the compressed download (2.64 MB →
# 2.33 MB brotli). The timeline's is worth its 9 KB: a live drawing's model
# of a run of 10,000 tasks on one lane took 4–17 ms without it, 2.6–5.9 ms
# with it (BenchmarkTimeline10k).
WASMGCFLAGS := -gcflags=all=-l -gcflags=lanes/core/...= -gcflags=lanes/site/timeline= -gcflags=encoding/binary= -gcflags=math/bits= -gcflags=math= -gcflags=slices= -gcflags=sync/atomic=
wasm: generate ## build the app's wasm (also run by its Web Workers) into the assets
	@mkdir -p $(DIST)
	cp $(GOROOT)/lib/wasm/wasm_exec.js $(DIST)/wasm_exec.js
	rm -f $(DIST)/worker.wasm $(DIST)/worker.wasm.gz $(DIST)/worker.wasm.br
	$(WASMENV) $(GO) build -trimpath -ldflags=-s $(WASMGCFLAGS) -o $(DIST)/app.wasm ./wasm/app

assets: wasm ## gather index.html and static files into the assets, precompressed
	cp index.html $(DIST)/index.html
	@if [ -d site/static ]; then cp -r site/static/. $(DIST)/; fi
	@if [ -d server/precompress ]; then $(GO) run ./server/precompress $(DIST); fi

build: assets ## build everything; the program lands at bin/lanes
	$(GO) build -trimpath -o bin/lanes ./server/cmd/lanes

run: build ## build everything and serve the app on http://127.0.0.1:8080
	bin/lanes serve --addr 127.0.0.1:8080

## ---- test --------------------------------------------------------------

test: lint test-native test-wasm test-browser fuzz ## every test: native with -race, core under wasm, browser in Chromium
	@echo "make test: all passed"

test-native: build ## native tests with the race detector
	$(GO) test -race -count=1 -timeout 10m $$($(GO) list ./... | grep -v /browsertest)

test-wasm: ## core, worker, app, fetch and site tests again under GOOS=js GOARCH=wasm in Node
	@command -v node >/dev/null || { echo "Node.js is missing; the wasm tests run in it: apt-get install -y nodejs (Node 20 or later)"; exit 1; }
	$(WASMPATH) $(WASMENV) $(GO) test -count=1 -timeout 10m ./core/... ./wasm/worker ./wasm/app ./wasm/fetch ./site

test-browser: build chromium ## browser tests: real Chromium against the real server and wasm
	@if [ -d wasm/browsertest ]; then CHROMIUM=$(CHROMIUM) $(GO) test -count=1 -timeout 10m ./wasm/browsertest/; fi

# A count of inputs, not a time: with -fuzztime 5s, Go 1.26's fuzzing
# coordinator can report its own deadline as a failure, with no failing
# input (golang/go#75804, fixed in Go 1.27); seen on a busy machine. 20,000
# inputs take each target 1.5–2.5 s here.
fuzz: ## a short run of every fuzz target
	@for spec in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs grep -H -o '^func Fuzz[A-Za-z0-9_]*' | sed 's/:func /:/'); do \
		file=$${spec%%:*}; name=$${spec##*:}; dir=$$(dirname $$file); \
		echo "fuzz $$dir $$name"; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime 20000x ./$$dir || exit 1; \
	done

chromium: ## make sure Chromium is installed (apt-get where missing)
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing chromium with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing at $(CHROMIUM): install it (sudo apt-get install -y chromium) or set CHROMIUM=/path/to/chromium"; exit 1; \
		fi; \
		test -x "$(CHROMIUM)" || { echo "Chromium is still missing at $(CHROMIUM) after apt-get install chromium: set CHROMIUM=/path/to/chromium"; exit 1; }; \
	fi

lint: generate ## gofmt, and go vet natively and for js/wasm
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(WASMENV) $(GO) vet ./core/... ./wasm/... ./site/...

## ---- bench -------------------------------------------------------------

# Every part runs even when one fails (a claim that a busy machine broke
# still leaves the other figures); make bench fails at the end if any did.
bench: build loadtest ## benchmarks: strategies side by side, recording phases, a wasm worker's garbage collection, the timeline's model and drawing of 10,000 tasks and the report's figures of them in wasm, builds of a task, server load, browser figures
	@failed=""; \
	$(GO) test -run '^$$' -bench 'Steadiness|Drift' -benchtime 1x ./core/bench/steady/ || failed="$$failed steadiness"; \
	$(GO) test -run '^$$' -bench . -benchtime 3x -count 5 ./core/bench/ || failed="$$failed core/bench"; \
	$(GO) test -run '^$$' -bench . -benchtime 1x ./core/bench/claims/ || failed="$$failed claims"; \
	$(GO) test -run '^$$' -bench 'Recorder|WorkPhases' -count 5 ./core/strategy/ || failed="$$failed recorder"; \
	$(GO) test -run '^$$' -bench 'PhaseShare' -benchtime 1x ./core/strategy/ || failed="$$failed phase-share"; \
	$(WASMPATH) $(WASMENV) $(GO) test -run '^$$' -bench 'GCPercent' -benchtime 1x $(WASMGCFLAGS) ./wasm/worker/ || failed="$$failed gc-percent"; \
	$(WASMPATH) $(WASMENV) $(GO) test -run '^$$' -bench 'Draw10k' -count 3 $(WASMGCFLAGS) ./site/timeline/ || failed="$$failed draw10k"; \
	$(WASMPATH) $(WASMENV) $(GO) test -run '^$$' -bench 'Finish' -count 3 $(WASMGCFLAGS) ./core/report/ || failed="$$failed finish"; \
	$(GO) test -run '^$$' -bench 'Build' -benchtime 10x -count 3 ./server/build/ || failed="$$failed build"; \
	$(MAKE) --no-print-directory bench-browser || failed="$$failed browser"; \
	if [ -n "$$failed" ]; then echo "make bench: these failed:$$failed"; exit 1; fi

bench-browser: build chromium ## browser figures: load times and bytes, first visits in fresh profiles (speedups, idle lanes, the main thread), every demo's claim, frames of 10,000 tasks
	$(GO) test -run '^$$' -bench 'Steadiness|Drift' -benchtime 1x ./core/bench/steady/
	CHROMIUM=$(CHROMIUM) $(GO) test -run '^$$' -bench 'Browser|FirstVisit|Claims|ColdVisit|Timeline10k' -benchtime 1x -count 1 -timeout 30m ./wasm/browsertest/

loadtest: ## the server under load on loopback: built-in target and fetch proxy, flat out and at a fixed rate
	$(GO) run ./server/loadtest -duration 3s

clean: ## remove what the build made
	rm -rf bin $(DIST)

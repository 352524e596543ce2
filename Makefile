# Developer and CI entry points. `make test` is the project's test command.

GO                  ?= go
TEST_TIMEOUT        ?= 8m
STATICCHECK_VERSION := v0.8.2
# staticcheck is installed per version inside the repository, so the pin always holds.
STATICCHECK         := $(CURDIR)/.cache/tools/staticcheck-$(STATICCHECK_VERSION)/staticcheck

.PHONY: servers test lint staticcheck ci bench

# Real servers for the tests (Redis 7.0, Valkey 8, Redis 8, Valkey 9) into .cache/servers; see tools/provision.sh.
servers:
	@bash tools/provision.sh

test: servers
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

# The published benchmark (docs/benchmarks.md and docs/benchmarks.svg), on fresh servers of its own;
# the TairHash module is measured only when TAIRHASH_ADDR (or TAIRHASH_MODULE) is set.
# BENCH_FLAGS=-quick for a short check. The client-side allocation benchmarks go in as a table.
bench: servers
	$(GO) test -count=1 -run '^$$' -bench Overhead -benchmem -benchtime=3000x ./exhash/ > .cache/bench-allocs.txt
	$(GO) run ./cmd/exhash-bench $(BENCH_FLAGS) -allocs .cache/bench-allocs.txt -md docs/benchmarks.md -svg docs/benchmarks.svg

# Silent when clean; prints the offending files or findings otherwise.
lint: staticcheck
	@files="$$(gofmt -l .)"; if [ -n "$$files" ]; then echo "gofmt -l: not formatted:"; echo "$$files"; exit 1; fi
	@$(GO) vet ./...
	@$(STATICCHECK) ./...

staticcheck: $(STATICCHECK)

$(STATICCHECK):
	GOBIN=$(dir $@) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

ci:
	@bash .ci/run

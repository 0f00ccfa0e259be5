# The two commands a newcomer types (see README.md):
#   make run   installs missing Debian packages, builds the release binary, runs scenarios/seed
#   make test  installs missing Debian packages, builds release and ASan+UBSan, runs ctest in both
# Other targets are conveniences for developers.

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
GENERATOR := -G Ninja
RELEASE_DIR := build/release
ASAN_DIR := build/asan
IBSIM := $(RELEASE_DIR)/src/cli/ibsim

.PHONY: run test deps release asan test-release test-asan bench format tidy clean

run: deps release
	$(IBSIM) run scenarios/seed

test: deps test-release test-asan

deps:
	@scripts/install-deps

$(RELEASE_DIR)/build.ninja:
	cmake -S . -B $(RELEASE_DIR) $(GENERATOR) -DCMAKE_BUILD_TYPE=Release

# The sanitizer build keeps line tables only (-g1: file:line in reports, ~16% less compile time
# than -g) and skips the benchmarks; CI time is mostly compilation.
$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DIBSIM_SANITIZE=ON -DIBSIM_BUILD_BENCH=OFF

release: $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS)

asan: $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)

test-release: release
	cd $(RELEASE_DIR) && ctest --output-on-failure -j $(JOBS)

test-asan: asan
	cd $(ASAN_DIR) && ctest --output-on-failure -j $(JOBS)

bench: release
	@for b in $(RELEASE_DIR)/bench/*_bench; do echo "== $$b"; $$b; done

format:
	clang-format -i $$(git ls-files --cached --others --exclude-standard '*.h' '*.cc')

tidy: $(RELEASE_DIR)/build.ninja
	scripts/run-clang-tidy $(RELEASE_DIR)

clean:
	rm -rf build

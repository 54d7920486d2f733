# The README's two commands: `make demo` and `make test`. Both install what a fresh Debian
# machine lacks (apt packages, the Python readers used by the interop test) first.

APT_PACKAGES := libopenblas-dev zlib1g-dev pkg-config python3-pip
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: demo test build deps bench clean

demo: deps
	swift build -c release --product ebm-plan
	.build/release/ebm-plan toy --seed 0 --svg out/toy.svg

test: deps
	swift build -c release --build-tests
	swift test -c release --skip-build

build: deps
	swift build -c release

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@python3 -c "import numpy, safetensors" 2>/dev/null || python3 -m pip install -q numpy safetensors

clean:
	rm -rf .build out

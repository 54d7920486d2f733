# The README's two commands: `make demo` and `make test`. Both install what a fresh Debian
# machine lacks (apt packages, the Python readers used by the interop test) first.

APT_PACKAGES := libopenblas-dev zlib1g-dev pkg-config python3-pip
# Only the optional OpenGL viewer (`make viewer`) needs these.
GUI_PACKAGES := libglfw3-dev libgl1-mesa-dev xvfb xauth
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: demo test build deps gui-deps viewer viewer-test bench clean

demo: deps
	swift build -c release --product ebm-plan
	.build/release/ebm-plan --env particle --start -0.6,-0.5 --goal 0.5,0.4 --obstacle -0.2,-0.3,0.1,0.1 \
		--svg out/plan-particle.svg --png out/plan-particle.png

test: deps
	swift build -c release --build-tests
	swift test -c release --skip-build --disable-xctest

build: deps
	swift build -c release

# ebm-bench next to the PyTorch/JAX peers (when ~/.venvs/peers exists), one core, ratios in
# one table; then ours on two cores (scripts/bench.sh, issue 8).
bench: deps
	scripts/bench.sh

# Installs the listed Debian packages that are missing (apt-get update only when needed).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps:
	$(call apt_install,$(APT_PACKAGES))
	@python3 -c "import numpy, safetensors" 2>/dev/null || python3 -m pip install -q numpy safetensors

gui-deps: deps
	$(call apt_install,$(GUI_PACKAGES))

# ebm-plan and ebm-view with the GUI trait: run .build-gui/release/ebm-plan view …
viewer: gui-deps
	swift build -c release --traits GUI --scratch-path .build-gui --product ebm-view
	swift build -c release --traits GUI --scratch-path .build-gui --product ebm-plan

viewer-test: gui-deps
	bash scripts/viewer-screenshot-test.sh

clean:
	rm -rf .build out

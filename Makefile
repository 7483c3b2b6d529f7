# Fix/check pairs in the manner of Kubernetes' hack/update-* and hack/verify-*.
.PHONY: fmt verify test bench

JAVA_HOME ?= $(shell ./capstan jdk)
export JAVA_HOME

fmt:     ## format all Java sources
	./mvnw -B -q spotless:apply

verify:  ## the full build with every test and the format check, as CI runs it
	./capstan test

test:    ## unit tests only
	./mvnw -B test -Dspotless.check.skip=true

bench:   ## the store benchmarks; figures go to docs/benchmarks.md
	./capstan bench

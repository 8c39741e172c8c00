# tests/fuzz/sources.mk: which product sources each fuzz target compiles
# natively next to itself, as <target>_SRCS.

# tests/unit/sources.mk: which product sources each unit test compiles
# natively next to itself, as <test>_SRCS (the same files the product uses).

# tests/unit/sources.mk: which product sources each unit test compiles
# natively next to itself, as <test>_SRCS (the same files the product uses).
gmem_test_SRCS := host/rules/gmem.c
launch_args_test_SRCS := host/rules/launch_args.c host/rules/errmsg.c
loader_test_SRCS := host/rules/loader.c host/rules/elf32.c host/rules/gmem.c host/rules/errmsg.c
loader_elf_test_SRCS := host/rules/loader.c host/rules/elf32.c host/rules/gmem.c host/rules/errmsg.c
check_test_SRCS := host/rules/check.c host/rules/gmem.c host/rules/errmsg.c
check_dma_test_SRCS := host/rules/check.c host/rules/gmem.c host/rules/errmsg.c
dma_copy_test_SRCS := host/rules/dma_copy.c host/rules/gmem.c
hcall_ring_test_SRCS := host/rules/hcall_ring.c host/rules/gmem.c host/rules/errmsg.c
pattern_test_SRCS := lib/pattern.c
stats_test_SRCS := lib/stats.c
bootcmd_test_SRCS := lib/bootcmd.c
netargs_test_SRCS := lib/netargs.c lib/netaddr.c
blkseg_test_SRCS := lib/blkseg.c
blk_request_test_SRCS := host/rules/blk_request.c host/rules/check.c host/rules/gmem.c host/rules/errmsg.c
crc32_test_SRCS := lib/crc32.c
net_frame_test_SRCS := host/rules/net_frame.c host/rules/check.c host/rules/gmem.c host/rules/errmsg.c
tunnet_arg_test_SRCS := host/rules/tunnet_arg.c host/rules/errmsg.c
logfmt_test_SRCS := host/arch/logfmt.c
NET_STACK_SRCS := lib/netstack.c lib/arp.c lib/ipv4.c lib/icmp.c lib/udp.c \
	lib/inet_csum.c
net_csum_test_SRCS := lib/inet_csum.c
net_addr_test_SRCS := lib/netaddr.c lib/netcfg.c
net_peer_test_SRCS := lib/netpeer.c
net_eth_test_SRCS := $(NET_STACK_SRCS)
net_arp_test_SRCS := $(NET_STACK_SRCS)
net_ipv4_test_SRCS := $(NET_STACK_SRCS)
net_icmp_test_SRCS := $(NET_STACK_SRCS)
net_udp_test_SRCS := $(NET_STACK_SRCS)
exit_names_test_SRCS := host/rules/exit_names.c
flight_test_SRCS := host/core/flight.c host/rules/exit_names.c
console_escape_test_SRCS := host/rules/console_escape.c
printable_test_SRCS := host/rules/printable.c
inject_args_test_SRCS := host/rules/inject_args.c host/rules/errmsg.c host/rules/printable.c
muldiv_test_SRCS := lib/muldiv.c

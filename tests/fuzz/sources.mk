# tests/fuzz/sources.mk: which product sources each fuzz target compiles
# natively next to itself, as <target>_SRCS.
fuzz_launch_args_SRCS := host/rules/launch_args.c host/rules/errmsg.c
fuzz_elf_loader_SRCS := host/rules/loader.c host/rules/elf32.c host/rules/gmem.c host/rules/errmsg.c
fuzz_dma_list_SRCS := host/rules/check.c host/rules/dma_copy.c host/rules/gmem.c host/rules/errmsg.c
fuzz_hcall_ring_SRCS := host/rules/hcall_ring.c host/rules/gmem.c host/rules/errmsg.c
fuzz_blk_request_SRCS := host/rules/blk_request.c host/rules/check.c host/rules/gmem.c host/rules/errmsg.c
fuzz_net_frame_SRCS := host/rules/net_frame.c host/rules/check.c host/rules/gmem.c host/rules/errmsg.c
fuzz_tunnet_arg_SRCS := host/rules/tunnet_arg.c host/rules/errmsg.c
fuzz_netstack_SRCS := lib/netstack.c lib/arp.c lib/ipv4.c lib/icmp.c lib/udp.c lib/inet_csum.c
fuzz_inject_args_SRCS := host/rules/inject_args.c host/rules/errmsg.c host/rules/printable.c

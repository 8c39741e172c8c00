# tests/fuzz/sources.mk: which product sources each fuzz target compiles
# natively next to itself, as <target>_SRCS.
fuzz_launch_args_SRCS := host/launch_args.c host/errmsg.c
fuzz_elf_loader_SRCS := host/loader.c host/elf32.c host/gmem.c host/errmsg.c
fuzz_dma_list_SRCS := host/check.c host/dma_copy.c host/gmem.c host/errmsg.c
fuzz_hcall_ring_SRCS := host/hcall_ring.c host/gmem.c host/errmsg.c
fuzz_blk_request_SRCS := host/blk_request.c host/check.c host/gmem.c host/errmsg.c
fuzz_net_frame_SRCS := host/net_frame.c host/check.c host/gmem.c host/errmsg.c
fuzz_tunnet_arg_SRCS := host/tunnet_arg.c host/errmsg.c
fuzz_netstack_SRCS := lib/netstack.c lib/arp.c lib/ipv4.c lib/icmp.c lib/udp.c lib/inet_csum.c

/*
 * include/lguest/launcher.h: the I/O half of the lguest ABI, as shipped in
 * Linux 2.6.23. DMA descriptors and keys, the device descriptor page, the
 * per-device page layouts (block, network), the /dev/lguest request codes
 * and the few Launcher constants a guest can observe. See docs/abi.md
 * §6-§9 and §10.
 *
 * Hypercall numbers and struct lguest_data are in lguest.h; the zero page
 * is in bootparam.h. Self-contained (<stdint.h>, <stddef.h>) and usable
 * from assembly: C-only parts sit under __ASSEMBLER__.
 */
#ifndef LGUEST_LAUNCHER_H
#define LGUEST_LAUNCHER_H

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>
#endif

/* DMA (docs/abi.md §6). */
#define LGUEST_MAX_DMA 32             /* bindings per guest */
#define LGUEST_MAX_DMA_SECTIONS 16    /* sections per struct lguest_dma */
#define LGUEST_DMA_KEY_ALIGN 4        /* keys are multiples of this */
#define LGUEST_DMA_MAX_SECTION_LEN 4096 /* guest-to-guest: <= 4096 and no
					 * 4 KiB page crossing */
#define LGUEST_DMA_SIZEOF 100

/* The device descriptor page (docs/abi.md §7). */
#define LGUEST_MAX_DEVICES 16         /* descriptors in the page */
#define LGUEST_DEVICE_DESC_SIZEOF 12
#define LGUEST_DEVICE_IRQ(index) ((index) + 1) /* device i uses IRQ i+1 */

#define LGUEST_DEVICE_T_EMPTY 0       /* free descriptor slot */
#define LGUEST_DEVICE_T_CONSOLE 1
#define LGUEST_DEVICE_T_NET 2
#define LGUEST_DEVICE_T_BLOCK 3

#define LGUEST_DEVICE_F_RANDOMNESS 0x8000 /* IRQ timing may seed entropy */

#define LGUEST_DEVICE_S_ACKNOWLEDGE 1 /* guest saw the device */
#define LGUEST_DEVICE_S_DRIVER 2      /* a driver matched */
#define LGUEST_DEVICE_S_DRIVER_OK 4   /* the driver's probe succeeded */
#define LGUEST_DEVICE_S_REMOVED 8     /* defined, unused in 2.6.23 */
#define LGUEST_DEVICE_S_REMOVED_ACK 16 /* defined, unused in 2.6.23 */
#define LGUEST_DEVICE_S_FAILED 128    /* setup failed */

/* Console (docs/abi.md §8.1): no device pages, so its key is address 0. */
#define LGUEST_CONSOLE_DMA_KEY 0
#define LGUEST_CONSOLE_IN_BUF_SIZE 256 /* the one bound input buffer */
#define LGUEST_CONSOLE_OUT_MAX 256     /* largest output chunk */

/* Block (docs/abi.md §8.2). */
#define LGUEST_BLOCK_SECTOR_SIZE 512
#define LGUEST_BLOCK_TYPE_READ 0
#define LGUEST_BLOCK_TYPE_WRITE 1
#define LGUEST_BLOCK_RESULT_PENDING 0 /* guest: request not done */
#define LGUEST_BLOCK_RESULT_OK 1      /* launcher: whole request done */
#define LGUEST_BLOCK_RESULT_ERROR 2   /* launcher: short transfer */
#define LGUEST_BLOCK_MAX_SEGMENTS 16  /* segments per request */
#define LGUEST_BLOCK_MAX_BYTES 65536  /* 16 segments of at most 4 KiB */
#define LGUEST_BLOCK_PAGE_SIZEOF 20

/* Network (docs/abi.md §8.3). */
#define LGUEST_NET_F_NOCSUM 0x4000     /* shared LAN: no checksums */
#define LGUEST_NET_F_SLOT_MASK 0xFFF   /* features & this = our slot */
#define LGUEST_NET_SLOTS_PER_PAGE 682  /* 4096 / 6 */
#define LGUEST_NET_KEY_STRIDE 4        /* slot s key = page + 4 * s */
#define LGUEST_NET_SLOT_KEY(page_gpa, slot) \
	((page_gpa) + LGUEST_NET_KEY_STRIDE * (slot))
#define LGUEST_NET_PROMISC 0x01        /* in mac[0]: send me everything */
#define LGUEST_NET_MAC0 0x02           /* MAC is 02:00:id_lo:id_hi:00:00 */
#define LGUEST_NET_HDR_LEN 14          /* Ethernet header */
#define LGUEST_NET_MTU 1500
#define LGUEST_NET_BUF_SIZE 1514       /* one receive buffer: 14 + 1500 */
#define NUM_SKBS 8                     /* receive buffers per guest */
#define NET_PEERNUM 1                  /* tun net: guest slot */
#define LGUEST_NET_LAUNCHER_SLOT 0     /* tun net: the Launcher's slot */
#define LGUEST_NET_SIZEOF 6

/* /dev/lguest requests, each the first 32-bit word written (§9.1). */
#define LHREQ_INITIALIZE 0 /* + pfnlimit, pgdir, start, page_offset */
#define LHREQ_GETDMA 1     /* + key */
#define LHREQ_IRQ 2        /* + irq */
#define LHREQ_BREAK 3      /* + 1 (break) or 0 (release) */

/* Launcher constants a guest can observe (docs/abi.md §1.5, §8.1, §9.3). */
#define LGUEST_LAUNCHER_PAGE_FLAGS 0x7          /* initial PDE/PTE: P|RW|U */
#define LGUEST_LAUNCHER_LINK_OFFSET 0x08000000  /* link = PAGE_OFFSET - this */
#define LGUEST_LAUNCHER_DISCARD_SIZE 1024       /* unwanted input sink */

#ifndef __ASSEMBLER__

/* One DMA descriptor: up to 16 guest-physical sections, 0-length ends. */
struct lguest_dma {
	uint32_t used_len;                      /* guest sets 0; host or
						 * launcher: bytes moved */
	uint32_t addr[LGUEST_MAX_DMA_SECTIONS]; /* guest: section gpas */
	uint16_t len[LGUEST_MAX_DMA_SECTIONS];  /* guest: section lengths */
};
_Static_assert(sizeof(struct lguest_dma) == 100, "lguest abi: lguest_dma");
_Static_assert(offsetof(struct lguest_dma, used_len) == 0,
	       "lguest abi: lguest_dma.used_len");
_Static_assert(offsetof(struct lguest_dma, addr) == 4,
	       "lguest abi: lguest_dma.addr");
_Static_assert(offsetof(struct lguest_dma, len) == 68,
	       "lguest abi: lguest_dma.len");
_Static_assert(LGUEST_DMA_SIZEOF == sizeof(struct lguest_dma), "size macro");

/* One entry of the device page at guest-physical "mem" (top of RAM). */
struct lguest_device_desc {
	uint16_t type;      /* launcher: LGUEST_DEVICE_T_* */
	uint16_t features;  /* launcher: LGUEST_DEVICE_F_*, net: slot too */
	uint16_t status;    /* guest: LGUEST_DEVICE_S_*, bits only set */
	uint16_t num_pages; /* launcher: pages of device memory */
	uint32_t pfn;       /* launcher: first device page number, 0 = none */
};
_Static_assert(sizeof(struct lguest_device_desc) == 12,
	       "lguest abi: lguest_device_desc");
_Static_assert(offsetof(struct lguest_device_desc, type) == 0,
	       "lguest abi: lguest_device_desc.type");
_Static_assert(offsetof(struct lguest_device_desc, features) == 2,
	       "lguest abi: lguest_device_desc.features");
_Static_assert(offsetof(struct lguest_device_desc, status) == 4,
	       "lguest abi: lguest_device_desc.status");
_Static_assert(offsetof(struct lguest_device_desc, num_pages) == 6,
	       "lguest abi: lguest_device_desc.num_pages");
_Static_assert(offsetof(struct lguest_device_desc, pfn) == 8,
	       "lguest abi: lguest_device_desc.pfn");
_Static_assert(LGUEST_DEVICE_DESC_SIZEOF == sizeof(struct lguest_device_desc),
	       "size macro");
_Static_assert(LGUEST_MAX_DEVICES * LGUEST_DEVICE_DESC_SIZEOF <= 4096,
	       "descriptors fit in one page");

/* The start of a block device's page: one request at a time. */
struct lguest_block_page {
	int32_t type;         /* guest: LGUEST_BLOCK_TYPE_READ or _WRITE */
	uint32_t sector;      /* guest: first sector (512 bytes each) */
	uint32_t bytes;       /* guest: request length in bytes */
	int32_t result;       /* guest sets 0; launcher: 1 ok, 2 error */
	uint32_t num_sectors; /* launcher (at start-up): disk size */
};
_Static_assert(sizeof(struct lguest_block_page) == 20,
	       "lguest abi: lguest_block_page");
_Static_assert(offsetof(struct lguest_block_page, type) == 0,
	       "lguest abi: lguest_block_page.type");
_Static_assert(offsetof(struct lguest_block_page, sector) == 4,
	       "lguest abi: lguest_block_page.sector");
_Static_assert(offsetof(struct lguest_block_page, bytes) == 8,
	       "lguest abi: lguest_block_page.bytes");
_Static_assert(offsetof(struct lguest_block_page, result) == 12,
	       "lguest abi: lguest_block_page.result");
_Static_assert(offsetof(struct lguest_block_page, num_sectors) == 16,
	       "lguest abi: lguest_block_page.num_sectors");
_Static_assert(LGUEST_BLOCK_PAGE_SIZEOF == sizeof(struct lguest_block_page),
	       "size macro");

/* One slot of a network page; the page is an array of these. */
struct lguest_net {
	uint8_t mac[6]; /* guest (launcher for tun slot 0): MAC, 0 = unused,
			 * mac[0] & LGUEST_NET_PROMISC = wants all frames */
};
_Static_assert(sizeof(struct lguest_net) == 6, "lguest abi: lguest_net");
_Static_assert(offsetof(struct lguest_net, mac) == 0,
	       "lguest abi: lguest_net.mac");
_Static_assert(LGUEST_NET_SIZEOF == sizeof(struct lguest_net), "size macro");
_Static_assert(LGUEST_NET_SLOTS_PER_PAGE == 4096 / sizeof(struct lguest_net),
	       "slots per page");
_Static_assert(LGUEST_MAX_DEVICES == LGUEST_MAX_DMA / 2, "device limit");
_Static_assert(LGUEST_NET_BUF_SIZE == LGUEST_NET_HDR_LEN + LGUEST_NET_MTU,
	       "net buffer");
_Static_assert(LGUEST_BLOCK_MAX_BYTES == LGUEST_BLOCK_MAX_SEGMENTS * 4096,
	       "block request limit");

#endif /* !__ASSEMBLER__ */

#endif /* LGUEST_LAUNCHER_H */

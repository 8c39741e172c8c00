/*
 * host/prof/blkbench.h: the native block benchmark. The host drives one
 * virtio-blk disk itself, with no guest and no lguest ABI in the way, so
 * its figures are the floor any guest's block I/O can reach on this QEMU.
 */
#ifndef LGREF_HOST_BLKBENCH_H
#define LGREF_HOST_BLKBENCH_H

/*
 * Run every case on virtio-blk disk `disk` (PCI order) and print one line
 * per case on the diagnostic channel:
 *   NATIVE case=<name> size=<bytes> ops=<n> ops_s=<x> mb_s=<x>
 *          p50_us=<x> p99_us=<x>
 * Case names match the guest benchmark's "BENCH case=" lines: seq_read,
 * seq_write (64 KiB), rand_read_4k, rand_write_4k, sweep_read_<size> and
 * sweep_write_<size> (512 B .. 64 KiB), plus rand_read_4k_irq (completion
 * by interrupt instead of polling, for docs/host-design.md). Writes carry
 * a pattern of sector number and seed that every read checks; a mismatch
 * or a device error prints "NATIVE case=<name> error=..." instead of
 * figures. Writes stay within the first 32 MiB of that disk.
 */
void blkbench_run(unsigned disk);

#endif

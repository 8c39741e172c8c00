"""tools/lglaunch/status.py: tools/lguest's exit statuses, in one place.

The table is documented in `tools/lguest --help` and the README. QEMU's
exit code carries the host's isa-debug-exit value as (value << 1) | 1
(host/arch/qemu_exit.h); QEMU_STATUS maps the values the host writes.
"""

POWERED_OFF = 0     # every guest powered off
GUEST_FAILED = 1    # a guest crashed, was killed or failed to load
BAD_INPUT = 2       # bad command line or file, found before QEMU started
HOST_PANIC = 3      # the host panicked (a host bug)
QEMU_FAILED = 4     # QEMU could not run, or ended without a host status
SIGNALLED = 128     # + N: ended by signal N, passed on to QEMU

# QEMU exit code -> ours.
QEMU_STATUS = {
    33: POWERED_OFF,    # 0x10 every guest said "Power down"
    35: GUEST_FAILED,   # 0x11 some guest crashed
    37: GUEST_FAILED,   # 0x12 some guest was killed for breaking the ABI
    39: HOST_PANIC,     # 0x13 host panic
    41: GUEST_FAILED,   # 0x14 some guest failed to load
}


class LaunchError(Exception):
    """One line for standard error, and the exit status."""

    def __init__(self, message, status=BAD_INPUT):
        super().__init__(message)
        self.status = status

"""scripts/qemu_io.py: talking to a guest's console in a running QEMU.

Shared by scripts/bench.py and scripts/blkbench.py, which start QEMU with
the console on a pipe, wait for lines, then power the guest off.
"""


def read_until(proc, marker, out=b""):
    """Read proc.stdout until `marker` has appeared (or QEMU closed it);
    return everything read so far, `out` included."""
    while marker not in out:
        chunk = proc.stdout.read1(4096)
        if not chunk:
            break
        out += chunk
    return out


def power_off(proc, out, timeout):
    """Type `poweroff` at the prompt, read to the end, wait for QEMU."""
    proc.stdin.write(b"poweroff\r")
    proc.stdin.flush()
    out += proc.stdout.read()
    proc.wait(timeout=timeout)
    return out

"""scripts/qemu_io.py: talking to a guest's console in a running QEMU.

Shared by the scripts that start QEMU with the console on a pipe, wait
for lines, then power the guest off, and by those that read a log QEMU is
still writing.
"""


def complete_lines(text):
    """The part of a growing log that is whole lines: everything up to and
    including the last newline. QEMU writes a serial port a byte at a
    time, so the last line of a log read while it runs (or after a
    SIGKILL) may be cut short: "fnv=67" where the host was printing
    "fnv=671c255c". Parse only what this returns."""
    return text[:text.rfind("\n") + 1]


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

"""tools/lglaunch/run.py: running QEMU for tools/lguest, and what its end
means.

Three things a plain subprocess.call() got wrong:
  - Signals. SIGTERM, SIGHUP and SIGINT to tools/lguest are passed on to
    QEMU, and tools/lguest waits for it before leaving with 128 + N, so no
    QEMU outlives it holding the disk image's lock or a forwarded port. A
    second signal while QEMU is still going sends SIGKILL. QEMU is also
    started with PR_SET_PDEATHSIG = SIGTERM, so a SIGKILLed launcher takes
    its QEMU along. Signals ignored when we started (nohup) stay ignored.
  - The host log. QEMU opens COM2's file by its path, so "file:/dev/stderr"
    reopened our standard error: it truncated `2>>log`, wrote over the
    console with `>log 2>&1` and failed on a socket. Instead QEMU writes
    into a pipe (/dev/fd/N) and a thread copies it to our descriptor 2,
    whole lines at a time, drained before we exit. --diag=FILE still
    gives QEMU the file itself.
  - Statuses: QEMU's exit code becomes ours through status.QEMU_STATUS;
    anything else is QEMU's own failure (status 4), said in one line.
"""
import ctypes
import os
import select
import signal
import subprocess
import threading

from . import status
from .status import LaunchError

FORWARDED = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
PR_SET_PDEATHSIG = 1
RELAY_CHUNK = 65536
RELAY_JOIN_SECONDS = 30   # only if a child of QEMU still holds the pipe


def write_all(fd, data):
    """Write all of data to fd; False if fd cannot take it (closed, or a
    reader gone): the caller then drops the output but keeps draining."""
    while data:
        try:
            n = os.write(fd, data)
        except BlockingIOError:
            select.select([], [fd], [])
            continue
        except OSError:
            return False
        data = data[n:]
    return True


class LogRelay:
    """A pipe for QEMU's COM2 and a thread that copies it to fd 2."""

    def __init__(self, target_fd=2):
        self.target = target_fd
        self.r, self.w = os.pipe()
        self.path = f"/dev/fd/{self.w}"   # QEMU opens it: our write end
        self.thread = None

    def start(self):
        """After QEMU has started: drop our write end (so QEMU's exit is
        the end of the pipe) and start copying."""
        os.close(self.w)
        self.thread = threading.Thread(target=self._copy, daemon=True)
        self.thread.start()

    def _copy(self):
        # Whole lines, each in one write(): with `>log 2>&1` the console
        # (written byte by byte by QEMU) and the host log share one file
        # offset, and a host line then never has console bytes inside it.
        pending, alive = b"", True
        while True:
            data = os.read(self.r, RELAY_CHUNK)
            if not data:
                break
            pending += data
            cut = pending.rfind(b"\n") + 1
            if len(pending) > RELAY_CHUNK:
                cut = len(pending)
            if cut and alive:
                alive = write_all(self.target, pending[:cut])
            if cut:
                pending = pending[cut:]
        if pending and alive:
            write_all(self.target, pending)
        os.close(self.r)

    def finish(self):
        """Wait until everything QEMU wrote has been copied."""
        if self.thread:
            self.thread.join(RELAY_JOIN_SECONDS)
        else:
            os.close(self.w)
            os.close(self.r)


class Runner:
    """QEMU as a child that goes when we go."""

    def __init__(self):
        self.proc = None
        self.signals = []        # received while QEMU ran
        self.done = False

    def _on_signal(self, sig, _frame):
        if self.done:
            return
        self.signals.append(sig)
        self._forward()

    def _forward(self):
        proc = self.proc
        if proc is None or proc.returncode is not None or not self.signals:
            return
        sig = self.signals[0] if len(self.signals) == 1 else signal.SIGKILL
        try:
            os.kill(proc.pid, sig)
        except ProcessLookupError:
            pass

    def run(self, cmd, pass_fds=(), relay=None):
        """Run cmd to its end; return tools/lguest's exit status."""
        libc = ctypes.CDLL(None, use_errno=True)
        parent = os.getpid()

        def in_child():
            # Our death (even by SIGKILL) sends QEMU SIGTERM. If we died
            # before this line ran, there is nobody to wait for QEMU.
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
            if os.getppid() != parent:
                os._exit(status.QEMU_FAILED)

        old = {}
        for sig in FORWARDED:
            if signal.getsignal(sig) != signal.SIG_IGN:
                old[sig] = signal.signal(sig, self._on_signal)
        try:
            if self.signals:
                return status.SIGNALLED + self.signals[0]
            try:
                self.proc = subprocess.Popen(cmd, pass_fds=pass_fds,
                                             preexec_fn=in_child)
            except (FileNotFoundError, PermissionError) as e:
                raise LaunchError(
                    f"lguest: {cmd[0]}: {e.strerror.lower()} (install "
                    "QEMU: make deps, or apt-get install qemu-system-x86; "
                    "or give --qemu PROGRAM)", status.QEMU_FAILED) from None
            if relay:
                relay.start()
            self._forward()          # a signal during Popen
            code = self.proc.wait()
            self.done = True
        finally:
            if relay:
                relay.finish()
            for sig, handler in old.items():
                signal.signal(sig, handler)
        return self.status(code, cmd[0])

    def status(self, code, qemu):
        if self.signals:
            return status.SIGNALLED + self.signals[0]
        if code in status.QEMU_STATUS:
            return status.QEMU_STATUS[code]
        if code < 0:
            why = f"was killed by signal {-code}"
        elif code == 0:
            why = ("exited without a status from the host (the machine "
                   "reset, or QEMU was stopped from outside)")
        else:
            why = (f"failed with exit status {code} before the host gave a "
                   "status (its message, if any, is above)")
        raise LaunchError(f"lguest: {qemu} {why}", status.QEMU_FAILED)

/*
 * lib/syscalls.c: the system calls newlib's libc.a expects (with their
 * underscore names), for a kernel with one console and no files. fd 0 reads
 * the console, fds 1 and 2 write it; the heap is the region kernel/heap.c
 * set aside; _exit powers off. The host's glue is host/libc_glue.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

#include <unistd.h>

#include "kapi.h"
#include "syscalls.h"

static char *syscalls_brk; /* current break, NULL until first use */

void *_sbrk(ptrdiff_t increment)
{
	void *start, *end;

	heap_region(&start, &end);
	if (!syscalls_brk)
		syscalls_brk = start;
	if (!start || increment > (char *)end - syscalls_brk ||
	    increment < (char *)start - syscalls_brk) {
		errno = ENOMEM;
		return (void *)-1;
	}
	void *old = syscalls_brk;
	syscalls_brk += increment;
	return old;
}

int _write(int fd, const void *buf, size_t len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, len);
	return (int)len;
}

int _read(int fd, void *buf, size_t len)
{
	if (fd != 0) {
		errno = EBADF;
		return -1;
	}
	return (int)console_read(buf, len);
}

int _close(int fd)
{
	(void)fd;
	errno = EBADF;
	return -1;
}

int _open(const char *path, int flags, ...)
{
	(void)path, (void)flags;
	errno = ENOENT;
	return -1;
}

int _lseek(int fd, int offset, int whence)
{
	(void)fd, (void)offset, (void)whence;
	errno = ESPIPE;
	return -1;
}

int _fstat(int fd, struct stat *st)
{
	if (fd < 0 || fd > 2) {
		errno = EBADF;
		return -1;
	}
	st->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd)
{
	return fd >= 0 && fd <= 2;
}

int _getpid(void)
{
	return 1;
}

int _kill(int pid, int sig)
{
	(void)pid, (void)sig;
	errno = EINVAL;
	return -1;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
	uint32_t sec, nsec;

	(void)tz;
	clock_wall(&sec, &nsec);
	tv->tv_sec = sec;
	tv->tv_usec = nsec / 1000;
	return 0;
}

/* All time since boot counts as "user" time; CLOCKS_PER_SEC ticks. */
clock_t _times(struct tms *buf)
{
	clock_t now = (clock_t)(clock_now_ns() / (1000000000u / CLOCKS_PER_SEC));

	buf->tms_utime = now;
	buf->tms_stime = 0;
	buf->tms_cutime = 0;
	buf->tms_cstime = 0;
	return now;
}

void _exit(int status)
{
	char msg[32];

	if (status == 0)
		poweroff();
	snprintf(msg, sizeof(msg), "exit status %d", status);
	lguest_crash(msg);
}

/* The POSIX names: this newlib build (no supplied syscalls) leaves them
 * out, but parts of libc.a and our program call them. */
_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
	return _read(fd, buf, len);
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
	return _write(fd, buf, len);
}

/*
 * host/arch/libc_glue.c: the few system calls newlib's libc.a wants from the
 * host. The host formats text with vsnprintf only; it never opens files or
 * reads stdin, so everything but a small fixed heap fails with ENOSYS-like
 * results. The guest's glue is a different file (lib/syscalls.c) because
 * the guest talks to hardware only through hypercalls.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "arch/log.h"
#include "arch/qemu_exit.h"
#include "arch/serial.h"

/* newlib may allocate a little (e.g. for locale data); give it 64 KiB. */
static uint8_t host_heap[64 * 1024] __attribute__((aligned(16)));
static size_t host_heap_used;

void *_sbrk(ptrdiff_t increment)
{
	if (increment < 0 || (size_t)increment > sizeof(host_heap) - host_heap_used) {
		errno = ENOMEM;
		return (void *)-1;
	}
	void *old = &host_heap[host_heap_used];
	host_heap_used += (size_t)increment;
	return old;
}

int _write(int fd, const void *buf, size_t len)
{
	(void)fd;
	serial_write(SERIAL_COM1, buf, len);
	return (int)len;
}

int _read(int fd, void *buf, size_t len)
{
	(void)fd, (void)buf, (void)len;
	return 0;
}

int _close(int fd)
{
	(void)fd;
	return -1;
}

int _lseek(int fd, int offset, int whence)
{
	(void)fd, (void)offset, (void)whence;
	return -1;
}

int _fstat(int fd, struct stat *st)
{
	(void)fd;
	st->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd)
{
	(void)fd;
	return 1;
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

void _exit(int status)
{
	HOST_PANIC("libc called _exit(%d)", status);
}

/*
 * lib/newlib_compat.c: fills holes in the newlib that
 * scripts/build-newlib.sh builds, so that ordinary stdio works.
 *
 * newlib is compiled with the build machine's `gcc -m32`, which defines
 * __linux__, so newlib's <sys/config.h> switches on __LARGE64_FILES: the
 * standard streams then call __swrite64 and __sseek64, which live in the
 * stdio64 directory that newlib builds only for real Linux targets. And
 * --disable-newlib-supplied-syscalls also leaves out the POSIX names
 * read() and write(). The 32-bit versions below are all a console needs.
 * (A newlib configured for a non-Linux target would make this file moot.)
 */
#include <stdio.h>
#include <sys/reent.h>
#include <unistd.h>

#include "syscalls.h"

/* libc.a's 32-bit stream functions (newlib's private stdio/local.h). */
_READ_WRITE_RETURN_TYPE __swrite(struct _reent *ptr, void *cookie,
				 const char *buf, _READ_WRITE_BUFSIZE_TYPE n);
_fpos_t __sseek(struct _reent *ptr, void *cookie, _fpos_t offset, int whence);

/* What stdio64 would have supplied; our files are all 32-bit. */
_READ_WRITE_RETURN_TYPE __swrite64(struct _reent *ptr, void *cookie,
				   const char *buf, _READ_WRITE_BUFSIZE_TYPE n);
_fpos64_t __sseek64(struct _reent *ptr, void *cookie, _fpos64_t offset,
		    int whence);

_READ_WRITE_RETURN_TYPE __swrite64(struct _reent *ptr, void *cookie,
				   const char *buf, _READ_WRITE_BUFSIZE_TYPE n)
{
	return __swrite(ptr, cookie, buf, n);
}

_fpos64_t __sseek64(struct _reent *ptr, void *cookie, _fpos64_t offset,
		    int whence)
{
	return __sseek(ptr, cookie, (_fpos_t)offset, whence);
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
	return _read(fd, buf, len);
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
	return _write(fd, buf, len);
}

/*
 * lib/syscalls.h: the underscore system calls of lib/syscalls.c, as newlib
 * calls them (its own headers declare them only while building newlib).
 */
#ifndef LGREF_LIB_SYSCALLS_H
#define LGREF_LIB_SYSCALLS_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>

void *_sbrk(ptrdiff_t increment);
int _write(int fd, const void *buf, size_t len);
int _read(int fd, void *buf, size_t len);
int _close(int fd);
int _open(const char *path, int flags, ...);
int _lseek(int fd, int offset, int whence);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _getpid(void);
int _kill(int pid, int sig);
int _gettimeofday(struct timeval *tv, void *tz);
clock_t _times(struct tms *buf);
__attribute__((noreturn)) void _exit(int status);

#endif

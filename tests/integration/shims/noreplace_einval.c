/* An LD_PRELOAD shim that makes the glibc renameat2() wrapper fail with
 * EINVAL whenever RENAME_NOREPLACE is asked for, as NFS, several FUSE
 * filesystems and older kernels do. Every call is counted: one line per call
 * is appended to the file named by $NOREPLACE_SHIM_LOG, so a test can prove
 * the shim was hit. Other renameat2 calls go to the real function.
 * Built by tests/integration/opsfiles_noreplace_einval.sh with cc. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

typedef int (*renameat2_fn)(int, const char*, int, const char*, unsigned int);

static void count_call(unsigned int flags) {
  const char* log = getenv("NOREPLACE_SHIM_LOG");
  if (!log || !*log) return;
  int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const char* line = (flags & RENAME_NOREPLACE) ? "noreplace\n" : "other\n";
  ssize_t ignored = write(fd, line, strlen(line));
  (void)ignored;
  close(fd);
}

int renameat2(int olddirfd, const char* oldpath, int newdirfd, const char* newpath, unsigned int flags) {
  int saved = errno;
  count_call(flags);
  errno = saved;
  if (flags & RENAME_NOREPLACE) {
    errno = EINVAL;
    return -1;
  }
  renameat2_fn real = (renameat2_fn)dlsym(RTLD_NEXT, "renameat2");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  return real(olddirfd, oldpath, newdirfd, newpath, flags);
}

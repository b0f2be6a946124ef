/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* blob_write_file: atomic, and a failed write leaves the old blob and no
 * temporary file; blob_load_file; blob_check_fresh. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/blob_read.h"
#include "common/input_hash.h"
#include "compiler/blob_write.h"
#include "tests/blob/blob_test.h"
#include "tests/tap.h"

static char tmpdir[] = "/tmp/cdn-blob-write-XXXXXX";

static void put_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "we");
	if (!f)
		abort();
	fputs(s, f);
	fclose(f);
}

/* Names in dir starting with '.' other than "." and "..": leftover temporaries. */
static unsigned count_hidden(const char *dir)
{
	DIR *d = opendir(dir);
	unsigned n = 0;
	if (!d)
		return 0;
	for (struct dirent *de; (de = readdir(d));)
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static bool same_file(const char *path, const void *want, size_t len)
{
	size_t got_len;
	char *got = bt_read_file(path, &got_len);
	bool same = got && got_len == len && memcmp(got, want, len) == 0;
	free(got);
	return same;
}

static void test_write(const struct cdn_policy *rich, const struct cdn_policy *small)
{
	char path[512], want[4096];
	struct cdn_error err = CDN_ERROR_INIT;
	uint8_t *rb, *sb;
	size_t rlen, slen;

	bt_serialize(rich, &rb, &rlen);
	bt_serialize(small, &sb, &slen);
	snprintf(path, sizeof(path), "%s/web.blob", tmpdir);
	is_int(blob_write_file(rich, path, &err), 0, "blob_write_file writes a new blob");
	ok(same_file(path, rb, rlen), "the file holds exactly the serialised bytes");
	struct stat st;
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644, "the blob is mode 0644");
	is_int(count_hidden(tmpdir), 0, "no temporary file is left behind");
	is_int(blob_write_file(small, path, &err), 0, "blob_write_file replaces a blob");
	ok(same_file(path, sb, slen), "the replaced file holds the new bytes");

	struct cdn_policy back;
	is_int(blob_load_file(path, &back, &err), 0, "blob_load_file reads it back");
	char *d1 = bt_dump(small), *d2 = bt_dump(&back);
	is_str(d2, d1, "and it dumps as the policy written");
	free(d1);
	free(d2);
	policy_release(&back);

	/* A symlinked blob is fine. */
	char link[512];
	snprintf(link, sizeof(link), "%s/link.blob", tmpdir);
	symlink("web.blob", link);
	is_int(blob_load_file(link, &back, &err), 0, "blob_load_file follows a symlink");
	policy_release(&back);
	unlink(link);

	cdn_err_clear(&err);
	is_int(blob_load_file(tmpdir, &back, &err), -EINVAL, "a directory is refused");
	snprintf(want, sizeof(want), "blob '%s' is not a regular file", tmpdir);
	is_str(err.msg, want, "directory message");

	char big[512];
	snprintf(big, sizeof(big), "%s/big.blob", tmpdir);
	int bfd = open(big, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ok(bfd >= 0 && ftruncate(bfd, (64 << 20) + 1) == 0, "a sparse 64 MiB + 1 file");
	close(bfd);
	cdn_err_clear(&err);
	is_int(blob_load_file(big, &back, &err), -EFBIG, "a file over 64 MiB is refused");
	snprintf(want, sizeof(want), "blob '%s' is 67108865 bytes, more than the 67108864 a blob may have",
		 big);
	is_str(err.msg, want, "oversized blob message");
	unlink(big);

	char bad[512];
	snprintf(bad, sizeof(bad), "%s/bad.blob", tmpdir);
	put_file(bad, "CORDONPB but not a blob at all, just text long enough for a header.......\n");
	cdn_err_clear(&err);
	ok(blob_load_file(bad, &back, &err) < 0, "a bad file is refused");
	snprintf(want, sizeof(want),
		 "blob '%s': blob format version 25120.29813 is not supported by this cordon "
		 "(it reads 1.x); recompile it with 'cordon compile'", bad);
	is_str(err.msg, want, "load_file names the path");
	unlink(bad);

	/* The target's directory does not exist. */
	char nodir[512];
	snprintf(nodir, sizeof(nodir), "%s/nodir/web.blob", tmpdir);
	cdn_err_clear(&err);
	is_int(blob_write_file(rich, nodir, &err), -ENOENT, "missing directory: -ENOENT");
	snprintf(want, sizeof(want), "cannot write blob '%s': No such file or directory", nodir);
	is_str(err.msg, want, "missing directory message");

	if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		skip(8, "needs root and a private mount namespace");
		free(rb);
		free(sb);
		return;
	}

	/* A read-only directory (a read-only bind mount: root ignores modes). */
	bool ro = mount(tmpdir, tmpdir, NULL, MS_BIND, NULL) == 0 &&
		  mount(NULL, tmpdir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) == 0;
	if (ro) {
		cdn_err_clear(&err);
		is_int(blob_write_file(rich, path, &err), -EROFS, "read-only directory: -EROFS");
		snprintf(want, sizeof(want), "cannot write blob '%s': Read-only file system", path);
		is_str(err.msg, want, "read-only directory message");
		ok(same_file(path, sb, slen), "read-only: the old blob is untouched");
		umount2(tmpdir, MNT_DETACH);
	} else {
		skip(3, "read-only bind mount failed");
	}

	/* A full file system: tmpfs of 16k, the old blob in it, the rest filled. */
	char full[256], fpath[512], filler[512];
	snprintf(full, sizeof(full), "%s/full", tmpdir);
	mkdir(full, 0755);
	if (mount("tmpfs", full, "tmpfs", 0, "size=16k") < 0) {
		skip(5, "cannot mount a tmpfs");
		free(rb);
		free(sb);
		return;
	}
	snprintf(fpath, sizeof(fpath), "%s/web.blob", full);
	snprintf(filler, sizeof(filler), "%s/filler", full);
	is_int(blob_write_file(small, fpath, &err), 0, "the old blob fits in the small tmpfs");
	int fd = open(filler, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	char page[4096] = { 0 };
	while (fd >= 0 && write(fd, page, sizeof(page)) > 0)
		;
	while (fd >= 0 && write(fd, page, 1) > 0)
		;
	close(fd);
	cdn_err_clear(&err);
	is_int(blob_write_file(rich, fpath, &err), -ENOSPC, "full file system: -ENOSPC");
	snprintf(want, sizeof(want), "cannot write blob '%s': No space left on device", fpath);
	is_str(err.msg, want, "full file system message");
	ok(same_file(fpath, sb, slen), "full file system: the old blob is untouched");
	is_int(count_hidden(full), 0, "full file system: no temporary file is left behind");
	umount2(full, MNT_DETACH);
	rmdir(full);
	free(rb);
	free(sb);
}

static void test_fresh(void)
{
	char conf[256], common[256], dir[256], extra[256], want[4096], blob[256];
	struct cdn_error err = CDN_ERROR_INIT;
	struct cdn_policy p;

	snprintf(conf, sizeof(conf), "%s/web.conf", tmpdir);
	snprintf(common, sizeof(common), "%s/common.conf", tmpdir);
	snprintf(dir, sizeof(dir), "%s/conf.d/", tmpdir);
	snprintf(extra, sizeof(extra), "%s/conf.d/10-new.conf", tmpdir);
	snprintf(blob, sizeof(blob), "%s/web.blob", tmpdir);
	put_file(conf, "lxc.include = common.conf\n");
	put_file(common, "lxc.cap.drop = sys_module\n");
	mkdir(dir, 0755);

	policy_init(&p);
	const char *paths[] = { conf, common, dir };
	for (unsigned i = 0; i < 3; i++) {
		struct cdn_input *in = POLICY_PUSH(&p, inputs);
		in->path = arena_strdup(&p.arena, paths[i]);
		if (input_hash(in->path, in->sha256, &err) < 0)
			abort();
	}
	is_int(blob_check_fresh(&p, blob, &err), 0, "fresh inputs pass");

	put_file(common, "lxc.cap.drop = sys_time\n");
	cdn_err_clear(&err);
	is_int(blob_check_fresh(&p, blob, &err), -ESTALE, "a modified input: -ESTALE");
	snprintf(want, sizeof(want),
		 "blob '%s' is stale: '%s' changed since it was compiled; run 'cordon compile %s -o %s'",
		 blob, common, conf, blob);
	is_str(err.msg, want, "modified input message");
	put_file(common, "lxc.cap.drop = sys_module\n");
	is_int(blob_check_fresh(&p, blob, &err), 0, "the same content again is fresh (hashes, not times)");

	unlink(common);
	cdn_err_clear(&err);
	is_int(blob_check_fresh(&p, blob, &err), -ESTALE, "a deleted input: -ESTALE");
	snprintf(want, sizeof(want),
		 "blob '%s' is stale: '%s' no longer exists; run 'cordon compile %s -o %s'", blob,
		 common, conf, blob);
	is_str(err.msg, want, "deleted input message");
	put_file(common, "lxc.cap.drop = sys_module\n");

	put_file(extra, "lxc.tty.max = 2\n");
	cdn_err_clear(&err);
	is_int(blob_check_fresh(&p, blob, &err), -ESTALE, "a new .conf in an included directory: -ESTALE");
	snprintf(want, sizeof(want),
		 "blob '%s' is stale: '%s' changed since it was compiled; run 'cordon compile %s -o %s'",
		 blob, dir, conf, blob);
	is_str(err.msg, want, "new directory entry message");
	unlink(extra);
	snprintf(extra, sizeof(extra), "%s/conf.d/notes.txt", tmpdir);
	put_file(extra, "x\n");
	is_int(blob_check_fresh(&p, blob, &err), 0, "a non-.conf file in the directory does not matter");
	unlink(extra);
	rmdir(dir);
	is_int(blob_check_fresh(&p, blob, &err), 0, "an empty and a missing directory hash the same");
	unlink(conf);
	unlink(common);
	policy_release(&p);
}

int main(void)
{
	struct cdn_policy rich, small;

	if (!mkdtemp(tmpdir))
		abort();
	bt_build_rich(&rich);
	bt_build_empty(&small);
	small.name = "small";
	test_write(&rich, &small);
	test_fresh();
	policy_release(&rich);
	policy_release(&small);

	char path[512];
	snprintf(path, sizeof(path), "%s/web.blob", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	return done_testing();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `cordon oci create --bundle DIR [--pid-file F] ID`: compile the bundle's
 * config.json into ROOT/blobs/HASH.blob unless it is there already (HASH:
 * the SHA-256 of the bundle's absolute path, a NUL and config.json's bytes:
 * a relative root.path makes the blob depend on where the bundle is), make
 * ROOT/ID with the exec FIFO, and run cordon-runtime --oci-create, which
 * returns once the init waits on the FIFO (runtime/oci_create.c). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cmd_oci.h"
#include "cli/cmd_start.h"
#include "common/cleanup.h"
#include "common/sha256.h"
#include "compiler/blob_write.h"
#include "compiler/oci.h"

#define OCI_CONFIG_MAX (16u << 20)
#define OCI_CACHE_MAX 64           /* blobs kept in ROOT/blobs */

struct oci_cached {
	long long mtime;
	char name[70];
};

/* The first line of the compiler's diagnostics, "PATH: error: " dropped. */
static void oci_first_error(const char *text, char *out, size_t size)
{
	const char *p = strstr(text, "error: ");
	p = p ? p + 7 : text;
	snprintf(out, size, "%.*s", (int)strcspn(p, "\n"), p);
}

/* Compile BUNDLE into BLOB.  `content` is the SHA-256 of the config.json the
 * cache key was made from: the compiler reads the file again, and a file that
 * changed in between must not be cached under the old key. */
static int oci_compile_blob(const struct oci_cmd *o, const char *bundle, const char *blob,
			    const uint8_t content[32])
{
	struct cdn_error err = CDN_ERROR_INIT;
	struct compile_options opt = { .name = "oci" };
	struct cdn_policy pol;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return oci_fail(o, "create failed: %s", strerror(errno));
	struct diag *d = diag_new(mem);
	int r = oci_compile(bundle, &opt, d, &pol, &err);
	unsigned errors = diag_error_count(d);
	diag_free(d);
	fclose(mem);
	_cleanup_free_ char *diags = text;
	char msg[1024];
	if (r < 0 || errors > 0) {
		if (errors > 0 || r == -EINVAL)
			oci_first_error(diags ? diags : "", msg, sizeof(msg));
		else
			snprintf(msg, sizeof(msg), "%s", err.set ? err.msg : strerror(-r));
		policy_release(&pol);
		return oci_fail(o, "create failed: %s", msg);
	}
	if (pol.n_inputs < 1 || memcmp(pol.inputs[0].sha256, content, 32) != 0) {
		policy_release(&pol);
		return oci_fail(o, "create failed: %s/config.json changed while it was compiled", bundle);
	}
	char tmp[4400];
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", blob, (int)getpid());
	r = blob_write_file(&pol, tmp, &err);
	policy_release(&pol);
	if (r < 0)
		return oci_fail(o, "create failed: %s", err.msg);
	if (rename(tmp, blob) < 0) {
		int e = errno;
		unlink(tmp);
		return oci_fail(o, "create failed: rename '%s': %s", tmp, strerror(e));
	}
	return 0;
}

static int oci_cmp_age(const void *a, const void *b)
{
	const struct oci_cached *x = a, *y = b;
	return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

/* Keep at most OCI_CACHE_MAX blobs: the oldest compiled go first, never
 * KEEP (a loaded blob is in the runtime's memory: removing it is safe). */
static void oci_prune(const char *root, const char *keep)
{
	char dir[4200], path[4500];
	snprintf(dir, sizeof(dir), "%s/blobs", root);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct oci_cached *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	struct stat st;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l != 69 || strcmp(e->d_name + 64, ".blob") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (strcmp(path, keep) == 0 || stat(path, &st) < 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 128;
			struct oci_cached *nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		v[n].mtime = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
		memcpy(v[n].name, e->d_name, 70);
		n++;
	}
	closedir(d);
	if (n + 1 > OCI_CACHE_MAX) {
		qsort(v, n, sizeof(*v), oci_cmp_age);
		for (size_t i = 0; i < n + 1 - OCI_CACHE_MAX; i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, v[i].name);
			unlink(path);
		}
	}
	free(v);
}

/* ROOT/blobs/HASH.blob for this bundle, compiled when missing. */
static int oci_blob(const struct oci_cmd *o, const char *bundle, char *blob, size_t size)
{
	char cfg[4200];
	snprintf(cfg, sizeof(cfg), "%s/config.json", bundle);
	_cleanup_close_ int fd = open(cfg, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return oci_fail(o, "create failed: open %s: %s", cfg, strerror(errno));
	struct sha256_ctx h, content;
	sha256_init(&h);
	sha256_init(&content);
	/* a new cordon (compiler, default profiles) never reuses an old blob */
	sha256_update(&h, PACKAGE_VERSION, sizeof(PACKAGE_VERSION));
	sha256_update(&h, bundle, strlen(bundle) + 1);
	char buf[65536];
	size_t total = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		total += (size_t)n;
		if (total > OCI_CONFIG_MAX)
			return oci_fail(o, "create failed: %s is larger than %u bytes", cfg, OCI_CONFIG_MAX);
		sha256_update(&h, buf, (size_t)n);
		sha256_update(&content, buf, (size_t)n);
	}
	if (n < 0)
		return oci_fail(o, "create failed: read %s: %s", cfg, strerror(errno));
	uint8_t sum[32], content_sum[32];
	char hex[65];
	sha256_final(&h, sum);
	sha256_final(&content, content_sum);
	sha256_hex(sum, hex);
	snprintf(blob, size, "%s/blobs", o->root);
	if (mkdir(blob, 0700) < 0 && errno != EEXIST)
		return oci_fail(o, "create failed: mkdir %s: %s", blob, strerror(errno));
	snprintf(blob, size, "%s/blobs/%s.blob", o->root, hex);
	if (access(blob, R_OK) == 0)
		return 0;
	int r = oci_compile_blob(o, bundle, blob, content_sum);
	if (r == 0)
		oci_prune(o->root, blob);
	return r;
}

static int oci_write(const char *dir, const char *file, const char *text)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	_cleanup_fclose_ FILE *f = fopen(path, "we");
	if (!f || fprintf(f, "%s\n", text) < 0)
		return -errno;
	return 0;
}

/* Run cordon-runtime --oci-create and wait for it (it exits once the
 * container is created); its failure is in DIR/error. */
static int oci_run_runtime(const struct oci_cmd *o, const char *dir, const char *pid_file, const char *console,
			   const char *id, const char *blob)
{
	char *args[12];
	int n = 1;
	args[n++] = (char *)"--oci-create";
	args[n++] = (char *)dir;
	if (pid_file) {
		args[n++] = (char *)"--pid-file";
		args[n++] = (char *)pid_file;
	}
	if (console) {
		args[n++] = (char *)"--console-socket";
		args[n++] = (char *)console;
	}
	args[n++] = (char *)"-n";
	args[n++] = (char *)id;
	args[n++] = (char *)blob;
	args[n] = NULL;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		return oci_fail(o, "create failed: fork: %s", strerror(errno));
	if (pid == 0)
		_exit(cli_exec_runtime("oci create", args));
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return oci_fail(o, "create failed: wait: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	char path[4400], msg[1100] = "";
	snprintf(path, sizeof(path), "%s/error", dir);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f || !fgets(msg, sizeof(msg), f))
		snprintf(msg, sizeof(msg), "cordon-runtime exited with status %d",
			 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	msg[strcspn(msg, "\n")] = '\0';
	/* podman maps runc's "executable file not found in $PATH" to 127. */
	if (strstr(msg, "' not found in PATH="))
		return oci_fail(o, "create failed: %s: executable file not found in $PATH", msg);
	return oci_fail(o, "create failed: %s", msg);
}

int oci_create(const struct oci_cmd *o, int argc, char **argv)
{
	const char *bundle = ".", *pid_file = NULL, *console = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *w = argv[i];
		const char **slot = NULL;
		size_t l = strcspn(w, "=");
		if (strncmp(w, "--bundle", l) == 0 && l == 8)
			slot = &bundle;
		else if (strcmp(w, "-b") == 0)
			slot = &bundle;
		else if (strncmp(w, "--pid-file", l) == 0 && l == 10)
			slot = &pid_file;
		else if (strncmp(w, "--console-socket", l) == 0 && l == 16)
			slot = &console;
		else if (strcmp(w, "--no-pivot") == 0 || strcmp(w, "--no-new-keyring") == 0)
			continue;
		else
			return oci_fail(o, "flag provided but not defined: %s", w);
		if (w[l] == '=')
			*slot = w + l + 1;
		else if (i + 1 < argc)
			*slot = argv[++i];
		else
			return oci_fail(o, "flag needs an argument: %s", w);
	}
	if (argc - i != 1)
		return oci_fail(o, "\"create\" requires exactly 1 argument(s)");
	const char *id = argv[i];
	if (!oci_id_ok(id))
		return oci_fail(o, "create failed: invalid container ID format");
	char abs_bundle[PATH_MAX], abs_pid[PATH_MAX], blob[4200], dir[4200];
	if (!realpath(bundle, abs_bundle))
		return oci_fail(o, "create failed: chdir %s: %s", bundle, strerror(errno));
	if (pid_file) {
		/* Relative to the caller's directory, as runc. */
		if (pid_file[0] != '/') {
			char cwd[PATH_MAX];
			if (!getcwd(cwd, sizeof(cwd)))
				return oci_fail(o, "create failed: getcwd: %s", strerror(errno));
			if (snprintf(abs_pid, sizeof(abs_pid), "%s/%s", cwd, pid_file) >= (int)sizeof(abs_pid))
				return oci_fail(o, "create failed: %s: %s", pid_file, strerror(ENAMETOOLONG));
			pid_file = abs_pid;
		}
	}
	if (mkdir(o->root, 0700) < 0 && errno != EEXIST)
		return oci_fail(o, "create failed: mkdir %s: %s", o->root, strerror(errno));
	struct stat rst;
	if (lstat(o->root, &rst) < 0 || !S_ISDIR(rst.st_mode) || rst.st_uid != geteuid())
		return oci_fail(o, "create failed: %s must be a directory owned by uid %d", o->root, (int)geteuid());
	if ((rst.st_mode & 077) && chmod(o->root, 0700) < 0)   /* only we may reach exec.fifo */
		return oci_fail(o, "create failed: chmod 0700 %s: %s", o->root, strerror(errno));
	if (snprintf(dir, sizeof(dir), "%s/%s", o->root, id) >= (int)sizeof(dir))
		return oci_fail(o, "create failed: %s/%s: %s", o->root, id, strerror(ENAMETOOLONG));
	if (access(dir, F_OK) == 0)
		return oci_fail(o, "create failed: container with given ID already exists");
	if (oci_blob(o, abs_bundle, blob, sizeof(blob)))
		return 1;
	if (mkdir(dir, 0700) < 0) {
		if (errno == EEXIST)
			return oci_fail(o, "create failed: container with given ID already exists");
		return oci_fail(o, "create failed: mkdir %s: %s", dir, strerror(errno));
	}
	char now[64], fifo[4300];
	oci_time(now, sizeof(now), true);
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", dir);
	int r = oci_write(dir, "bundle", abs_bundle);
	if (r >= 0)
		r = oci_write(dir, "created", now);
	/* The container's own link to its blob: `exec` loads it, whatever
	 * the cache prunes or config.json becomes. */
	char kept[4300];
	snprintf(kept, sizeof(kept), "%s/blob", dir);
	if (r >= 0 && link(blob, kept) < 0)
		r = -errno;
	if (r >= 0 && mkfifo(fifo, 0600) < 0)
		r = -errno;
	if (r < 0) {
		oci_remove_dir(dir);
		return oci_fail(o, "create failed: %s: %s", dir, strerror(-r));
	}
	r = oci_run_runtime(o, dir, pid_file, console, id, blob);
	if (r)
		oci_remove_dir(dir);
	return r;
}

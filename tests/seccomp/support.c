/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "compiler/diag.h"
#include "compiler/seccomp.h"
#include "tests/seccomp/bpf_interp.h"
#include "tests/seccomp/support.h"

static int scomp_run_compile(struct scomp *c, const char *path, const char *text, size_t len, uint32_t intercept,
			     int optimize)
{
	size_t size = 0;
	FILE *out;
	struct diag *d;
	struct seccomp_options opt = { .intercept = intercept, .optimize = optimize };

	*c = (struct scomp){ 0 };
	out = open_memstream(&c->diags, &size);
	if (!out)
		abort();
	d = diag_new(out);
	c->rc = seccomp_compile(path, text, len, &opt, d, &c->arena, &c->set);
	c->errors = diag_error_count(d);
	c->warnings = diag_warning_count(d);
	diag_free(d);
	fclose(out);
	return c->rc;
}

int scomp_text(struct scomp *c, const char *text, uint32_t intercept, int optimize)
{
	return scomp_run_compile(c, "test.seccomp", text, strlen(text), intercept, optimize);
}

int scomp_file(struct scomp *c, const char *path, uint32_t intercept)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *text = NULL;
	struct stat st;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	text = malloc((size_t)st.st_size + 1);
	if (!text)
		return -ENOMEM;
	n = read(fd, text, (size_t)st.st_size);
	if (n != st.st_size)
		return -EIO;
	return scomp_run_compile(c, path, text, (size_t)n, intercept, 0);
}

void scomp_release(struct scomp *c)
{
	arena_release(&c->arena);
	free(c->diags);
	c->diags = NULL;
}

void scomp_eval(const struct cdn_seccomp_set *s, uint32_t arch, uint32_t nr, const uint64_t args[6],
		uint32_t ret[8], unsigned *ret_n)
{
	const struct cdn_seccomp_prog *p = NULL;
	unsigned abi;

	*ret_n = 1;
	for (unsigned i = 0; i < s->n_progs; i++)
		if (s->progs[i].audit_arch == arch)
			p = &s->progs[i];
	if (!p) {
		ret[0] = s->badarch_action;
		return;
	}
	if (arch == AUDIT_ARCH_I386)
		abi = CDN_SECCOMP_ABI_X86;
	else
		abi = nr & 0x40000000u ? CDN_SECCOMP_ABI_X32 : CDN_SECCOMP_ABI_X86_64;

	*ret_n = 0;
	for (unsigned i = 0; i < p->n_rules; i++) {
		const struct cdn_seccomp_rule *r = &p->rules[i];
		bool seen = false;

		if (r->abi != abi || r->nr < 0 || (uint32_t)r->nr != nr ||
		    !seccomp_prog_rule_matches(r, args, abi != CDN_SECCOMP_ABI_X86_64))
			continue;
		for (unsigned k = 0; k < *ret_n; k++)
			seen |= ret[k] == r->action;
		if (!seen && *ret_n < 8)
			ret[(*ret_n)++] = r->action;
	}
	if (*ret_n == 0) {
		ret[0] = p->default_action;
		*ret_n = 1;
	}
}

int scomp_run(const struct cdn_seccomp_set *s, uint32_t arch, uint32_t nr, const uint64_t args[6], uint32_t *ret)
{
	_cleanup_free_ struct sock_filter *f = NULL;
	struct seccomp_data d = { .nr = (int)nr, .arch = arch, .instruction_pointer = 0x401000 };
	size_t n;
	int r = seccomp_prog_link(s, &f, &n);

	if (r < 0)
		return r;
	memcpy(d.args, args, sizeof(d.args));
	return bpf_interp_run(f, n, &d, ret);
}

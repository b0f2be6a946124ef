/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test double of keys_apply()/keys_check() for the grammar tests only (see
 * fake_keys.h): lxc.include calls compile_include() as the real row does,
 * lxc.seccomp.profile reads its file with compile_read_input(), every line
 * is recorded. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "compiler/compile.h"
#include "compiler/keys.h"
#include "grammar/config_ast.h"
#include "tests/grammar/fake_keys.h"

struct fake_keys_record fake_keys_records[FAKE_KEYS_MAX];
unsigned fake_keys_n, fake_keys_checks;
const char *fake_keys_input;
size_t fake_keys_input_len;

void fake_keys_reset(void)
{
	fake_keys_n = 0;
	fake_keys_checks = 0;
	fake_keys_input = NULL;
	fake_keys_input_len = 0;
}

const char *fake_keys_summary(void)
{
	static char buf[16384];
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < fake_keys_n && used < sizeof(buf); i++) {
		int n = snprintf(buf + used, sizeof(buf) - used, "%s%s=%s", i ? " " : "",
				 fake_keys_records[i].key, fake_keys_records[i].value);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

void keys_apply(struct compile_ctx *ctx, const struct cfg_line *line)
{
	if (fake_keys_n < FAKE_KEYS_MAX)
		fake_keys_records[fake_keys_n++] = (struct fake_keys_record){
			.key = line->key,
			.value = line->value,
			.loc = line->key_loc,
		};
	if (strcmp(line->key, "lxc.include") == 0)
		compile_include(ctx, line->value, line->value_loc);
	else if (strcmp(line->key, "lxc.seccomp.profile") == 0 && *line->value)
		compile_read_input(ctx, line->value, line->value_loc, &fake_keys_input,
				   &fake_keys_input_len);
	else if (strcmp(line->key, "lxc.test.warn") == 0)
		diag_warning(ctx->diag, line->value_loc, "test warning '%s'", line->value);
}

void keys_check(struct compile_ctx *ctx)
{
	fake_keys_checks++;
}

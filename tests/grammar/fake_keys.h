/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A test double for the key table (compiler/keys.c), linked only into the
 * grammar tests: it records every line keys_apply() receives, so a test can
 * see which lines were applied and in which order, without the real key
 * table's checks. */
#ifndef CORDON_TESTS_GRAMMAR_FAKE_KEYS_H
#define CORDON_TESTS_GRAMMAR_FAKE_KEYS_H

#include <stddef.h>

#include "common/error.h"

struct fake_keys_record {
	const char *key, *value;   /* arena strings of the compiled policy */
	struct cdn_loc loc;        /* the key's location */
};

#define FAKE_KEYS_MAX 4096

extern struct fake_keys_record fake_keys_records[FAKE_KEYS_MAX];
extern unsigned fake_keys_n;          /* lines applied since fake_keys_reset() */
extern unsigned fake_keys_checks;     /* keys_check() calls */
extern const char *fake_keys_input;   /* the last text compile_read_input() returned */
extern size_t fake_keys_input_len;

void fake_keys_reset(void);
/* "KEY=VALUE KEY=VALUE ..." of the recorded lines, for one is_str(). */
const char *fake_keys_summary(void);

#endif

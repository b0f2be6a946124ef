/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cordon-runtime attach NAME BLOB [-- CMD ARGS...]: run CMD inside the
 * running container NAME (runtime/attach.c). */
#ifndef CORDON_RUNTIME_ATTACH_H
#define CORDON_RUNTIME_ATTACH_H

/* argv[0] is "attach".  Returns the exit status of CMD, or an rt_exit
 * code after printing "cordon: attach NAME: ...". */
int attach_main(int argc, char **argv);

#endif

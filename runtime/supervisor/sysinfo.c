/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sysinfo(2) as the container sees it: the host's values, with RAM and swap
 * from the container's memory cgroup (cgroup2 memory.max/current/stat and
 * memory.swap.*, or v1 memory.limit_in_bytes/usage_in_bytes/stat and
 * memsw.*), procs from its pids (pids.current, else cgroup.threads or
 * tasks), uptime from the init's start time.  Without a memory limit (or
 * one above the host's RAM) RAM and swap stay the host's, as LXD does.
 * Written back in the caller's layout: 64-bit, or the i386 one (32-bit
 * longs, mem_unit scaled as the kernel's compat sysinfo does).  An x32
 * caller gets the profile's answer (CONTINUE: the kernel's host values). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/supervisor/supervisor.h"

#define SYSINFO_X32_BIT 0x40000000

/* The i386 struct sysinfo. */
struct sysinfo32 {
	int32_t uptime;
	uint32_t loads[3];
	uint32_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t totalhigh, freehigh;
	uint32_t mem_unit;
	char _f[8];
};
_Static_assert(sizeof(struct sysinfo32) == 64, "i386 struct sysinfo is 64 bytes");

/* The container's cgroup of a hierarchy holding ctl (v1) or the cgroup2 one. */
static const char *sysinfo_dir(const struct cgroup_set *cs, const char *ctl, int version)
{
	for (unsigned i = 0; i < cs->n; i++) {
		const struct cgroup_hier *h = &cs->h[i];
		if (!h->created || !h->ops || h->ops->version != version)
			continue;
		if (version == 2 || cgroup_list_has(h->controllers, ctl))
			return h->path;
	}
	return NULL;
}

/* A number file ("max" and missing: false). */
static bool sysinfo_read_u64(const char *dir, const char *file, uint64_t *ret)
{
	char path[CGROUP_PATH_MAX + 64], buf[64];
	if (!dir)
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f || !fgets(buf, sizeof(buf), f))
		return false;
	return sscanf(buf, "%" SCNu64, ret) == 1;
}

/* One key of memory.stat. */
static bool sysinfo_stat_key(const char *dir, const char *key, uint64_t *ret)
{
	char path[CGROUP_PATH_MAX + 64], line[128];
	if (!dir)
		return false;
	snprintf(path, sizeof(path), "%s/memory.stat", dir);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	size_t kl = strlen(key);
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ' ')
			return sscanf(line + kl + 1, "%" SCNu64, ret) == 1;
	return false;
}

static uint64_t sysinfo_count_lines(const char *dir, const char *file)
{
	char path[CGROUP_PATH_MAX + 64];
	uint64_t n = 0;
	int c;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	while (f && (c = getc(f)) != EOF)
		n += c == '\n';
	return n;
}

struct sysinfo_mem {
	bool limited, swap_limited;
	uint64_t limit, usage, shared, cache, swap_limit, swap_usage;
};

static void sysinfo_memory(const struct cgroup_set *cs, struct sysinfo_mem *m)
{
	const char *v2 = sysinfo_dir(cs, NULL, 2), *v1 = sysinfo_dir(cs, "memory", 1);
	*m = (struct sysinfo_mem){ 0 };
	if (v2 && sysinfo_read_u64(v2, "memory.max", &m->limit)) {
		m->limited = sysinfo_read_u64(v2, "memory.current", &m->usage);
		sysinfo_stat_key(v2, "shmem", &m->shared);
		sysinfo_stat_key(v2, "file", &m->cache);
		m->swap_limited = sysinfo_read_u64(v2, "memory.swap.max", &m->swap_limit) &&
				  sysinfo_read_u64(v2, "memory.swap.current", &m->swap_usage);
	} else if (v1 && sysinfo_read_u64(v1, "memory.limit_in_bytes", &m->limit)) {
		m->limited = sysinfo_read_u64(v1, "memory.usage_in_bytes", &m->usage);
		if (!sysinfo_stat_key(v1, "total_shmem", &m->shared))
			sysinfo_stat_key(v1, "shmem", &m->shared);
		if (!sysinfo_stat_key(v1, "total_cache", &m->cache))
			sysinfo_stat_key(v1, "cache", &m->cache);
		uint64_t sw, swu;
		if (sysinfo_read_u64(v1, "memory.memsw.limit_in_bytes", &sw) &&
		    sysinfo_read_u64(v1, "memory.memsw.usage_in_bytes", &swu) && sw >= m->limit) {
			m->swap_limited = true;
			m->swap_limit = sw - m->limit;
			m->swap_usage = swu > m->usage ? swu - m->usage : 0;
		}
	}
}

static uint64_t sysinfo_procs(const struct cgroup_set *cs)
{
	uint64_t n;
	const char *v2 = sysinfo_dir(cs, NULL, 2), *v1 = sysinfo_dir(cs, "pids", 1);
	if (sysinfo_read_u64(v2, "pids.current", &n) || sysinfo_read_u64(v1, "pids.current", &n))
		return n;
	if (v2)
		return sysinfo_count_lines(v2, "cgroup.threads");
	const char *any = sysinfo_dir(cs, "memory", 1);
	return any ? sysinfo_count_lines(any, "tasks") : 0;
}

/* The init's start (field 22 of /proc/PID/stat, in ticks since boot). */
static bool sysinfo_init_start(pid_t init, unsigned long long *ret)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)init);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f || !fgets(buf, sizeof(buf), f))
		return false;
	const char *p = strrchr(buf, ')');   /* comm may hold spaces */
	return p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			   ret) == 1;
}

/* The cgroup's figures change all the time; reading them (memory.stat is
 * formatted by the kernel on each read) costs tens of microseconds, so
 * calls within SYSINFO_CACHE_MS share one reading, the host's own sysinfo()
 * with them (loads, host RAM; uptime is computed per call).  The init's
 * start never changes: read once. */
#define SYSINFO_CACHE_MS 20
static pthread_mutex_t sysinfo_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	bool valid, have_start;
	const struct cgroup_set *cg;        /* whose figures (one container per process) */
	pid_t init;
	struct timespec at;
	struct sysinfo_mem m;
	uint64_t procs;
	unsigned long long start;
	struct sysinfo host;                /* the host's own (it walks every block device) */
} sysinfo_cache;

static void sysinfo_cached(const struct sup *s, struct sysinfo *host, struct sysinfo_mem *m, uint64_t *procs,
			   long *uptime)
{
	struct timespec now;
	clock_gettime(CLOCK_BOOTTIME, &now);
	pthread_mutex_lock(&sysinfo_lock);
	long age_ms = (now.tv_sec - sysinfo_cache.at.tv_sec) * 1000 + (now.tv_nsec - sysinfo_cache.at.tv_nsec) / 1000000;
	if (sysinfo_cache.cg != s->cgroups || sysinfo_cache.init != s->init_pid) {
		sysinfo_cache.valid = sysinfo_cache.have_start = false;
		sysinfo_cache.cg = s->cgroups;
		sysinfo_cache.init = s->init_pid;
	}
	if (!sysinfo_cache.valid || age_ms < 0 || age_ms >= SYSINFO_CACHE_MS) {
		sysinfo_memory(s->cgroups, &sysinfo_cache.m);
		sysinfo_cache.procs = sysinfo_procs(s->cgroups);
		sysinfo(&sysinfo_cache.host);
		sysinfo_cache.at = now;
		sysinfo_cache.valid = true;
	}
	if (!sysinfo_cache.have_start)
		sysinfo_cache.have_start = sysinfo_init_start(s->init_pid, &sysinfo_cache.start);
	*host = sysinfo_cache.host;
	*m = sysinfo_cache.m;
	*procs = sysinfo_cache.procs;
	*uptime = -1;
	if (sysinfo_cache.have_start) {
		long hz = sysconf(_SC_CLK_TCK);
		long up = now.tv_sec - (long)(sysinfo_cache.start / (unsigned long long)(hz > 0 ? hz : 100));
		*uptime = up > 0 ? up : 0;
	}
	pthread_mutex_unlock(&sysinfo_lock);
}

/* The host's sysinfo with the container's values in. */
static void sysinfo_fill(const struct sup *s, struct sysinfo *si)
{
	struct sysinfo_mem m;
	uint64_t procs;
	long up;
	sysinfo_cached(s, si, &m, &procs, &up);
	uint64_t unit = si->mem_unit ? si->mem_unit : 1;
	uint64_t host_ram = (uint64_t)si->totalram * unit, host_swap = (uint64_t)si->totalswap * unit;
	if (m.limited && m.limit < host_ram) {
		si->totalram = m.limit / unit;
		si->freeram = (m.usage < m.limit ? m.limit - m.usage : 0) / unit;
		si->sharedram = (m.shared < m.limit ? m.shared : m.limit) / unit;
		si->bufferram = (m.cache < m.limit ? m.cache : m.limit) / unit;
		if (m.swap_limited && m.swap_limit < host_swap) {
			si->totalswap = m.swap_limit / unit;
			si->freeswap = (m.swap_usage < m.swap_limit ? m.swap_limit - m.swap_usage : 0) / unit;
		}
	}
	si->procs = (unsigned short)(procs > 65535 ? 65535 : procs);
	if (up >= 0)
		si->uptime = up;
}

/* The kernel's compat_sys_sysinfo: scale so every value fits 32 bits. */
static void sysinfo_to32(const struct sysinfo *si, struct sysinfo32 *o)
{
	uint64_t ram[8] = { si->totalram, si->freeram, si->sharedram, si->bufferram,
			    si->totalswap, si->freeswap, si->totalhigh, si->freehigh };
	unsigned shift = 0;
	uint32_t unit = si->mem_unit ? si->mem_unit : 1;
	bool big = false;
	for (int i = 0; i < 8; i++)
		big |= ram[i] >> 32 != 0;
	if (big)
		while (unit < 4096) {
			unit <<= 1;
			shift++;
		}
	*o = (struct sysinfo32){
		.uptime = (int32_t)si->uptime,
		.loads = { (uint32_t)si->loads[0], (uint32_t)si->loads[1], (uint32_t)si->loads[2] },
		.totalram = (uint32_t)(ram[0] >> shift), .freeram = (uint32_t)(ram[1] >> shift),
		.sharedram = (uint32_t)(ram[2] >> shift), .bufferram = (uint32_t)(ram[3] >> shift),
		.totalswap = (uint32_t)(ram[4] >> shift), .freeswap = (uint32_t)(ram[5] >> shift),
		.procs = si->procs,
		.totalhigh = (uint32_t)(ram[6] >> shift), .freehigh = (uint32_t)(ram[7] >> shift),
		.mem_unit = unit,
	};
}

int sup_sysinfo(struct sup_req *req)
{
	if (!req->abi32 && (req->nr & SYSINFO_X32_BIT))
		return sup_answer_refuse(req);
	/* Nothing of the caller is read: the only argument is where to write. */
	struct sysinfo si;
	sysinfo_fill(req->sup, &si);
	int r;
	if (req->abi32) {
		struct sysinfo32 o;
		sysinfo_to32(&si, &o);
		r = sup_mem_write(req, req->args[0], &o, sizeof(o));
	} else {
		r = sup_mem_write(req, req->args[0], &si, sizeof(si));
	}
	if (r == -ENOENT)
		return 0;           /* the caller went away: nothing to answer */
	if (r < 0)
		return sup_answer_error(req, -r);
	return sup_answer_value(req, 0);
}

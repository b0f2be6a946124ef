/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxc.net and lxc.net.N.SUBKEY: a reused index merges into the same
 * network and the last type wins, as in LXC. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "common/cleanup.h"
#include "compiler/key_rows.h"
#include "compiler/value.h"

enum net_check {
	NET_STR, NET_TYPE, NET_IFNAME, NET_FLAGS, NET_HWADDR, NET_MTU, NET_IPV4_ADDR,
	NET_IPV6_ADDR, NET_IPV4_GW, NET_IPV6_GW, NET_IPV4_ROUTE, NET_IPV6_ROUTE, NET_VLAN,
	NET_VLAN_NONE, NET_QUEUES, NET_BOOL, NET_WORD,
};

static const char *const net_veth_modes[] = { "bridge", "router", NULL };
static const char *const net_macvlan_modes[] = { "private", "vepa", "bridge", "passthru", NULL };
static const char *const net_ipvlan_modes[] = { "l3", "l3s", "l2", NULL };
static const char *const net_ipvlan_isolations[] = { "bridge", "private", "vepa", NULL };

static const struct net_subkey {
	const char *name;
	uint8_t check;             /* enum net_check */
	bool list;                 /* repeated lines accumulate */
	int8_t only;               /* the one type it applies to, -1 any */
	const char *const *words;  /* NET_WORD: the accepted values */
} net_subkeys[] = {
	{ "flags", NET_FLAGS, false, -1, NULL },
	{ "hwaddr", NET_HWADDR, false, -1, NULL },
	{ "ipv4.address", NET_IPV4_ADDR, true, -1, NULL },
	{ "ipv4.gateway", NET_IPV4_GW, false, -1, NULL },
	{ "ipv6.address", NET_IPV6_ADDR, true, -1, NULL },
	{ "ipv6.gateway", NET_IPV6_GW, false, -1, NULL },
	{ "ipvlan.isolation", NET_WORD, false, CDN_NET_IPVLAN, net_ipvlan_isolations },
	{ "ipvlan.mode", NET_WORD, false, CDN_NET_IPVLAN, net_ipvlan_modes },
	{ "l2proxy", NET_BOOL, false, -1, NULL },
	{ "link", NET_IFNAME, false, -1, NULL },
	{ "macvlan.mode", NET_WORD, false, CDN_NET_MACVLAN, net_macvlan_modes },
	{ "mtu", NET_MTU, false, -1, NULL },
	{ "name", NET_IFNAME, false, -1, NULL },
	{ "script.down", NET_STR, false, -1, NULL },
	{ "script.up", NET_STR, false, -1, NULL },
	{ "type", NET_TYPE, false, -1, NULL },
	{ "veth.ipv4.route", NET_IPV4_ROUTE, true, CDN_NET_VETH, NULL },
	{ "veth.ipv6.route", NET_IPV6_ROUTE, true, CDN_NET_VETH, NULL },
	{ "veth.mode", NET_WORD, false, CDN_NET_VETH, net_veth_modes },
	{ "veth.n_rxqueues", NET_QUEUES, false, CDN_NET_VETH, NULL },
	{ "veth.n_txqueues", NET_QUEUES, false, CDN_NET_VETH, NULL },
	{ "veth.pair", NET_IFNAME, false, CDN_NET_VETH, NULL },
	{ "veth.vlan.id", NET_VLAN_NONE, false, CDN_NET_VETH, NULL },
	{ "veth.vlan.tagged.id", NET_VLAN, true, CDN_NET_VETH, NULL },
	{ "vlan.id", NET_VLAN, false, CDN_NET_VLAN, NULL },
};

/* ADDR[/PREFIX] of family AF; prefix required when need_prefix. */
static bool net_cidr(struct arena *a, const char *s, int af, bool need_prefix)
{
	unsigned char buf[16];
	const char *slash = strchr(s, '/');
	uint64_t prefix;
	char *addr = arena_strndup(a, s, slash ? (size_t)(slash - s) : strlen(s));
	if (inet_pton(af, addr, buf) != 1)
		return false;
	if (!slash)
		return !need_prefix;
	return value_parse_u64(slash + 1, af == AF_INET ? 32 : 128, &prefix) == 0;
}

static bool net_hwaddr(const char *s, bool *ret_multicast)
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2) {
			if (s[i] != ':')
				return false;
		} else if (!strchr("0123456789abcdefABCDEFx", s[i]) || s[i] == '\0') {
			return false;
		}
	}
	*ret_multicast = s[1] != 'x' && (strchr("13579bBdDfF", s[1]) != NULL);
	return true;
}

static const char *net_expect(const struct net_subkey *sk)
{
	switch (sk->check) {
	case NET_TYPE: return "empty, none, veth, macvlan, ipvlan, vlan or phys";
	case NET_IFNAME: return "an interface name of 1 to 15 bytes";
	case NET_FLAGS: return "'up'";
	case NET_HWADDR: return "a MAC address such as 4a:49:43:49:79:bf ('x' digits are random)";
	case NET_MTU: return "a number from 68 to 65535";
	case NET_IPV4_ADDR: return "ADDRESS[/PREFIX] [BROADCAST]";
	case NET_IPV6_ADDR: return "ADDRESS[/PREFIX]";
	case NET_IPV4_GW: case NET_IPV6_GW: return "an address, 'auto' or 'dev'";
	case NET_IPV4_ROUTE: case NET_IPV6_ROUTE: return "ADDRESS/PREFIX";
	case NET_VLAN: return "a VLAN id from 0 to 4094";
	case NET_VLAN_NONE: return "a VLAN id from 0 to 4094 or 'none'";
	case NET_QUEUES: return "a number from 1 to 4096";
	case NET_BOOL: return "0 or 1";
	}
	return NULL;
}

/* "a, b or c" */
static const char *net_words(struct arena *a, const char *const *words)
{
	const char *s = words[0];
	for (size_t i = 1; words[i]; i++)
		s = arena_printf(a, "%s%s%s", s, words[i + 1] ? ", " : " or ", words[i]);
	return s;
}

/* Check the value; returns false when invalid (the caller reports). */
static bool net_value_ok(struct compile_ctx *ctx, const struct cfg_line *line,
			 const struct net_subkey *sk, uint8_t *ret_type)
{
	struct arena *a = &ctx->pol->arena;
	const char *v = line->value;
	struct value_word *w;
	uint64_t n;
	bool mc;

	switch (sk->check) {
	case NET_STR: return true;
	case NET_TYPE:
		for (unsigned t = 0; t < CDN_NET__MAX; t++)
			if (strcmp(v, policy_net_type_name(t)) == 0) {
				*ret_type = (uint8_t)t;
				return true;
			}
		return false;
	case NET_IFNAME: return value_is_ifname(v);
	case NET_FLAGS: return strcmp(v, "up") == 0;
	case NET_HWADDR:
		if (!net_hwaddr(v, &mc))
			return false;
		if (mc)
			value_warning(ctx, line, 0, "'%s' is a multicast MAC address: the interface "
				      "cannot use it", v);
		return true;
	case NET_MTU: return value_parse_u64(v, 65535, &n) == 0 && n >= 68;
	case NET_IPV4_ADDR: {
		unsigned char buf[4];
		unsigned k = value_split(a, v, &w);
		return (k == 1 || k == 2) && net_cidr(a, w[0].s, AF_INET, false) &&
		       (k == 1 || inet_pton(AF_INET, w[1].s, buf) == 1);
	}
	case NET_IPV6_ADDR: return net_cidr(a, v, AF_INET6, false);
	case NET_IPV4_GW:
	case NET_IPV6_GW: {
		unsigned char buf[16];
		return strcmp(v, "auto") == 0 || strcmp(v, "dev") == 0 ||
		       inet_pton(sk->check == NET_IPV4_GW ? AF_INET : AF_INET6, v, buf) == 1;
	}
	case NET_IPV4_ROUTE: return net_cidr(a, v, AF_INET, true);
	case NET_IPV6_ROUTE: return net_cidr(a, v, AF_INET6, true);
	case NET_VLAN_NONE:
		if (strcmp(v, "none") == 0)
			return true;
		return value_parse_u64(v, 4094, &n) == 0;
	case NET_VLAN: return value_parse_u64(v, 4094, &n) == 0;
	case NET_QUEUES: return value_parse_u64(v, 4096, &n) == 0 && n >= 1;
	case NET_BOOL: return strcmp(v, "0") == 0 || strcmp(v, "1") == 0;
	case NET_WORD:
		for (const char *const *p = sk->words; *p; p++)
			if (strcmp(v, *p) == 0)
				return true;
		return false;
	}
	return false;
}

static struct cdn_net *net_get(struct compile_ctx *ctx, uint32_t index, unsigned *ret_pos)
{
	struct cdn_policy *p = ctx->pol;
	for (unsigned i = 0; i < p->n_nets; i++)
		if (p->nets[i].index == index) {
			*ret_pos = i;
			return &p->nets[i];
		}
	struct cdn_net *n = POLICY_PUSH(p, nets);
	n->index = index;
	n->type = CDN_NET_EMPTY;
	ctx->ks.net_type_loc = arena_grow(&p->arena, ctx->ks.net_type_loc,
					  sizeof(*ctx->ks.net_type_loc), &ctx->ks.cap_net_type_loc,
					  p->n_nets);
	ctx->ks.net_type_loc[p->n_nets - 1] = (struct cdn_loc){ 0 };
	*ret_pos = p->n_nets - 1;
	return n;
}

static void net_remove_attr(struct cdn_net *n, const char *name)
{
	unsigned j = 0;
	for (unsigned i = 0; i < n->n_attrs; i++)
		if (strcmp(n->attrs[i].key, name) != 0)
			n->attrs[j++] = n->attrs[i];
	n->n_attrs = j;
}

static void net_bad_key(struct compile_ctx *ctx, const struct cfg_line *line, size_t off,
			const char *sub)
{
	struct cdn_loc loc = line->key_loc;
	const char *names[ARRAY_SIZE(net_subkeys)];
	if (loc.col)
		loc.col += (unsigned)off;
	if (!sub) {
		diag_error(ctx->diag, loc, "invalid network key '%s': expected 'lxc.net.N.SUBKEY' "
			   "with N a number", line->key);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(net_subkeys); i++)
		names[i] = net_subkeys[i].name;
	const char *s = diag_did_you_mean(sub, names, ARRAY_SIZE(names));
	diag_error(ctx->diag, loc, "unknown network key '%s'%s%s%s", sub,
		   s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
}

KEY_ROW_FN(key_net)
{
	struct cdn_policy *p = ctx->pol;
	const char *rest = line->key + strlen(row->name);
	size_t digits = strspn(rest, "0123456789");
	uint64_t index;

	if (digits == 0 || rest[digits] != '.' || rest[digits + 1] == '\0' ||
	    value_parse_u64(arena_strndup(&p->arena, rest, digits), UINT32_MAX, &index) < 0) {
		net_bad_key(ctx, line, 0, NULL);
		return;
	}
	const char *sub = rest + digits + 1;
	const struct net_subkey *sk = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(net_subkeys); i++)
		if (strcmp(sub, net_subkeys[i].name) == 0)
			sk = &net_subkeys[i];
	if (!sk) {
		net_bad_key(ctx, line, (size_t)(sub - line->key), sub);
		return;
	}
	unsigned pos;
	struct cdn_net *n = net_get(ctx, (uint32_t)index, &pos);
	if (value_empty(line->value)) {
		if (sk->check == NET_TYPE)
			n->type = CDN_NET_EMPTY;
		net_remove_attr(n, sk->name);
		return;
	}
	uint8_t type = 0;
	if (!net_value_ok(ctx, line, sk, &type)) {
		value_error(ctx, line, 0, "invalid value '%s' for '%s': expected %s", line->value,
			    line->key, sk->check == NET_WORD ? net_words(&p->arena, sk->words)
							      : net_expect(sk));
		return;
	}
	if (sk->check == NET_TYPE) {
		n->type = type;
		ctx->ks.net_type_loc[pos] = line->key_loc;
		return;
	}
	if (!sk->list)
		net_remove_attr(n, sk->name);
	n->attrs = arena_grow(&p->arena, n->attrs, sizeof(*n->attrs), &n->cap_attrs, n->n_attrs + 1);
	n->attrs[n->n_attrs++] = (struct cdn_kv){ sk->name, arena_strdup(&p->arena, line->value) };
}

KEY_ROW_FN(key_net_all)
{
	if (value_empty(line->value)) {
		ctx->pol->n_nets = 0;
		return;
	}
	diag_error(ctx->diag, line->key_loc,
		   "'lxc.net' takes no value (it only clears): use 'lxc.net.N.SUBKEY'");
}

static bool net_has(const struct cdn_net *n, const char *name)
{
	for (unsigned i = 0; i < n->n_attrs; i++)
		if (strcmp(n->attrs[i].key, name) == 0)
			return true;
	return false;
}

void key_net_check(struct compile_ctx *ctx)
{
	struct cdn_policy *p = ctx->pol;
	for (unsigned i = 0; i < p->n_nets; i++) {
		const struct cdn_net *n = &p->nets[i];
		struct cdn_loc loc = ctx->ks.net_type_loc[i];
		const char *tname = policy_net_type_name(n->type);
		if (!loc.file)
			continue;
		if ((n->type == CDN_NET_MACVLAN || n->type == CDN_NET_IPVLAN ||
		     n->type == CDN_NET_VLAN || n->type == CDN_NET_PHYS) && !net_has(n, "link"))
			diag_error(ctx->diag, loc, "'lxc.net.%u.type = %s' needs 'lxc.net.%u.link'",
				   n->index, tname, n->index);
		for (unsigned a = 0; a < n->n_attrs; a++) {
			for (size_t k = 0; k < ARRAY_SIZE(net_subkeys); k++) {
				const struct net_subkey *sk = &net_subkeys[k];
				if (strcmp(sk->name, n->attrs[a].key) != 0 || sk->only < 0 ||
				    sk->only == n->type)
					continue;
				if (a > 0 && strcmp(n->attrs[a - 1].key, sk->name) == 0)
					continue;
				diag_warning(ctx->diag, loc,
					     "'lxc.net.%u.%s' has no effect on a '%s' network",
					     n->index, sk->name, tname);
			}
		}
	}
}

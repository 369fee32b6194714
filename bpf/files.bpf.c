// SPDX-License-Identifier: Apache-2.0
/*
 * Opens of watched files, filtered IN THE KERNEL against rk_cfg.rules (prefix, suffix,
 * substring) and counted by (cgroup, executable, workload tag, rule, path). Paths are the
 * ones passed to open(): a relative path is matched as if it started with "/", so suffix
 * rules such as "/.aws/credentials" still match; prefix rules need an absolute path.
 */
#include "rk_common.bpf.h"

#define RK_BUF 512 /* scratch: '/' + path (<= RK_PATH_MAX) with room for masked indexing */

struct rk_open_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct rk_open_key);
	__type(value, struct rk_agg_val);
};

struct rk_open_map rk_opens_a SEC(".maps");
struct rk_open_map rk_opens_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct rk_open_map);
} rk_opens SEC(".maps") = {
	.values = { [0] = &rk_opens_a },
};

struct rk_path_scratch {
	char buf[RK_BUF];
	__u32 len; /* bytes in buf (leading '/' included) */
	__u32 rule;
	struct rk_open_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rk_path_scratch);
} rk_path_scratch SEC(".maps");

static int rk_contains_at(__u32 pos, struct rk_path_scratch *s)
{
	__u32 rule = s->rule;
	if (rule >= RK_MAX_RULES)
		return 1;
	__u8 clen = rk_cfg.rules[rule].contains_len;
	if (pos + clen > s->len)
		return 1; /* stop: no room left */
	for (int i = 0; i < 32; i++) {
		if (i >= clen)
			return 2; /* found */
		if (s->buf[(pos + i) & (RK_BUF - 1)] != rk_cfg.rules[rule].contains[i])
			return 0;
	}
	return 2;
}

struct rk_contains_ctx {
	struct rk_path_scratch *s;
	bool found;
};

static long rk_contains_cb(__u64 pos, void *data)
{
	struct rk_contains_ctx *c = data;
	struct rk_path_scratch *s = c->s;
	if (!s)
		return 1;
	int r = rk_contains_at(pos, s);
	if (r == 2) {
		c->found = true;
		return 1;
	}
	return r;
}

static __noinline bool rk_rule_matches(struct rk_path_scratch *s, __u32 rule)
{
	if (!s || rule >= RK_MAX_RULES)
		return false;
	__u32 n = s->len;
	__u8 plen = rk_cfg.rules[rule].prefix_len;
	__u8 slen = rk_cfg.rules[rule].suffix_len;
	__u8 clen = rk_cfg.rules[rule].contains_len;
	if (plen == 0 && slen == 0 && clen == 0)
		return false;
	if (plen) {
		if (s->buf[1] != '/' || plen + 1 > n)
			return false;
		for (int i = 0; i < 64; i++) {
			if (i >= plen)
				break;
			if (s->buf[(1 + i) & (RK_BUF - 1)] != rk_cfg.rules[rule].prefix[i])
				return false;
		}
	}
	if (slen) {
		if (slen > n)
			return false;
		__u32 base = n - slen;
		for (int i = 0; i < 32; i++) {
			if (i >= slen)
				break;
			if (s->buf[(base + i) & (RK_BUF - 1)] != rk_cfg.rules[rule].suffix[i])
				return false;
		}
	}
	if (clen) {
		struct rk_contains_ctx c = { .s = s, .found = false };
		s->rule = rule;
		bpf_loop(RK_PATH_MAX + 1, rk_contains_cb, &c, 0);
		if (!c.found)
			return false;
	}
	return true;
}

static __always_inline int rk_open(const char *filename)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	rk_count(RK_C_OPEN_CHECKED);
	__u32 n_rules = rk_cfg.n_rules;
	if (n_rules == 0 || rk_is_self(tgid))
		return 0;
	__u32 zero = 0;
	struct rk_path_scratch *s = bpf_map_lookup_elem(&rk_path_scratch, &zero);
	if (!s)
		return 0;
	s->buf[0] = '/';
	long r = bpf_probe_read_user_str(&s->buf[1], RK_PATH_MAX, filename);
	if (r <= 1)
		return 0;
	s->len = r; /* '/' + (r - 1) path bytes */

	/* Most opens match no rule: reject them on the suffix's last 3 bytes and the prefix's
	 * first 4 bytes before any byte-by-byte compare. */
	__u32 n = s->len;
	__u32 tail = (__u32)(__u8)s->buf[(n - 3) & (RK_BUF - 1)] | ((__u32)(__u8)s->buf[(n - 2) & (RK_BUF - 1)] << 8) |
		     ((__u32)(__u8)s->buf[(n - 1) & (RK_BUF - 1)] << 16);
	__u32 head = (__u32)(__u8)s->buf[1] | ((__u32)(__u8)s->buf[2] << 8) | ((__u32)(__u8)s->buf[3] << 16) |
		     ((__u32)(__u8)s->buf[4] << 24);

	int hit = -1;
	for (__u32 i = 0; i < RK_MAX_RULES; i++) {
		if (i >= n_rules)
			break;
		if (rk_cfg.rules[i].suffix_len >= 3 && (n < 3 || rk_cfg.rules[i].suffix_tail != tail))
			continue;
		if (rk_cfg.rules[i].prefix_len >= 4 && rk_cfg.rules[i].prefix_head != head)
			continue;
		if (rk_rule_matches(s, i)) {
			hit = i;
			break;
		}
	}
	if (hit < 0)
		return 0;
	rk_count(RK_C_OPEN_SEEN);

	struct rk_open_key *key = &s->key;
	__builtin_memset(key, 0, sizeof(*key));
	struct task_struct *task = bpf_get_current_task_btf();
	key->cgroup_id = bpf_get_current_cgroup_id();
	rk_exe_of(task, &key->exe_ino, &key->exe_dev);
	key->tag = rk_tag_of(tgid);
	key->rule = hit;
	long m = bpf_probe_read_user_str(key->path, sizeof(key->path), filename);
	key->path_len = m > 0 ? m - 1 : 0;
	void *inner = bpf_map_lookup_elem(&rk_opens, &zero);
	if (inner)
		rk_agg_add(inner, key, RK_C_OPEN_MAPFULL, tgid);
	return 0;
}

SEC("tp/syscalls/sys_enter_openat")
int rk_openat(struct trace_event_raw_sys_enter *ctx)
{
	return rk_open((const char *)ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_openat2")
int rk_openat2(struct trace_event_raw_sys_enter *ctx)
{
	return rk_open((const char *)ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_open")
int rk_open_legacy(struct trace_event_raw_sys_enter *ctx)
{
	return rk_open((const char *)ctx->args[0]);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel-side helpers and the maps every probe family shares. Included by each
 * <family>.bpf.c; the objects are linked into one (bpftool gen object), so shared maps and
 * the configuration are __weak definitions that the linker merges into one.
 */
#ifndef RK_COMMON_BPF_H
#define RK_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "rk_events.h"

#define RK_AF_INET 2
#define RK_AF_INET6 10

/* Load-time configuration; user space fills it in the skeleton's rodata before load. */
const volatile struct rk_config rk_cfg __weak = {};

/* Lineage events only (exec, fork, exit); size set by user space before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rk_events SEC(".maps") __weak;

/* Per-CPU counters, index = enum rk_counter. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RK_C__MAX);
	__type(key, __u32);
	__type(value, __u64);
} rk_stats SEC(".maps") __weak;

/* tgid -> workload tag (root tgid of an agent process tree); inherited at fork. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u32);
} rk_tags SEC(".maps") __weak;

static __always_inline void rk_count(__u32 counter)
{
	__u64 *v = bpf_map_lookup_elem(&rk_stats, &counter);
	if (v)
		*v += 1; /* per-CPU slot: no atomics needed */
}

static __always_inline __u32 rk_tag_of(__u32 tgid)
{
	__u32 *t = bpf_map_lookup_elem(&rk_tags, &tgid);
	return t ? *t : 0;
}

static __always_inline bool rk_is_self(__u32 tgid)
{
	return rk_cfg.self_tgid != 0 && tgid == rk_cfg.self_tgid;
}

/* Identity of the running executable: inode and device of mm->exe_file. */
static __always_inline void rk_exe_of(struct task_struct *task, __u64 *ino, __u32 *dev)
{
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);
	if (!exe) {
		*ino = 0;
		*dev = 0;
		return;
	}
	*ino = BPF_CORE_READ(exe, f_inode, i_ino);
	*dev = BPF_CORE_READ(exe, f_inode, i_sb, s_dev);
}

/*
 * Count one observation in an aggregation hash map: existing key -> count++ and last seen;
 * new key -> insert; a refused insert (map full) -> the family's mapfull counter.
 */
static __always_inline void rk_agg_add(void *map, const void *key, __u32 mapfull_counter,
				       __u32 pid)
{
	__u64 now = bpf_ktime_get_ns();
	struct rk_agg_val *v = bpf_map_lookup_elem(map, key);
	if (v) {
		__sync_fetch_and_add(&v->count, 1);
		v->last_ns = now;
		v->last_pid = pid;
		return;
	}
	struct rk_agg_val nv = {};
	nv.count = 1;
	nv.first_ns = now;
	nv.last_ns = now;
	nv.last_pid = pid;
	bpf_get_current_comm(nv.comm, sizeof(nv.comm));
	long err = bpf_map_update_elem(map, key, &nv, BPF_NOEXIST);
	if (err == -17 /* EEXIST: another CPU inserted it first */) {
		v = bpf_map_lookup_elem(map, key);
		if (v)
			__sync_fetch_and_add(&v->count, 1);
	} else if (err) {
		rk_count(mapfull_counter);
	}
}

#endif /* RK_COMMON_BPF_H */

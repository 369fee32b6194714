// SPDX-License-Identifier: Apache-2.0
/* Process lineage: exec, fork, exit. The only family that writes the ring buffer. */
#include "rk_common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

static __always_inline bool rk_comm_is_agent(const char *comm)
{
	__u8 n = rk_cfg.agent_comm_len;
	if (n == 0 || n >= RK_COMM_LEN)
		return false;
	for (int i = 0; i < RK_COMM_LEN; i++) {
		if (i == n)
			return comm[i] == 0;
		if (comm[i] != rk_cfg.agent_comm[i])
			return false;
	}
	return false;
}

SEC("tp/sched/sched_process_exec")
int rk_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	rk_count(RK_C_EXEC_SEEN);
	if (rk_is_self(tgid))
		return 0;

	char comm[RK_COMM_LEN] = {};
	bpf_get_current_comm(comm, sizeof(comm));
	__u32 tag = rk_tag_of(tgid);
	if (tag == 0 && rk_comm_is_agent(comm)) {
		tag = tgid;
		if (bpf_map_update_elem(&rk_tags, &tgid, &tag, BPF_ANY))
			rk_count(RK_C_TAG_MAPFULL);
	}

	struct rk_exec_event *e = bpf_ringbuf_reserve(&rk_events, sizeof(*e), 0);
	if (!e) {
		rk_count(RK_C_EXEC_LOST);
		return 0;
	}
	e->env.op = RK_OP_EXEC;
	e->env.version = RK_EVENT_VERSION;
	e->env.size = sizeof(*e);
	e->env.ts_ns = bpf_ktime_get_ns();
	e->pid = tgid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->tag = tag;
	e->start_ns = BPF_CORE_READ(task, group_leader, start_time);
	e->pstart_ns = BPF_CORE_READ(task, real_parent, group_leader, start_time);
	e->cgroup_id = bpf_get_current_cgroup_id();
	rk_exe_of(task, &e->exe_ino, &e->exe_dev);
	__builtin_memcpy(e->comm, comm, sizeof(comm));

	unsigned int off = ctx->__data_loc_filename & 0xFFFF;
	long n = bpf_probe_read_kernel_str(e->path, sizeof(e->path), (void *)ctx + off);
	e->path_len = n > 0 ? n - 1 : 0;

	unsigned long astart = BPF_CORE_READ(task, mm, arg_start);
	unsigned long aend = BPF_CORE_READ(task, mm, arg_end);
	unsigned long alen = aend > astart ? aend - astart : 0;
	if (alen > RK_ARGS_MAX)
		alen = RK_ARGS_MAX;
	if (bpf_probe_read_user(e->args, alen, (void *)astart) != 0)
		alen = 0;
	e->args_len = alen;

	/* Wake the poller only when the buffer fills; otherwise it drains on its own interval. */
	__u64 avail = bpf_ringbuf_query(&rk_events, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(&rk_events, BPF_RB_RING_SIZE);
	bpf_ringbuf_submit(e, avail > size / 4 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(rk_fork, struct task_struct *parent, struct task_struct *child)
{
	if (child->pid != child->tgid)
		return 0; /* a thread, not a process */
	rk_count(RK_C_FORK_SEEN);
	__u32 ptgid = parent->tgid;
	__u32 ctgid = child->tgid;
	if (rk_is_self(ptgid))
		return 0;
	__u32 tag = rk_tag_of(ptgid);
	if (tag && bpf_map_update_elem(&rk_tags, &ctgid, &tag, BPF_ANY))
		rk_count(RK_C_TAG_MAPFULL);

	struct rk_fork_event *e = bpf_ringbuf_reserve(&rk_events, sizeof(*e), 0);
	if (!e) {
		rk_count(RK_C_FORK_LOST);
		return 0;
	}
	e->env.op = RK_OP_FORK;
	e->env.version = RK_EVENT_VERSION;
	e->env.size = sizeof(*e);
	e->env.ts_ns = bpf_ktime_get_ns();
	e->pid = ctgid;
	e->ppid = ptgid;
	e->tag = tag;
	e->_pad0 = 0;
	e->start_ns = child->start_time;
	e->pstart_ns = parent->group_leader->start_time;
	__u64 avail = bpf_ringbuf_query(&rk_events, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(&rk_events, BPF_RB_RING_SIZE);
	bpf_ringbuf_submit(e, avail > size / 4 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int rk_exit(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	if ((__u32)id != tgid)
		return 0; /* a thread ended, not the process */
	rk_count(RK_C_EXIT_SEEN);
	if (rk_is_self(tgid))
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tag = rk_tag_of(tgid);
	if (tag)
		bpf_map_delete_elem(&rk_tags, &tgid);

	struct rk_exit_event *e = bpf_ringbuf_reserve(&rk_events, sizeof(*e), 0);
	if (!e) {
		rk_count(RK_C_EXIT_LOST);
		return 0;
	}
	e->env.op = RK_OP_EXIT;
	e->env.version = RK_EVENT_VERSION;
	e->env.size = sizeof(*e);
	e->env.ts_ns = bpf_ktime_get_ns();
	e->pid = tgid;
	e->exit_code = BPF_CORE_READ(task, exit_code);
	e->tag = tag;
	e->_pad0 = 0;
	e->start_ns = BPF_CORE_READ(task, start_time);
	__u64 avail = bpf_ringbuf_query(&rk_events, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(&rk_events, BPF_RB_RING_SIZE);
	bpf_ringbuf_submit(e, avail > size / 4 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	return 0;
}

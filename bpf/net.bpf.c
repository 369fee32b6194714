// SPDX-License-Identifier: Apache-2.0
/*
 * TCP connect and accept, IPv4 and IPv6, counted in the kernel by
 * (cgroup, executable, workload tag, peer, port, protocol, direction).
 *
 * connect: sock:inet_sock_set_state CLOSE -> SYN_SENT runs in the connecting task.
 * accept: syscalls accept/accept4 exit, in the accepting task; the new socket is read from
 * the returned file descriptor.
 */
#include "rk_common.bpf.h"

struct rk_flow_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct rk_flow_key);
	__type(value, struct rk_agg_val);
};

/* Two generations: programs write the one slot 0 of rk_flows points to; user space swaps. */
struct rk_flow_map rk_flows_a SEC(".maps");
struct rk_flow_map rk_flows_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct rk_flow_map);
} rk_flows SEC(".maps") = {
	.values = { [0] = &rk_flows_a },
};

static __always_inline void rk_flow_add(struct rk_flow_key *key, __u32 mapfull, __u32 tgid)
{
	__u32 zero = 0;
	void *inner = bpf_map_lookup_elem(&rk_flows, &zero);
	if (inner)
		rk_agg_add(inner, key, mapfull, tgid);
}

SEC("tp/sock/inet_sock_set_state")
int rk_tcp_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	if (ctx->oldstate != TCP_CLOSE || ctx->newstate != TCP_SYN_SENT)
		return 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	rk_count(RK_C_CONNECT_SEEN);
	if (rk_is_self(tgid))
		return 0;

	struct rk_flow_key key = {};
	struct task_struct *task = bpf_get_current_task_btf();
	key.cgroup_id = bpf_get_current_cgroup_id();
	rk_exe_of(task, &key.exe_ino, &key.exe_dev);
	key.tag = rk_tag_of(tgid);
	key.family = ctx->family;
	key.proto = IPPROTO_TCP;
	key.dir = RK_DIR_CONNECT;
	key.port = ctx->dport;
	if (ctx->family == RK_AF_INET) {
		__builtin_memcpy(key.raddr, ctx->daddr, 4);
		__builtin_memcpy(key.laddr, ctx->saddr, 4);
	} else if (ctx->family == RK_AF_INET6) {
		/* ctx pointer arithmetic is refused by the verifier: copy through the helper */
		bpf_probe_read_kernel(key.raddr, 16, ctx->daddr_v6);
		bpf_probe_read_kernel(key.laddr, 16, ctx->saddr_v6);
	} else {
		return 0;
	}
	rk_flow_add(&key, RK_C_CONNECT_MAPFULL, tgid);
	return 0;
}

static __always_inline int rk_accepted(long fd)
{
	if (fd < 0)
		return 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	rk_count(RK_C_ACCEPT_SEEN);
	if (rk_is_self(tgid))
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	unsigned int max = BPF_CORE_READ(task, files, fdt, max_fds);
	if (!fds || fd >= max)
		return 0;
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	if (!f)
		return 0;
	struct socket *sock = BPF_CORE_READ(f, private_data);
	if (!sock)
		return 0;
	struct sock *sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;

	struct rk_flow_key key = {};
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	key.cgroup_id = bpf_get_current_cgroup_id();
	rk_exe_of(task, &key.exe_ino, &key.exe_dev);
	key.tag = rk_tag_of(tgid);
	key.family = family;
	key.proto = IPPROTO_TCP;
	key.dir = RK_DIR_ACCEPT;
	key.port = BPF_CORE_READ(sk, __sk_common.skc_num);
	if (family == RK_AF_INET) {
		__u32 d = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__u32 s = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__builtin_memcpy(key.raddr, &d, 4);
		__builtin_memcpy(key.laddr, &s, 4);
	} else if (family == RK_AF_INET6) {
		BPF_CORE_READ_INTO(&key.raddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&key.laddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
	} else {
		return 0;
	}
	rk_flow_add(&key, RK_C_ACCEPT_MAPFULL, tgid);
	return 0;
}

SEC("tp/syscalls/sys_exit_accept4")
int rk_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return rk_accepted(ctx->ret);
}

SEC("tp/syscalls/sys_exit_accept")
int rk_accept(struct trace_event_raw_sys_exit *ctx)
{
	return rk_accepted(ctx->ret);
}

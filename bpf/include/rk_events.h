/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rk_events.h: the ONE header shared by the kernel side (bpf/<family>.bpf.c) and the user side
 * (native/src/<file>.cc). Every ring-buffer event starts with struct rk_envelope; every struct has
 * explicit padding so both compilers lay it out identically. native/src/convert.cc
 * static_asserts sizes and offsets, so drift breaks the build instead of corrupting data.
 *
 * Rules: op numbers are never reused; a layout change bumps RK_EVENT_VERSION.
 */
#ifndef RK_EVENTS_H
#define RK_EVENTS_H

#if !defined(__bpf__)
#include <linux/types.h>
#endif

#define RK_EVENT_VERSION 1

#define RK_PATH_MAX 256 /* executable and watched-file paths (power of two) */
#define RK_ARGS_MAX 256 /* argv bytes, NUL separated, truncated */
#define RK_COMM_LEN 16
#define RK_DNS_NAME_MAX 128 /* DNS question name, wire format (length-prefixed labels) */
#define RK_DNS_MAX_ADDRS 4
#define RK_MAX_RULES 24
#define RK_MAX_DNS_PORTS 4

/* Ring-buffer event ops (lineage only). Never reuse a number. */
enum rk_op {
	RK_OP_EXEC = 1,
	RK_OP_FORK = 2,
	RK_OP_EXIT = 3,
};

/* Directions of an aggregated flow. */
enum rk_dir {
	RK_DIR_CONNECT = 1,
	RK_DIR_ACCEPT = 2,
};

/* Classes of watched files (the rule says which). */
enum rk_file_class {
	RK_FILE_CREDENTIAL = 1,
	RK_FILE_MODEL = 2,
	RK_FILE_AGENT_PACKAGE = 3,
	RK_FILE_OTHER = 4,
};

/*
 * Per-probe counters (per-CPU array rk_stats, index = counter). "lost" = ring buffer reserve
 * failed; "mapfull" = an aggregation map refused a new key. Never reuse a number.
 */
enum rk_counter {
	RK_C_EXEC_SEEN = 0,
	RK_C_EXEC_LOST = 1,
	RK_C_FORK_SEEN = 2,
	RK_C_FORK_LOST = 3,
	RK_C_EXIT_SEEN = 4,
	RK_C_EXIT_LOST = 5,
	RK_C_CONNECT_SEEN = 6,
	RK_C_CONNECT_MAPFULL = 7,
	RK_C_ACCEPT_SEEN = 8,
	RK_C_ACCEPT_MAPFULL = 9,
	RK_C_DNS_SEEN = 10,
	RK_C_DNS_MAPFULL = 11,
	RK_C_DNS_PARSE_ERR = 12,
	RK_C_DNS_ANSWER_SEEN = 13,
	RK_C_DNS_ANSWER_MAPFULL = 14,
	RK_C_OPEN_CHECKED = 15,
	RK_C_OPEN_SEEN = 16,
	RK_C_OPEN_MAPFULL = 17,
	RK_C_TAG_MAPFULL = 18,
	RK_C__MAX = 19,
};

/* 16 bytes, at the start of every ring-buffer event. */
struct rk_envelope {
	__u16 op;      /* enum rk_op */
	__u16 version; /* RK_EVENT_VERSION */
	__u32 size;    /* sizeof the whole event */
	__u64 ts_ns;   /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
};

/* A process image was replaced (execve). 600 bytes. */
struct rk_exec_event {
	struct rk_envelope env;
	__u32 pid;  /* tgid */
	__u32 ppid; /* real parent tgid */
	__u32 uid;
	__u32 tag;        /* workload tag: root tgid of the agent tree, 0 = none */
	__u64 start_ns;   /* task start time (ns since boot): pid + start = process identity */
	__u64 pstart_ns;  /* parent start time */
	__u64 cgroup_id;  /* cgroup v2 id */
	__u64 exe_ino;    /* inode of the new executable */
	__u32 exe_dev;    /* device of the new executable */
	__u16 path_len;   /* bytes in path, NUL excluded */
	__u16 args_len;   /* bytes in args */
	char comm[RK_COMM_LEN];
	char path[RK_PATH_MAX];
	char args[RK_ARGS_MAX];
};

/* A new process (not a thread) was forked. 48 bytes. */
struct rk_fork_event {
	struct rk_envelope env;
	__u32 pid;
	__u32 ppid;
	__u32 tag;
	__u32 _pad0;
	__u64 start_ns;
	__u64 pstart_ns;
};

/* A process (thread group leader) exited. 40 bytes. */
struct rk_exit_event {
	struct rk_envelope env;
	__u32 pid;
	__s32 exit_code; /* raw wait status */
	__u32 tag;
	__u32 _pad0;
	__u64 start_ns;
};

/* Aggregation key of a TCP flow: (cgroup, executable, workload tag, peer, port, protocol, dir). 64 bytes. */
struct rk_flow_key {
	__u64 cgroup_id;
	__u64 exe_ino;
	__u32 exe_dev;
	__u32 tag;
	__u8 raddr[16]; /* remote address; IPv4 in the first 4 bytes */
	__u8 laddr[16]; /* local address */
	__u16 port;     /* connect: remote port; accept: local (listening) port */
	__u8 family;    /* 2 = AF_INET, 10 = AF_INET6 */
	__u8 proto;     /* 6 = TCP */
	__u8 dir;       /* enum rk_dir */
	__u8 _pad0[3];
};

/* Value of every aggregation map: how often, first/last seen, the last process. 48 bytes. */
struct rk_agg_val {
	__u64 count;
	__u64 first_ns;
	__u64 last_ns;
	__u32 last_pid;
	__u32 _pad0;
	char comm[RK_COMM_LEN];
};

/* Aggregation key of a watched-file open. 288 bytes. */
struct rk_open_key {
	__u64 cgroup_id;
	__u64 exe_ino;
	__u32 exe_dev;
	__u32 tag;
	__u16 rule;     /* index into rk_config.rules */
	__u16 path_len; /* bytes in path */
	__u32 _pad0;
	char path[RK_PATH_MAX]; /* as passed to open(); zero padded */
};

/* Aggregation key of a DNS question sent. 160 bytes. */
struct rk_dns_key {
	__u64 cgroup_id;
	__u64 exe_ino;
	__u32 exe_dev;
	__u32 tag;
	__u16 qtype;
	__u16 name_len; /* wire bytes incl. the final zero label */
	__u32 _pad0;
	__u8 name[RK_DNS_NAME_MAX]; /* wire format, zero padded */
};

/* Key of the last answer seen for a question. 136 bytes. */
struct rk_dns_answer_key {
	__u16 qtype;
	__u16 name_len;
	__u32 _pad0;
	__u8 name[RK_DNS_NAME_MAX];
};

/* Up to RK_DNS_MAX_ADDRS addresses of the last answer. 88 bytes. */
struct rk_dns_answer_val {
	__u64 last_ns;
	__u32 naddr;
	__u32 _pad0;
	__u8 addr[RK_DNS_MAX_ADDRS][16];
	__u8 family[RK_DNS_MAX_ADDRS];
	__u32 _pad1;
};

/* One watched-path rule: every non-empty part must match. 144 bytes. */
struct rk_file_rule {
	char prefix[64];   /* absolute path prefix */
	char suffix[32];   /* path suffix; a relative path is matched as if it started with "/" */
	char contains[32]; /* substring that must occur */
	__u8 prefix_len;
	__u8 suffix_len;
	__u8 contains_len;
	__u8 klass; /* enum rk_file_class */
	/* Fast rejection, filled by user space: the suffix's last 3 bytes (suffix_len >= 3) and
	 * the prefix's first 4 bytes (prefix_len >= 4), little-endian. */
	__u32 suffix_tail;
	__u32 prefix_head;
	__u32 _pad0;
};

/* Load-time configuration (a const volatile global, set before load). */
struct rk_config {
	__u32 self_tgid; /* the sensor's own process: ignored when non-zero */
	__u32 n_rules;
	__u16 dns_ports[RK_MAX_DNS_PORTS]; /* UDP ports that carry DNS; 0 = unused slot */
	char agent_comm[RK_COMM_LEN];      /* comm of the agent process that roots a workload tree */
	__u8 agent_comm_len;               /* 0 = no agent tree tracking */
	__u8 _pad0[7];
	struct rk_file_rule rules[RK_MAX_RULES];
};

#endif /* RK_EVENTS_H */

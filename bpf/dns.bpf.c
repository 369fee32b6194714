// SPDX-License-Identifier: Apache-2.0
/*
 * DNS over UDP, seen at the packet level (cgroup_skb on the cgroup v2 root), so it works for
 * any resolver library: glibc, musl, Go's resolver, c-ares, a hand-written client.
 *  egress,  UDP dst port in rk_cfg.dns_ports: a question -> counted in rk_dnsq by
 *           (cgroup, executable, workload tag, qtype, name)
 *  ingress, UDP src port in rk_cfg.dns_ports: an answer -> up to RK_DNS_MAX_ADDRS A/AAAA
 *           addresses kept in rk_dns_answers by (qtype, name)
 * Names stay in wire format in the kernel; user space decodes them. Every program returns 1:
 * the sensor never drops a packet.
 */
#include "rk_common.bpf.h"

#define RK_ETH_P_IP 0x0800
#define RK_ETH_P_IPV6 0x86DD
#define RK_MAX_ANSWERS 8

struct rk_dnsq_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct rk_dns_key);
	__type(value, struct rk_agg_val);
};

struct rk_dnsq_map rk_dnsq_a SEC(".maps");
struct rk_dnsq_map rk_dnsq_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct rk_dnsq_map);
} rk_dnsq SEC(".maps") = {
	.values = { [0] = &rk_dnsq_a },
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct rk_dns_answer_key);
	__type(value, struct rk_dns_answer_val);
} rk_dns_answers SEC(".maps");

struct rk_dns_name;

struct rk_dns_scratch {
	__u8 tmp[RK_DNS_NAME_MAX];
	struct rk_dns_key q;
	struct rk_dns_answer_key ak;
	struct rk_dns_answer_val av;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rk_dns_scratch);
} rk_dns_scratch SEC(".maps");

static __always_inline bool rk_is_dns_port(__u16 port)
{
	for (int i = 0; i < RK_MAX_DNS_PORTS; i++) {
		if (rk_cfg.dns_ports[i] && rk_cfg.dns_ports[i] == port)
			return true;
	}
	return false;
}

/* Offset of the UDP header, or 0 when the packet is not UDP. */
static __always_inline __u32 rk_udp_offset(struct __sk_buff *skb)
{
	if (skb->protocol == bpf_htons(RK_ETH_P_IP)) {
		__u8 vihl = 0, proto = 0;
		if (bpf_skb_load_bytes(skb, 0, &vihl, 1) || bpf_skb_load_bytes(skb, 9, &proto, 1))
			return 0;
		if (proto != IPPROTO_UDP)
			return 0;
		return (vihl & 0x0f) * 4;
	}
	if (skb->protocol == bpf_htons(RK_ETH_P_IPV6)) {
		__u8 next = 0;
		if (bpf_skb_load_bytes(skb, 6, &next, 1))
			return 0;
		return next == IPPROTO_UDP ? 40 : 0; /* extension headers: not followed */
	}
	return 0;
}

struct rk_dns_name {
	__u8 b[RK_DNS_NAME_MAX];
};

/*
 * Copy the question name (wire format) at off into dst, which the caller zeroed; returns its
 * length including the final zero label, or 0 when it does not parse. A global function, so
 * the verifier checks it once instead of once per caller state.
 */
__noinline int rk_read_qname(struct __sk_buff *skb, __u32 off, struct rk_dns_name *dst,
			     struct rk_dns_name *tmp)
{
	if (!skb || !dst || !tmp)
		return 0;
	__u32 avail = skb->len > off ? skb->len - off : 0;
	if (avail == 0)
		return 0;
	if (avail > RK_DNS_NAME_MAX)
		avail = RK_DNS_NAME_MAX;
	__u64 m = avail - 1;
	asm volatile("%[m] &= 0x7f" : [m] "+r"(m)); /* 0..127, visible to the verifier */
	m += 1;
	if (bpf_skb_load_bytes(skb, off, tmp->b, m))
		return 0;
	__u32 i = 0;
	__u32 end = 0;
	for (int l = 0; l < 64; l++) {
		if (i >= avail)
			return 0;
		__u8 len = tmp->b[i & (RK_DNS_NAME_MAX - 1)];
		if (len == 0) {
			end = i + 1;
			break;
		}
		if (len & 0xc0)
			return 0; /* compression in a question: not expected */
		i += len + 1;
	}
	if (end >= RK_DNS_NAME_MAX)
		return 0;
	__u64 n = end;
	/* a bound the verifier can see on the very register passed to the helper */
	asm volatile("%[n] &= 0x7f" : [n] "+r"(n));
	if (n == 0 || bpf_probe_read_kernel(dst->b, n, tmp->b))
		return 0;
	return n;
}

static __noinline int rk_dns_question(struct __sk_buff *skb, __u32 dns_off)
{
	__u32 zero = 0;
	struct rk_dns_scratch *s = bpf_map_lookup_elem(&rk_dns_scratch, &zero);
	if (!s)
		return 0;
	struct rk_dns_key *q = &s->q;
	__builtin_memset(q, 0, sizeof(*q));
	__u8 flags = 0;
	if (bpf_skb_load_bytes(skb, dns_off + 2, &flags, 1) || (flags & 0x80))
		return 0; /* not a query */
	__u32 n = rk_read_qname(skb, dns_off + 12, (struct rk_dns_name *)q->name, (struct rk_dns_name *)s->tmp);
	if (n == 0) {
		rk_count(RK_C_DNS_PARSE_ERR);
		return 0;
	}
	rk_count(RK_C_DNS_SEEN);
	__u16 qtype = 0;
	bpf_skb_load_bytes(skb, dns_off + 12 + n, &qtype, 2);
	q->qtype = bpf_ntohs(qtype);
	q->name_len = n;
	q->cgroup_id = bpf_skb_cgroup_id(skb);
	/* egress of a UDP send runs in the sending task */
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (rk_is_self(tgid))
		return 0;
	rk_exe_of(task, &q->exe_ino, &q->exe_dev);
	q->tag = rk_tag_of(tgid);
	void *inner = bpf_map_lookup_elem(&rk_dnsq, &zero);
	if (inner)
		rk_agg_add(inner, q, RK_C_DNS_MAPFULL, tgid);
	return 0;
}

static __noinline int rk_dns_answer(struct __sk_buff *skb, __u32 dns_off)
{
	__u32 zero = 0;
	struct rk_dns_scratch *s = bpf_map_lookup_elem(&rk_dns_scratch, &zero);
	if (!s)
		return 0;
	struct rk_dns_answer_key *k = &s->ak;
	struct rk_dns_answer_val *v = &s->av;
	__builtin_memset(k, 0, sizeof(*k));
	__builtin_memset(v, 0, sizeof(*v));
	__u8 hdr[12] = {};
	if (bpf_skb_load_bytes(skb, dns_off, hdr, 12) || !(hdr[2] & 0x80))
		return 0; /* not a response */
	__u32 n = rk_read_qname(skb, dns_off + 12, (struct rk_dns_name *)k->name, (struct rk_dns_name *)s->tmp);
	if (n == 0) {
		rk_count(RK_C_DNS_PARSE_ERR);
		return 0;
	}
	rk_count(RK_C_DNS_ANSWER_SEEN);
	__u16 qtype = 0;
	bpf_skb_load_bytes(skb, dns_off + 12 + n, &qtype, 2);
	k->qtype = bpf_ntohs(qtype);
	k->name_len = n;
	__u16 ancount = ((__u16)hdr[6] << 8) | hdr[7];
	__u32 pos = dns_off + 12 + n + 4;
	__u32 naddr = 0;
	for (int a = 0; a < RK_MAX_ANSWERS; a++) {
		if (a >= ancount)
			break;
		/*
		 * Owner name: resolvers answer with a compression pointer to the question (or the
		 * root label); anything else ends parsing, keeping the verifier's work bounded.
		 */
		__u8 len = 0;
		if (bpf_skb_load_bytes(skb, pos, &len, 1))
			goto done;
		if ((len & 0xc0) == 0xc0)
			pos += 2;
		else if (len == 0)
			pos += 1;
		else
			goto done;
		__u8 rr[10] = {};
		if (bpf_skb_load_bytes(skb, pos, rr, 10))
			goto done;
		__u16 type = ((__u16)rr[0] << 8) | rr[1];
		__u16 rdlen = ((__u16)rr[8] << 8) | rr[9];
		pos += 10;
		if (naddr < RK_DNS_MAX_ADDRS) {
			__u32 slot = naddr & (RK_DNS_MAX_ADDRS - 1);
			if (type == 1 && rdlen == 4) {
				if (bpf_skb_load_bytes(skb, pos, v->addr[slot], 4) == 0) {
					v->family[slot] = RK_AF_INET;
					naddr++;
				}
			} else if (type == 28 && rdlen == 16) {
				if (bpf_skb_load_bytes(skb, pos, v->addr[slot], 16) == 0) {
					v->family[slot] = RK_AF_INET6;
					naddr++;
				}
			}
		}
		pos += rdlen;
	}
done:
	v->naddr = naddr;
	v->last_ns = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&rk_dns_answers, k, v, BPF_ANY))
		rk_count(RK_C_DNS_ANSWER_MAPFULL);
	return 0;
}

static __always_inline void rk_dns(struct __sk_buff *skb, bool egress)
{
	__u32 udp = rk_udp_offset(skb);
	if (udp == 0)
		return;
	__u16 ports[2] = {};
	if (bpf_skb_load_bytes(skb, udp, ports, 4))
		return;
	__u16 sport = bpf_ntohs(ports[0]);
	__u16 dport = bpf_ntohs(ports[1]);
	if (egress && rk_is_dns_port(dport))
		rk_dns_question(skb, udp + 8);
	else if (!egress && rk_is_dns_port(sport))
		rk_dns_answer(skb, udp + 8);
}

SEC("cgroup_skb/egress")
int rk_dns_egress(struct __sk_buff *skb)
{
	rk_dns(skb, true);
	return 1;
}

SEC("cgroup_skb/ingress")
int rk_dns_ingress(struct __sk_buff *skb)
{
	rk_dns(skb, false);
	return 1;
}

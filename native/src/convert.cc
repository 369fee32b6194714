// SPDX-License-Identifier: Apache-2.0
#include "convert.h"

#include <arpa/inet.h>

#include <cstddef>
#include <cstring>

namespace rk {

// The layout contract with bpf/: drift breaks the build here instead of corrupting data.
static_assert(sizeof(rk_envelope) == 16, "rk_envelope size");
static_assert(offsetof(rk_envelope, ts_ns) == 8, "rk_envelope.ts_ns");
static_assert(sizeof(rk_exec_event) == 600, "rk_exec_event size");
static_assert(offsetof(rk_exec_event, pid) == 16, "rk_exec_event.pid");
static_assert(offsetof(rk_exec_event, start_ns) == 32, "rk_exec_event.start_ns");
static_assert(offsetof(rk_exec_event, cgroup_id) == 48, "rk_exec_event.cgroup_id");
static_assert(offsetof(rk_exec_event, exe_ino) == 56, "rk_exec_event.exe_ino");
static_assert(offsetof(rk_exec_event, exe_dev) == 64, "rk_exec_event.exe_dev");
static_assert(offsetof(rk_exec_event, comm) == 72, "rk_exec_event.comm");
static_assert(offsetof(rk_exec_event, path) == 88, "rk_exec_event.path");
static_assert(offsetof(rk_exec_event, args) == 344, "rk_exec_event.args");
static_assert(sizeof(rk_fork_event) == 48, "rk_fork_event size");
static_assert(offsetof(rk_fork_event, start_ns) == 32, "rk_fork_event.start_ns");
static_assert(sizeof(rk_exit_event) == 40, "rk_exit_event size");
static_assert(offsetof(rk_exit_event, start_ns) == 32, "rk_exit_event.start_ns");
static_assert(sizeof(rk_flow_key) == 64, "rk_flow_key size");
static_assert(offsetof(rk_flow_key, raddr) == 24, "rk_flow_key.raddr");
static_assert(offsetof(rk_flow_key, port) == 56, "rk_flow_key.port");
static_assert(sizeof(rk_agg_val) == 48, "rk_agg_val size");
static_assert(offsetof(rk_agg_val, comm) == 32, "rk_agg_val.comm");
static_assert(sizeof(rk_open_key) == 288, "rk_open_key size");
static_assert(offsetof(rk_open_key, path) == 32, "rk_open_key.path");
static_assert(sizeof(rk_dns_key) == 160, "rk_dns_key size");
static_assert(offsetof(rk_dns_key, name) == 32, "rk_dns_key.name");
static_assert(sizeof(rk_dns_answer_key) == 136, "rk_dns_answer_key size");
static_assert(sizeof(rk_dns_answer_val) == 88, "rk_dns_answer_val size");
static_assert(sizeof(rk_file_rule) == 144, "rk_file_rule size");
static_assert(offsetof(rk_file_rule, suffix_tail) == 132, "rk_file_rule.suffix_tail");
static_assert(offsetof(rk_config, rules) == 40, "rk_config.rules");

namespace {

std::string Str(const char* s, size_t max) { return std::string(s, strnlen(s, max)); }

Napi::String U64(Napi::Env env, uint64_t v) { return Napi::String::New(env, std::to_string(v)); }

std::string Ip(uint8_t family, const uint8_t* addr) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (!inet_ntop(family == 10 ? AF_INET6 : AF_INET, addr, buf, sizeof(buf))) return "";
  return buf;
}

Napi::Array Argv(Napi::Env env, const char* args, size_t len) {
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    if (args[i] == 0) {
      out.Set(n++, Napi::String::New(env, args + start, i - start));
      start = i + 1;
    }
  }
  if (start < len) out.Set(n++, Napi::String::New(env, args + start, len - start));  // cut by the bound
  return out;
}

void SetSubject(Napi::Object o, Napi::Env env, uint64_t cgroup, uint64_t ino, uint32_t dev, uint32_t tag) {
  o.Set("cgroupId", U64(env, cgroup));
  o.Set("exeIno", U64(env, ino));
  o.Set("exeDev", Napi::Number::New(env, dev));
  o.Set("tag", Napi::Number::New(env, tag));
}

void SetAgg(Napi::Object o, Napi::Env env, const rk_agg_val& v, const Clock& clock) {
  o.Set("count", Napi::Number::New(env, (double)v.count));
  o.Set("first", Napi::Number::New(env, clock.ToMs(v.first_ns)));
  o.Set("last", Napi::Number::New(env, clock.ToMs(v.last_ns)));
  o.Set("lastPid", Napi::Number::New(env, v.last_pid));
  o.Set("comm", Napi::String::New(env, Str(v.comm, sizeof(v.comm))));
}

Napi::Object ConvertExec(Napi::Env env, const rk_exec_event& e, const Clock& clock) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("op", "exec");
  o.Set("time", Napi::Number::New(env, clock.ToMs(e.env.ts_ns)));
  o.Set("pid", Napi::Number::New(env, e.pid));
  o.Set("ppid", Napi::Number::New(env, e.ppid));
  o.Set("uid", Napi::Number::New(env, e.uid));
  o.Set("tag", Napi::Number::New(env, e.tag));
  o.Set("start", U64(env, e.start_ns));
  o.Set("pstart", U64(env, e.pstart_ns));
  o.Set("cgroupId", U64(env, e.cgroup_id));
  o.Set("exeIno", U64(env, e.exe_ino));
  o.Set("exeDev", Napi::Number::New(env, e.exe_dev));
  o.Set("comm", Napi::String::New(env, Str(e.comm, sizeof(e.comm))));
  o.Set("path", Napi::String::New(env, Str(e.path, std::min<size_t>(e.path_len, sizeof(e.path)))));
  o.Set("argv", Argv(env, e.args, std::min<size_t>(e.args_len, sizeof(e.args))));
  o.Set("argvTruncated", Napi::Boolean::New(env, e.args_len >= RK_ARGS_MAX));
  return o;
}

Napi::Object ConvertFork(Napi::Env env, const rk_fork_event& e, const Clock& clock) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("op", "fork");
  o.Set("time", Napi::Number::New(env, clock.ToMs(e.env.ts_ns)));
  o.Set("pid", Napi::Number::New(env, e.pid));
  o.Set("ppid", Napi::Number::New(env, e.ppid));
  o.Set("tag", Napi::Number::New(env, e.tag));
  o.Set("start", U64(env, e.start_ns));
  o.Set("pstart", U64(env, e.pstart_ns));
  return o;
}

Napi::Object ConvertExit(Napi::Env env, const rk_exit_event& e, const Clock& clock) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("op", "exit");
  o.Set("time", Napi::Number::New(env, clock.ToMs(e.env.ts_ns)));
  o.Set("pid", Napi::Number::New(env, e.pid));
  o.Set("tag", Napi::Number::New(env, e.tag));
  o.Set("start", U64(env, e.start_ns));
  o.Set("exitCode", Napi::Number::New(env, e.exit_code));
  return o;
}

Napi::Object ConvertFlow(Napi::Env env, const Agg<rk_flow_key>& a, const Clock& clock) {
  Napi::Object o = Napi::Object::New(env);
  SetSubject(o, env, a.key.cgroup_id, a.key.exe_ino, a.key.exe_dev, a.key.tag);
  o.Set("dir", a.key.dir == RK_DIR_ACCEPT ? "accept" : "connect");
  o.Set("family", Napi::Number::New(env, a.key.family == 10 ? 6 : 4));
  o.Set("protocol", a.key.proto == 6 ? "TCP" : "UDP");
  o.Set("remote", Napi::String::New(env, Ip(a.key.family, a.key.raddr)));
  o.Set("local", Napi::String::New(env, Ip(a.key.family, a.key.laddr)));
  o.Set("port", Napi::Number::New(env, a.key.port));
  SetAgg(o, env, a.val, clock);
  return o;
}

Napi::Object ConvertOpen(Napi::Env env, const Agg<rk_open_key>& a, const Clock& clock) {
  Napi::Object o = Napi::Object::New(env);
  SetSubject(o, env, a.key.cgroup_id, a.key.exe_ino, a.key.exe_dev, a.key.tag);
  o.Set("rule", Napi::Number::New(env, a.key.rule));
  o.Set("path", Napi::String::New(env, Str(a.key.path, std::min<size_t>(a.key.path_len, sizeof(a.key.path)))));
  SetAgg(o, env, a.val, clock);
  return o;
}

Napi::Object ConvertDns(Napi::Env env, const DnsAgg& a, const Clock& clock) {
  Napi::Object o = Napi::Object::New(env);
  SetSubject(o, env, a.key.cgroup_id, a.key.exe_ino, a.key.exe_dev, a.key.tag);
  o.Set("qtype", Napi::Number::New(env, a.key.qtype));
  o.Set("name", Napi::String::New(env, DecodeDnsName(a.key.name, std::min<size_t>(a.key.name_len, sizeof(a.key.name)))));
  Napi::Array answers = Napi::Array::New(env);
  if (a.has_answer) {
    uint32_t n = std::min<uint32_t>(a.answer.naddr, RK_DNS_MAX_ADDRS);
    for (uint32_t i = 0; i < n; i++) answers.Set(i, Napi::String::New(env, Ip(a.answer.family[i], a.answer.addr[i])));
  }
  o.Set("answers", answers);
  SetAgg(o, env, a.val, clock);
  return o;
}

}  // namespace

static const char* const kCounterNames[RK_C__MAX] = {
    "execSeen",   "execLost",        "forkSeen",        "forkLost",          "exitSeen",
    "exitLost",   "connectSeen",     "connectMapFull",  "acceptSeen",        "acceptMapFull",
    "dnsSeen",    "dnsMapFull",      "dnsParseErrors",  "dnsAnswerSeen",     "dnsAnswerMapFull",
    "openChecked", "openSeen",       "openMapFull",     "tagMapFull",
};

const char* CounterName(unsigned counter) { return counter < RK_C__MAX ? kCounterNames[counter] : "unknown"; }

std::string DecodeDnsName(const uint8_t* wire, size_t len) {
  std::string out;
  size_t i = 0;
  while (i < len) {
    uint8_t l = wire[i];
    if (l == 0) return out.empty() ? "." : out;
    if (l & 0xc0 || i + 1 + l > len) return "";
    if (!out.empty()) out.push_back('.');
    for (size_t j = 0; j < l; j++) {
      char c = (char)wire[i + 1 + j];
      if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      out.push_back(c);
    }
    i += 1 + l;
  }
  return "";
}

Napi::Object ConvertBatch(Napi::Env env, const Batch& b, const Clock& clock) {
  Napi::Object o = Napi::Object::New(env);
  Napi::Array events = Napi::Array::New(env, b.events.size());
  for (size_t i = 0; i < b.events.size(); i++) {
    const LineageEvent& e = b.events[i];
    if (e.op == RK_OP_EXEC) events.Set(i, ConvertExec(env, e.exec, clock));
    else if (e.op == RK_OP_FORK) events.Set(i, ConvertFork(env, e.fork, clock));
    else events.Set(i, ConvertExit(env, e.exit, clock));
  }
  o.Set("events", events);
  Napi::Array flows = Napi::Array::New(env, b.flows.size());
  for (size_t i = 0; i < b.flows.size(); i++) flows.Set(i, ConvertFlow(env, b.flows[i], clock));
  o.Set("flows", flows);
  Napi::Array opens = Napi::Array::New(env, b.opens.size());
  for (size_t i = 0; i < b.opens.size(); i++) opens.Set(i, ConvertOpen(env, b.opens[i], clock));
  o.Set("opens", opens);
  Napi::Array dns = Napi::Array::New(env, b.dns.size());
  for (size_t i = 0; i < b.dns.size(); i++) dns.Set(i, ConvertDns(env, b.dns[i], clock));
  o.Set("dns", dns);
  if (b.has_window) {
    Napi::Object w = Napi::Object::New(env);
    w.Set("from", Napi::Number::New(env, clock.ToMs(b.from_ns)));
    w.Set("to", Napi::Number::New(env, clock.ToMs(b.to_ns)));
    o.Set("window", w);
  } else {
    o.Set("window", env.Null());
  }
  Napi::Object counters = Napi::Object::New(env);
  for (unsigned i = 0; i < RK_C__MAX; i++) counters.Set(kCounterNames[i], Napi::Number::New(env, (double)b.counters[i]));
  counters.Set("queueOverflowBatches", Napi::Number::New(env, (double)b.queue_overflow_batches));
  counters.Set("queueOverflowRecords", Napi::Number::New(env, (double)b.queue_overflow_records));
  counters.Set("ringEvents", Napi::Number::New(env, (double)b.ring_events));
  o.Set("counters", counters);
  if (!b.error.empty()) o.Set("error", b.error);
  return o;
}

}  // namespace rk

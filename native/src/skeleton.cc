// SPDX-License-Identifier: Apache-2.0
#include "skeleton.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "sensor.skel.h"

namespace rk {
namespace {

std::mutex g_log_mu;
std::string g_log;  // bounded tail of libbpf output

int LibbpfPrint(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n <= 0) return 0;
  std::string buf((size_t)n + 1, '\0');
  vsnprintf(&buf[0], buf.size(), fmt, args);
  buf.resize((size_t)n);
  if (getenv("RK_LIBBPF_LOG")) fputs(buf.c_str(), stderr);  // full verifier output, for development
  std::lock_guard<std::mutex> lock(g_log_mu);
  g_log.append(buf);
  if (g_log.size() > 8192) g_log.erase(0, g_log.size() - 8192);
  return 0;
}

bool TracepointExists(const char* category, const char* name) {
  for (const char* root : {"/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events"}) {
    std::string p = std::string(root) + "/" + category + "/" + name;
    struct stat st;
    if (stat(p.c_str(), &st) == 0) return true;
  }
  return false;
}

}  // namespace

std::string Skeleton::LogTail() {
  std::lock_guard<std::mutex> lock(g_log_mu);
  return g_log;
}

Skeleton::~Skeleton() {
  for (auto* l : links_) bpf_link__destroy(l);
  links_.clear();
  if (skel_) rk_sensor__destroy(skel_);
  if (cgroup_fd_ >= 0) close(cgroup_fd_);
}

Status Skeleton::Attach(bpf_program* prog, const char* name, bool cgroup) {
  bpf_link* link = cgroup ? bpf_program__attach_cgroup(prog, cgroup_fd_) : bpf_program__attach(prog);
  if (!link) return Status::Fail(errno, std::string("attach ") + name);
  links_.push_back(link);
  attached_.emplace_back(name);
  return Status::Ok();
}

Status Skeleton::Start(const SkeletonConfig& config) {
  libbpf_set_print(LibbpfPrint);
  {
    std::lock_guard<std::mutex> lock(g_log_mu);
    g_log.clear();
  }
  struct stat st;
  if (stat("/sys/kernel/btf/vmlinux", &st) != 0) return Status::Fail(ENOENT, "find BTF /sys/kernel/btf/vmlinux");
  if (config.families & (kExec | kNet | kFiles)) {
    if (!TracepointExists("sched", "sched_process_exec")) return Status::Fail(ENOENT, "find tracefs events");
  }
  if (config.families & kDns) {
    cgroup_fd_ = open(config.cgroup_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cgroup_fd_ < 0) return Status::Fail(errno, "open cgroup v2 root " + config.cgroup_path);
  }

  skel_ = rk_sensor__open();
  if (!skel_) return Status::Fail(errno ? errno : EINVAL, "open BPF object");
  skel_->rodata->rk_cfg = config.cfg;
  if (bpf_map__set_max_entries(skel_->maps.rk_events, config.ring_bytes) != 0)
    return Status::Fail(EINVAL, "size ring buffer");

  struct Prog {
    bpf_program* prog;
    const char* name;
    unsigned family;
    const char* tp_cat;  // tracefs event it needs, if any
    const char* tp_name;
    bool cgroup;
  };
  const Prog progs[] = {
      {skel_->progs.rk_exec, "exec", kExec, "sched", "sched_process_exec", false},
      {skel_->progs.rk_fork, "fork", kExec, nullptr, nullptr, false},
      {skel_->progs.rk_exit, "exit", kExec, "sched", "sched_process_exit", false},
      {skel_->progs.rk_tcp_state, "tcp_connect", kNet, "sock", "inet_sock_set_state", false},
      {skel_->progs.rk_accept, "accept", kNet, "syscalls", "sys_exit_accept", false},
      {skel_->progs.rk_accept4, "accept4", kNet, "syscalls", "sys_exit_accept4", false},
      {skel_->progs.rk_dns_egress, "dns_egress", kDns, nullptr, nullptr, true},
      {skel_->progs.rk_dns_ingress, "dns_ingress", kDns, nullptr, nullptr, true},
      {skel_->progs.rk_openat, "openat", kFiles, "syscalls", "sys_enter_openat", false},
      {skel_->progs.rk_openat2, "openat2", kFiles, "syscalls", "sys_enter_openat2", false},
      {skel_->progs.rk_open_legacy, "open", kFiles, "syscalls", "sys_enter_open", false},
  };
  bool want[sizeof(progs) / sizeof(progs[0])];
  for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
    const Prog& p = progs[i];
    // An optional syscall that this kernel or architecture lacks (openat2, open) is skipped.
    bool optional = p.tp_name && (!strcmp(p.tp_name, "sys_enter_openat2") || !strcmp(p.tp_name, "sys_enter_open") ||
                                  !strcmp(p.tp_name, "sys_exit_accept"));
    want[i] = (config.families & p.family) && !(optional && !TracepointExists(p.tp_cat, p.tp_name));
    bpf_program__set_autoload(p.prog, want[i]);
  }
  int err = rk_sensor__load(skel_);
  if (err) {
    // Name the program the kernel refused (libbpf logs "prog 'NAME': failed to load").
    std::string log = LogTail(), which;
    size_t at = log.find("': failed to load");
    if (at != std::string::npos) {
      size_t start = log.rfind("prog '", at);
      if (start != std::string::npos) which = " (" + log.substr(start + 6, at - start - 6) + ")";
    }
    return Status::Fail(err, "load BPF programs" + which);
  }
  for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
    if (!want[i]) continue;
    Status s = Attach(progs[i].prog, progs[i].name, progs[i].cgroup);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace rk

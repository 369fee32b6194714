// SPDX-License-Identifier: Apache-2.0
// RAII over the libbpf skeleton (after Katran's BpfSkeleton): every step returns an errno and
// names itself, and one place (SensorError in sensor.cc) turns that into a JavaScript error.
#pragma once

#include <string>
#include <vector>

#include "rk_events.h"

struct rk_sensor;
struct bpf_link;
struct bpf_program;

namespace rk {

/** The result of one step: 0 or a positive errno, and what was being done. */
struct Status {
  int err = 0;
  std::string step;
  bool ok() const { return err == 0; }
  static Status Ok() { return {}; }
  static Status Fail(int err, std::string step) { return {err < 0 ? -err : err, std::move(step)}; }
};

/** Probe families; a family is loaded and attached only when chosen. */
enum Family : unsigned { kExec = 1, kNet = 2, kDns = 4, kFiles = 8 };

struct SkeletonConfig {
  unsigned families = kExec | kNet | kDns | kFiles;
  unsigned ring_bytes = 256 * 1024;
  std::string cgroup_path = "/sys/fs/cgroup/unified";
  rk_config cfg{};
};

class Skeleton {
 public:
  Skeleton() = default;
  ~Skeleton();
  Skeleton(const Skeleton&) = delete;
  Skeleton& operator=(const Skeleton&) = delete;

  /** open, configure, load and attach the chosen families. */
  Status Start(const SkeletonConfig& config);
  rk_sensor* skel() const { return skel_; }
  /** Names of the programs that are attached. */
  const std::vector<std::string>& attached() const { return attached_; }
  /** Tail of libbpf's log for the last failed step (verifier output included). */
  static std::string LogTail();

 private:
  Status Attach(bpf_program* prog, const char* name, bool cgroup);
  rk_sensor* skel_ = nullptr;
  std::vector<bpf_link*> links_;
  std::vector<std::string> attached_;
  int cgroup_fd_ = -1;
};

}  // namespace rk

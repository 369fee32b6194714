// SPDX-License-Identifier: Apache-2.0
// What the poller thread hands to JavaScript: lineage events in order, the aggregates of one
// drained window, and a snapshot of the kernel counters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rk_events.h"

namespace rk {

/** One lineage event copied out of the ring buffer. */
struct LineageEvent {
  uint16_t op;
  union {
    rk_exec_event exec;
    rk_fork_event fork;
    rk_exit_event exit;
  };
};

template <typename K>
struct Agg {
  K key;
  rk_agg_val val;
};

struct DnsAgg {
  rk_dns_key key;
  rk_agg_val val;
  bool has_answer;
  rk_dns_answer_val answer;
};

struct Batch {
  std::vector<LineageEvent> events;
  std::vector<Agg<rk_flow_key>> flows;
  std::vector<Agg<rk_open_key>> opens;
  std::vector<DnsAgg> dns;
  bool has_window = false;  // true when this batch closes an observation window
  uint64_t from_ns = 0, to_ns = 0;
  uint64_t counters[RK_C__MAX] = {};
  uint64_t queue_overflow_batches = 0;  // cumulative, batches dropped because JS fell behind
  uint64_t queue_overflow_records = 0;  // cumulative, records inside those batches
  uint64_t ring_events = 0;             // cumulative lineage events consumed
  std::string error;                    // a fault the poller met; the sensor stops after it
};

}  // namespace rk

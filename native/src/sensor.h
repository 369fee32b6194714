// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <napi.h>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "batch.h"
#include "convert.h"
#include "skeleton.h"

struct ring_buffer;

namespace rk {

/**
 * The JavaScript-facing sensor. start() loads and attaches on the calling thread (errors throw
 * synchronously); one std::thread then polls the ring buffer and drains the aggregation maps,
 * and a thread-safe function carries batches to JavaScript through a bounded queue. The
 * thread-safe function's finalizer joins the thread and frees the skeleton (node-pty's shape).
 */
class Sensor : public Napi::ObjectWrap<Sensor> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Sensor(const Napi::CallbackInfo& info);
  ~Sensor() override;

 private:
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value TagProcess(const Napi::CallbackInfo& info);

  void Poll();
  void Drain(Batch& batch);
  void ReadCounters(uint64_t* out);
  void Push(Batch&& batch);
  static int OnRingEvent(void* ctx, void* data, size_t size);
  void Deliver(Napi::Env env, Napi::Function cb);
  static void Finalize(Napi::Env env, std::nullptr_t* data, Sensor* self);

  std::unique_ptr<Skeleton> skel_;
  ring_buffer* rb_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> running_{false};
  bool finalized_ = true;
  Napi::ThreadSafeFunction tsfn_;
  Napi::FunctionReference on_batch_;
  std::unique_ptr<Napi::Promise::Deferred> stopped_;

  Clock clock_;
  unsigned families_ = 0;
  unsigned drain_ms_ = 1000;
  size_t max_queue_ = 16;
  size_t max_events_per_batch_ = 4096;
  uint64_t window_from_ns_ = 0;
  int ncpus_ = 1;

  std::mutex mu_;  // guards queue_ and the overflow counters
  std::deque<Batch> queue_;
  uint64_t overflow_batches_ = 0;
  uint64_t overflow_records_ = 0;
  std::atomic<uint64_t> ring_events_{0};
  std::atomic<uint64_t> batches_delivered_{0};
  Batch* current_ = nullptr;
  uint64_t last_counters_[RK_C__MAX] = {};
  std::vector<DnsAgg> pending_dns_;  // questions drained without an answer yet (poller thread)
  std::string last_js_error_;  // the batch the ring-buffer callback appends to (poller thread only)
};

}  // namespace rk

// SPDX-License-Identifier: Apache-2.0
#include "sensor.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "sensor.skel.h"

namespace rk {
namespace {

uint64_t MonoNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int64_t RealMinusMonoNs() {
  struct timespec r, m;
  clock_gettime(CLOCK_REALTIME, &r);
  clock_gettime(CLOCK_MONOTONIC, &m);
  return ((int64_t)r.tv_sec - m.tv_sec) * 1000000000ll + ((int64_t)r.tv_nsec - m.tv_nsec);
}

std::string Hint(int err, const std::string& step) {
  if (step.find("BTF") != std::string::npos)
    return "the kernel exposes no BTF (CO-RE needs CONFIG_DEBUG_INFO_BTF=y and /sys/kernel/btf/vmlinux)";
  if (step.find("tracefs") != std::string::npos)
    return "tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing (scripts/setup/50-sensor.sh does this)";
  if (err == EPERM || err == EACCES)
    return "needs root, or CAP_BPF and CAP_PERFMON (plus CAP_NET_ADMIN for the dns probe's cgroup hook)";
  if (step.find("cgroup") != std::string::npos)
    return "cgroup v2 is not mounted at that path: pass cgroupPath, or leave the dns probe out";
  if (step.rfind("attach", 0) == 0)
    return "this kernel lacks the hook: leave that probe family out with --probes";
  if (step.find("load") != std::string::npos)
    return "the kernel refused a program (see log); leave that probe family out with --probes";
  return "";
}

std::string Code(int err, const std::string& step) {
  if (err == EPERM || err == EACCES) return "SENSOR_NO_PRIVILEGE";
  if (step.find("BTF") != std::string::npos) return "SENSOR_NO_BTF";
  if (step.find("tracefs") != std::string::npos) return "SENSOR_NO_TRACEFS";
  if (step.rfind("attach", 0) == 0) return "SENSOR_ATTACH_FAILED";
  return "SENSOR_LOAD_FAILED";
}

[[noreturn]] void ThrowStatus(Napi::Env env, const Status& s) {
  std::string text = strerror(s.err);
  std::string hint = Hint(s.err, s.step);
  std::string msg = "sensor: " + s.step + " failed: " + text + " (errno " + std::to_string(s.err) + ")";
  if (!hint.empty()) msg += "; " + hint;
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, Code(s.err, s.step)));
  e.Set("errno", Napi::Number::New(env, s.err));
  e.Set("step", Napi::String::New(env, s.step));
  e.Set("hint", Napi::String::New(env, hint));
  e.Set("log", Napi::String::New(env, Skeleton::LogTail()));
  throw e;
}

[[noreturn]] void ThrowType(Napi::Env env, const std::string& msg) { throw Napi::TypeError::New(env, "sensor options: " + msg); }

uint32_t OptU32(Napi::Object o, const char* name, uint32_t def, uint32_t min, uint32_t max) {
  Napi::Value v = o.Get(name);
  if (v.IsUndefined() || v.IsNull()) return def;
  if (!v.IsNumber()) ThrowType(o.Env(), std::string(name) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max) || d != (double)(uint32_t)d)
    ThrowType(o.Env(), std::string(name) + " must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  return (uint32_t)d;
}

std::string OptStr(Napi::Object o, const char* name, size_t max, const std::string& where) {
  Napi::Value v = o.Get(name);
  if (v.IsUndefined() || v.IsNull()) return "";
  if (!v.IsString()) ThrowType(o.Env(), where + name + " must be a string");
  std::string s = v.As<Napi::String>().Utf8Value();
  if (s.size() > max) ThrowType(o.Env(), where + name + " is longer than " + std::to_string(max) + " bytes");
  return s;
}

template <typename K>
void DrainMap(int fd, std::vector<Agg<K>>& out) {
  K key, next;
  std::vector<K> keys;
  void* prev = nullptr;
  while (bpf_map_get_next_key(fd, prev, &next) == 0) {
    Agg<K> a;
    a.key = next;
    if (bpf_map_lookup_elem(fd, &next, &a.val) == 0) out.push_back(a);
    keys.push_back(next);
    key = next;
    prev = &key;
  }
  for (const K& k : keys) bpf_map_delete_elem(fd, &k);
}

/*
 * Points slot 0 of an outer map at the spare inner map. The kernel waits for running programs
 * (synchronize_rcu) before the update returns, so the old inner map is quiescent afterwards
 * and is drained without losing an increment.
 */
int Swap(bpf_map* outer, bpf_map* a, bpf_map* b, int& gen) {
  uint32_t zero = 0;
  int old_fd = bpf_map__fd(gen == 0 ? a : b);
  int new_fd = bpf_map__fd(gen == 0 ? b : a);
  if (bpf_map_update_elem(bpf_map__fd(outer), &zero, &new_fd, BPF_ANY) != 0) return -1;
  gen ^= 1;
  return old_fd;
}

int g_flows_gen = 0, g_opens_gen = 0, g_dnsq_gen = 0;  // one sensor per process (enforced in Start)
std::atomic<bool> g_in_use{false};

}  // namespace

Napi::Function Sensor::Init(Napi::Env env) {
  return DefineClass(env, "Sensor",
                     {InstanceMethod("start", &Sensor::Start), InstanceMethod("stop", &Sensor::Stop),
                      InstanceMethod("stats", &Sensor::Stats), InstanceMethod("tagProcess", &Sensor::TagProcess)});
}

Sensor::Sensor(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Sensor>(info) {}

Sensor::~Sensor() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (rb_) ring_buffer__free(rb_);
}

Napi::Value Sensor::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction())
    ThrowType(env, "start(options, onBatch) takes an options object and a function");
  if (running_ || !finalized_) throw Napi::Error::New(env, "sensor: already started");
  if (g_in_use.exchange(true)) throw Napi::Error::New(env, "sensor: another Sensor is running in this process");
  Napi::Object o = info[0].As<Napi::Object>();
  SkeletonConfig cfg;
  try {
    cfg.families = 0;
    Napi::Value probes = o.Get("probes");
    if (probes.IsUndefined()) {
      cfg.families = kExec | kNet | kDns | kFiles;
    } else {
      if (!probes.IsArray()) ThrowType(env, "probes must be an array of exec, net, dns, files");
      Napi::Array a = probes.As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); i++) {
        std::string p = a.Get(i).ToString().Utf8Value();
        if (p == "exec") cfg.families |= kExec;
        else if (p == "net") cfg.families |= kNet;
        else if (p == "dns") cfg.families |= kDns;
        else if (p == "files") cfg.families |= kFiles;
        else ThrowType(env, "probes[" + std::to_string(i) + "]: unknown probe \"" + p + "\" (exec, net, dns, files)");
      }
      if (cfg.families == 0) ThrowType(env, "probes is empty");
    }
    cfg.ring_bytes = OptU32(o, "ringBufferBytes", 256 * 1024, 4096, 1u << 30);
    if (cfg.ring_bytes & (cfg.ring_bytes - 1)) ThrowType(env, "ringBufferBytes must be a power of two");
    drain_ms_ = OptU32(o, "drainIntervalMs", 1000, 10, 3600 * 1000);
    max_queue_ = OptU32(o, "maxQueuedBatches", 16, 1, 1 << 20);
    max_events_per_batch_ = OptU32(o, "maxEventsPerBatch", 4096, 1, 1 << 20);
    std::string cg = OptStr(o, "cgroupPath", 4096, "");
    if (!cg.empty()) cfg.cgroup_path = cg;
    Napi::Value self = o.Get("ignoreSelf");
    cfg.cfg.self_tgid = (self.IsUndefined() || self.ToBoolean().Value()) ? (uint32_t)getpid() : 0;
    std::string agent = OptStr(o, "agentComm", RK_COMM_LEN - 1, "");
    memcpy(cfg.cfg.agent_comm, agent.data(), agent.size());
    cfg.cfg.agent_comm_len = (uint8_t)agent.size();

    Napi::Value ports = o.Get("dnsPorts");
    if (ports.IsUndefined()) {
      cfg.cfg.dns_ports[0] = 53;
    } else {
      if (!ports.IsArray()) ThrowType(env, "dnsPorts must be an array of port numbers");
      Napi::Array a = ports.As<Napi::Array>();
      if (a.Length() > RK_MAX_DNS_PORTS) ThrowType(env, "dnsPorts holds at most " + std::to_string(RK_MAX_DNS_PORTS) + " ports");
      for (uint32_t i = 0; i < a.Length(); i++) {
        Napi::Value p = a.Get(i);
        double d = p.IsNumber() ? p.As<Napi::Number>().DoubleValue() : -1;
        if (!(d >= 1 && d <= 65535) || d != (double)(int)d) ThrowType(env, "dnsPorts[" + std::to_string(i) + "] is not a port");
        cfg.cfg.dns_ports[i] = (uint16_t)d;
      }
    }

    Napi::Value rules = o.Get("fileRules");
    if (!rules.IsUndefined()) {
      if (!rules.IsArray()) ThrowType(env, "fileRules must be an array");
      Napi::Array a = rules.As<Napi::Array>();
      if (a.Length() > RK_MAX_RULES) ThrowType(env, "fileRules holds at most " + std::to_string(RK_MAX_RULES) + " rules");
      for (uint32_t i = 0; i < a.Length(); i++) {
        std::string where = "fileRules[" + std::to_string(i) + "].";
        if (!a.Get(i).IsObject()) ThrowType(env, where + " must be an object");
        Napi::Object r = a.Get(i).As<Napi::Object>();
        rk_file_rule& fr = cfg.cfg.rules[i];
        std::string prefix = OptStr(r, "prefix", sizeof(fr.prefix) - 1, where);
        std::string suffix = OptStr(r, "suffix", sizeof(fr.suffix) - 1, where);
        std::string contains = OptStr(r, "contains", sizeof(fr.contains) - 1, where);
        if (prefix.empty() && suffix.empty() && contains.empty()) ThrowType(env, where + " needs a prefix, suffix or contains");
        if (!prefix.empty() && prefix[0] != '/') ThrowType(env, where + "prefix must be an absolute path");
        memcpy(fr.prefix, prefix.data(), prefix.size());
        memcpy(fr.suffix, suffix.data(), suffix.size());
        memcpy(fr.contains, contains.data(), contains.size());
        fr.prefix_len = prefix.size();
        fr.suffix_len = suffix.size();
        fr.contains_len = contains.size();
        fr.klass = (uint8_t)OptU32(r, "klass", RK_FILE_OTHER, 1, 255);
        if (suffix.size() >= 3) {
          const unsigned char* t = (const unsigned char*)suffix.data() + suffix.size() - 3;
          fr.suffix_tail = (uint32_t)t[0] | ((uint32_t)t[1] << 8) | ((uint32_t)t[2] << 16);
        }
        if (prefix.size() >= 4) {
          const unsigned char* h = (const unsigned char*)prefix.data();
          fr.prefix_head = (uint32_t)h[0] | ((uint32_t)h[1] << 8) | ((uint32_t)h[2] << 16) | ((uint32_t)h[3] << 24);
        }
      }
      cfg.cfg.n_rules = a.Length();
    }
  } catch (...) {
    g_in_use = false;
    throw;
  }

  auto skel = std::make_unique<Skeleton>();
  Status s = skel->Start(cfg);
  if (!s.ok()) {
    g_in_use = false;
    ThrowStatus(env, s);
  }
  if (cfg.families & kExec) {
    rb_ = ring_buffer__new(bpf_map__fd(skel->skel()->maps.rk_events), &Sensor::OnRingEvent, this, nullptr);
    if (!rb_) {
      g_in_use = false;
      ThrowStatus(env, Status::Fail(errno, "open ring buffer"));
    }
  }
  skel_ = std::move(skel);
  families_ = cfg.families;
  ncpus_ = libbpf_num_possible_cpus();
  if (ncpus_ < 1) ncpus_ = 1;
  clock_.offset_ns = RealMinusMonoNs();
  g_flows_gen = g_opens_gen = g_dnsq_gen = 0;
  stop_ = false;
  running_ = true;
  finalized_ = false;
  window_from_ns_ = MonoNs();
  tsfn_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "reachgraph-sensor", 0, 1, this,
                                        [](Napi::Env env, void*, Sensor* self) { Finalize(env, nullptr, self); },
                                        (void*)nullptr);
  Ref();
  thread_ = std::thread(&Sensor::Poll, this);
  Napi::Array attached = Napi::Array::New(env);
  for (size_t i = 0; i < skel_->attached().size(); i++) attached.Set(i, skel_->attached()[i]);
  return attached;
}

int Sensor::OnRingEvent(void* ctx, void* data, size_t size) {
  Sensor* self = static_cast<Sensor*>(ctx);
  if (size < sizeof(rk_envelope) || !self->current_) return 0;
  const rk_envelope* env = static_cast<const rk_envelope*>(data);
  if (env->version != RK_EVENT_VERSION || env->size > size) return 0;
  LineageEvent e;
  e.op = env->op;
  switch (env->op) {
    case RK_OP_EXEC:
      if (size < sizeof(rk_exec_event)) return 0;
      memcpy(&e.exec, data, sizeof(rk_exec_event));
      break;
    case RK_OP_FORK:
      if (size < sizeof(rk_fork_event)) return 0;
      memcpy(&e.fork, data, sizeof(rk_fork_event));
      break;
    case RK_OP_EXIT:
      if (size < sizeof(rk_exit_event)) return 0;
      memcpy(&e.exit, data, sizeof(rk_exit_event));
      break;
    default:
      return 0;  // an op this build does not know: skipped, never misread
  }
  self->current_->events.push_back(e);
  self->ring_events_++;
  return 0;
}

void Sensor::ReadCounters(uint64_t* out) {
  if (!skel_) return;
  int fd = bpf_map__fd(skel_->skel()->maps.rk_stats);
  std::vector<uint64_t> per(ncpus_);
  for (uint32_t i = 0; i < RK_C__MAX; i++) {
    out[i] = 0;
    if (bpf_map_lookup_elem(fd, &i, per.data()) != 0) continue;
    for (int c = 0; c < ncpus_; c++) out[i] += per[c];
  }
}

void Sensor::Drain(Batch& batch) {
  rk_sensor* sk = skel_->skel();
  uint64_t now = MonoNs();
  if (families_ & kNet) {
    int fd = Swap(sk->maps.rk_flows, sk->maps.rk_flows_a, sk->maps.rk_flows_b, g_flows_gen);
    if (fd >= 0) DrainMap(fd, batch.flows);
  }
  if (families_ & kFiles) {
    int fd = Swap(sk->maps.rk_opens, sk->maps.rk_opens_a, sk->maps.rk_opens_b, g_opens_gen);
    if (fd >= 0) DrainMap(fd, batch.opens);
  }
  if (families_ & kDns) {
    int fd = Swap(sk->maps.rk_dnsq, sk->maps.rk_dnsq_a, sk->maps.rk_dnsq_b, g_dnsq_gen);
    if (fd >= 0) {
      std::vector<Agg<rk_dns_key>> qs;
      DrainMap(fd, qs);
      int afd = bpf_map__fd(sk->maps.rk_dns_answers);
      // A question drained just before its answer arrived gets one more look a window later;
      // it is re-sent with count 0, so only its answers are added.
      std::vector<DnsAgg> retry;
      retry.swap(pending_dns_);
      for (DnsAgg& d : retry) {
        rk_dns_answer_key ak{};
        ak.qtype = d.key.qtype;
        ak.name_len = d.key.name_len;
        memcpy(ak.name, d.key.name, sizeof(ak.name));
        if (bpf_map_lookup_elem(afd, &ak, &d.answer) == 0) {
          d.has_answer = true;
          d.val.count = 0;
          batch.dns.push_back(d);
        }
      }
      for (const auto& q : qs) {
        DnsAgg d{};
        d.key = q.key;
        d.val = q.val;
        rk_dns_answer_key ak{};
        ak.qtype = q.key.qtype;
        ak.name_len = q.key.name_len;
        memcpy(ak.name, q.key.name, sizeof(ak.name));
        d.has_answer = bpf_map_lookup_elem(afd, &ak, &d.answer) == 0;
        if (!d.has_answer && pending_dns_.size() < 1024) pending_dns_.push_back(d);
        batch.dns.push_back(d);
      }
    }
  }
  batch.has_window = true;
  batch.from_ns = window_from_ns_;
  batch.to_ns = now;
  window_from_ns_ = now;
}

void Sensor::Push(Batch&& batch) {
  ReadCounters(batch.counters);
  batch.ring_events = ring_events_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= max_queue_) {
      overflow_batches_++;
      overflow_records_ += batch.events.size() + batch.flows.size() + batch.opens.size() + batch.dns.size();
      return;  // JavaScript fell behind: counted, never fatal
    }
    batch.queue_overflow_batches = overflow_batches_;
    batch.queue_overflow_records = overflow_records_;
    queue_.push_back(std::move(batch));
  }
  tsfn_.NonBlockingCall([this](Napi::Env env, Napi::Function cb) { Deliver(env, cb); });
}

void Sensor::Poll() {
  Batch batch;
  current_ = &batch;
  uint64_t next_drain = MonoNs() + (uint64_t)drain_ms_ * 1000000ull;
  while (!stop_) {
    uint64_t now = MonoNs();
    int timeout = next_drain > now ? (int)std::min<uint64_t>((next_drain - now) / 1000000ull, 50) : 0;
    if (rb_) {
      int n = ring_buffer__poll(rb_, timeout);  // wakes early only when the buffer fills
      if (n >= 0) n = ring_buffer__consume(rb_);
      if (n < 0 && n != -EINTR) {
        batch.error = std::string("ring buffer poll failed: ") + strerror(-n);
        break;
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(timeout));
    }
    if (batch.events.size() >= max_events_per_batch_) {
      Push(std::move(batch));
      batch = Batch();
    }
    if (MonoNs() >= next_drain) {
      Drain(batch);
      Push(std::move(batch));
      batch = Batch();
      next_drain += (uint64_t)drain_ms_ * 1000000ull;
      if (next_drain < MonoNs()) next_drain = MonoNs() + (uint64_t)drain_ms_ * 1000000ull;
    }
  }
  if (rb_) ring_buffer__consume(rb_);
  Drain(batch);
  Push(std::move(batch));
  current_ = nullptr;
  running_ = false;
  tsfn_.Release();
}

void Sensor::Deliver(Napi::Env env, Napi::Function cb) {
  if (!env) return;
  for (;;) {
    Batch batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (queue_.empty()) return;
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    Napi::HandleScope scope(env);
    memcpy(last_counters_, batch.counters, sizeof(last_counters_));
    Napi::Object obj = ConvertBatch(env, batch, clock_);
    batches_delivered_++;
    try {
      cb.Call({obj});
    } catch (const Napi::Error& e) {
      // The JavaScript side owns its errors; an exception here must not kill the poller.
      last_js_error_ = e.Message();
    }
  }
}

void Sensor::Finalize(Napi::Env env, std::nullptr_t*, Sensor* self) {
  if (self->thread_.joinable()) self->thread_.join();
  self->ReadCounters(self->last_counters_);
  if (self->rb_) {
    ring_buffer__free(self->rb_);
    self->rb_ = nullptr;
  }
  self->skel_.reset();  // detaches every probe and frees the maps
  self->finalized_ = true;
  g_in_use = false;
  if (self->stopped_) {
    self->stopped_->Resolve(env.Undefined());
    self->stopped_.reset();
  }
  self->Unref();
}

Napi::Value Sensor::Stop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto deferred = Napi::Promise::Deferred::New(env);
  if (finalized_) {
    deferred.Resolve(env.Undefined());
    return deferred.Promise();
  }
  stop_ = true;
  if (!stopped_) stopped_ = std::make_unique<Napi::Promise::Deferred>(deferred);
  return stopped_->Promise();
}

Napi::Value Sensor::TagProcess(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) ThrowType(env, "tagProcess(pid, tag) takes two numbers");
  if (!skel_ || finalized_ || !(families_ & kExec)) throw Napi::Error::New(env, "sensor: tagProcess needs a running sensor with the exec probe");
  uint32_t pid = info[0].As<Napi::Number>().Uint32Value();
  uint32_t tag = info[1].As<Napi::Number>().Uint32Value();
  int fd = bpf_map__fd(skel_->skel()->maps.rk_tags);
  if (bpf_map_update_elem(fd, &pid, &tag, BPF_ANY) != 0) ThrowStatus(env, Status::Fail(errno, "tag process"));
  return env.Undefined();
}

Napi::Value Sensor::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t counters[RK_C__MAX];
  memcpy(counters, last_counters_, sizeof(counters));
  if (skel_ && !finalized_) ReadCounters(counters);
  Napi::Object o = Napi::Object::New(env);
  o.Set("running", Napi::Boolean::New(env, running_.load()));
  Napi::Object c = Napi::Object::New(env);
  for (unsigned i = 0; i < RK_C__MAX; i++) c.Set(CounterName(i), Napi::Number::New(env, (double)counters[i]));
  o.Set("counters", c);
  {
    std::lock_guard<std::mutex> lock(mu_);
    o.Set("queueOverflowBatches", Napi::Number::New(env, (double)overflow_batches_));
    o.Set("queueOverflowRecords", Napi::Number::New(env, (double)overflow_records_));
    o.Set("queued", Napi::Number::New(env, (double)queue_.size()));
  }
  o.Set("ringEvents", Napi::Number::New(env, (double)ring_events_.load()));
  o.Set("batchesDelivered", Napi::Number::New(env, (double)batches_delivered_.load()));
  Napi::Array attached = Napi::Array::New(env);
  if (skel_)
    for (size_t i = 0; i < skel_->attached().size(); i++) attached.Set(i, skel_->attached()[i]);
  o.Set("attached", attached);
  if (!last_js_error_.empty()) o.Set("lastCallbackError", last_js_error_);
  return o;
}

}  // namespace rk

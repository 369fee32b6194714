// SPDX-License-Identifier: Apache-2.0
// reachgraph_sensor: the eBPF runtime sensor as a Node-API addon. Only src/sensor/ imports it.
#include <napi.h>

#include "sensor.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Sensor", rk::Sensor::Init(env));
  exports.Set("eventVersion", Napi::Number::New(env, RK_EVENT_VERSION));
  Napi::Object limits = Napi::Object::New(env);
  limits.Set("pathMax", RK_PATH_MAX);
  limits.Set("argsMax", RK_ARGS_MAX);
  limits.Set("maxRules", RK_MAX_RULES);
  limits.Set("maxDnsPorts", RK_MAX_DNS_PORTS);
  exports.Set("limits", limits);
  return exports;
}

}  // namespace

NODE_API_MODULE(reachgraph_sensor, Init)

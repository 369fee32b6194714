// SPDX-License-Identifier: Apache-2.0
// C -> JavaScript converters, one per event type, next to the structs they read.
#pragma once

#include <napi.h>

#include "batch.h"

namespace rk {

/** CLOCK_MONOTONIC ns -> Unix ms, fixed at start. */
struct Clock {
  int64_t offset_ns = 0;
  double ToMs(uint64_t mono_ns) const { return (double)((int64_t)mono_ns + offset_ns) / 1e6; }
};

Napi::Object ConvertBatch(Napi::Env env, const Batch& batch, const Clock& clock);
const char* CounterName(unsigned counter);
/** Decodes a wire-format DNS name into dotted lower-case text; "" when malformed. */
std::string DecodeDnsName(const uint8_t* wire, size_t len);

}  // namespace rk

// philox.h — the Philox4x32-10 block function (Salmon et al. 2011) and the standard normal number n of a
// stream, exactly as Backend::random_normal specifies it (backend.h). Not a generator object: it keeps no
// state.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace difflab {

// Ten Philox rounds: each multiplies words 0 and 2 by M0, M1 (64-bit products split into high and low
// halves), mixes the high halves with words 1, 3 and the round key, and the key grows by the Weyl constants
// W0, W1.
inline std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key) {
  constexpr uint64_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
  constexpr uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = kM0 * counter[0];
    const uint64_t p1 = kM1 * counter[2];
    const uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
    const uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
    counter = {hi1 ^ counter[1] ^ key[0], lo1, hi0 ^ counter[3] ^ key[1], lo0};
    key[0] += kW0;
    key[1] += kW1;
  }
  return counter;
}

// A 32-bit word as a uniform in (0, 1]: its top 24 bits, plus one, times 2⁻²⁴ (exact in float).
inline float philox_uniform(uint32_t word) {
  return (static_cast<float>(word >> 8) + 1.0f) * (1.0f / 16777216.0f);
}

// Normal number n of stream `seed`: block p = n / 2 under key (seed low, seed high), Box–Muller on its first
// two words; even n takes the cosine, odd n the sine.
inline float philox_normal(uint64_t seed, uint64_t n) {
  const uint64_t p = n / 2;
  const std::array<uint32_t, 4> w =
      philox4x32_10({static_cast<uint32_t>(p), static_cast<uint32_t>(p >> 32), 0u, 0u},
                    {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)});
  const float u0 = philox_uniform(w[0]);
  const float u1 = philox_uniform(w[1]);
  const float r = std::sqrt(-2.0f * std::log(u0));
  const float angle = 6.28318530717958647692f * u1;
  return (n & 1u) ? r * std::sin(angle) : r * std::cos(angle);
}

}  // namespace difflab

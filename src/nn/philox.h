// philox.h — Philox4x32-10 (Salmon et al. 2011) and the standard normal number n of a stream, on the host.
// Not a generator object and not fast: the backends' random_normal (backend.h has the spec) is the bulk path.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace difflab {

// One Philox4x32 block: 10 rounds of two 32×32→64 multiplies (hi ⊕ other word ⊕ key, lo), the key bumped by
// the Weyl constants between rounds. Known-answer vectors: Random123's tests/kat_vectors.
inline std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key) {
  constexpr uint64_t kMultiplier0 = 0xD2511F53u, kMultiplier1 = 0xCD9E8D57u;
  constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;  // golden ratio, √3 − 1
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key[0] += kWeyl0;
      key[1] += kWeyl1;
    }
    const uint64_t product0 = kMultiplier0 * counter[0];
    const uint64_t product1 = kMultiplier1 * counter[2];
    counter = {static_cast<uint32_t>(product1 >> 32) ^ counter[1] ^ key[0], static_cast<uint32_t>(product1),
               static_cast<uint32_t>(product0 >> 32) ^ counter[3] ^ key[1], static_cast<uint32_t>(product0)};
  }
  return counter;
}

// Normal number n of stream `seed` (backend.h, random_normal): block p = n/2 under key (seed lo, seed hi),
// uniforms u = (float(w >> 8) + 1)·2⁻²⁴ ∈ (0, 1] from its first two words, Box–Muller r·cos(2π u1) for even
// n, r·sin(2π u1) for odd n, r = √(−2 ln u0). Evaluated in double and rounded once: the value every backend
// approximates.
inline float philox_normal(uint64_t seed, uint64_t n) {
  const uint64_t p = n / 2;
  const std::array<uint32_t, 4> w =
      philox4x32_10({static_cast<uint32_t>(p), static_cast<uint32_t>(p >> 32), 0u, 0u},
                    {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)});
  constexpr double kTwoToMinus24 = 1.0 / 16777216.0;
  const double u0 = (static_cast<double>(w[0] >> 8) + 1.0) * kTwoToMinus24;
  const double u1 = (static_cast<double>(w[1] >> 8) + 1.0) * kTwoToMinus24;
  const double r = std::sqrt(-2.0 * std::log(u0));
  const double angle = 2.0 * std::numbers::pi * u1;
  return static_cast<float>(n % 2 == 0 ? r * std::cos(angle) : r * std::sin(angle));
}

}  // namespace difflab

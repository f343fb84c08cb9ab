#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

// A fast 64-bit hash for the short strings the store interns (names, endpoints, messages):
// 8 bytes a step, then the splitmix64 finaliser so that both the low bits (table slots) and
// the high bits (tags) are well mixed. Not for untrusted keys an attacker picks to collide:
// a collision only costs a longer probe, never a wrong answer (keys are always compared).
inline std::uint64_t fastHash(std::string_view s, std::uint64_t seed = 0)
{
    std::uint64_t h = seed ^ (0x9E3779B97F4A7C15ull * (s.size() + 1));
    const char *p = s.data();
    std::size_t n = s.size();
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 29;
    }
    std::uint64_t tail = 0;
    for (std::size_t k = 0; k < n; ++k)
        tail |= std::uint64_t(static_cast<unsigned char>(p[k])) << (8 * k);
    h = (h ^ tail) * 0x94D049BB133111EBull;
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
}

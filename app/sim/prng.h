#pragma once

#include <cstdint>

// Deterministic random numbers for the traffic simulator. Only integer arithmetic: the same
// seed gives the same numbers with every compiler, standard library and CPU (std::
// distributions and floating-point transcendental functions do not promise that).

// splitmix64 finalizer: a bijection on 64-bit integers (distinct inputs, distinct outputs).
constexpr std::uint64_t mix64(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// A bijection on 48-bit integers (odd multipliers and xorshifts, modulo 2^48).
constexpr std::uint64_t mix48(std::uint64_t z)
{
    constexpr std::uint64_t mask = (std::uint64_t(1) << 48) - 1;
    z &= mask;
    z = (z * 0x9e3779b97f4bULL) & mask;
    z ^= z >> 24;
    z = (z * 0xbf58476d1ce5ULL) & mask;
    z ^= z >> 21;
    return z;
}

class SplitMix64
{
public:
    explicit SplitMix64(std::uint64_t seed)
        : m_state(seed)
    {
    }
    std::uint64_t next()
    {
        m_state += 0x9e3779b97f4a7c15ULL;
        return mix64(m_state);
    }

private:
    std::uint64_t m_state;
};

// xoshiro256** 1.0 (Blackman & Vigna), seeded through splitmix64 as its authors advise.
class Xoshiro256
{
public:
    explicit Xoshiro256(std::uint64_t seed)
    {
        SplitMix64 sm(seed);
        for (std::uint64_t &s : m_s)
            s = sm.next();
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // Uniform integer in [0, n), n < 2^32 (multiply-shift on the top 32 bits; the bias is
    // below n / 2^32 and, more to the point, identical everywhere).
    std::uint32_t below(std::uint32_t n)
    {
        return std::uint32_t(((next() >> 32) * std::uint64_t(n)) >> 32);
    }
    // Uniform integer in [lo, hi] (inclusive), hi >= lo.
    std::int64_t range(std::int64_t lo, std::int64_t hi)
    {
        return lo + std::int64_t(below(std::uint32_t(hi - lo + 1)));
    }
    // True with probability perMille / 1000.
    bool chance(std::uint32_t perMille) { return below(1000) < perMille; }
    // True with probability perMillion / 1e6.
    bool chancePpm(std::uint32_t perMillion) { return below(1000000) < perMillion; }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k)
    {
        return (x << k) | (x >> (64 - k));
    }
    std::uint64_t m_s[4];
};

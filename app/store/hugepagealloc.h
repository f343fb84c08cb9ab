#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <sys/mman.h>
#include <vector>

// An allocator for big columns: allocations of 1 MiB and more are rounded up to 2 MiB
// multiples, 2 MiB-aligned and marked MADV_HUGEPAGE, so filling a million-event column takes
// a few page faults instead of thousands. Each 4 KiB fault costs ~7.5 us on this project's VM
// (64 MiB: 500 ms in 4 KiB pages, 13 ms in 2 MiB pages); the one-byte columns of a million
// events (1 MiB) were still faulted page by page below the old 2 MiB threshold. Small ones use
// operator new.
// Huge pages trade even costs for total ones: with the kernel's THP defrag on `madvise` (the
// Debian default) a 2 MiB fault may compact memory first, measured at 3-5 ms each here, and
// twelve columns cross a 2 MiB boundary at the same event count. The bulk loader gains
// overall; a live chart that must update every 40 ms saw 40-60 ms stalls. Code on a thread
// while a SmallPagesScope lives allocates big columns without MADV_HUGEPAGE (4 KiB pages:
// ~7.5 us per 4 KiB, spread over every update).
inline thread_local bool t_smallPages = false;

class SmallPagesScope
{
public:
    SmallPagesScope()
        : m_saved(t_smallPages)
    {
        t_smallPages = true;
    }
    ~SmallPagesScope() { t_smallPages = m_saved; }
    SmallPagesScope(const SmallPagesScope &) = delete;
    SmallPagesScope &operator=(const SmallPagesScope &) = delete;

private:
    bool m_saved;
};

template <typename T> struct HugePageAllocator
{
    using value_type = T;
    static constexpr std::size_t kHuge = std::size_t(2) << 20; // the page size
    static constexpr std::size_t kMinBytes = std::size_t(1) << 20; // from here on: huge pages

    HugePageAllocator() = default;
    template <typename U> HugePageAllocator(const HugePageAllocator<U> &) noexcept { }
    static std::size_t roundedBytes(std::size_t bytes)
    {
        return (bytes + kHuge - 1) / kHuge * kHuge;
    }

    T *allocate(std::size_t n)
    {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kMinBytes)
            return static_cast<T *>(::operator new(bytes));
        // Mapped here and unmapped when freed, not taken from malloc's heaps: a big column
        // that goes (a live snapshot's, a load's) gives its memory back to the system at once.
        // From malloc, columns of up to 32 MiB sat in per-thread arenas between other
        // allocations, and a window watching for hours kept arenas of 64 MiB each mostly
        // free but mapped (issue 22: ~400 MB of a soak's RSS).
        const std::size_t rounded = roundedBytes(bytes);
        void *mapped = ::mmap(
            nullptr, rounded + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mapped == MAP_FAILED)
            throw std::bad_alloc();
        // 2 MiB-aligned: the parts before and after go back
        const auto start = reinterpret_cast<std::uintptr_t>(mapped);
        const std::uintptr_t aligned = (start + kHuge - 1) / kHuge * kHuge;
        if (aligned > start)
            ::munmap(mapped, aligned - start);
        if (const std::size_t tail = start + rounded + kHuge - (aligned + rounded))
            ::munmap(reinterpret_cast<void *>(aligned + rounded), tail);
        void *p = reinterpret_cast<void *>(aligned);
        if (!t_smallPages)
            ::madvise(p, rounded, MADV_HUGEPAGE);
        return static_cast<T *>(p);
    }
    void deallocate(T *p, std::size_t n) noexcept
    {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kMinBytes)
            ::operator delete(p);
        else
            ::munmap(p, roundedBytes(bytes));
    }
    template <typename U> bool operator==(const HugePageAllocator<U> &) const noexcept
    {
        return true;
    }
    template <typename U> bool operator!=(const HugePageAllocator<U> &) const noexcept
    {
        return false;
    }
};

template <typename T> using Column = std::vector<T, HugePageAllocator<T>>;

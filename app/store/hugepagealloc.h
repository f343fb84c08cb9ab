#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <sys/mman.h>
#include <vector>

// An allocator for big columns: allocations of 2 MiB and more are 2 MiB-aligned and marked
// MADV_HUGEPAGE, so filling a million-event column takes tens of page faults instead of tens
// of thousands (each one expensive on virtual machines). Small ones use operator new.
template<typename T>
struct HugePageAllocator
{
    using value_type = T;
    static constexpr std::size_t kHuge = std::size_t(2) << 20;

    HugePageAllocator() = default;
    template<typename U>
    HugePageAllocator(const HugePageAllocator<U> &) noexcept { }

    T *allocate(std::size_t n)
    {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kHuge)
            return static_cast<T *>(::operator new(bytes));
        const std::size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
        void *p = std::aligned_alloc(kHuge, rounded);
        if (!p)
            throw std::bad_alloc();
        ::madvise(p, rounded, MADV_HUGEPAGE);
        return static_cast<T *>(p);
    }
    void deallocate(T *p, std::size_t n) noexcept
    {
        if (n * sizeof(T) < kHuge)
            ::operator delete(p);
        else
            std::free(p);
    }
    template<typename U>
    bool operator==(const HugePageAllocator<U> &) const noexcept { return true; }
    template<typename U>
    bool operator!=(const HugePageAllocator<U> &) const noexcept { return false; }
};

template<typename T>
using Column = std::vector<T, HugePageAllocator<T>>;

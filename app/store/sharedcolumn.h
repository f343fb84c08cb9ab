#pragma once

#include "store/hugepagealloc.h"

#include <algorithm>
#include <cstddef>
#include <memory>
#include <type_traits>

// An append-only column whose copies share their memory (issue 22: live snapshots must not be
// full copies of everything received). share() is O(1): the copy points at the same buffer and
// sees the same first size() elements. Elements are only ever written past every copy's end,
// so a copy may grow in place while other threads read the copies made before: they never
// look at an index their own size() does not cover (no two threads touch one element).
//
// The buffer remembers how far it was filled (`committed`). A copy whose end is there is the
// newest, and the only one that grows in place; any other copy that grows (or shrinks, or is
// cleared) takes a buffer of its own first, copied, so what older copies see never changes.
// One rule for the caller: two copies of one buffer must not grow at the same time on two
// threads (the live feed grows one snapshot at a time, on one thread).
//
// Like the vectors it replaces, a full buffer is replaced by one twice its size: the copy
// costs what the column holds, rarely; copies made before keep the old buffer until they go.
template <typename T> class SharedColumn
{
    static_assert(std::is_trivially_copyable_v<T>, "elements are copied as bytes");

public:
    using value_type = T;
    using const_iterator = const T *;

    SharedColumn() = default;
    SharedColumn(const SharedColumn &) = delete;
    SharedColumn &operator=(const SharedColumn &) = delete;
    SharedColumn(SharedColumn &&o) noexcept { swap(o); }
    SharedColumn &operator=(SharedColumn &&o) noexcept
    {
        SharedColumn(std::move(o)).swap(*this);
        return *this;
    }

    // Another view of the same elements, which may grow on its own (see above).
    SharedColumn share() const
    {
        SharedColumn c;
        c.m_buffer = m_buffer;
        c.m_data = m_data;
        c.m_size = m_size;
        c.m_capacity = m_capacity;
        return c;
    }
    // Whether this column's elements are in the same memory as `o`'s (for the tests).
    bool sharesWith(const SharedColumn &o) const { return m_buffer && m_buffer == o.m_buffer; }
    // No later copy has grown past this one's end: it grows in place.
    bool newest() const { return !m_buffer || m_buffer->committed == m_size; }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    std::size_t capacity() const { return m_capacity; }
    const T &operator[](std::size_t i) const { return m_data[i]; }
    const T &back() const { return m_data[m_size - 1]; }
    const T *data() const { return m_data; }
    const_iterator begin() const { return m_data; }
    const_iterator end() const { return m_data + m_size; }

    void reserve(std::size_t n)
    {
        if (n > m_capacity)
            moveTo(n);
    }
    void push_back(const T &v)
    {
        if (m_size == m_capacity || m_buffer->committed != m_size) [[unlikely]]
            makeRoom(m_size + 1);
        m_data[m_size] = v;
        m_buffer->committed = ++m_size;
    }
    template <typename... Args> void emplace_back(Args &&...args)
    {
        push_back(T { std::forward<Args>(args)... });
    }
    // Appends [first, last) (pointers into another column or a vector).
    void append(const T *first, const T *last)
    {
        const auto n = std::size_t(last - first);
        if (n == 0)
            return;
        if (m_size + n > m_capacity || m_buffer->committed != m_size)
            makeRoom(m_size + n);
        std::copy(first, last, m_data + m_size);
        m_size += n;
        m_buffer->committed = m_size;
    }
    // Grows to n elements of v (never shrinks).
    void growTo(std::size_t n, const T &v)
    {
        if (n <= m_size)
            return;
        if (n > m_capacity || m_buffer->committed != m_size)
            makeRoom(n);
        std::fill(m_data + m_size, m_data + n, v);
        m_size = n;
        m_buffer->committed = m_size;
    }
    void pop_back()
    {
        if (!exclusive())
            moveTo(m_capacity);
        --m_size;
        m_buffer->committed = m_size;
    }
    // Empty; the memory is kept for reuse when no other copy sees it, else let go.
    void clear()
    {
        if (exclusive())
            m_size = m_buffer ? (m_buffer->committed = 0) : 0;
        else
            SharedColumn().swap(*this);
    }

    void swap(SharedColumn &o) noexcept
    {
        std::swap(m_buffer, o.m_buffer);
        std::swap(m_data, o.m_data);
        std::swap(m_size, o.m_size);
        std::swap(m_capacity, o.m_capacity);
    }

private:
    struct Buffer
    {
        explicit Buffer(std::size_t n)
            : data(HugePageAllocator<T>().allocate(n))
            , capacity(n)
        {
        }
        ~Buffer() { HugePageAllocator<T>().deallocate(data, capacity); }
        Buffer(const Buffer &) = delete;
        Buffer &operator=(const Buffer &) = delete;
        T *data;
        std::size_t capacity;
        std::size_t committed = 0; // elements written by the copies; only the newest writes
    };

    bool exclusive() const { return !m_buffer || m_buffer.use_count() == 1; }
    // A buffer of at least `need` elements this copy may write at its end: this one when it is
    // the newest copy and has room, else a new one (twice the size when it grows).
    void makeRoom(std::size_t need)
    {
        if (need <= m_capacity && m_buffer->committed == m_size)
            return;
        moveTo(std::max({ need, m_capacity * 2, std::size_t(16) }));
    }
    // This column's elements, copied into a new buffer of n (>= size) elements.
    void moveTo(std::size_t n)
    {
        auto buffer = std::make_shared<Buffer>(n);
        if (m_size > 0)
            std::copy(m_data, m_data + m_size, buffer->data);
        buffer->committed = m_size;
        m_buffer = std::move(buffer);
        m_data = m_buffer->data;
        m_capacity = n;
    }

    std::shared_ptr<Buffer> m_buffer;
    T *m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

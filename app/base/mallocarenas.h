#pragma once

#include <cstdlib> // defines __GLIBC__ (tested below before any other header may have)

#ifdef __GLIBC__
#include <malloc.h>
#endif

// glibc gives threads arenas of their own, up to eight per core, each growing in 64 MiB heaps
// it seldom hands back. A window or monitor that runs for days allocates on many threads
// (sources, ingest, snapshots, views): freed memory stayed mapped in a dozen arenas, ~30 MB
// each (issue 22's soak). Four arenas are enough for this program's two busy threads per core,
// and keep what is freed where the next allocation finds it. Called first thing in main().
inline void limitMallocArenas()
{
#ifdef __GLIBC__
    ::mallopt(M_ARENA_MAX, 4);
#endif
}

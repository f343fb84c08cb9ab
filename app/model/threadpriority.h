#pragma once

// Background work (parsing, filtering, reading raw records) runs below the GUI thread's
// priority: the calling thread gets nice value 5 on Linux (a no-op elsewhere). Threads it
// starts afterwards inherit it. Call it first thing in a worker.
void lowerThreadPriority();

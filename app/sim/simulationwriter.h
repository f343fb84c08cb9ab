#pragma once

#include <QString>

#include <cstdint>

class TrafficSimulator;

struct SimulationWriteResult
{
    std::uint64_t records = 0;
    std::uint64_t bytes = 0; // NDJSON bytes (before compression)
    std::uint64_t fileBytes = 0; // bytes written to the output (after compression)
};

// Writes every record the simulator yields as NDJSON (one record a line, LF). path "" or "-"
// is standard output; a regular file is written atomically (QSaveFile: a failure leaves no
// half file); an existing non-regular file (/dev/null, a FIFO) is written in place, never
// replaced. A path ending in ".gz" is gzip-compressed with zlib and a fixed header (mtime 0,
// OS "Unix", no name), so equal records give byte-identical files.
bool writeSimulation(TrafficSimulator &simulator, const QString &path,
    SimulationWriteResult *result, QString *error);

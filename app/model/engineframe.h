#pragma once

// The chart's frame from counts the engine computed (issue 21): a ClickHouse table's
// per-bucket counts (EngineSeries, every scope summed) as the slots RateChart draws, so a table
// of 100M rows is charted without a row leaving the server.

#include "engine/clickhouseaggregate.h"
#include "model/seriesframe.h"

#include <cstdint>

// The bucket size a view of spanMs asks the engine for: a chart bucket size (1 s … 1 h)
// giving buckets at least minPixels wide, else whole hours.
std::int64_t engineBucketMs(std::int64_t spanMs, int columns, int minPixels);

// One slot per bucket of series.bucketMs over [fromMs, toMs) (empty buckets are zero).
SeriesFrame engineFrame(const EngineSeries &series, std::int64_t fromMs, std::int64_t toMs);

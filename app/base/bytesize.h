#pragma once

#include <QString>

#include <cstdint>
#include <optional>

// A size in bytes as options take it (--capture-max): a number (decimals allowed) with an
// optional suffix, case-insensitive: none or B for bytes, K or KiB (1024), M or MiB (1024²),
// G or GiB (1024³), T or TiB (1024⁴). "1GiB", "1G", "512M", "4 KiB", "1.5G", "65536". nullopt +
// *error when it is not such a size or is not a whole positive number of bytes below 2^62.
std::optional<std::uint64_t> parseByteSize(const QString &text, QString *error);
// The size for people: "4 KiB", "1 GiB", "1.5 GiB", "700 bytes" (a suffix when the size is
// a multiple of a tenth of it, else bytes).
QString byteSizeText(std::uint64_t bytes);

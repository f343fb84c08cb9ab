#include "decode/bodycodec.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace bodycodec {

bool base64Decode(std::string_view in, std::string &out)
{
    out.clear();
    out.reserve(in.size() / 4 * 3 + 3);
    std::uint32_t acc = 0;
    int bits = 0;
    bool padding = false;
    for (const char c : in) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+' || c == '-')
            v = 62;
        else if (c == '/' || c == '_')
            v = 63;
        else if (c == '=') {
            padding = true;
            continue;
        } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        else
            return false;
        if (padding)
            return false; // data after '='
        acc = (acc << 6) | std::uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(char((acc >> bits) & 0xFF));
        }
    }
    return bits < 6; // 6 bits left over: a length no encoder writes
}

bool looksCompressed(std::string_view b)
{
    if (b.size() < 2)
        return false;
    const auto b0 = static_cast<unsigned char>(b[0]), b1 = static_cast<unsigned char>(b[1]);
    if (b0 == 0x1f && b1 == 0x8b)
        return true;
    // zlib: CM 8, window <= 32K, header check (RFC 1950 2.2)
    return (b0 & 0x0f) == 8 && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 == 0;
}

namespace {

    bool inflateWith(std::string_view in, std::string &out, std::size_t maxOut, int windowBits)
    {
        z_stream zs;
        std::memset(&zs, 0, sizeof zs);
        if (inflateInit2(&zs, windowBits) != Z_OK)
            return false;
        out.clear();
        zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
        zs.avail_in = uInt(in.size()); // bodies are far below 4 GiB (the loader caps inflation)
        int ret = Z_OK;
        std::size_t have = 0;
        while (ret != Z_STREAM_END) {
            if (have == out.size()) {
                if (out.size() >= maxOut)
                    break;
                out.resize(
                    std::min(maxOut, std::max<std::size_t>(out.size() * 2, in.size() * 4 + 256)));
            }
            zs.next_out = reinterpret_cast<Bytef *>(out.data() + have);
            zs.avail_out = uInt(out.size() - have);
            ret = ::inflate(&zs, Z_NO_FLUSH);
            have = out.size() - zs.avail_out;
            if (ret != Z_OK && ret != Z_STREAM_END)
                break;
        }
        inflateEnd(&zs);
        out.resize(have);
        if (ret != Z_STREAM_END) {
            out.clear();
            return false;
        }
        out.shrink_to_fit();
        return true;
    }

} // namespace

bool inflate(std::string_view in, std::string &out, std::size_t maxOut)
{
    if (looksCompressed(in))
        return inflateWith(in, out, maxOut, 15 + 32); // gzip or zlib, from the header
    return inflateWith(in, out, maxOut, -15); // raw deflate
}

const char *describeContent(std::string_view body)
{
    std::size_t i = 0;
    while (i < body.size()
        && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
        ++i;
    const std::string_view rest = body.substr(i);
    if (!rest.empty() && (rest[0] == '{' || rest[0] == '['))
        return "JSON";
    if (rest.substr(0, 5) == "data:" || rest.substr(0, 6) == "event:")
        return "an event stream";
    for (const char c : body.substr(0, 4096)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\r' && c != '\t')
            return "binary data";
    }
    return "text";
}

std::string groupedNumber(std::size_t n)
{
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

} // namespace bodycodec

#pragma once

// The keys the generic decoder knows (formats.md §1.1), for recorddecoder.cpp only: the table
// sits in the hot path's translation unit, where the compiler can inline it into the per-line
// decoder. Internal linkage on purpose, as when it lived in that file.

#include <cstdint>
#include <string_view>

namespace {

enum class K : std::uint8_t {
    other,
    k_client,
    k__timestamp,
    k_body,
    k_code,
    k_connected_account_id,
    k_connection_name,
    k_data,
    k_date,
    k_details,
    k_duration,
    k_duration_ms,
    k_error,
    k_error_code,
    k_error_id,
    k_error_message,
    k_headers,
    k_http_interactions,
    k_http_status,
    k_id,
    k_interactions,
    k_latency_ms,
    k_log,
    k_message,
    k_metadata,
    k_metric,
    k_method,
    k_model,
    k_path,
    k_provider,
    k_rawHeaders,
    k_raw_status_code,
    k_recorded_at,
    k_request,
    k_request_url,
    k_response,
    k_response_body,
    k_response_headers,
    k_retry_after,
    k_scope,
    k_startedDateTime,
    k_started_at,
    k_status,
    k_statusCode,
    k_status_code,
    k_time,
    k_timestamp,
    k_tool,
    k_tool_call_logs,
    k_tool_error_info,
    k_tool_name,
    k_ts,
    k_type,
    k_uri,
    k_url,
    k_usage,
    k_usageMetadata,
};

// Known keys by length first: one size switch and a few compares instead of a chain.
K keyId(std::string_view k)
{
    switch (k.size()) {
    case 2:
        if (k == "id")
            return K::k_id;
        if (k == "ts")
            return K::k_ts;
        break;
    case 3:
        if (k == "log")
            return K::k_log;
        if (k == "uri")
            return K::k_uri;
        if (k == "url")
            return K::k_url;
        break;
    case 4:
        if (k == "body")
            return K::k_body;
        if (k == "code")
            return K::k_code;
        if (k == "data")
            return K::k_data;
        if (k == "date")
            return K::k_date;
        if (k == "path")
            return K::k_path;
        if (k == "time")
            return K::k_time;
        if (k == "tool")
            return K::k_tool;
        if (k == "type")
            return K::k_type;
        break;
    case 5:
        if (k == "error")
            return K::k_error;
        if (k == "scope")
            return K::k_scope;
        if (k == "model")
            return K::k_model;
        if (k == "usage")
            return K::k_usage;
        break;
    case 6:
        if (k == "client")
            return K::k_client;
        if (k == "method")
            return K::k_method;
        if (k == "status")
            return K::k_status;
        if (k == "metric")
            return K::k_metric;
        break;
    case 7:
        if (k == "details")
            return K::k_details;
        if (k == "headers")
            return K::k_headers;
        if (k == "message")
            return K::k_message;
        if (k == "request")
            return K::k_request;
        break;
    case 8:
        if (k == "duration")
            return K::k_duration;
        if (k == "error_id")
            return K::k_error_id;
        if (k == "metadata")
            return K::k_metadata;
        if (k == "provider")
            return K::k_provider;
        if (k == "response")
            return K::k_response;
        break;
    case 9:
        if (k == "timestamp")
            return K::k_timestamp;
        if (k == "tool_name")
            return K::k_tool_name;
        break;
    case 10:
        if (k == "@timestamp")
            return K::k__timestamp;
        if (k == "error_code")
            return K::k_error_code;
        if (k == "latency_ms")
            return K::k_latency_ms;
        if (k == "rawHeaders")
            return K::k_rawHeaders;
        if (k == "started_at")
            return K::k_started_at;
        if (k == "statusCode")
            return K::k_statusCode;
        break;
    case 11:
        if (k == "duration_ms")
            return K::k_duration_ms;
        if (k == "http_status")
            return K::k_http_status;
        if (k == "recorded_at")
            return K::k_recorded_at;
        if (k == "request_url")
            return K::k_request_url;
        if (k == "retry_after")
            return K::k_retry_after;
        if (k == "status_code")
            return K::k_status_code;
        break;
    case 12:
        if (k == "interactions")
            return K::k_interactions;
        break;
    case 13:
        if (k == "error_message")
            return K::k_error_message;
        if (k == "response_body")
            return K::k_response_body;
        if (k == "usageMetadata")
            return K::k_usageMetadata;
        break;
    case 14:
        if (k == "tool_call_logs")
            return K::k_tool_call_logs;
        break;
    case 15:
        if (k == "connection_name")
            return K::k_connection_name;
        if (k == "raw_status_code")
            return K::k_raw_status_code;
        if (k == "startedDateTime")
            return K::k_startedDateTime;
        if (k == "tool_error_info")
            return K::k_tool_error_info;
        break;
    case 16:
        if (k == "response_headers")
            return K::k_response_headers;
        break;
    case 17:
        if (k == "http_interactions")
            return K::k_http_interactions;
        break;
    case 20:
        if (k == "connected_account_id")
            return K::k_connected_account_id;
        break;
    default:
        break;
    }
    return K::other;
}

// Time keys in the order they win when a record has several (formats.md §1.1).
int timeRank(K k)
{
    switch (k) {
    case K::k_timestamp:
        return 0;
    case K::k_time:
        return 1;
    case K::k_ts:
        return 2;
    case K::k__timestamp:
        return 3;
    case K::k_started_at:
        return 4;
    case K::k_startedDateTime:
        return 5;
    case K::k_date:
        return 6;
    case K::k_recorded_at:
        return 7;
    default:
        return -1;
    }
}

bool isStatusKey(K k)
{
    return k == K::k_status || k == K::k_status_code || k == K::k_statusCode
        || k == K::k_http_status;
}

} // namespace

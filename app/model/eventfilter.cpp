#include "model/eventfilter.h"

#include "aggregate/scopes.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace {

char lowerAscii(char c) { return char(std::tolower(static_cast<unsigned char>(c))); }

bool containsIgnoreCase(std::string_view haystack, const std::string &needleLower)
{
    if (needleLower.empty())
        return true;
    const auto it = std::search(haystack.begin(), haystack.end(), needleLower.begin(),
        needleLower.end(), [](char a, char b) { return lowerAscii(a) == b; });
    return it != haystack.end();
}

// Id of an exact name in the pool: 0 for "no filter", UINT32_MAX when absent (nothing passes).
std::uint32_t nameId(const EventStore &store, const QString &name)
{
    if (name.isEmpty())
        return 0;
    return store.strings().find(name.toStdString());
}

} // namespace

FilterResult applyFilter(const EventStore &store, const FilterState &filter,
    const std::function<bool()> &cancelled, std::size_t first)
{
    FilterResult result;
    const std::size_t n = store.size();
    result.all = filter.passesAll();

    const std::uint32_t tool = nameId(store, filter.tool);
    const std::uint32_t provider = nameId(store, filter.provider);
    if ((!filter.tool.isEmpty() && tool == UINT32_MAX)
        || (!filter.provider.isEmpty() && provider == UINT32_MAX))
        return result; // a name no event carries

    // whether an endpoint is in the chosen scope, worked out once per endpoint
    const std::string scope = filter.scope.toStdString();
    std::vector<std::int8_t> scopeHit;
    if (!scope.empty())
        scopeHit.assign(store.strings().size(), -1);
    const auto inScope = [&](std::size_t i) {
        std::int8_t &hit = scopeHit[store.endpointId(i)];
        if (hit < 0)
            hit = scopeHostOf(store.endpoint(i)) == scope ? 1 : 0;
        return hit == 1;
    };

    std::vector<char> textHit;
    const bool byText = !filter.text.isEmpty();
    // limits.md §7: the text finds an event by its category's name (QUOTA, OVERLOADED,
    // HIDDEN_THROTTLE) and by the rules that fired on it, as the table shows them
    bool categoryHit[kThrottleCategoryCount + 1] = {};
    const bool byRules = byText && store.hasRuleHits();
    if (byText) {
        std::string needle = filter.text.toStdString();
        std::transform(needle.begin(), needle.end(), needle.begin(), lowerAscii);
        const StringPool &pool = store.strings();
        textHit.assign(pool.size(), 0);
        for (std::uint32_t id = 1; id < pool.size(); ++id)
            textHit[id] = containsIgnoreCase(pool.view(id), needle) ? 1 : 0;
        for (int k = 0; k < kThrottleCategoryCount; ++k)
            categoryHit[k + 1] = containsIgnoreCase(categoryName(categoryFromIndex(k)), needle);
    }

    first = std::min(first, n);
    result.rows.reserve(result.all ? n - first : (n - first) / 4);
    for (std::size_t i = first; i < n; ++i) {
        if ((i & 0xFFFF) == 0 && cancelled && cancelled()) {
            result.cancelled = true;
            return result;
        }
        if (!result.all) {
            if (!filter.sourceEnabled(store.source(i)))
                continue;
            if (tool && store.toolId(i) != tool)
                continue;
            if (provider && store.providerId(i) != provider)
                continue;
            if (filter.status != FilterState::kAnyStatus && store.status(i) != filter.status)
                continue;
            if (!scope.empty() && !inScope(i))
                continue;
            const std::int64_t t = store.timeMs(i);
            if ((filter.fromMs && t < *filter.fromMs) || (filter.toMs && t >= *filter.toMs))
                continue;
            if (byText) {
                const EventDetail d = store.detail(i);
                if (!textHit[d.messageId] && !textHit[d.errorCodeId]
                    && !textHit[store.endpointId(i)] && !textHit[store.toolId(i)]
                    && !textHit[store.providerId(i)]) {
                    if (!byRules)
                        continue;
                    const RuleHit hit = store.ruleHit(i);
                    if (!categoryHit[std::size_t(hit.category)] && !textHit[hit.categoryRuleId]
                        && !textHit[hit.gatewayRuleId])
                        continue;
                }
            }
        }
        result.rows.push_back(std::uint32_t(i));
    }
    const auto byTime
        = [&store](std::uint32_t a, std::uint32_t b) { return store.timeMs(a) < store.timeMs(b); };
    if (!std::is_sorted(result.rows.begin(), result.rows.end(), byTime))
        std::stable_sort(result.rows.begin(), result.rows.end(), byTime);
    return result;
}

std::pair<std::size_t, std::size_t> timeRange(
    const EventStore &store, const EventSubset &rows, qint64 fromMs, qint64 toMs)
{
    const auto lo = std::lower_bound(rows.begin(), rows.end(), fromMs,
        [&store](std::uint32_t e, qint64 t) { return store.timeMs(e) < t; });
    const auto hi = std::lower_bound(
        lo, rows.end(), toMs, [&store](std::uint32_t e, qint64 t) { return store.timeMs(e) < t; });
    return { std::size_t(lo - rows.begin()), std::size_t(hi - rows.begin()) };
}

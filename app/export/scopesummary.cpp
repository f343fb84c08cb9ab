#include "export/scopesummary.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

std::size_t topScopeIndex(const std::vector<ScopeSummary> &scopes)
{
    std::size_t best = 0;
    for (std::size_t k = 1; k < scopes.size(); ++k) {
        const ScopeSummary &a = scopes[k], &b = scopes[best];
        if (a.rejectedTotal() != b.rejectedTotal() ? a.rejectedTotal() > b.rejectedTotal()
                : a.requests != b.requests         ? a.requests > b.requests
                                                   : a.name < b.name)
            best = k;
    }
    return best;
}

std::vector<LimitDrift> configuredAgainstReported(
    const std::vector<LimitSpec> &configured, const std::vector<LimitSpec> &reported)
{
    std::vector<LimitDrift> out;
    for (const LimitSpec &c : configured) {
        for (const LimitSpec &r : reported) {
            if (c.windowS == r.windowS && std::abs(c.requests - r.requests) * 100 > r.requests) {
                LimitDrift d;
                d.kind = LimitDrift::Kind::Configured;
                d.windowS = c.windowS;
                d.from = c.requests;
                d.to = r.requests;
                out.push_back(d);
            }
        }
    }
    return out;
}

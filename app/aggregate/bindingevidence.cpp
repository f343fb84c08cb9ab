#include "aggregate/bindingevidence.h"

void BindingEvidence::addRejection(const EventStore &store, std::size_t i, const LimitWords &w)
{
    const std::int64_t t = store.timeMs(i);
    if (w.axis) {
        const std::size_t a = std::size_t(*w.axis);
        ++wordVotes[a];
        if (t < exampleMs[a]) {
            exampleMs[a] = t;
            wordExample[a] = w;
        }
    }
    const std::uint8_t zero = store.remainingZeroAxes(i);
    for (std::size_t a = 0; a < kHeaderAxes; ++a)
        zeroVotes[a] += (zero >> a) & 1u;
    if (t >= firstMs)
        return;
    firstMs = t;
    firstZero = zero;
    for (std::size_t a = 0; a < kHeaderAxes; ++a) {
        const LimitAxis axis = LimitAxis(a);
        if (axis == LimitAxis::Requests) {
            firstWindowS[a] = store.serverLimit(i) > 0 ? store.serverWindowS(i) : -1;
        } else {
            const std::size_t k = std::size_t(axis) - std::size_t(LimitAxis::Tokens);
            const ReportedTokenLimits &r = store.reportedTokens(i);
            firstWindowS[a] = r.limit[k] > 0 ? r.windowS[k] : -1;
        }
    }
}

void BindingEvidence::merge(const BindingEvidence &other)
{
    for (std::size_t a = 0; a < kAxes; ++a) {
        if (other.exampleMs[a] < exampleMs[a]) {
            exampleMs[a] = other.exampleMs[a];
            wordExample[a] = other.wordExample[a];
        }
        wordVotes[a] += other.wordVotes[a];
    }
    for (std::size_t a = 0; a < kHeaderAxes; ++a)
        zeroVotes[a] += other.zeroVotes[a];
    if (other.firstMs < firstMs) {
        firstMs = other.firstMs;
        firstZero = other.firstZero;
        firstWindowS = other.firstWindowS;
    }
}

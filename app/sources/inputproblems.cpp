#include "sources/inputproblems.h"

QString InputProblem::text() const
{
    return line > 0 ? QStringLiteral("%1:%2: %3").arg(path).arg(line).arg(message)
                    : QStringLiteral("%1: %2").arg(path, message);
}

std::vector<InputProblem> inputProblems(const InputReport &r)
{
    std::vector<InputProblem> out;
    auto add = [&](InputProblem::Kind kind, std::uint64_t line, QString message,
                   std::int64_t count = 1) {
        InputProblem p;
        p.kind = kind;
        p.path = r.path;
        p.line = line;
        p.message = std::move(message);
        p.count = count;
        out.push_back(std::move(p));
    };
    if (r.notALog) { // one message, not one per line
        add(InputProblem::Kind::Fatal, 0, r.fatal);
        return out;
    }
    for (const LocatedError &e : r.errors)
        add(InputProblem::Kind::BadRecord, e.line, e.message);
    const std::int64_t unlisted = r.skipped - std::int64_t(r.errors.size());
    if (unlisted > 0)
        add(InputProblem::Kind::Unlisted, 0,
            QStringLiteral("%1 more bad records not listed").arg(unlisted), unlisted);
    if (r.failed())
        add(InputProblem::Kind::Fatal, 0, r.fatal);
    if (r.duplicates > 0)
        add(InputProblem::Kind::Duplicates, 0,
            r.duplicates == 1
                ? QStringLiteral("1 duplicate record (an id seen before), not counted")
                : QStringLiteral("%1 duplicate records (ids seen before), not counted")
                      .arg(r.duplicates),
            r.duplicates);
    return out;
}

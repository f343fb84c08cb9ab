#pragma once

// A user at the window's password prompt, for the engine chart tests (issue 21): answers in
// turn (nullopt: Cancel; none left: Cancel), and keeps what they were shown, by the prompt and
// in the status bar, to check that no password is ever in it.

#include "enginechartfeed.h"

#include <QStringList>

#include <optional>
#include <vector>

struct ScriptedPrompt
{
    explicit ScriptedPrompt(std::vector<std::optional<QString>> inTurn)
        : answers(std::move(inTurn))
    {
    }

    std::vector<std::optional<QString>> answers;
    QStringList targets, whys, statuses;

    void attach(EngineChartFeed &feed)
    {
        feed.setPasswordPrompt([this](const QString &target, const QString &why) {
            targets << target;
            whys << why;
            const std::size_t turn = std::size_t(whys.size()) - 1;
            return turn < answers.size() ? answers[turn] : std::nullopt;
        });
        QObject::connect(&feed, &EngineChartFeed::statusChanged, &feed,
            [this](const QString &text) { statuses << text; });
    }

    // The first text shown that holds one of `secrets` (empty: none does).
    QString leaked(const QStringList &secrets) const
    {
        for (const QString &text : targets + whys + statuses) {
            for (const QString &secret : secrets) {
                if (text.contains(secret))
                    return text;
            }
        }
        return {};
    }
};

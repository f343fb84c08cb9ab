#include "detailpane.h"

#include "model/incidentmodel.h"
#include "model/timeticks.h"
#include "sourcepalette.h"

#include <QFileInfo>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace {

QString esc(const QString &s) { return s.toHtmlEscaped(); }

QString row(const QString &name, const QString &value)
{
    if (value.isEmpty())
        return QString();
    return QStringLiteral("<tr><td style='padding-right:12px; color:gray'>%1</td>"
                          "<td>%2</td></tr>")
        .arg(esc(name), value);
}

// What a rejection's own words say about its limit (limits.md §4): the axis and window, the
// numbers they give and the form; nothing when they are in no known form.
QString wordsTable(const LimitWords &w)
{
    if (!w.matched())
        return QString();
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='1' "
                                  "style='margin-bottom:6px'>");
    html += row(DetailPane::tr("Its words name"),
        w.axis ? esc(axisWindowText(*w.axis, w.windowS))
               : DetailPane::tr("a limit RateScope does not count"));
    const auto number = [](const std::optional<std::int64_t> &n) {
        return n ? QStringLiteral("<b>%1</b>").arg(*n) : QString();
    };
    html += row(DetailPane::tr("Limit"), number(w.limit));
    html += row(DetailPane::tr("Used"), number(w.used));
    html += row(DetailPane::tr("Requested"), number(w.requested));
    html += row(DetailPane::tr("Form"), esc(QString::fromStdString(w.rule)));
    html += QStringLiteral("</table>");
    return html;
}

} // namespace

DetailPane::DetailPane(QWidget *parent)
    : QWidget(parent)
    , m_browser(new QTextBrowser(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_browser);
    m_browser->setOpenLinks(false);
    m_browser->setMinimumWidth(280);
    clear();
}

void DetailPane::setUtc(bool utc)
{
    m_utc = utc;
    if (m_info.event >= 0)
        render();
}

QString DetailPane::plainText() const { return m_browser->toPlainText(); }

void DetailPane::clear()
{
    m_info = EventDetailInfo {};
    m_browser->setHtml(tr("<p style='color:gray'>Select a record in the table to see the "
                          "provider's message, what to do about it, and the raw record.</p>"
                          "<p style='color:gray'>Click a bar in the chart to list the records "
                          "of that bucket.</p>"));
}

void DetailPane::showDetail(const EventDetailInfo &info)
{
    m_info = info;
    render();
}

void DetailPane::render()
{
    const EventDetailInfo &i = m_info;
    QString html;
    const QString message = i.message.isEmpty() ? tr("(no message in the record)") : i.message;
    const QString origin = messageOriginText(i);
    html
        += QStringLiteral("<p style='font-size:large; font-weight:600; margin-bottom:%1; "
                          "white-space:pre-wrap'>%2</p>")
               .arg(origin.isEmpty() ? QStringLiteral("6px") : QStringLiteral("0px"), esc(message));
    if (!origin.isEmpty()) // whose words these are: the upstream provider a gateway named
        html += QStringLiteral("<p style='margin-top:0px; margin-bottom:6px'>%1</p>")
                    .arg(esc(origin));
    html += wordsTable(i.words);
    // the source's badge, the category's beside it (limits.md §7), the rules that fired
    QStringList badges;
    if (i.source != RejectionSource::None) {
        const QColor bg = SourcePalette::color(i.source), fg = SourcePalette::textOn(i.source);
        badges << QStringLiteral("<span style='background-color:%1; color:%2; font-weight:600'>"
                                 "&nbsp;%3&nbsp;</span>")
                      .arg(bg.name(), fg.name(), esc(SourcePalette::label(i.source)));
    }
    if (i.category != ThrottleCategory::None) // in the chart's colour of the category
        badges << QStringLiteral("<span style='background-color:%1; color:%2; "
                                 "font-weight:600'>&nbsp;%3&nbsp;</span>")
                      .arg(SourcePalette::categoryColor(i.category, false).name(),
                          i.category == ThrottleCategory::Quota ? QStringLiteral("#ffffff")
                                                                : QStringLiteral("#000000"),
                          esc(QString::fromLatin1(categoryName(i.category).data())));
    if (!badges.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(badges.join(QStringLiteral(" &nbsp;")));
    const QString meaning = categoryMeaningText(i);
    if (!meaning.isEmpty())
        html += QStringLiteral("<p style='margin-top:2px; margin-bottom:2px'>%1</p>")
                    .arg(esc(meaning.left(1).toUpper() + meaning.mid(1) + QLatin1Char('.')));
    else if (i.source == RejectionSource::None)
        html += tr("<p>Not a rate-limit rejection.</p>");
    const auto ruleLine = [](const QString &label, const QString &name) {
        return name.isEmpty() ? QString()
                              : QStringLiteral("<p style='margin-top:0px; margin-bottom:0px'>"
                                               "<span style='color:gray'>%1</span> %2</p>")
                                    .arg(esc(label), esc(name));
    };
    html += ruleLine(tr("rule:"), i.categoryRule);
    html += ruleLine(tr("gateway rule:"), i.gatewayRule);
    if (!i.guidance.isEmpty()) {
        QString guidance = esc(i.guidance);
        guidance.replace(QLatin1Char('\n'), QLatin1String("<br>"));
        html += QStringLiteral("<p style='margin-top:2px'>%1</p>").arg(guidance);
    }
    html += QStringLiteral("<table cellspacing='0' cellpadding='1'>");
    html += row(tr("Time"),
        esc(formatEventTime(i.timeMs, m_utc) + (m_utc ? QStringLiteral(" UTC") : QString()))
            + (i.timeNoZone ? tr(" — <b>no zone in the record</b>: read as UTC") : QString()));
    html += row(tr("Tool"), esc(i.tool));
    html += row(tr("Provider"), esc(i.provider));
    html += row(tr("Connection"), esc(i.connection));
    html += row(tr("Status"),
        i.noResponse ? tr("<b>no response</b> (status %1: the request got no answer)").arg(i.status)
            : i.status < 0 ? tr("none (tool call log)")
                           : QString::number(i.status));
    html += row(tr("Request"), esc((i.method + QLatin1Char(' ') + i.endpoint).trimmed()));
    html += row(tr("Model"), esc(i.model));
    html += row(tr("Error code"), esc(i.errorCode));
    html += row(tr("Retry-After"), i.retryAfterS ? tr("%1 s").arg(*i.retryAfterS) : QString());
    html += row(serverLimitCount(i) > 1 ? tr("Server limits") : tr("Server limit"),
        esc(serverLimitsText(i)));
    html += row(tr("Its incident"),
        i.incidentBinding
            ? tr("limit that bit first: %1").arg(esc(bindingLongText(*i.incidentBinding)))
            : QString());
    html += QStringLiteral("</table>");

    html += tr("<p style='margin-bottom:2px'><b>Rate-limit headers</b></p>");
    if (!i.rawLoaded) {
        html += tr("<p style='color:gray'>reading…</p>");
    } else if (i.headers.isEmpty()) {
        html += tr("<p style='color:gray'>none</p>");
    } else {
        html += QStringLiteral("<table cellspacing='0' cellpadding='1'>");
        for (const auto &h : i.headers)
            html += QStringLiteral("<tr><td style='padding-right:12px'><code>%1</code></td>"
                                   "<td><code>%2</code></td></tr>")
                        .arg(esc(h.first), esc(h.second));
        html += QStringLiteral("</table>");
    }
    const QString where = QStringLiteral("%1:%2").arg(QFileInfo(i.file).fileName()).arg(i.line);
    html += tr("<p style='margin-bottom:2px'><b>Raw record</b> — <span title='%1'>%2</span></p>")
                .arg(esc(i.file + QLatin1Char(':') + QString::number(i.line)), esc(where));
    if (!i.rawLoaded)
        html += tr("<p style='color:gray'>reading…</p>");
    else if (!i.rawError.isEmpty())
        html += tr("<p>Could not read it back: %1</p>").arg(esc(i.rawError));
    else
        html += QStringLiteral("<pre style='font-size:small'>%1</pre>").arg(esc(i.raw));
    m_browser->setHtml(html);
}

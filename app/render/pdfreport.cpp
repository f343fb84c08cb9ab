#include "render/pdfreport.h"

#include "export/reportformats.h"

#include <QBuffer>
#include <QFont>
#include <QImage>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

namespace {

// QTextDocument lays a long unbreakable word out in time that grows faster than its length (a
// 300,000-character tool name took 21 s, 1 MiB ones a minute). On paper, an input
// text shows its first kMaxTextBytes bytes and how long it was.
constexpr std::size_t kMaxTextBytes = 2000;

void cut(std::string &t)
{
    if (t.size() <= kMaxTextBytes)
        return;
    std::size_t n = kMaxTextBytes;
    while (n > 0 && (static_cast<unsigned char>(t[n]) & 0xC0) == 0x80) // a UTF-8 boundary
        --n;
    t = t.substr(0, n) + "… (" + std::to_string(t.size()) + " bytes)";
}

Summary withLongTextsCut(Summary s)
{
    for (Incident &inc : s.incidents) {
        for (auto *list : { &inc.topTools, &inc.topProviders, &inc.messages }) {
            for (NamedCount &n : *list)
                cut(n.name);
        }
    }
    for (RetryFinding &f : s.findings) {
        cut(f.client);
        cut(f.target);
    }
    return s;
}

} // namespace

QByteArray summaryToPdf(const Summary &full, const RuleSet &rules, const QByteArray &png)
{
    const Summary s = withLongTextsCut(full);
    QTextDocument doc;
    if (!png.isEmpty()) {
        QImage chart;
        chart.loadFromData(png, "PNG");
        doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart.png")), chart);
    }
    QByteArray bytes;
    QBuffer buf(&bytes);
    buf.open(QIODevice::WriteOnly);
    QPdfWriter pdf(&buf);
    pdf.setPageSize(QPageSize(QPageSize::A4));
    pdf.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    pdf.setResolution(150);
    pdf.setTitle(QStringLiteral("Rate-limit report"));
    pdf.setCreator(QStringLiteral("RateScope"));
    // lay the page out at the writer's width so the chart keeps its proportions
    const QRectF page = pdf.pageLayout().paintRectPixels(pdf.resolution());
    doc.setPageSize(page.size());
    doc.setDefaultFont(QFont(QStringLiteral("DejaVu Sans"), 9));
    doc.setHtml(QString::fromStdString(reportHtml(
        s, rules, png.isEmpty() ? std::string() : "chart.png", int(page.width() * 0.95))));
    doc.print(&pdf);
    buf.close();
    return bytes;
}

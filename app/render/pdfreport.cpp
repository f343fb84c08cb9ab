#include "render/pdfreport.h"

#include "export/reportformats.h"

#include <QBuffer>
#include <QFont>
#include <QImage>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

QByteArray summaryToPdf(const Summary &s, const RuleSet &rules, const QByteArray &png)
{
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
    doc.setHtml(QString::fromStdString(reportHtml(s, rules, png.isEmpty() ? std::string() : "chart.png",
                                                  int(page.width() * 0.95))));
    doc.print(&pdf);
    buf.close();
    return bytes;
}

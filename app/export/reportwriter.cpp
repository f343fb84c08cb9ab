#include "export/reportwriter.h"

#include "export/atomicwrite.h"
#include "export/reportformats.h"
#include "export/summary.h"

#include <QDir>
#include <QFileInfo>

const QStringList &reportFormats()
{
    static const QStringList formats { QStringLiteral("md"), QStringLiteral("json"),
        QStringLiteral("csv"), QStringLiteral("html"), QStringLiteral("pdf") };
    return formats;
}

bool reportDrawsChart(const QString &target, const QString &format)
{
    return format == QLatin1String("html") || format == QLatin1String("pdf")
        || (format == QLatin1String("md") && target != QLatin1String("-"));
}

bool writeReport(const QString &target, const QString &format, const Summary &summary,
    const RuleSet &rules, QString *error, const ChartDrawing *drawing)
{
    if (reportDrawsChart(target, format) && !drawing) {
        *error = QStringLiteral("%1: a %2 report draws a chart, which needs QtGui (ratescope-gui)")
                     .arg(target, format);
        return false;
    }
    QByteArray out;
    if (format == QLatin1String("json")) {
        out = summaryToJson(summary);
    } else if (format == QLatin1String("csv")) {
        out = summaryToCsv(summary);
    } else if (format == QLatin1String("html")) {
        out = summaryToHtml(summary, rules, drawing->png(summary));
    } else if (format == QLatin1String("pdf")) {
        out = drawing->pdf(summary, rules, drawing->png(summary));
    } else if (target != QLatin1String("-")) {
        const QFileInfo info(target);
        const QString chartName = info.completeBaseName() + QStringLiteral(".png");
        if (!writeFileAtomically(info.dir().filePath(chartName), drawing->png(summary), error))
            return false;
        out = summaryToMarkdown(summary, rules, chartName);
    } else {
        out = summaryToMarkdown(summary, rules);
    }
    return writeFileAtomically(target, out, error);
}

#include "export/reportwriter.h"

#include "export/atomicwrite.h"
#include "export/chartimage.h"
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

bool writeReport(const QString &target, const QString &format, const Summary &summary,
    const RuleSet &rules, QString *error)
{
    QByteArray out;
    if (format == QLatin1String("json")) {
        out = summaryToJson(summary);
    } else if (format == QLatin1String("csv")) {
        out = summaryToCsv(summary);
    } else if (format == QLatin1String("html")) {
        out = summaryToHtml(summary, rules, chartPng(summary));
    } else if (format == QLatin1String("pdf")) {
        out = summaryToPdf(summary, rules, chartPng(summary));
    } else if (target != QLatin1String("-")) {
        const QFileInfo info(target);
        const QString chartName = info.completeBaseName() + QStringLiteral(".png");
        if (!writeFileAtomically(info.dir().filePath(chartName), chartPng(summary), error))
            return false;
        out = summaryToMarkdown(summary, rules, chartName);
    } else {
        out = summaryToMarkdown(summary, rules);
    }
    return writeFileAtomically(target, out, error);
}

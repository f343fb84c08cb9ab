#pragma once

#include "model/filteredview.h"
#include "model/filterstate.h"

#include <QWidget>

#include <array>

class QToolButton;

// The chart's legend, in the palette's colours. The source entries are toggles: they switch
// a source on or off in the one filter. The other entries explain the lines.
class LegendBar : public QWidget
{
    Q_OBJECT
public:
    explicit LegendBar(QWidget *parent = nullptr);

    void setFilter(const FilterState &state);
    void setCounts(const FilteredView &view);
    void setDark(bool dark);
    // What the chart's line counts: "requests", "tokens", "requests in flight".
    void setValueLabel(const QString &noun);
    QToolButton *sourceButton(RejectionSource source) const;
    // The entry of a category of limits.md §7 (hidden when the view has none of it).
    QToolButton *categoryEntry(ThrottleCategory category) const;

Q_SIGNALS:
    void sourceToggled(RejectionSource source, bool enabled);

private:
    void updateIcons();

    std::array<QToolButton *, 4> m_sources {}; // indexed by int(RejectionSource)
    std::array<QToolButton *, kThrottleCategoryCount> m_categories {}; // by categoryIndex
    QList<QWidget *> m_lineEntries;
    bool m_dark = false;
};

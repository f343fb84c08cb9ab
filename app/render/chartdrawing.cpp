#include "render/chartdrawing.h"

#include "render/chartimage.h"
#include "render/pdfreport.h"

const ChartDrawing &qtChartDrawing()
{
    static const ChartDrawing drawing { [](const Summary &s) { return chartPng(s); },
        summaryToPdf };
    return drawing;
}

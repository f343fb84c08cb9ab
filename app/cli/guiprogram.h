#pragma once

// Replaces this process with ratescope-gui, the program installed beside this one that links
// QtGui (the window, reports with a chart, live sources), with the same arguments. Returns
// only when that fails, after saying why on standard error: 127.
int execGuiProgram(char **argv);

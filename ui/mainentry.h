#pragma once

// Starts the GUI (QApplication, main window, files given on the command line).
int runGui(int argc, char *argv[]);

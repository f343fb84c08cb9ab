#pragma once

// Starts the GUI (QApplication, main window, files given on the command line).
int runGui(int argc, char *argv[]);

// Chooses Qt's offscreen platform (no display needed), with a runtime directory like the one
// Qt would pick when XDG_RUNTIME_DIR is unset, made here so that Qt does not warn about it.
void useOffscreenPlatform();

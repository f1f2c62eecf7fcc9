// panels.h — what the lecture panels (one file each, panel_<name>.cpp) include and share.
// Not the registry: panel_table.cpp is generated from the panel files; each defines make_<name>_panel.
#pragma once

#include "lecture/live_panel.h"
#include "lecture/shared.h"

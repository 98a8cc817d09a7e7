#pragma once
// The diff lives in the core (no Qt), so that dmscope-cli diff uses the same code.
#include "core/thin/MetadataDiff.h"

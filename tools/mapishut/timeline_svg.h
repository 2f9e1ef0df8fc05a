#pragma once

#include <string>

#include "json_value.h"

// One exit of the exit log as an SVG timeline that opens in a browser: a lane per session, a bar
// per provider call at the time it began (phases in colours, the provider and the step as its
// label and tooltip), a legend and an axis in milliseconds.
std::string TimelineSvg(const JsonValue& exit);

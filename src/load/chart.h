#pragma once
// The load report's picture: a self-contained SVG (or an HTML page around it with the summary
// table) — no scripts, no fonts or styles from the network. Three panels over virtual time: copies
// in flight per region and in all with the engine-wide cap as a line; the busiest account per
// region with EC2's per-(account, region) cap as a line (where the cap bites); and copies
// completed and failed, cumulative. The title names the workload and the seed.
//
//   write_file("load.svg", render_chart_svg(report));
//   write_file("load.html", render_chart_html(report));

#include <string>

#include "src/load/report.h"

namespace ibsim::load {

std::string render_chart_svg(const LoadReport& report);
std::string render_chart_html(const LoadReport& report);

}  // namespace ibsim::load

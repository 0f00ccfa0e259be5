#include "src/load/chart.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

#include "src/faults/fault_plan.h"

namespace ibsim::load {
namespace {

constexpr int kWidth = 1400;
constexpr int kLeft = 90;
constexpr int kRight = 250;  // The legend lives here.
constexpr int kTop = 78;
constexpr int kPanelHeight = 230;
constexpr int kPanelGap = 62;
constexpr int kPlotWidth = kWidth - kLeft - kRight;
// Three panels below the title, then the time axis label under the last one.
constexpr int kHeight = kTop + 18 + 3 * kPanelHeight + 2 * kPanelGap + 56;
// Legend rows before "... and N more".
constexpr std::size_t kLegendRowsMax = 26;

constexpr std::array<const char*, 25> kPalette = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#8ca252", "#bd9e39",
    "#a55194", "#6b6ecf", "#e7969c", "#637939", "#d6616b", "#ce6dbd", "#9c9ede",
    "#843c39", "#7b4173", "#e7ba52", "#3182bd",
};

constexpr const char* kCapColor = "#c0392b";
constexpr const char* kOutageColor = "#f5b041";
constexpr const char* kEventColor = "#6c3483";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string group(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out += digits.substr(0, first);
  for (std::size_t i = first; i < digits.size(); i += 3) {
    out += ',';
    out += digits.substr(i, 3);
  }
  return n < 0 ? "-" + out : out;
}

// A "nice" step (1, 2 or 5 times a power of ten) giving at most `ticks` steps up to `max`.
int64_t nice_step(int64_t max, int ticks) {
  int64_t step = 1;
  while (true) {
    for (const int64_t m : {1, 2, 5}) {
      if (max / (step * m) < ticks) {
        return step * m;
      }
    }
    step *= 10;
  }
}

// A time step from a fixed ladder giving at most ten ticks over `span`.
sim::Duration time_step(sim::Duration span) {
  constexpr std::array<int64_t, 18> kSeconds = {
      1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
  for (const int64_t s : kSeconds) {
    if (span.ns() / sim::Duration::seconds(s).ns() <= 10) {
      return sim::Duration::seconds(s);
    }
  }
  int64_t days = 2;
  while (span.ns() / sim::Duration::days(days).ns() > 10) {
    days *= 2;
  }
  return sim::Duration::days(days);
}

struct Panel {
  int top = 0;
  std::string title;
  int64_t y_max = 1;
};

class Svg {
 public:
  Svg(sim::Duration span) : span_(span.ns() > 0 ? span : sim::Duration::seconds(1)) {}

  std::string& out() { return out_; }

  double x(sim::Duration t) const {
    return kLeft + static_cast<double>(t.ns()) / static_cast<double>(span_.ns()) * kPlotWidth;
  }

  static double y(const Panel& p, int64_t v) {
    return p.top + kPanelHeight
           - static_cast<double>(v) / static_cast<double>(p.y_max) * kPanelHeight;
  }

  void text(double tx, double ty, std::string_view s, std::string_view attrs = {}) {
    out_ += "<text x=\"" + num(tx) + "\" y=\"" + num(ty) + "\" " + std::string(attrs) + ">"
            + escape(s) + "</text>\n";
  }

  void axes(Panel& p, std::string_view y_label) {
    // Round the y range up to a tick.
    const int64_t step = nice_step(std::max<int64_t>(p.y_max, 1), 6);
    p.y_max = (std::max<int64_t>(p.y_max, 1) + step - 1) / step * step;
    out_ += "<rect x=\"" + std::to_string(kLeft) + "\" y=\"" + std::to_string(p.top) + "\" width=\""
            + std::to_string(kPlotWidth) + "\" height=\"" + std::to_string(kPanelHeight)
            + "\" fill=\"#fbfbfb\" stroke=\"#bbb\"/>\n";
    text(kLeft, p.top - 12, p.title, "class=\"panel-title\"");
    for (int64_t v = 0; v <= p.y_max; v += step) {
      const double yy = y(p, v);
      out_ += "<line x1=\"" + std::to_string(kLeft) + "\" x2=\""
              + std::to_string(kLeft + kPlotWidth) + "\" y1=\"" + num(yy) + "\" y2=\"" + num(yy)
              + "\" class=\"grid\"/>\n";
      text(kLeft - 8, yy + 4, group(v), "class=\"tick\" text-anchor=\"end\"");
    }
    const sim::Duration tstep = time_step(span_);
    for (sim::Duration t = sim::Duration::zero(); t <= span_; t += tstep) {
      const double xx = x(t);
      out_ += "<line x1=\"" + num(xx) + "\" x2=\"" + num(xx) + "\" y1=\"" + std::to_string(p.top)
              + "\" y2=\"" + std::to_string(p.top + kPanelHeight) + "\" class=\"grid\"/>\n";
      text(xx,
           p.top + kPanelHeight + 16,
           faults::format_duration(t),
           "class=\"tick\" text-anchor=\"middle\"");
    }
    text(22,
         p.top + kPanelHeight / 2.0,
         y_label,
         "class=\"axis-label\" text-anchor=\"middle\" transform=\"rotate(-90 22 "
             + num(p.top + kPanelHeight / 2.0) + ")\"");
  }

  // A step line through bucket values (each held for one bucket width).
  void steps(const Panel& p,
             const std::vector<int64_t>& values,
             sim::Duration width,
             std::string_view color,
             double stroke,
             std::string_view extra = {}) {
    if (values.empty()) {
      return;
    }
    out_ += "<polyline fill=\"none\" stroke=\"" + std::string(color) + "\" stroke-width=\""
            + num(stroke) + "\" " + std::string(extra) + " points=\"";
    int64_t last = -1;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const sim::Duration t0 = width * static_cast<int64_t>(i);
      const double yy = y(p, values[i]);
      if (values[i] != last) {
        if (last >= 0) {
          out_ += num(x(t0)) + "," + num(y(p, last)) + " ";
        }
        out_ += num(x(t0)) + "," + num(yy) + " ";
        last = values[i];
      }
    }
    const sim::Duration t_end = std::min(span_, width * static_cast<int64_t>(values.size()));
    out_ += num(x(t_end)) + "," + num(y(p, last)) + "\"/>\n";
  }

  void cap_line(const Panel& p, int64_t cap, std::string_view label) {
    const double yy = y(p, cap);
    out_ += "<line x1=\"" + std::to_string(kLeft) + "\" x2=\"" + std::to_string(kLeft + kPlotWidth)
            + "\" y1=\"" + num(yy) + "\" y2=\"" + num(yy) + "\" stroke=\"" + kCapColor
            + "\" stroke-width=\"2\" stroke-dasharray=\"8 5\"/>\n";
    text(kLeft + kPlotWidth - 6, yy - 6, label, "class=\"cap-label\" text-anchor=\"end\"");
  }

  // A shaded band over [t0, t1) from top to bottom (a region outage), labelled unless empty.
  void band(sim::Duration t0, sim::Duration t1, int top, int bottom, std::string_view label) {
    const double x0 = x(std::clamp(t0, sim::Duration::zero(), span_));
    const double x1 = x(std::clamp(t1, sim::Duration::zero(), span_));
    if (x1 <= x0) {
      return;
    }
    out_ += "<rect x=\"" + num(x0) + "\" y=\"" + std::to_string(top) + "\" width=\"" + num(x1 - x0)
            + "\" height=\"" + std::to_string(bottom - top) + "\" fill=\"" + kOutageColor
            + "\" fill-opacity=\"0.18\"/>\n";
    if (!label.empty()) {
      text(x0 + 3, top + 13, label, "class=\"fault-label\"");
    }
  }

  // A vertical marker at t from top to bottom (a world event such as a disabled key).
  void marker(sim::Duration t, int top, int bottom, std::string_view label) {
    if (t < sim::Duration::zero() || t > span_) {
      return;
    }
    const double xx = x(t);
    out_ += "<line x1=\"" + num(xx) + "\" x2=\"" + num(xx) + "\" y1=\"" + std::to_string(top)
            + "\" y2=\"" + std::to_string(bottom) + "\" stroke=\"" + kEventColor
            + "\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"/>\n";
    if (!label.empty()) {
      text(xx + 3, top + 13, label, "class=\"event-label\"");
    }
  }

  void legend_entry(int row, std::string_view color, std::string_view label, bool dashed = false) {
    const int lx = kLeft + kPlotWidth + 24;
    const int ly = kTop + 4 + row * 19;
    out_ += "<line x1=\"" + std::to_string(lx) + "\" x2=\"" + std::to_string(lx + 26) + "\" y1=\""
            + std::to_string(ly) + "\" y2=\"" + std::to_string(ly) + "\" stroke=\""
            + std::string(color) + "\" stroke-width=\"3\""
            + (dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n";
    text(lx + 34, ly + 4, label, "class=\"legend\"");
  }

 private:
  sim::Duration span_;
  std::string out_;
};

int64_t max_of(const std::vector<int64_t>& v) {
  return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

std::vector<int64_t> cumulative(const std::vector<int64_t>& v) {
  std::vector<int64_t> out(v.size());
  int64_t sum = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    sum += v[i];
    out[i] = sum;
  }
  return out;
}

}  // namespace

std::string render_chart_svg(const LoadReport& r) {
  const TimelineReport& t = r.timeline;
  const std::size_t buckets = t.completed.size();
  sim::Duration span = t.bucket_width * static_cast<int64_t>(std::max<std::size_t>(buckets, 1));
  const sim::Duration end = r.first_start + r.makespan;
  if (end > sim::Duration::zero() && end < span) {
    span = end;
  }
  Svg svg(span);
  std::string& out = svg.out();
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kWidth)
         + "\" height=\"" + std::to_string(kHeight) + "\" viewBox=\"0 0 " + std::to_string(kWidth)
         + " " + std::to_string(kHeight) + "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n";
  out += "<style>"
         ".title{font-size:20px;font-weight:bold;fill:#222}"
         ".subtitle{font-size:13px;fill:#444}"
         ".panel-title{font-size:14px;font-weight:bold;fill:#333}"
         ".tick{font-size:11px;fill:#555}"
         ".axis-label{font-size:12px;fill:#444}"
         ".legend{font-size:12px;fill:#333}"
         ".cap-label{font-size:12px;font-weight:bold;fill:" +
         std::string(kCapColor) +
         "}"
         ".grid{stroke:#e4e4e4;stroke-width:1}"
         ".fault-label{font-size:11px;fill:#9c640c}"
         ".event-label{font-size:11px;fill:#6c3483}"
         "</style>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg.text(kLeft,
           30,
           "ibsim load: " + r.name + " (seed " + std::to_string(r.seed) + ")",
           "class=\"title\"");
  std::string subtitle = "makespan " + human_duration(r.makespan) + " · "
                         + group(static_cast<int64_t>(r.copies_available)) + " copies available, "
                         + group(static_cast<int64_t>(r.copies_failed))
                         + " failed · job completion p50 " + human_duration(r.job_completion.p50)
                         + ", p95 " + human_duration(r.job_completion.p95) + ", p99 "
                         + human_duration(r.job_completion.p99) + " · "
                         + group(static_cast<int64_t>(r.retries)) + " retries";
  if (!r.finished) {
    subtitle += " · NOT FINISHED (" + r.stopped_because + ")";
  }
  svg.text(kLeft, 52, subtitle, "class=\"subtitle\"");

  // ---- Panel 1: copies in flight per region and in all, with the engine-wide cap.
  Panel p1{.top = kTop + 18, .title = "Copies in flight per region (all accounts), and in all"};
  const int64_t total_max = max_of(t.in_flight);
  int64_t regions_max = 0;
  for (const ChartSeries& s : t.region_in_flight) {
    regions_max = std::max(regions_max, max_of(s.values));
  }
  // The bound on all copies in flight: the engine-wide cap, or Image Builder's cap per
  // distribution configuration times the pipelines (each has its own configuration).
  int64_t cap_all = r.engine_copies_in_flight_max;
  std::string cap_all_label = "engine cap: " + group(cap_all) + " copies in flight";
  if (r.engine_copies_per_distribution_max > 0) {
    const int64_t per_config = static_cast<int64_t>(r.engine_copies_per_distribution_max)
                               * std::max<int64_t>(r.pipelines, 1);
    if (per_config < cap_all) {
      cap_all = per_config;
      cap_all_label = "Image Builder cap: " + group(r.engine_copies_per_distribution_max)
                      + " copies per distribution configuration"
                      + (r.pipelines > 1 ? " x " + group(r.pipelines) + " pipelines" : "");
    }
  }
  const bool show_cap_all = cap_all <= std::max<int64_t>(total_max, 1) * 3 / 2;
  p1.y_max = std::max(total_max, regions_max);
  if (show_cap_all) {
    p1.y_max = std::max(p1.y_max, cap_all + cap_all / 10);
  } else {
    p1.title += " (cap of " + group(cap_all) + " in flight not reached)";
  }
  svg.axes(p1, "copies in flight");
  for (std::size_t i = 0; i < t.region_in_flight.size(); ++i) {
    svg.steps(p1, t.region_in_flight[i].values, t.bucket_width, kPalette[i % kPalette.size()], 1.5);
  }
  svg.steps(p1, t.in_flight, t.bucket_width, "#111", 2.5);
  if (show_cap_all) {
    svg.cap_line(p1, cap_all, cap_all_label);
  }

  // ---- Panel 2: the busiest account per region against EC2's cap per (account, region).
  Panel p2{.top = p1.top + kPanelHeight + kPanelGap,
           .title = "Busiest account per region: copies in flight in one (account, region)"};
  int64_t busiest_max = 0;
  for (const ChartSeries& s : t.region_busiest) {
    busiest_max = std::max(busiest_max, max_of(s.values));
  }
  const int64_t cap = r.copy_limit;
  p2.y_max = std::max(busiest_max, cap + std::max<int64_t>(cap / 10, 1));
  svg.axes(p2, "copies in flight");
  for (std::size_t i = 0; i < t.region_busiest.size(); ++i) {
    svg.steps(p2, t.region_busiest[i].values, t.bucket_width, kPalette[i % kPalette.size()], 1.5);
  }
  svg.cap_line(p2, cap, "EC2 cap: " + group(cap) + " per (account, region)");

  // ---- Panel 3: copies completed and failed (cumulative), jobs queued for a slot.
  Panel p3{.top = p2.top + kPanelHeight + kPanelGap,
           .title = "Copies completed and failed (cumulative); jobs queued for a copy slot"};
  const std::vector<int64_t> completed = cumulative(t.completed);
  const std::vector<int64_t> failed = cumulative(t.failed);
  p3.y_max = std::max({max_of(completed), max_of(failed), max_of(t.queued), int64_t{1}});
  svg.axes(p3, "copies / jobs");
  svg.steps(p3, t.queued, t.bucket_width, "#999", 1.5, "stroke-dasharray=\"4 3\"");
  svg.steps(p3, failed, t.bucket_width, "#d62728", 2.5);
  svg.steps(p3, completed, t.bucket_width, "#2ca02c", 2.5);
  svg.text(kLeft + kPlotWidth / 2.0,
           p3.top + kPanelHeight + 40,
           "virtual time since the run began",
           "class=\"axis-label\" text-anchor=\"middle\"");

  // ---- Faults: region outages as shaded bands, world events as markers, in every panel (the
  // labels in the first only, on its top line, clear of the cap labels).
  for (const Panel* p : {&p1, &p2, &p3}) {
    const bool labelled = p == &p1;
    for (const OutageReport& o : r.outages) {
      svg.band(o.start, o.end, p->top, p->top + kPanelHeight, labelled ? o.region + " dark" : "");
    }
    for (const WorldEventReport& e : r.world_events) {
      svg.marker(e.at_time, p->top, p->top + kPanelHeight, labelled ? e.description : "");
    }
  }

  // ---- Legend.
  int row = 0;
  svg.legend_entry(row++, "#111", "all regions");
  for (std::size_t i = 0; i < t.region_in_flight.size(); ++i) {
    if (static_cast<std::size_t>(row) >= kLegendRowsMax) {
      svg.text(kLeft + kPlotWidth + 24,
               kTop + 8 + row * 19,
               "... and " + std::to_string(t.region_in_flight.size() - i) + " more regions",
               "class=\"legend\"");
      ++row;
      break;
    }
    svg.legend_entry(row++, kPalette[i % kPalette.size()], t.region_in_flight[i].label);
  }
  ++row;
  svg.legend_entry(row++, kCapColor, "cap", true);
  svg.legend_entry(row++, "#2ca02c", "copies available");
  svg.legend_entry(row++, "#d62728", "copies failed");
  svg.legend_entry(row++, "#999", "jobs queued for a slot", true);
  if (!r.outages.empty()) {
    svg.legend_entry(row++, kOutageColor, "region outage (shaded)");
  }
  if (!r.world_events.empty()) {
    svg.legend_entry(row++, kEventColor, "world event", true);
  }
  out += "</svg>\n";
  return out;
}

std::string render_chart_html(const LoadReport& r) {
  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<title>ibsim load: " + escape(r.name) + "</title>\n";
  html +=
      "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;margin:16px;color:#222}"
      "table{border-collapse:collapse;margin:8px 0 16px}"
      "td,th{border:1px solid #ccc;padding:3px 10px;text-align:right;font-size:13px}"
      "th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}"
      "svg{max-width:100%;height:auto}</style>\n</head>\n<body>\n";
  html += render_chart_svg(r);
  html +=
      "<table>\n<tr><th>job timing</th><th>p50</th><th>p95</th><th>p99</th><th>max</th>"
      "<th>count</th></tr>\n";
  for (const auto& [label, s] :
       {std::pair<const char*, const Summary*>{"job completion", &r.job_completion},
        {"queue wait", &r.queue_wait},
        {"copy (EC2)", &r.copy_duration}}) {
    html += "<tr><td>" + std::string(label) + "</td><td>" + human_duration(s->p50) + "</td><td>"
            + human_duration(s->p95) + "</td><td>" + human_duration(s->p99) + "</td><td>"
            + human_duration(s->max) + "</td><td>" + group(static_cast<int64_t>(s->count))
            + "</td></tr>\n";
  }
  html +=
      "</table>\n<table>\n<tr><th>region</th><th>copies</th><th>peak in flight</th>"
      "<th>mean in flight</th><th>busiest account (cap "
      + std::to_string(r.copy_limit) + ")</th></tr>\n";
  for (const RegionReport& reg : r.regions_detail) {
    char mean[32];
    std::snprintf(mean, sizeof mean, "%.1f", reg.mean_in_flight);
    html += "<tr><td>" + escape(reg.region) + "</td><td>" + group(static_cast<int64_t>(reg.copies))
            + "</td><td>" + group(reg.peak_in_flight) + "</td><td>" + mean + "</td><td>"
            + group(reg.peak_per_account) + "</td></tr>\n";
  }
  html += "</table>\n";
  if (!r.failures_by_cause.empty() || !r.retries_by_step.empty()) {
    html += "<table>\n<tr><th>retries and failures by cause</th><th>count</th></tr>\n";
    for (const auto& [cause, n] : r.retries_by_step) {
      html += "<tr><td>retry " + escape(cause) + "</td><td>" + group(static_cast<int64_t>(n))
              + "</td></tr>\n";
    }
    for (const auto& [cause, n] : r.failures_by_cause) {
      html += "<tr><td>failed " + escape(cause) + "</td><td>" + group(static_cast<int64_t>(n))
              + "</td></tr>\n";
    }
    html += "</table>\n";
  }
  html += "<p style=\"font-size:12px;color:#666\">trace hash " + escape(r.trace_hash) + " · "
          + group(static_cast<int64_t>(r.events)) + " events · generated by ibsim load</p>\n";
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace ibsim::load

#include "src/check/report.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include <nlohmann/json.hpp>

namespace ibsim::check {
namespace {

using Json = nlohmann::ordered_json;
// Statements keep the member order they were written in (Effect, Principal, Action, ...).
using OrderedJson = nlohmann::ordered_json;

// Arrays and objects of scalars up to this length stay on one line.
constexpr std::size_t kInlineArrayCharsMax = 72;
constexpr std::size_t kDenialsShownMax = 6;  // Per problem in the text output.

template <typename J>
std::string dump(const J& j) {
  return j.dump(-1, ' ', false, J::error_handler_t::replace);
}

// Objects one member per line, arrays of scalars inline when short. Recursion is bounded by the
// statement's depth (a policy statement nests at most four levels).
void layout(const OrderedJson& j, const std::string& indent, std::string& out, bool top = false) {
  if (j.is_object() && !j.empty()) {
    bool scalars = true;
    for (const auto& [key, value] : j.items()) {
      scalars = scalars && !value.is_structured();
    }
    const std::string flat = dump(j);
    if (!top && scalars && flat.size() <= kInlineArrayCharsMax) {
      std::string spaced;
      for (const auto& [key, value] : j.items()) {
        spaced += (spaced.empty() ? "{" : ", ") + dump(OrderedJson(key)) + ": " + dump(value);
      }
      out += spaced + "}";
      return;
    }
    out += "{\n";
    std::size_t i = 0;
    for (const auto& [key, value] : j.items()) {
      out += indent + "  " + dump(OrderedJson(key)) + ": ";
      layout(value, indent + "  ", out);
      out += ++i < j.size() ? ",\n" : "\n";
    }
    out += indent + "}";
    return;
  }
  if (j.is_array() && !j.empty()) {
    const std::string flat = dump(j);
    bool scalars = true;
    for (const OrderedJson& v : j) {
      scalars = scalars && !v.is_structured();
    }
    if (scalars && flat.size() <= kInlineArrayCharsMax) {
      std::string spaced;
      for (std::size_t k = 0; k < j.size(); ++k) {
        spaced += (k == 0 ? "[" : ", ") + dump(j[k]);
      }
      out += spaced + "]";
      return;
    }
    out += "[\n";
    for (std::size_t k = 0; k < j.size(); ++k) {
      out += indent + "  ";
      layout(j[k], indent + "  ", out);
      out += k + 1 < j.size() ? ",\n" : "\n";
    }
    out += indent + "]";
    return;
  }
  out += dump(j);
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return out;
}

std::string where(const Problem& p) {
  std::string out;
  if (!p.account.empty()) {
    out += "account " + p.account;
  }
  if (!p.region.empty()) {
    out += (out.empty() ? "" : ", ") + p.region;
  }
  return out;
}

}  // namespace

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

std::size_t Report::count(Severity severity) const {
  std::size_t n = 0;
  for (const Problem& p : problems) {
    n += p.severity == severity ? 1 : 0;
  }
  return n;
}

std::string format_statement(std::string_view compact_json, std::string_view indent) {
  const OrderedJson j = OrderedJson::parse(compact_json, nullptr, false);
  if (j.is_discarded()) {
    return std::string(indent) + std::string(compact_json);
  }
  std::string out(indent);
  layout(j, std::string(indent), out, /*top=*/true);
  return out;
}

std::string render_text(const Report& report) {
  std::string out;
  const std::size_t errors = report.count(Severity::kError);
  const std::size_t warnings = report.count(Severity::kWarning);
  out += "ibsim check: owner " + report.owner + ", source region " + report.source_region;
  if (!report.source.empty()) {
    out += ", " + report.source;
  }
  out += "\n";
  out += "checked " + std::to_string(report.regions) + " region(s), "
         + std::to_string(report.target_accounts) + " target account(s), "
         + std::to_string(report.requests_checked) + " request(s)\n";
  if (report.problems.empty()) {
    out +=
        "\nNo problems: the distribution has every permission, key and setting it needs.\n"
        "The distribution would succeed.\n";
    return out;
  }
  out += std::to_string(errors) + " error(s), " + std::to_string(warnings) + " warning(s), "
         + std::to_string(report.count(Severity::kNote)) + " note(s)\n";
  std::size_t n = 0;
  for (const Problem& p : report.problems) {
    out += '\n';
    out += std::to_string(++n);
    out += ". ";
    out += upper(to_string(p.severity));
    out += ' ';
    out += p.code;
    const std::string at = where(p);
    if (!at.empty()) {
      out += " (" + at + ")";
    }
    out += "\n   " + p.title + "\n";
    if (!p.needed_for.empty()) {
      out += "   Needed for: " + p.needed_for + "\n";
    }
    if (!p.denials.empty()) {
      // "a, b on R1; c on R2": actions grouped by resource, in the order they were found.
      std::vector<std::pair<std::string, std::vector<std::string>>> by_resource;
      for (const Denial& d : p.denials) {
        auto it = std::find_if(by_resource.begin(), by_resource.end(), [&](const auto& e) {
          return e.first == d.resource;
        });
        if (it == by_resource.end()) {
          by_resource.emplace_back(d.resource, std::vector<std::string>{});
          it = std::prev(by_resource.end());
        }
        if (std::find(it->second.begin(), it->second.end(), d.action) == it->second.end()) {
          it->second.push_back(d.action);
        }
      }
      out += "   Denied: ";
      std::size_t shown = 0;
      for (const auto& [resource, actions] : by_resource) {
        if (shown == kDenialsShownMax) {
          out += "; and " + std::to_string(by_resource.size() - shown) + " more";
          break;
        }
        out += shown++ == 0 ? "" : "; ";
        for (std::size_t k = 0; k < actions.size(); ++k) {
          out += (k == 0 ? "" : ", ") + actions[k];
        }
        if (!resource.empty() && resource != "*") {
          out += " on " + resource;
        }
      }
      out += "\n";
    }
    if (!p.aws_error.empty()) {
      out += "   Fails as: " + p.aws_error + "\n";
    }
    if (!p.near_miss.empty()) {
      out += "   Near miss: " + p.near_miss + "\n";
    }
    for (std::size_t k = 0; k < p.fixes.size(); ++k) {
      const Fix& f = p.fixes[k];
      out += std::string("   ") + (p.fixes.size() > 1 ? "Fix " + std::to_string(k + 1) : "Fix")
             + ": " + f.text + "\n";
      // A tag is shown by its command; everything else pastes as JSON.
      if (!f.statement_json.empty() && f.kind != "TagResource") {
        out += format_statement(f.statement_json, "     ") + "\n";
      }
    }
  }
  out += "\n";
  out += errors == 0
             ? "The distribution would succeed.\n"
             : "The distribution would fail: " + std::to_string(errors) + " error(s) to fix.\n";
  return out;
}

std::string render_json(const Report& report) {
  Json out;
  out["owner"] = report.owner;
  out["sourceRegion"] = report.source_region;
  out["source"] = report.source;
  out["regions"] = report.regions;
  out["targetAccounts"] = report.target_accounts;
  out["requestsChecked"] = report.requests_checked;
  out["ok"] = report.ok();
  out["errors"] = report.count(Severity::kError);
  out["warnings"] = report.count(Severity::kWarning);
  out["notes"] = report.count(Severity::kNote);
  Json problems = Json::array();
  for (const Problem& p : report.problems) {
    Json j;
    j["severity"] = std::string(to_string(p.severity));
    j["code"] = p.code;
    j["title"] = p.title;
    j["account"] = p.account;
    j["region"] = p.region;
    j["resource"] = p.resource;
    if (!p.acting_as.empty()) {
      j["actingAs"] = p.acting_as;
    }
    if (!p.needed_for.empty()) {
      j["neededFor"] = p.needed_for;
    }
    if (!p.aws_error.empty()) {
      j["awsError"] = p.aws_error;
    }
    if (!p.near_miss.empty()) {
      j["nearMiss"] = p.near_miss;
    }
    Json denials = Json::array();
    for (const Denial& d : p.denials) {
      denials.push_back({{"principal", d.principal},
                         {"action", d.action},
                         {"resource", d.resource},
                         {"region", d.region},
                         {"message", d.message}});
    }
    j["denials"] = std::move(denials);
    Json fixes = Json::array();
    for (const Fix& f : p.fixes) {
      Json fj;
      fj["kind"] = f.kind;
      if (!f.side.empty()) {
        fj["side"] = f.side;
      }
      if (!f.policy.empty()) {
        fj["policy"] = f.policy;
      }
      fj["policyOf"] = f.policy_of;
      fj["account"] = f.account;
      fj["region"] = f.region;
      if (!f.statement_json.empty()) {
        const Json st = Json::parse(f.statement_json, nullptr, false);
        fj["statement"] = st.is_discarded() ? Json(f.statement_json) : st;
      }
      fj["text"] = f.text;
      fixes.push_back(std::move(fj));
    }
    j["fixes"] = std::move(fixes);
    problems.push_back(std::move(j));
  }
  out["problems"] = std::move(problems);
  return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace ibsim::check

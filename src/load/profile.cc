#include "src/load/profile.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "mock_aws/api/regions.h"
#include "src/faults/fault_plan_json.h"
#include "src/scenario/strict_json.h"

namespace ibsim::load {
namespace {

using scenario::input_error;
using scenario::Json;
using scenario::StrictObject;

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr uint64_t kOwnerAccount = 100'000'000'000;
constexpr uint64_t kFirstTargetAccount = 200'000'000'000;

// The regions a count picks first: the commonly used commercial regions without opt-in, the
// build region (us-east-1) first; then the opt-in regions in catalogue order.
constexpr std::array<std::string_view, 17> kPreferredRegions = {
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-northeast-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "us-east-2",
    "us-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ca-central-1",
    "sa-east-1",
};

sim::AwsError invalid(std::string message) {
  return sim::aws_error(std::string(scenario::kInvalidInputCode), std::move(message));
}

std::vector<std::string_view> region_order() {
  std::vector<std::string_view> order(kPreferredRegions.begin(), kPreferredRegions.end());
  for (const api::RegionInfo& r : api::all_regions()) {
    if (std::find(order.begin(), order.end(), r.name) == order.end()) {
      order.push_back(r.name);
    }
  }
  return order;
}

std::string percent(sim::Ratio r) {
  const uint64_t tenths = r.den == 0 ? 0 : (r.num * 1000 + r.den / 2) / r.den;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 != 0) {
    out += "." + std::to_string(tenths % 10);
  }
  return out + "%";
}

// ---- JSON reading -----------------------------------------------------------------------------

class ProfileReader {
 public:
  explicit ProfileReader(std::string source) : source_(std::move(source)) {}

  sim::Status read(const Json& doc, LoadProfile& p);

 private:
  std::optional<sim::Duration> duration(StrictObject& o, std::string_view key);
  std::optional<sim::Ratio> ratio(StrictObject& o, std::string_view key);
  std::optional<double> number(StrictObject& o, std::string_view key, double min, double max);
  sim::Status read_copy_time(const Json& node, const std::string& at, CopyTimeProfile& out);
  sim::Status read_engine(const Json& node, const std::string& at, EngineProfile& out);

  std::string source_;
};

std::optional<sim::Duration> ProfileReader::duration(StrictObject& o, std::string_view key) {
  const std::optional<std::string> text = o.optional_string(key);
  if (!text.has_value()) {
    return std::nullopt;
  }
  std::optional<sim::Duration> d = faults::parse_duration(*text);
  if (!d.has_value()) {
    o.fail(key,
           "expected a duration such as \"30m\", \"1h30m\", \"45s\" or \"500ms\", got \"" + *text
               + "\"");
  }
  return d;
}

std::optional<sim::Ratio> ProfileReader::ratio(StrictObject& o, std::string_view key) {
  const Json* v = o.optional_value(key);
  if (v == nullptr || v->is_null()) {
    return std::nullopt;
  }
  std::optional<sim::Ratio> r;
  if (v->is_string()) {
    r = faults::parse_ratio(v->get<std::string>());
  } else if (v->is_number()) {
    r = faults::parse_ratio(v->dump());
  }
  if (!r.has_value()) {
    o.fail(key,
           "expected a share such as 0.5, \"0.5\" or \"1/2\" (from 0 to 1), got "
               + scenario::describe(*v));
  }
  return r;
}

std::optional<double> ProfileReader::number(StrictObject& o,
                                            std::string_view key,
                                            double min,
                                            double max) {
  const Json* v = o.optional_value(key);
  if (v == nullptr || v->is_null()) {
    return std::nullopt;
  }
  if (!v->is_number() || v->get<double>() < min || v->get<double>() > max) {
    o.fail(key,
           "expected a number from " + Json(min).dump() + " to " + Json(max).dump() + ", got "
               + scenario::describe(*v));
    return std::nullopt;
  }
  return v->get<double>();
}

sim::Status ProfileReader::read_copy_time(const Json& node,
                                          const std::string& at,
                                          CopyTimeProfile& out) {
  StrictObject o(node, at);
  if (auto v = o.optional_int("same_region_mib_per_s", 1, 8192)) {
    out.same_region_bytes_per_sec = static_cast<uint64_t>(*v) * kMiB;
  }
  if (auto v = o.optional_int("cross_region_mib_per_s", 1, 8192)) {
    out.cross_region_bytes_per_sec = static_cast<uint64_t>(*v) * kMiB;
  }
  if (auto d = duration(o, "fixed_latency")) {
    out.fixed_latency = *d;
  }
  if (auto s = number(o, "jitter_sigma", 0.0, 2.0)) {
    out.jitter_sigma = *s;
  }
  if (const Json* pairs = o.optional_array("pairs")) {
    if (pairs->size() > LoadLimits::kPairRulesMax) {
      return input_error(o.child_path("pairs"),
                         "at most " + std::to_string(LoadLimits::kPairRulesMax) + " pair rules");
    }
    for (std::size_t i = 0; i < pairs->size(); ++i) {
      StrictObject po((*pairs)[i], scenario::index_path(o.child_path("pairs"), i));
      PairTimeRule rule;
      rule.source = po.optional_string("source").value_or("*");
      rule.destination = po.optional_string("destination").value_or("*");
      for (const std::string* name : {&rule.source, &rule.destination}) {
        if (*name != "*" && api::find_region(*name) == nullptr) {
          po.fail_here("'" + *name + "' is not a region of partition aws (or \"*\")");
        }
      }
      const std::optional<int64_t> mib = po.optional_int("mib_per_s", 1, 8192);
      const std::optional<int64_t> per_gib = po.optional_int("seconds_per_gib", 1, 86'400);
      if (mib.has_value() && per_gib.has_value()) {
        po.fail_here("give mib_per_s or seconds_per_gib, not both");
      }
      if (mib.has_value()) {
        rule.bytes_per_sec = static_cast<uint64_t>(*mib) * kMiB;
      }
      if (per_gib.has_value()) {
        rule.bytes_per_sec = std::max<uint64_t>(1, kGiB / static_cast<uint64_t>(*per_gib));
      }
      rule.fixed_latency = duration(po, "fixed_latency");
      rule.jitter_sigma = number(po, "jitter_sigma", 0.0, 2.0);
      if (sim::Status s = po.finish(); !s.ok()) {
        return s;
      }
      out.pairs.push_back(std::move(rule));
    }
  }
  return o.finish();
}

sim::Status ProfileReader::read_engine(const Json& node,
                                       const std::string& at,
                                       EngineProfile& out) {
  StrictObject o(node, at);
  if (auto v = o.optional_int("copies_per_distribution_max", 0, 1'000'000)) {
    out.copies_per_distribution_max = static_cast<uint32_t>(*v);
  }
  if (auto v = o.optional_int("copies_per_account_region_max", 1, 1'000'000)) {
    out.copies_per_account_region_max = static_cast<uint32_t>(*v);
  }
  if (auto v = o.optional_int("copies_in_flight_max", 1, 10'000'000)) {
    out.copies_in_flight_max = static_cast<uint32_t>(*v);
  }
  if (auto d = duration(o, "poll_interval")) {
    out.poll_interval = *d;
  }
  if (auto d = duration(o, "poll_interval_max")) {
    out.poll_interval_max = *d;
  }
  if (auto v = o.optional_bool("poll_adaptive")) {
    out.poll_adaptive = *v;
  }
  if (auto v = o.optional_int("retry_attempts_max", 1, 100)) {
    out.retry_attempts_max = static_cast<uint32_t>(*v);
  }
  if (auto d = duration(o, "backoff_base")) {
    out.backoff_base = *d;
  }
  if (auto d = duration(o, "backoff_max")) {
    out.backoff_max = *d;
  }
  if (auto d = duration(o, "distribution_timeout")) {
    out.distribution_timeout = *d;
  }
  return o.finish();
}

sim::Status ProfileReader::read(const Json& doc, LoadProfile& p) {
  StrictObject o(doc, "$");
  if (auto name = o.optional_string("name")) {
    p.name = *name;
  }
  if (auto seed = o.optional_int("seed", 0, INT64_MAX)) {
    p.seed = static_cast<uint64_t>(*seed);
  }
  if (auto v = o.optional_int("accounts", 0, LoadLimits::kAccountsMax)) {
    p.accounts = static_cast<uint32_t>(*v);
  }
  if (const Json* regions = o.optional_value("regions")) {
    if (regions->is_number_integer()) {
      const int64_t n = regions->get<int64_t>();
      if (n < 1 || n > static_cast<int64_t>(api::all_regions().size())) {
        o.fail("regions",
               "expected a count from 1 to " + std::to_string(api::all_regions().size())
                   + " or a list of region names, got " + scenario::describe(*regions));
      } else {
        p.region_count = static_cast<uint32_t>(n);
        p.region_names.clear();
      }
    } else if (regions->is_array()) {
      p.region_names.clear();
      for (const Json& r : *regions) {
        if (!r.is_string()) {
          o.fail("regions", "expected region names, got " + scenario::describe(r));
          break;
        }
        p.region_names.push_back(r.get<std::string>());
      }
    } else {
      o.fail("regions",
             "expected a count or a list of region names, got " + scenario::describe(*regions));
    }
  }
  if (auto v = o.optional_int("images", 1, LoadLimits::kImagesMax)) {
    p.images = static_cast<uint32_t>(*v);
  }
  if (auto v = o.optional_int("pipelines", 1, LoadLimits::kPipelinesMax)) {
    p.pipelines = static_cast<uint32_t>(*v);
  }
  if (const Json* start = o.optional_object("start")) {
    StrictObject so(*start, o.child_path("start"));
    if (auto d = duration(so, "pipeline_offset")) {
      p.pipeline_offset = *d;
    }
    if (auto d = duration(so, "image_interval")) {
      p.image_interval = *d;
    }
    if (auto d = duration(so, "jitter")) {
      p.start_jitter = *d;
    }
    if (sim::Status s = so.finish(); !s.ok()) {
      return s;
    }
  }
  if (auto r = ratio(o, "encrypted_share")) {
    p.encrypted_share = *r;
  }
  if (auto v = o.optional_int("image_size_gib", 1, LoadLimits::kImageSizeGibMax)) {
    p.image_size_gib = static_cast<int32_t>(*v);
  }
  if (const Json* mis = o.optional_object("misconfigured")) {
    StrictObject mo(*mis, o.child_path("misconfigured"));
    if (auto r = ratio(mo, "missing_role")) {
      p.misconfigured.missing_role = *r;
    }
    if (auto r = ratio(mo, "missing_kms_policy")) {
      p.misconfigured.missing_kms_policy = *r;
    }
    if (sim::Status s = mo.finish(); !s.ok()) {
      return s;
    }
  }
  if (const Json* ec2 = o.optional_object("ec2")) {
    StrictObject eo(*ec2, o.child_path("ec2"));
    if (auto v = eo.optional_int("copy_limit", 1, 1'000'000)) {
      p.copy_limit = static_cast<uint32_t>(*v);
    }
    if (auto v = eo.optional_bool("request_rate")) {
      p.ec2_request_rate = *v;
    }
    if (sim::Status s = eo.finish(); !s.ok()) {
      return s;
    }
  }
  if (const Json* ct = o.optional_object("copy_time")) {
    if (sim::Status s = read_copy_time(*ct, o.child_path("copy_time"), p.copy_time); !s.ok()) {
      return s;
    }
  }
  if (const Json* engine = o.optional_object("engine")) {
    if (sim::Status s = read_engine(*engine, o.child_path("engine"), p.engine); !s.ok()) {
      return s;
    }
  }
  if (const Json* limits = o.optional_object("limits")) {
    StrictObject lo(*limits, o.child_path("limits"));
    if (auto d = duration(lo, "virtual_time_max")) {
      p.virtual_time_max = *d;
    }
    if (auto v = lo.optional_int("events_max", 1'000, INT64_MAX)) {
      p.events_max = static_cast<uint64_t>(*v);
    }
    if (auto v = lo.optional_int("snapshot_content_bytes", 16, 1 << 20)) {
      p.snapshot_content_bytes = static_cast<std::size_t>(*v);
    }
    if (sim::Status s = lo.finish(); !s.ok()) {
      return s;
    }
  }
  if (!o.ok()) {
    return o.finish();
  }
  if (const Json* f = o.optional_object("faults")) {
    const uint32_t accounts = p.accounts;
    sim::Result<faults::FaultPlan> plan = faults::read_fault_plan(
        *f, o.child_path("faults"), {.account_alias = [accounts](std::string_view text) {
          return account_alias(text, accounts);
        }});
    if (!plan.ok()) {
      return plan.error();
    }
    p.faults = std::move(plan).value();
  }
  return o.finish();
}

}  // namespace

sim::Status validate(const LoadProfile& p) {
  if (p.accounts > LoadLimits::kAccountsMax) {
    return invalid("accounts: at most " + std::to_string(LoadLimits::kAccountsMax));
  }
  if (p.images < 1 || p.images > LoadLimits::kImagesMax) {
    return invalid("images: from 1 to " + std::to_string(LoadLimits::kImagesMax));
  }
  if (p.pipelines < 1 || p.pipelines > LoadLimits::kPipelinesMax) {
    return invalid("pipelines: from 1 to " + std::to_string(LoadLimits::kPipelinesMax));
  }
  if (p.image_size_gib < 1 || p.image_size_gib > LoadLimits::kImageSizeGibMax) {
    return invalid("image_size_gib: from 1 to " + std::to_string(LoadLimits::kImageSizeGibMax));
  }
  for (const sim::Ratio* r :
       {&p.encrypted_share, &p.misconfigured.missing_role, &p.misconfigured.missing_kms_policy}) {
    if (r->den == 0 || r->num > r->den) {
      return invalid("shares are from 0 to 1");
    }
  }
  if (p.copy_limit < 1) {
    return invalid("copy_limit: at least 1");
  }
  if (p.pipeline_offset < sim::Duration::zero() || p.image_interval < sim::Duration::zero()
      || p.start_jitter < sim::Duration::zero()) {
    return invalid("start times must not be negative");
  }
  if (p.virtual_time_max <= sim::Duration::zero()) {
    return invalid("virtual_time_max must be above zero");
  }
  sim::Result<std::vector<api::Region>> regions = resolve_regions(p);
  if (!regions.ok()) {
    return regions.error();
  }
  if (planned_copies(p, regions->size()) > LoadLimits::kCopiesMax) {
    return invalid("the workload plans " + std::to_string(planned_copies(p, regions->size()))
                   + " copies; at most " + std::to_string(LoadLimits::kCopiesMax));
  }
  return faults::validate(p.faults);
}

sim::Result<std::vector<api::Region>> resolve_regions(const LoadProfile& p) {
  std::vector<api::Region> out;
  if (!p.region_names.empty()) {
    std::set<std::string> seen;
    for (const std::string& name : p.region_names) {
      if (api::find_region(name) == nullptr) {
        return invalid("regions: '" + name + "' is not a region of partition aws");
      }
      if (!seen.insert(name).second) {
        return invalid("regions: '" + name + "' is listed twice");
      }
      out.push_back(api::Region::from_known(name));
    }
    return out;
  }
  const std::vector<std::string_view> order = region_order();
  if (p.region_count < 1 || p.region_count > order.size()) {
    return invalid("regions: from 1 to " + std::to_string(order.size()));
  }
  for (uint32_t i = 0; i < p.region_count; ++i) {
    out.push_back(api::Region::from_known(order[i]));
  }
  return out;
}

uint64_t planned_copies(const LoadProfile& p, std::size_t region_count) {
  const uint64_t per_image =
      static_cast<uint64_t>(region_count) * p.accounts + (region_count > 0 ? region_count - 1 : 0);
  return per_image * p.images;
}

std::string display_name(const LoadProfile& p, std::size_t region_count) {
  if (!p.name.empty()) {
    return p.name;
  }
  std::string out = std::to_string(p.accounts) + " accounts x " + std::to_string(region_count)
                    + " regions x " + std::to_string(p.images)
                    + (p.images == 1 ? " image" : " images");
  out += ", " + percent(p.encrypted_share) + " encrypted";
  if (!p.faults.empty()) {
    out += ", with faults";
  }
  return out;
}

api::AccountId owner_account() {
  return api::AccountId::from_valid(std::to_string(kOwnerAccount));
}

api::AccountId target_account(uint32_t index) {
  return api::AccountId::from_valid(std::to_string(kFirstTargetAccount + index));
}

std::optional<api::AccountId> account_alias(std::string_view text, uint32_t accounts) {
  if (text == "source" || text == "owner") {
    return owner_account();
  }
  if (text.starts_with("target:")) {
    const std::string_view digits = text.substr(7);
    if (digits.empty() || digits.size() > 9) {
      return std::nullopt;
    }
    uint64_t n = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') {
        return std::nullopt;
      }
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (n >= accounts) {
      return std::nullopt;
    }
    return target_account(static_cast<uint32_t>(n));
  }
  return std::nullopt;
}

sim::Result<LoadProfile> read_profile(std::string_view json_text, std::string_view source) {
  if (json_text.size() > LoadLimits::kProfileBytesMax) {
    return input_error(source, "larger than 16 MiB");
  }
  sim::Result<Json> doc = scenario::parse_json_text(json_text, source);
  if (!doc.ok()) {
    return doc.error();
  }
  LoadProfile p;
  ProfileReader reader{std::string(source)};
  if (sim::Status s = reader.read(*doc, p); !s.ok()) {
    sim::AwsError e = s.error();
    if (!e.message.starts_with(source)) {
      e.message = std::string(source) + ": " + e.message;
    }
    return e;
  }
  if (sim::Status s = validate(p); !s.ok()) {
    sim::AwsError e = s.error();
    e.message = std::string(source) + ": " + e.message;
    return e;
  }
  return p;
}

namespace {

sim::Result<std::string> read_text_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return invalid(path + ": cannot open the " + std::string(what) + " file");
  }
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > LoadLimits::kProfileBytesMax) {
      return invalid(path + ": larger than 16 MiB");
    }
  }
  return text;
}

}  // namespace

sim::Result<LoadProfile> read_profile_file(const std::string& path) {
  sim::Result<std::string> text = read_text_file(path, "profile");
  if (!text.ok()) {
    return text.error();
  }
  return read_profile(*text, path);
}

sim::Result<faults::FaultPlan> read_fault_plan_file(const std::string& path, uint32_t accounts) {
  sim::Result<std::string> text = read_text_file(path, "fault plan");
  if (!text.ok()) {
    return text.error();
  }
  sim::Result<Json> doc = scenario::parse_json_text(*text, path);
  if (!doc.ok()) {
    return doc.error();
  }
  sim::Result<faults::FaultPlan> plan =
      faults::read_fault_plan(*doc, "$", {.account_alias = [accounts](std::string_view a) {
        return account_alias(a, accounts);
      }});
  if (!plan.ok()) {
    sim::AwsError e = plan.error();
    e.message = path + ": " + e.message;
    return e;
  }
  return plan;
}

}  // namespace ibsim::load

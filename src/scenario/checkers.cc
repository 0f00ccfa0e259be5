#include "src/scenario/checkers.h"

#include <algorithm>
#include <optional>
#include <span>

#include "mock_aws/api/arn.h"
#include "mock_aws/crypto/aes_gcm.h"
#include "mock_aws/ec2/ec2_model.h"
#include "mock_aws/kms/kms_model.h"

namespace ibsim::scenario {
namespace {

namespace api = mock_aws::api;
namespace ec2 = mock_aws::ec2;
namespace ib = mock_aws::api::imagebuilder;

using RegionAccounts = std::map<api::Region, std::set<std::string>>;

std::string field(const sim::TraceEvent& e, std::string_view key) {
  for (const sim::TraceField& f : e.fields) {
    if (f.key == key) {
      if (const std::string* s = std::get_if<std::string>(&f.value)) {
        return *s;
      }
      return std::to_string(std::get<int64_t>(f.value));
    }
  }
  return {};
}

// What the distribution configurations of the run's images allow, per region: accounts that may
// own an AMI there, and accounts an AMI or snapshot may be shared with.
struct Allowed {
  RegionAccounts owners;
  RegionAccounts shares;
  std::set<api::Region> public_regions;
  bool any_plan = false;
};

Allowed allowed_by_plans(const CheckerInput& in) {
  Allowed out;
  for (const std::string& arn : in.images) {
    const auto* d = in.world.imagebuilder().find_image_details(arn);
    if (d == nullptr) {
      continue;
    }
    if (d->build_plan.has_value()) {
      out.any_plan = true;
      out.owners[d->build_plan->region].insert(d->build_plan->owner.str());
    }
    if (!d->distribution_plan.has_value()) {
      continue;
    }
    out.any_plan = true;
    const ib::DistributionPlan& p = *d->distribution_plan;
    out.owners[p.source_region].insert(p.owner.str());
    for (const ib::RegionPlan& r : p.regions) {
      out.owners[r.region].insert(p.owner.str());
      std::set<std::string>& shares = out.shares[r.region];
      if (r.ami.has_value()) {
        for (const api::AccountId& t : r.ami->target_account_ids) {
          out.owners[r.region].insert(t.str());
          shares.insert(t.str());
          out.shares[p.source_region].insert(t.str());  // The source AMI is shared in its region.
        }
        if (r.ami->launch_permission.has_value()) {
          for (const std::string& u : r.ami->launch_permission->user_ids) {
            shares.insert(u);
          }
          for (const std::string& g : r.ami->launch_permission->user_groups) {
            if (g == "all") {
              out.public_regions.insert(r.region);
            }
          }
        }
      }
      for (const ib::LaunchTemplatePlan& lt : r.launch_templates) {
        if (lt.account_id.has_value()) {
          shares.insert(lt.account_id->str());
        }
      }
      for (const ib::SsmParameterPlan& sp : r.ssm_parameters) {
        if (sp.ami_account_id.has_value()) {
          shares.insert(sp.ami_account_id->str());
        }
      }
    }
  }
  return out;
}

// The ARN a distribution's kmsKeyId names, as EC2 would resolve it for the copying account.
std::string resolve_key(const CheckerInput& in,
                        const std::string& ref,
                        const api::AccountId& account,
                        const api::Region& region) {
  if (ref.empty()) {
    return {};
  }
  const auto& kms = in.world.kms();
  if (ref.starts_with("alias/")) {
    return kms.find_alias_target(account, region, ref).value_or(ref);
  }
  sim::Result<api::Arn> arn = api::parse_arn(ref);
  if (arn.ok() && arn->resource_type() == "alias" && api::AccountId::is_valid(arn->account)) {
    return kms.find_alias_target(api::AccountId::from_valid(arn->account), region, arn->resource)
        .value_or(ref);
  }
  if (arn.ok()) {
    return ref;
  }
  return api::kms_key_arn(region, account, ref);
}

// The plaintext of a snapshot's content, decrypted with `key_arn`'s own material when it is
// encrypted; nullopt when that key does not open it.
std::optional<std::vector<uint8_t>> snapshot_plaintext(const CheckerInput& in,
                                                       const ec2::SnapshotRecord& snap,
                                                       const std::string& key_arn) {
  if (snap.content == nullptr) {
    return std::nullopt;
  }
  if (!snap.encrypted) {
    return *snap.content;
  }
  if (snap.data_key == nullptr) {
    return std::nullopt;
  }
  std::optional<std::vector<uint8_t>> data_key =
      in.world.kms().inspect_open_data_key(key_arn, snap.data_key->blob, snap.id.view());
  if (!data_key.has_value() || data_key->size() != mock_aws::crypto::kAesKeyBytes) {
    return std::nullopt;
  }
  const std::span<const uint8_t, mock_aws::crypto::kAesKeyBytes> key(
      data_key->data(), mock_aws::crypto::kAesKeyBytes);
  // The record's documented format: ciphertext || tag, the snapshot id as AAD.
  const std::string_view id = snap.id.view();
  return mock_aws::crypto::aes256_gcm_open(
      key,
      snap.iv,
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(id.data()), id.size()),
      *snap.content);
}

Failure checker_failure(std::string_view checker,
                        std::string what,
                        std::string expected,
                        std::string actual) {
  return Failure{.path = "checker: " + std::string(checker),
                 .what = std::move(what),
                 .expected = std::move(expected),
                 .actual = std::move(actual)};
}

}  // namespace

std::vector<Failure> check_no_foreign_amis(const CheckerInput& in) {
  constexpr std::string_view kName = "no AMI outside the configuration";
  std::vector<Failure> out;
  const Allowed allowed = allowed_by_plans(in);
  for (const api::Region& region : in.world.regions()) {
    const auto owners = allowed.owners.find(region);
    const auto shares = allowed.shares.find(region);
    in.world.ec2().for_each_image(region, [&](const ec2::ImageRecord& image) {
      const auto base = in.baseline.find({region, image.id.str()});
      const bool is_new = base == in.baseline.end();
      const std::string owner = image.owner.str();
      if (is_new && !in.direct_ec2.contains({image.owner, region})
          && (owners == allowed.owners.end() || !owners->second.contains(owner))) {
        out.push_back(checker_failure(
            kName,
            "AMI " + image.id.str() + " \"" + image.name + "\" in " + region.str(),
            "only accounts of the distribution configuration own new AMIs in " + region.str(),
            "owned by " + owner + ", which no configuration of this run names there"));
      }
      if (image.launch_permissions == nullptr || (!is_new && !allowed.any_plan)) {
        return;
      }
      const auto ok_share = [&](const std::string& account) {
        return account == owner
               || (shares != allowed.shares.end() && shares->second.contains(account))
               || (base != in.baseline.end() && base->second.contains(account))
               || in.direct_ec2.contains({image.owner, region});
      };
      for (const api::AccountId& a : image.launch_permissions->user_ids) {
        if (!ok_share(a.str())) {
          out.push_back(
              checker_failure(kName,
                              "launch permission of AMI " + image.id.str() + " in " + region.str(),
                              "shared only with the configuration's accounts",
                              "shared with " + a.str()));
        }
      }
      if (image.launch_permissions->is_public && !allowed.public_regions.contains(region)
          && !ok_share("all")) {
        out.push_back(
            checker_failure(kName,
                            "launch permission of AMI " + image.id.str() + " in " + region.str(),
                            "not public (no launchPermission userGroups \"all\")",
                            "public"));
      }
      for (const ec2::ImageBlockDevice& bd : image.block_devices) {
        const ec2::SnapshotRecord* snap =
            in.world.ec2().find_snapshot(region, bd.snapshot_id.view());
        if (snap == nullptr || snap->volume_permissions == nullptr) {
          continue;
        }
        for (const api::AccountId& a : snap->volume_permissions->user_ids) {
          if (!ok_share(a.str())) {
            out.push_back(checker_failure(
                kName,
                "createVolumePermission of snapshot " + snap->id.str() + " in " + region.str(),
                "shared only with the configuration's accounts",
                "shared with " + a.str()));
          }
        }
      }
    });
  }
  return out;
}

std::vector<Failure> check_encrypted_copies(const CheckerInput& in) {
  constexpr std::string_view kName = "encrypted copies under the destination key";
  std::vector<Failure> out;
  // The kmsKeyId each (account, region) was to receive its copy under.
  std::map<std::pair<api::AccountId, api::Region>, std::string> expected_keys;
  for (const std::string& arn : in.images) {
    const auto* d = in.world.imagebuilder().find_image_details(arn);
    if (d == nullptr || !d->distribution_plan.has_value()) {
      continue;
    }
    for (const ib::RegionPlan& r : d->distribution_plan->regions) {
      if (!r.ami.has_value() || r.ami->kms_key_id.empty()) {
        continue;
      }
      if (r.region != d->distribution_plan->source_region) {
        expected_keys[{d->distribution_plan->owner, r.region}] = r.ami->kms_key_id;
      }
      for (const api::AccountId& t : r.ami->target_account_ids) {
        expected_keys[{t, r.region}] = r.ami->kms_key_id;
      }
    }
  }
  for (const api::Region& region : in.world.regions()) {
    in.world.ec2().for_each_image(region, [&](const ec2::ImageRecord& image) {
      if (in.baseline.contains({region, image.id.str()}) || image.source_image_id.empty()
          || image.state != ec2::ImageState::kAvailable) {
        return;
      }
      const std::string label =
          "copy " + image.id.str() + " (" + image.owner.str() + ", " + region.str() + ")";
      const auto expected = expected_keys.find({image.owner, region});
      const std::string want = expected == expected_keys.end()
                                   ? std::string()
                                   : resolve_key(in, expected->second, image.owner, region);
      for (const ec2::ImageBlockDevice& bd : image.block_devices) {
        const ec2::SnapshotRecord* snap =
            in.world.ec2().find_snapshot(region, bd.snapshot_id.view());
        if (snap == nullptr) {
          out.push_back(checker_failure(kName,
                                        label,
                                        "its snapshots exist",
                                        "snapshot " + bd.snapshot_id.str() + " is missing"));
          continue;
        }
        const ec2::SnapshotRecord* source =
            in.world.ec2().find_snapshot(image.source_region, snap->copied_from_snapshot.view());
        if (!want.empty() && snap->kms_key_arn() != want) {
          out.push_back(checker_failure(kName,
                                        "key of snapshot " + snap->id.str() + " of " + label,
                                        want + " (the distribution's kmsKeyId)",
                                        snap->encrypted ? snap->kms_key_arn() : "unencrypted"));
          continue;
        }
        if (source != nullptr && source->encrypted && !snap->encrypted) {
          out.push_back(checker_failure(kName,
                                        "snapshot " + snap->id.str() + " of " + label,
                                        "encrypted, as its source " + source->id.str() + " is",
                                        "unencrypted"));
          continue;
        }
        if (!snap->encrypted) {
          continue;
        }
        if (api::parse_arn(snap->kms_key_arn()).ok()
            && api::parse_arn(snap->kms_key_arn())->region != region.str()) {
          out.push_back(checker_failure(kName,
                                        "key of snapshot " + snap->id.str() + " of " + label,
                                        "a key of " + region.str(),
                                        snap->kms_key_arn()));
          continue;
        }
        const auto plaintext = snapshot_plaintext(in, *snap, snap->kms_key_arn());
        if (!plaintext.has_value()) {
          out.push_back(checker_failure(kName,
                                        "snapshot " + snap->id.str() + " of " + label,
                                        "decrypts with its key " + snap->kms_key_arn(),
                                        "it does not"));
          continue;
        }
        if (source == nullptr) {
          continue;  // The source snapshot was deleted meanwhile: nothing to compare with.
        }
        const auto original = snapshot_plaintext(in, *source, source->kms_key_arn());
        if (original.has_value() && *original != *plaintext) {
          out.push_back(checker_failure(kName,
                                        "snapshot " + snap->id.str() + " of " + label,
                                        "the same data as its source " + source->id.str(),
                                        "different bytes"));
        }
        if (source->encrypted && source->kms_key_arn() != snap->kms_key_arn()
            && snapshot_plaintext(in, *snap, source->kms_key_arn()).has_value()) {
          out.push_back(
              checker_failure(kName,
                              "snapshot " + snap->id.str() + " of " + label,
                              "not decryptable with the source key " + source->kms_key_arn(),
                              "it is"));
        }
      }
    });
  }
  return out;
}

std::vector<Failure> check_nothing_unfinished(const CheckerInput& in) {
  constexpr std::string_view kName = "nothing unfinished after the quiet phase";
  std::vector<Failure> out;
  if (in.engine.runs_active() != 0 || in.engine.jobs_active() != 0) {
    out.push_back(checker_failure(kName,
                                  "the distribution engine",
                                  "idle",
                                  std::to_string(in.engine.runs_active()) + " run(s) and "
                                      + std::to_string(in.engine.jobs_active())
                                      + " job(s) active"));
  }
  if (in.world.ec2().copies_pending() != 0) {
    out.push_back(checker_failure(kName,
                                  "EC2 copies",
                                  "none pending",
                                  std::to_string(in.world.ec2().copies_pending()) + " pending"));
  }
  for (const api::Region& region : in.world.regions()) {
    in.world.ec2().for_each_image(region, [&](const ec2::ImageRecord& image) {
      if (image.state == ec2::ImageState::kPending) {
        out.push_back(checker_failure(kName,
                                      "AMI " + image.id.str() + " in " + region.str(),
                                      "available or failed",
                                      "pending"));
      }
    });
  }
  if (!in.events_complete) {
    return out;
  }
  // Every copy the engine started ended, and every EC2 copy job ended.
  std::map<std::string, std::string> open_engine;  // run/job -> where
  std::map<std::string, std::string> open_ec2;     // region/image -> where
  for (const sim::TraceEvent& e : in.events) {
    if (e.kind == "engine.copy.start") {
      open_engine[field(e, "run") + "/" + field(e, "job")] =
          field(e, "account") + " " + field(e, "region");
    } else if (e.kind == "engine.copy.done") {
      open_engine.erase(field(e, "run") + "/" + field(e, "job"));
    } else if (e.kind == "ec2.copy.start") {
      open_ec2[field(e, "region") + "/" + field(e, "image")] =
          field(e, "account") + " " + field(e, "region");
    } else if (e.kind == "ec2.copy.done" || e.kind == "ec2.copy.failed"
               || e.kind == "ec2.copy.cancelled") {
      open_ec2.erase(field(e, "region") + "/" + field(e, "image"));
    }
  }
  for (const auto& [key, where] : open_engine) {
    out.push_back(checker_failure(kName,
                                  "engine copy " + key + " (" + where + ")",
                                  "engine.copy.done in the trace",
                                  "it never ended"));
  }
  for (const auto& [key, where] : open_ec2) {
    out.push_back(checker_failure(kName,
                                  "EC2 copy " + key + " (" + where + ")",
                                  "ec2.copy.done, .failed or .cancelled in the trace",
                                  "it never ended"));
  }
  return out;
}

std::vector<Failure> check_copy_caps(const CheckerInput& in) {
  constexpr std::string_view kName = "copy caps never exceeded";
  std::vector<Failure> out;
  const ec2::Ec2Model& ec2m = in.world.ec2();
  for (const auto& [key, peak] : ec2m.copy_peaks()) {
    const uint32_t cap = ec2m.copy_limit(key.first, key.second);
    if (peak > cap) {
      out.push_back(checker_failure(kName,
                                    "EC2 copies into " + key.first.str() + " " + key.second.str(),
                                    "at most " + std::to_string(cap) + " at once",
                                    std::to_string(peak) + " at once"));
    }
  }
  const engine::EngineOptions& o = in.engine.options();
  const engine::EngineStats& s = in.engine.stats();
  if (s.copies_in_flight_peak > o.copies_in_flight_max) {
    out.push_back(checker_failure(kName,
                                  "the engine's copies in flight",
                                  "at most " + std::to_string(o.copies_in_flight_max),
                                  std::to_string(s.copies_in_flight_peak)));
  }
  if (s.copies_per_account_region_peak > o.copies_per_account_region_max) {
    out.push_back(checker_failure(kName,
                                  "the engine's copies per (account, region)",
                                  "at most " + std::to_string(o.copies_per_account_region_max),
                                  std::to_string(s.copies_per_account_region_peak)));
  }
  if (!in.events_complete) {
    return out;
  }
  // Independently of the model's own counters: replay the trace.
  std::map<std::pair<std::string, std::string>, int64_t> running;
  std::map<std::pair<std::string, std::string>, int64_t> peak;
  std::set<std::string> open;
  for (const sim::TraceEvent& e : in.events) {
    const bool start = e.kind == "ec2.copy.start";
    const bool end =
        e.kind == "ec2.copy.done" || e.kind == "ec2.copy.failed" || e.kind == "ec2.copy.cancelled";
    if (!start && !end) {
      continue;
    }
    const auto key = std::make_pair(field(e, "account"), field(e, "region"));
    const std::string id = key.second + "/" + field(e, "image");
    if (start) {
      open.insert(id);
      peak[key] = std::max(peak[key], ++running[key]);
    } else if (open.erase(id) > 0) {
      --running[key];
    }
  }
  for (const auto& [key, n] : peak) {
    if (!api::AccountId::is_valid(key.first) || api::find_region(key.second) == nullptr) {
      continue;
    }
    const uint32_t cap =
        ec2m.copy_limit(api::AccountId::from_valid(key.first), api::Region::from_known(key.second));
    if (n > static_cast<int64_t>(cap)) {
      out.push_back(checker_failure(kName,
                                    "copies into " + key.first + " " + key.second + " (trace)",
                                    "at most " + std::to_string(cap) + " at once",
                                    std::to_string(n) + " at once"));
    }
  }
  return out;
}

const std::vector<Checker>& checkers() {
  static const std::vector<Checker> kCheckers = {
      {"no AMI outside the configuration", check_no_foreign_amis},
      {"encrypted copies under the destination key", check_encrypted_copies},
      {"nothing unfinished after the quiet phase", check_nothing_unfinished},
      {"copy caps never exceeded", check_copy_caps},
  };
  return kCheckers;
}

}  // namespace ibsim::scenario

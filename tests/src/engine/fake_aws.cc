#include "tests/src/engine/fake_aws.h"

#include <algorithm>

#include "mock_aws/api/arn.h"
#include "src/client/call_error.h"

namespace ibsim::engine::testing {
namespace {

namespace ec2 = client::ec2;

std::string hex_id(std::string_view prefix, uint64_t n) {
  std::string digits = std::to_string(n);
  return std::string(prefix) + std::string(17 - std::min<std::size_t>(17, digits.size()), '0')
         + digits;
}

sim::AwsError unauthorized() {
  return sim::aws_error(
      "UnauthorizedOperation", "You are not authorized to perform this operation.", 403);
}

class FakeEc2 final : public client::Ec2Client {
 public:
  FakeEc2(FakeAws& aws, FakeAws::Caller caller, api::Region region)
      : aws_(aws), caller_(std::move(caller)), region_(std::move(region)) {}

  std::optional<sim::AwsError> pre(std::string_view op, const std::string& detail, bool* applied) {
    aws_.log(std::string(op), caller_, region_, detail);
    if (caller_.error.has_value()) {
      return caller_.error;
    }
    if (caller_.service) {
      return unauthorized();
    }
    return aws_.scripted(op, caller_, region_, applied);
  }

  sim::Result<ec2::DescribeImagesOutput> describe_images(
      const ec2::DescribeImagesInput& in) override {
    bool applied = false;
    const std::string first = in.image_ids.empty() ? std::string() : in.image_ids.front();
    if (auto e = pre("DescribeImages", first, &applied)) {
      return *e;
    }
    ec2::DescribeImagesOutput out;
    for (const auto& [id, img] : aws_.images_) {
      if (img.region != region_) {
        continue;
      }
      const bool wanted =
          in.image_ids.empty()
              ? (img.owner == caller_.account)
              : std::find(in.image_ids.begin(), in.image_ids.end(), id) != in.image_ids.end();
      if (!wanted) {
        continue;
      }
      if (!in.filters.empty()) {
        const bool name_match =
            std::any_of(in.filters.begin(), in.filters.end(), [&](const ec2::Filter& f) {
              return f.name == "name"
                     && std::find(f.values.begin(), f.values.end(), img.name) != f.values.end();
            });
        if (!name_match) {
          continue;
        }
      }
      const bool visible =
          img.owner == caller_.account || img.launch_permissions.count(caller_.account.str()) > 0;
      if (!visible) {
        continue;
      }
      ec2::Image o;
      o.image_id = id;
      o.name = img.name;
      o.state = img.state;
      o.owner_id = img.owner.str();
      if (!img.state_reason.empty()) {
        o.state_reason = ec2::StateReason{std::string("Client.Error"), img.state_reason};
      }
      for (const std::string& snap : img.snapshot_ids) {
        ec2::BlockDeviceMapping m;
        m.device_name = "/dev/xvda";
        m.ebs = ec2::EbsBlockDevice{};
        m.ebs->snapshot_id = snap;
        m.ebs->encrypted = img.encrypted;
        o.block_device_mappings.push_back(m);
      }
      out.images.push_back(std::move(o));
    }
    return out;
  }

  sim::Result<ec2::CopyImageOutput> copy_image(const ec2::CopyImageInput& in) override {
    bool applied = false;
    const std::string token = in.client_token.value_or("");
    std::optional<sim::AwsError> e = pre("CopyImage", token, &applied);
    if (e.has_value() && !applied) {
      return *e;
    }
    const auto key = std::make_tuple(caller_.account, region_, token);
    if (!token.empty()) {
      if (const auto it = aws_.tokens_.find(key); it != aws_.tokens_.end()) {
        if (e.has_value()) {
          return *e;
        }
        return ec2::CopyImageOutput{it->second};
      }
    }
    const auto src = aws_.images_.find(in.source_image_id);
    if (src == aws_.images_.end() || src->second.region.str() != in.source_region) {
      return sim::aws_error("InvalidAMIID.NotFound",
                            "The image id '[" + in.source_image_id + "]' does not exist");
    }
    const FakeImage& source = src->second;
    if (source.owner != caller_.account
        && source.launch_permissions.count(caller_.account.str()) == 0) {
      return sim::aws_error("InvalidAMIID.NotFound",
                            "The image id '[" + in.source_image_id + "]' does not exist");
    }
    const std::string id = hex_id("ami-", aws_.next_id_++);
    FakeImage copy;
    copy.owner = caller_.account;
    copy.region = region_;
    copy.name = in.name;
    copy.state = "pending";
    copy.encrypted = in.encrypted.value_or(source.encrypted);
    copy.kms_key_id = in.kms_key_id.value_or(in.encrypted.value_or(false) ? "default" : "");
    for (const auto& spec : in.tag_specifications) {
      if (spec.resource_type == "image") {
        for (const auto& t : spec.tags) {
          copy.tags[t.key] = t.value.value_or("");
        }
      }
    }
    for (std::size_t i = 0; i < source.snapshot_ids.size(); ++i) {
      const std::string snap = hex_id("snap-", aws_.next_id_++);
      FakeSnapshot s;
      s.owner = caller_.account;
      for (const auto& spec : in.tag_specifications) {
        if (spec.resource_type == "snapshot") {
          for (const auto& t : spec.tags) {
            s.tags[t.key] = t.value.value_or("");
          }
        }
      }
      aws_.snapshots_[snap] = s;
      copy.snapshot_ids.push_back(snap);
    }
    aws_.images_[id] = copy;
    if (!token.empty()) {
      aws_.tokens_[key] = id;
    }
    const auto flight = std::make_pair(caller_.account, region_);
    const uint32_t now_in_flight = ++aws_.in_flight_[flight];
    aws_.peak_[flight] = std::max(aws_.peak_[flight], now_in_flight);
    ++aws_.in_flight_total_;
    aws_.copy_peak_total_ = std::max(aws_.copy_peak_total_, aws_.in_flight_total_);
    FakeAws* aws = &aws_;
    aws_.ctx_.scheduler().schedule_after(aws_.copy_time, [aws, id, flight] {
      FakeImage& img = aws->images_.at(id);
      const auto fail = aws->failing_copies_.find(flight);
      if (fail != aws->failing_copies_.end()) {
        img.state = "failed";
        img.state_reason = "Copy image failed with an internal error";
        img.failure_cause = fail->second;
      } else {
        img.state = "available";
      }
      --aws->in_flight_[flight];
      --aws->in_flight_total_;
    });
    if (e.has_value()) {
      return *e;  // Applied, then the answer was lost.
    }
    return ec2::CopyImageOutput{id};
  }

  sim::Result<ec2::ModifyImageAttributeOutput> modify_image_attribute(
      const ec2::ModifyImageAttributeInput& in) override {
    bool applied = false;
    if (auto e = pre("ModifyImageAttribute", in.image_id, &applied)) {
      return *e;
    }
    const auto it = aws_.images_.find(in.image_id);
    if (it == aws_.images_.end() || it->second.owner != caller_.account) {
      return sim::aws_error("InvalidAMIID.NotFound",
                            "The image id '[" + in.image_id + "]' does not exist");
    }
    if (in.launch_permission.has_value()) {
      for (const auto& p : in.launch_permission->add) {
        it->second.launch_permissions.insert(p.user_id.value_or(p.group.value_or("org")));
      }
    }
    return ec2::ModifyImageAttributeOutput{};
  }

  sim::Result<ec2::CreateImageOutput> create_image(const ec2::CreateImageInput& in) override {
    bool applied = false;
    std::optional<sim::AwsError> e = pre("CreateImage", in.instance_id.value_or(""), &applied);
    if (e.has_value() && !applied) {
      return *e;
    }
    const std::string id = hex_id("ami-", aws_.next_id_++);
    FakeImage img;
    img.owner = caller_.account;
    img.region = region_;
    img.name = in.name.value_or("");
    img.state = "pending";
    for (const auto& spec : in.tag_specifications) {
      if (spec.resource_type == "image") {
        for (const auto& t : spec.tags) {
          img.tags[t.key] = t.value.value_or("");
        }
      }
    }
    const std::string snap = hex_id("snap-", aws_.next_id_++);
    aws_.snapshots_[snap] = FakeSnapshot{caller_.account, {}, {}};
    img.snapshot_ids.push_back(snap);
    aws_.images_[id] = img;
    FakeAws* aws = &aws_;
    aws_.ctx_.scheduler().schedule_after(aws_.create_image_time,
                                         [aws, id] { aws->images_.at(id).state = "available"; });
    if (e.has_value()) {
      return *e;
    }
    return ec2::CreateImageOutput{id};
  }

  sim::Result<ec2::DescribeSnapshotsOutput> describe_snapshots(
      const ec2::DescribeSnapshotsInput& in) override {
    bool applied = false;
    if (auto e = pre("DescribeSnapshots", "", &applied)) {
      return *e;
    }
    ec2::DescribeSnapshotsOutput out;
    for (const std::string& id : in.snapshot_ids) {
      const auto it = aws_.snapshots_.find(id);
      if (it == aws_.snapshots_.end()) {
        continue;
      }
      ec2::Snapshot s;
      s.snapshot_id = id;
      for (const auto& [k, v] : it->second.tags) {
        s.tags.push_back({k, v});
      }
      out.snapshots.push_back(std::move(s));
    }
    return out;
  }

  sim::Result<ec2::ModifySnapshotAttributeOutput> modify_snapshot_attribute(
      const ec2::ModifySnapshotAttributeInput& in) override {
    bool applied = false;
    if (auto e = pre("ModifySnapshotAttribute", in.snapshot_id, &applied)) {
      return *e;
    }
    const auto it = aws_.snapshots_.find(in.snapshot_id);
    if (it == aws_.snapshots_.end()) {
      return sim::aws_error("InvalidSnapshot.NotFound", "no such snapshot");
    }
    if (in.create_volume_permission.has_value()) {
      for (const auto& p : in.create_volume_permission->add) {
        it->second.create_volume_permissions.insert(p.user_id.value_or("all"));
      }
    }
    return ec2::ModifySnapshotAttributeOutput{};
  }

  sim::Result<ec2::CreateTagsOutput> create_tags(const ec2::CreateTagsInput& in) override {
    bool applied = false;
    if (auto e = pre("CreateTags", in.resources.empty() ? "" : in.resources.front(), &applied)) {
      return *e;
    }
    for (const std::string& r : in.resources) {
      for (const auto& t : in.tags) {
        if (auto it = aws_.images_.find(r); it != aws_.images_.end()) {
          it->second.tags[t.key] = t.value.value_or("");
        }
        if (auto it = aws_.snapshots_.find(r); it != aws_.snapshots_.end()) {
          it->second.tags[t.key] = t.value.value_or("");
        }
      }
    }
    return ec2::CreateTagsOutput{};
  }

  sim::Result<ec2::RunInstancesOutput> run_instances(const ec2::RunInstancesInput& in) override {
    bool applied = false;
    if (auto e = pre("RunInstances", in.image_id.value_or(""), &applied)) {
      return *e;
    }
    const std::string id = hex_id("i-", aws_.next_id_++);
    aws_.instance_states_[id] = "pending";
    FakeAws* aws = &aws_;
    aws_.ctx_.scheduler().schedule_after(aws_.launch_time, [aws, id] {
      if (aws->instance_states_[id] == "pending") {
        aws->instance_states_[id] = "running";
      }
    });
    ec2::RunInstancesOutput out;
    ec2::Instance i;
    i.instance_id = id;
    i.state = ec2::InstanceState{0, std::string("pending")};
    out.instances.push_back(i);
    return out;
  }

  sim::Result<ec2::DescribeInstancesOutput> describe_instances(
      const ec2::DescribeInstancesInput& in) override {
    bool applied = false;
    if (auto e = pre("DescribeInstances", "", &applied)) {
      return *e;
    }
    ec2::DescribeInstancesOutput out;
    ec2::Reservation r;
    for (const std::string& id : in.instance_ids) {
      ec2::Instance i;
      i.instance_id = id;
      i.state = ec2::InstanceState{0, aws_.instance_states_[id]};
      r.instances.push_back(i);
    }
    out.reservations.push_back(r);
    return out;
  }

  sim::Result<ec2::TerminateInstancesOutput> terminate_instances(
      const ec2::TerminateInstancesInput& in) override {
    bool applied = false;
    if (auto e = pre("TerminateInstances", "", &applied)) {
      return *e;
    }
    for (const std::string& id : in.instance_ids) {
      aws_.instance_states_[id] = "terminated";
    }
    return ec2::TerminateInstancesOutput{};
  }

  sim::Result<ec2::DescribeLaunchTemplatesOutput> describe_launch_templates(
      const ec2::DescribeLaunchTemplatesInput& in) override {
    bool applied = false;
    if (auto e = pre("DescribeLaunchTemplates", "", &applied)) {
      return *e;
    }
    ec2::DescribeLaunchTemplatesOutput out;
    for (const std::string& id : in.launch_template_ids) {
      const auto it = aws_.launch_templates_.find(id);
      if (it == aws_.launch_templates_.end() || it->second.owner != caller_.account) {
        return sim::aws_error("InvalidLaunchTemplateId.NotFound", "no such template " + id);
      }
      ec2::LaunchTemplate lt;
      lt.launch_template_id = id;
      lt.default_version_number = it->second.default_version;
      lt.latest_version_number = static_cast<int64_t>(it->second.version_images.size());
      out.launch_templates.push_back(lt);
    }
    return out;
  }

  sim::Result<ec2::DescribeLaunchTemplateVersionsOutput> describe_launch_template_versions(
      const ec2::DescribeLaunchTemplateVersionsInput&) override {
    return ec2::DescribeLaunchTemplateVersionsOutput{};
  }

  sim::Result<ec2::CreateLaunchTemplateVersionOutput> create_launch_template_version(
      const ec2::CreateLaunchTemplateVersionInput& in) override {
    bool applied = false;
    if (auto e = pre("CreateLaunchTemplateVersion", in.client_token.value_or(""), &applied)) {
      return *e;
    }
    FakeLaunchTemplate& lt = aws_.launch_templates_.at(in.launch_template_id.value_or(""));
    lt.version_images.push_back(in.launch_template_data.image_id.value_or(""));
    ec2::CreateLaunchTemplateVersionOutput out;
    out.launch_template_version = ec2::LaunchTemplateVersion{};
    out.launch_template_version->version_number = static_cast<int64_t>(lt.version_images.size());
    return out;
  }

  sim::Result<ec2::ModifyLaunchTemplateOutput> modify_launch_template(
      const ec2::ModifyLaunchTemplateInput& in) override {
    bool applied = false;
    if (auto e = pre("ModifyLaunchTemplate", "", &applied)) {
      return *e;
    }
    FakeLaunchTemplate& lt = aws_.launch_templates_.at(in.launch_template_id.value_or(""));
    lt.default_version = std::stoll(in.default_version.value_or("1"));
    return ec2::ModifyLaunchTemplateOutput{};
  }

  sim::Result<ec2::GetEbsDefaultKmsKeyIdOutput> get_ebs_default_kms_key_id(
      const ec2::GetEbsDefaultKmsKeyIdInput&) override {
    return ec2::GetEbsDefaultKmsKeyIdOutput{std::string("alias/aws/ebs")};
  }

  sim::Result<ec2::GetEbsEncryptionByDefaultOutput> get_ebs_encryption_by_default(
      const ec2::GetEbsEncryptionByDefaultInput&) override {
    return ec2::GetEbsEncryptionByDefaultOutput{false, std::nullopt};
  }

  std::optional<sim::AwsError> image_failure_cause(std::string_view image_id) override {
    const auto it = aws_.images_.find(std::string(image_id));
    return it == aws_.images_.end() ? std::nullopt : it->second.failure_cause;
  }

 private:
  FakeAws& aws_;
  FakeAws::Caller caller_;
  api::Region region_;
};

class FakeSts final : public client::StsClient {
 public:
  FakeSts(FakeAws& aws, FakeAws::Caller caller, api::Region region)
      : aws_(aws), caller_(std::move(caller)), region_(std::move(region)) {}

  sim::Result<client::sts::AssumeRoleOutput> assume_role(
      const client::sts::AssumeRoleInput& in) override {
    aws_.log("AssumeRole", caller_, region_, in.role_arn);
    if (caller_.error.has_value()) {
      return *caller_.error;
    }
    bool applied = false;
    if (auto e = aws_.scripted("AssumeRole", caller_, region_, &applied)) {
      return *e;
    }
    const std::string caller_arn =
        caller_.service ? "imagebuilder.amazonaws.com" : caller_.role_arn;
    if (aws_.denied_roles_.count(in.role_arn) > 0) {
      return sim::aws_error(
          "AccessDenied",
          "User: " + caller_arn
              + " is not authorized to perform: sts:AssumeRole on resource: " + in.role_arn,
          403);
    }
    const sim::Result<api::Arn> arn = api::parse_arn(in.role_arn);
    if (!arn.ok()) {
      return arn.error();
    }
    const std::string key = hex_id("ASIA", aws_.next_id_++);
    const int64_t expiration = aws_.ctx_.unix_ms() + aws_.session_seconds * 1000;
    aws_.sessions_[key] =
        FakeAws::Session{api::AccountId::from_valid(arn->account), in.role_arn, expiration};
    client::sts::AssumeRoleOutput out;
    out.credentials = {key, "secret-" + key, "token-" + key, expiration};
    out.assumed_role_user.arn = in.role_arn + "/" + in.role_session_name;
    return out;
  }

  sim::Result<client::sts::GetCallerIdentityOutput> get_caller_identity(
      const client::sts::GetCallerIdentityInput&) override {
    return client::sts::GetCallerIdentityOutput{"id", caller_.account.str(), caller_.role_arn};
  }

 private:
  FakeAws& aws_;
  FakeAws::Caller caller_;
  api::Region region_;
};

class FakeIam final : public client::IamClient {
 public:
  FakeIam(FakeAws& aws, FakeAws::Caller caller) : aws_(aws), caller_(std::move(caller)) {}

  sim::Result<client::iam::GetInstanceProfileOutput> get_instance_profile(
      const client::iam::GetInstanceProfileInput& in) override {
    aws_.log("GetInstanceProfile", caller_, api::Region{}, in.instance_profile_name);
    bool applied = false;
    if (auto e = aws_.scripted("GetInstanceProfile", caller_, api::Region{}, &applied)) {
      return *e;
    }
    if (aws_.instance_profiles_.count({caller_.account, in.instance_profile_name}) == 0) {
      return sim::aws_error("NoSuchEntity",
                            "Instance Profile " + in.instance_profile_name + " cannot be found.",
                            404);
    }
    client::iam::GetInstanceProfileOutput out;
    out.instance_profile.instance_profile_name = in.instance_profile_name;
    return out;
  }

  sim::Result<client::iam::GetRoleOutput> get_role(const client::iam::GetRoleInput&) override {
    return sim::aws_error("NoSuchEntity", "not modelled by the fake", 404);
  }

 private:
  FakeAws& aws_;
  FakeAws::Caller caller_;
};

class FakeSsm final : public client::SsmClient {
 public:
  FakeSsm(FakeAws& aws, FakeAws::Caller caller, api::Region region)
      : aws_(aws), caller_(std::move(caller)), region_(std::move(region)) {}

  sim::Result<client::ssm::PutParameterOutput> put_parameter(
      const client::ssm::PutParameterInput& in) override {
    aws_.log("PutParameter", caller_, region_, in.name);
    bool applied = false;
    if (auto e = aws_.scripted("PutParameter", caller_, region_, &applied)) {
      return *e;
    }
    aws_.parameters_[{caller_.account, region_, in.name}] = in.value;
    return client::ssm::PutParameterOutput{1, std::string("Standard")};
  }

 private:
  FakeAws& aws_;
  FakeAws::Caller caller_;
  api::Region region_;
};

}  // namespace

void FakeAws::add_image(const api::AccountId& owner,
                        const api::Region& region,
                        const std::string& image_id,
                        FakeImage image,
                        uint32_t snapshots) {
  image.owner = owner;
  image.region = region;
  if (image.name.empty()) {
    image.name = "source-image";
  }
  for (uint32_t i = 0; i < snapshots; ++i) {
    const std::string snap = hex_id("snap-", next_id_++);
    snapshots_[snap] = FakeSnapshot{owner, {}, {}};
    image.snapshot_ids.push_back(snap);
  }
  images_[image_id] = std::move(image);
}

std::size_t FakeAws::count(std::string_view operation) const {
  return static_cast<std::size_t>(std::count_if(
      calls_.begin(), calls_.end(), [&](const CallRecord& c) { return c.operation == operation; }));
}

const FakeImage* FakeAws::image(const std::string& id) const {
  const auto it = images_.find(id);
  return it == images_.end() ? nullptr : &it->second;
}

const FakeSnapshot* FakeAws::snapshot(const std::string& id) const {
  const auto it = snapshots_.find(id);
  return it == snapshots_.end() ? nullptr : &it->second;
}

const FakeLaunchTemplate* FakeAws::launch_template(const std::string& id) const {
  const auto it = launch_templates_.find(id);
  return it == launch_templates_.end() ? nullptr : &it->second;
}

std::optional<std::string> FakeAws::parameter(const api::AccountId& account,
                                              const api::Region& region,
                                              const std::string& name) const {
  const auto it = parameters_.find({account, region, name});
  if (it == parameters_.end()) {
    return std::nullopt;
  }
  return it->second;
}

uint32_t FakeAws::copy_peak(const api::AccountId& account, const api::Region& region) const {
  const auto it = peak_.find({account, region});
  return it == peak_.end() ? 0 : it->second;
}

FakeAws::Caller FakeAws::resolve(const client::Identity& identity) const {
  Caller c;
  if (identity.is_service()) {
    c.service = true;
    return c;
  }
  const auto it = sessions_.find(identity.credentials().access_key_id);
  if (it == sessions_.end()) {
    c.error = sim::aws_error(
        "AuthFailure", "AWS was not able to validate the provided access credentials", 401);
    return c;
  }
  if (ctx_.unix_ms() >= it->second.expiration_unix_ms) {
    c.error =
        sim::aws_error("ExpiredToken", "The security token included in the request is expired");
  }
  c.account = it->second.account;
  c.role_arn = it->second.role_arn;
  return c;
}

std::optional<sim::AwsError> FakeAws::scripted(std::string_view operation,
                                               const Caller& caller,
                                               const api::Region& region,
                                               bool* applied_first) {
  for (ScriptedFailure& s : script_) {
    if (s.times == 0 || s.operation != operation) {
      continue;
    }
    if (s.account.has_value() && *s.account != caller.account) {
      continue;
    }
    if (s.region.has_value() && *s.region != region) {
      continue;
    }
    --s.times;
    *applied_first = s.applied_first;
    return s.error;
  }
  return std::nullopt;
}

void FakeAws::log(std::string operation,
                  const Caller& caller,
                  const api::Region& region,
                  std::string detail) {
  calls_.push_back(CallRecord{std::move(operation),
                              caller.service ? std::string() : caller.account.str(),
                              region.str(),
                              std::move(detail)});
}

std::unique_ptr<client::Ec2Client> FakeAws::ec2(const client::Identity& identity,
                                                const api::Region& region) {
  return std::make_unique<FakeEc2>(*this, resolve(identity), region);
}

std::unique_ptr<client::StsClient> FakeAws::sts(const client::Identity& identity,
                                                const api::Region& region) {
  return std::make_unique<FakeSts>(*this, resolve(identity), region);
}

std::unique_ptr<client::IamClient> FakeAws::iam(const client::Identity& identity) {
  return std::make_unique<FakeIam>(*this, resolve(identity));
}

std::unique_ptr<client::SsmClient> FakeAws::ssm(const client::Identity& identity,
                                                const api::Region& region) {
  return std::make_unique<FakeSsm>(*this, resolve(identity), region);
}

}  // namespace ibsim::engine::testing
